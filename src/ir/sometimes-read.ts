/**
 * Parameters a run needs only on some paths. A parameter without a default
 * must be given to start every run; a file lifted from a target that reads an
 * input field only in some states (one way of a Choice, a Catch's handler)
 * accepted runs without it on the other paths.
 */
import { walkStepValues, walkValue } from "./walk.js";
import type { Pipeline, Step } from "./types.js";

/** Parameters without a default that some run reads only on some of its paths (not on both ways of every condition it passes). */
export function paramsReadOnSomePaths(p: Pipeline): string[] {
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const nested = new Set<string>();
  for (const s of p.steps) {
    if (s.kind === "condition") for (const id of [...s.then, ...s.else]) nested.add(id);
    if (s.kind === "map") for (const id of s.steps) nested.add(id);
    for (const h of s.on_failure ?? []) for (const id of h.steps) nested.add(id);
  }
  const owned = new Map<string, Set<string>>();
  const own = (s: Step): Set<string> => {
    const known = owned.get(s.id);
    if (known) return known;
    const out = new Set<string>();
    owned.set(s.id, out);
    walkStepValues(s, (v) =>
      walkValue(v, (n) => {
        if (n.kind === "ref" && n.ref.scope === "params") out.add(n.ref.name);
      }),
    );
    return out;
  };
  const read = new Set<string>();
  /** Handlers already walked (several steps may share one). */
  const handlers = new Set<string>();
  /** What every run through these steps reads (a map's iterations counted as run: they read whenever the list has items). */
  const always = (ids: readonly string[]): Set<string> => {
    const out = new Set<string>();
    for (const id of ids) {
      const s = byId.get(id);
      if (!s) continue;
      for (const n of own(s)) {
        out.add(n);
        read.add(n);
      }
      if (s.kind === "map") for (const n of always(s.steps)) out.add(n);
      if (s.kind === "condition") {
        const then = always(s.then);
        for (const n of always(s.else)) if (then.has(n)) out.add(n);
      }
      for (const h of s.on_failure ?? []) {
        const key = h.steps.join("\n");
        if (handlers.has(key)) continue;
        handlers.add(key);
        always(h.steps);
      }
    }
    return out;
  };
  const every = always(p.steps.filter((s) => !nested.has(s.id)).map((s) => s.id));
  return p.parameters.filter((x) => x.default === undefined && read.has(x.name) && !every.has(x.name)).map((x) => x.name);
}
