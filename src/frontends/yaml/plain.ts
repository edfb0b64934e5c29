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
  // Two parallel stacks (node, depth): a 10,000-step file has millions of tokens, and a pair per token is garbage.
  const nodes: Nested[] = [];
  const depths: number[] = [];
  for (const t of tokens) {
    nodes.push(t as Nested);
    depths.push(0);
  }
  while (nodes.length) {
    const t = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return t.offset ?? 0;
    const v = t.value;
    if (v && typeof v === "object") {
      nodes.push(v as Nested);
      depths.push(depth + 1);
    }
    const items = t.items;
    if (!items) continue;
    for (const it of items) {
      const k = it.key;
      if (k && typeof k === "object") {
        nodes.push(k as Nested);
        depths.push(depth + 1);
      }
      const iv = it.value;
      if (iv && typeof iv === "object") {
        nodes.push(iv as Nested);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
