/** Graph checks: cycles, condition branches, and edges that leave a branch. */
import { error, type Diagnostic } from "../../diagnostics.js";
import { didYouMean } from "../../util/suggest.js";
import { branchMembership, dataDependencies, dependencies, failureHandlers, findCycle, mapsAround } from "../graph.js";
import { ERROR_CLASSES, type ErrorClass, type FailureHandler, type Pipeline } from "../types.js";

export function checkBranches(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Set(p.steps.map((s) => s.id));
  const owner = new Map<string, string>();
  for (const s of p.steps) {
    if (s.kind === "map") {
      for (const id of s.steps) {
        if (!ids.has(id)) out.push(error(s.pos, `map '${s.id}' lists unknown step '${id}' in 'steps'${didYouMean(id, ids)}`, { code: "branch-missing-step" }));
        else if (id === s.id) out.push(error(s.pos, `map '${s.id}' lists itself in 'steps'`, { code: "branch-self" }));
        else if (owner.has(id)) out.push(error(s.pos, `step '${id}' is in two branches: '${owner.get(id)}' and map '${s.id}'`, { code: "branch-twice" }));
        else owner.set(id, `${s.id}.each`);
      }
      continue;
    }
    if (s.kind !== "condition") continue;
    for (const branch of ["then", "else"] as const) {
      for (const id of s[branch]) {
        if (!ids.has(id)) {
          out.push(error(s.pos, `condition '${s.id}' lists unknown step '${id}' in '${branch}'${didYouMean(id, ids)}`, { code: "branch-missing-step" }));
        } else if (id === s.id) {
          out.push(error(s.pos, `condition '${s.id}' lists itself in '${branch}'`, { code: "branch-self" }));
        } else if (owner.has(id)) {
          out.push(error(s.pos, `step '${id}' is in two branches: '${owner.get(id)}' and '${s.id}.${branch}'`, { code: "branch-twice" }));
        } else owner.set(id, `${s.id}.${branch}`);
      }
    }
  }
  if (out.length) return out;
  // What one iteration of a map cannot hold (yet): static fan-out, failure handlers (a failure let pass it holds). (A map inside a map reads the outer item as steps.<outer>.item.)
  const maps = mapsAround(p);
  const handlers = failureHandlers(p);
  for (const s of p.steps) {
    const m = maps.get(s.id)?.[0];
    if (!m) continue;
    if (s.foreach) out.push(error(s.foreach.pos, `step '${s.id}' runs once per item of map '${m}' and cannot also have 'foreach' (its 'item' would be ambiguous)`, { code: "map-member" }));
    // A failure let pass (no steps) goes on within the iteration, which needs no handler steps of its own.
    const letsPass = s.on_failure?.every((h) => h.ends === "continues" && !h.steps.length);
    if ((s.on_failure && !letsPass) || handlers.has(s.id)) out.push(error(s.on_failure?.[0].pos ?? s.pos, `step '${s.id}' runs once per item of map '${m}' and cannot have or be a failure handler; give the map an 'on_failure' instead, or let its failure pass (on_failure: { ends: continues })`, { code: "map-member" }));
  }
  return out;
}

/** The chain of branches a step sits in, outermost first (`["gate.then", "inner.else"]`). */
function branchChains(p: Pipeline): Map<string, string[]> {
  const direct = new Map<string, { cond: string; label: string }>();
  for (const s of p.steps) {
    if (s.kind === "map") for (const id of s.steps) if (!direct.has(id)) direct.set(id, { cond: s.id, label: `${s.id}.each` });
    if (s.kind !== "condition") continue;
    for (const b of ["then", "else"] as const) for (const id of s[b]) if (!direct.has(id)) direct.set(id, { cond: s.id, label: `${s.id}.${b}` });
  }
  const chains = new Map<string, string[]>();
  const chain = (id: string, seen: Set<string>): string[] => {
    const hit = chains.get(id);
    if (hit) return hit;
    const d = direct.get(id);
    if (!d || seen.has(id)) return [];
    seen.add(id);
    const c = [...chain(d.cond, seen), d.label];
    chains.set(id, c);
    return c;
  };
  for (const s of p.steps) chains.set(s.id, chain(s.id, new Set()));
  return chains;
}

export function checkGraph(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const deps = dependencies(p);
  const cycle = findCycle(deps);
  if (cycle) {
    const first = p.steps.find((s) => s.id === cycle[0]);
    out.push(error(first?.pos, `dependency cycle: ${cycle.join(" -> ")}`, { code: "cycle", hint: "a step cannot wait, directly or through others, for itself" }));
    return out;
  }
  const chains = branchChains(p);
  for (const s of p.steps) {
    const mine = chains.get(s.id) ?? [];
    const reads = dataDependencies(s);
    for (const d of deps.get(s.id) ?? []) {
      if (s.kind === "condition" && (s.then.includes(d) || s.else.includes(d))) continue;
      if (s.kind === "map" && s.steps.includes(d)) continue;
      const theirs = chains.get(d) ?? [];
      // Every branch `d` sits in must also hold `s`; otherwise `s` may run when `d` never did.
      const outside = theirs.find((b) => !mine.includes(b));
      // A join: after a condition, waiting for the steps of its branches that ran (an ordering, not a read).
      if (outside && !outside.endsWith(".each") && s.depends_on.includes(d) && !reads.has(d)) {
        const condition = outside.slice(0, outside.lastIndexOf("."));
        if (s.depends_on.includes(condition)) continue;
        out.push(
          error(s.pos, `step '${s.id}' depends on '${d}', which runs only in branch '${outside}'`, {
            code: "branch-escape",
            hint: `to wait for the steps of '${condition}' that run, list '${condition}' in depends_on too; or add '${s.id}' to the same branch`,
          }),
        );
        continue;
      }
      if (outside?.endsWith(".each")) {
        const m = outside.slice(0, -".each".length);
        out.push(error(s.pos, `step '${s.id}' depends on '${d}', which runs once per item of map '${m}'`, { code: "branch-escape", hint: `add '${s.id}' to the map's steps, or depend on '${m}' instead` }));
      } else if (outside) {
        out.push(
          error(s.pos, `step '${s.id}' depends on '${d}', which runs only in branch '${outside}'`, {
            code: "branch-escape",
            hint: `add '${s.id}' to the same branch, or depend on '${outside.split(".")[0]}' instead`,
          }),
        );
      }
    }
  }
  return out;
}

/**
 * Failure handlers: the steps named in `on_failure` exist, run only on the
 * failure path (no other step waits for them), and wait only for each other.
 */
export function checkFailureHandlers(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Set(p.steps.map((s) => s.id));
  for (const s of p.steps) {
    for (const h of s.on_failure ?? []) {
      for (const id of h.steps) {
        if (!ids.has(id)) out.push(error(h.pos, `step '${s.id}' names unknown step '${id}' in 'on_failure'${didYouMean(id, ids)}`, { code: "on-failure-missing-step" }));
        else if (id === s.id) out.push(error(h.pos, `step '${s.id}' names itself in 'on_failure'`, { code: "on-failure-self" }));
      }
    }
  }
  if (out.length) return out;
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  for (const s of p.steps) {
    const hs = s.on_failure ?? [];
    for (const [i, h] of hs.entries()) {
      if (!h.steps.length && h.ends !== "succeeded" && h.ends !== "continues") out.push(error(h.pos, `step '${s.id}': a failure handler without steps must say 'ends: succeeded' (the run ends there) or 'ends: continues' (the run goes on); one that ends failed would change nothing`, { code: "on-failure-empty" }));
      // Handlers are tried in order: one whose errors earlier handlers all take never runs.
      const before = hs.slice(0, i);
      const takes = (x: FailureHandler, c: string) => (!x.on && !x.errors) || (x.on ?? []).includes("any") || (x.on ?? []).includes(c as ErrorClass);
      const classes = !h.on && !h.errors ? [...ERROR_CLASSES] : (h.on ?? []).includes("any") ? [...ERROR_CLASSES] : (h.on ?? []);
      const shadowed = before.length > 0 && classes.every((c) => before.some((x) => takes(x, c))) && (h.errors ?? []).every((e) => before.some((x) => takes(x, "any") || (x.errors ?? []).includes(e)));
      if (shadowed) out.push(error(h.pos, `step '${s.id}': failure handler ${i + 1} never runs: the handlers before it take every error it names (handlers are tried in order, the first that matches runs)`, { code: "on-failure-shadowed", hint: "put the handler for fewer errors first" }));
      if (h.ends !== "succeeded") continue;
      // A handler that fails the execution contradicts one that absorbs the failure.
      const fail = h.steps.find((id) => byId.get(id)!.kind === "fail");
      if (fail) out.push(error(h.pos, `step '${s.id}': failure handler step '${fail}' fails the execution, so it cannot end succeeded`, { code: "on-failure-ends", hint: "remove 'ends: succeeded', or the fail step from the handler" }));
    }
  }
  // Steps sharing handler steps share how the execution ends after them.
  const endsOf = new Map<string, { step: string; ends: string }>();
  for (const s of p.steps) {
    for (const h of s.on_failure ?? []) {
      for (const id of h.steps) {
        const ends = h.ends ?? "failed";
        const seen = endsOf.get(id);
        if (!seen) endsOf.set(id, { step: s.id, ends });
        else if (seen.ends !== ends) out.push(error(h.pos, seen.step === s.id ? `step '${s.id}' names failure handler step '${id}' in two handlers, but the execution ends ${ends} after one and ${seen.ends} after the other` : `step '${s.id}' shares failure handler step '${id}' with step '${seen.step}', but the execution ends ${ends} after one and ${seen.ends} after the other`, { code: "on-failure-ends" }));
      }
    }
  }
  if (out.length) return out;
  const handlers = failureHandlers(p);
  if (!handlers.size) return out;
  const branches = branchMembership(p);
  const deps = dependencies(p);
  for (const s of p.steps) {
    if (handlers.has(s.id)) {
      if (s.on_failure) out.push(error(s.on_failure[0].pos, `step '${s.id}' handles another step's failure and cannot have 'on_failure' itself`, { code: "on-failure-nested" }));
      const b = branches.get(s.id);
      if (b) out.push(error(s.pos, `step '${s.id}' is a failure handler and cannot also be in branch '${b.condition}.${b.branch}'`, { code: "on-failure-branch", ...(handlers.has(b.condition) ? { hint: BRANCHING_HANDLER } : {}) }));
      for (const d of deps.get(s.id) ?? []) {
        if (!handlers.has(d)) {
          out.push(error(s.pos, `failure handler '${s.id}' depends on '${d}', which is not a failure handler`, { code: "on-failure-escape", hint: "a handler runs after a failure, when other steps may not have run; it may wait only for other handler steps" }));
        }
      }
    } else {
      const b = branches.get(s.id);
      for (const d of deps.get(s.id) ?? []) {
        if (!handlers.has(d)) continue;
        // In a branch of a handler's condition: say that, not only the dependency the branch implies.
        if (b?.condition === d) {
          out.push(error(s.pos, `step '${s.id}' is in branch '${d}.${b.branch}' of condition '${d}', a step of the failure handler of '${handlers.get(d)!.join("' or '")}': a failure handler's conditions cannot branch`, { code: "on-failure-dependent", hint: BRANCHING_HANDLER }));
        } else out.push(error(s.pos, `step '${s.id}' depends on '${d}', which runs only when '${handlers.get(d)!.join("' or '")}' fails`, { code: "on-failure-dependent" }));
      }
    }
  }
  return out;
}

/** Why a failure handler cannot branch, and what to write instead. */
const BRANCHING_HANDLER = "a failure handler is the steps 'on_failure' lists, run in order; to act on the error, read failure.Error in those steps (a message, a function's payload), not in a condition";
