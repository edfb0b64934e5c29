/** What of YAML a pipeline file may use beyond plain values, and how deep the parser's tokens nest. */
import type { Parser } from "yaml";

/** Tags of the core schema's plain values; every other tag (`!!timestamp`, `!!binary`, `!!set`, `!Ref`) is refused. */
export const PLAIN_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

type Token = ReturnType<Parser["parse"]> extends Iterable<infer T> ? T : never;

interface Nested {
  offset?: number;
  value?: unknown;
  items?: Array<{ key?: unknown; value?: unknown }>;
}

/** Offset of the first token nested deeper than `max`, walking without recursion; undefined if none is. */
export function deepestToken(tokens: readonly Token[], max: number): number | undefined {
  const stack: Array<[Nested, number]> = tokens.map((t) => [t as Nested, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (depth > max) return t.offset ?? 0;
    const push = (c: unknown) => {
      if (c && typeof c === "object") stack.push([c as Nested, depth + 1]);
    };
    push(t.value);
    for (const it of t.items ?? []) {
      push(it.key);
      push(it.value);
    }
  }
  return undefined;
}
