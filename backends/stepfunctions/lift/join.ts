/**
 * Where the branches of a Choice meet again: the state every run that goes on
 * from the Choice passes (its immediate post-dominator), so the Choice lifts as
 * a condition step and that state as the step after it, once. Paths that end at
 * a Fail state do not go on and do not count; a branch that ends the scope
 * (End, Succeed) leaves no meeting state. Catch edges are not followed: what a
 * Catch leads to is a failure handler.
 *
 * Computed once per States object with the Cooper–Harvey–Kennedy iteration on
 * the reversed graph: near-linear in its states.
 */
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

export interface Joins {
  /** The meeting state of the branches leaving `state`, if any. */
  joinOf(state: string): string | undefined;
  /** Whether some run from `state` ends the scope without failing (else every path from it fails). */
  goesOn(state: string): boolean;
}

/** The states a state leads to on success (Next, Default, each Choice rule's Next); `null` for the end of the scope. */
function successors(st: Obj): Array<string | null> {
  if (st.Type === "Fail") return [];
  if (st.Type === "Succeed" || st.End === true) return [null];
  const out: Array<string | null> = [];
  if (typeof st.Next === "string") out.push(st.Next);
  if (st.Type === "Choice") {
    for (const r of Array.isArray(st.Choices) ? st.Choices : []) if (isObj(r) && typeof r.Next === "string") out.push(r.Next);
    if (typeof st.Default === "string") out.push(st.Default);
  }
  return out;
}

const cache = new WeakMap<Obj, Joins>();

export function joins(states: Obj): Joins {
  const hit = cache.get(states);
  if (hit) return hit;
  const result = analyse(states, new Set());
  cache.set(states, result);
  return result;
}

/**
 * For a Choice every path from which fails in the end: the Fail states every
 * branch can reach end a path like an End (they come after the meeting state),
 * while one only some branches reach still ends a way that does not go on.
 */
export function joinsToFailure(states: Obj, targets: string[]): Joins {
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length) {
      const n = todo.pop()!;
      if (seen.has(n) || !isObj(states[n])) continue;
      seen.add(n);
      for (const s of successors(states[n] as Obj)) if (s !== null) todo.push(s);
    }
    return seen;
  };
  const sets = targets.map(reach);
  const common = new Set([...(sets[0] ?? [])].filter((n) => (states[n] as Obj).Type === "Fail" && sets.every((x) => x.has(n))));
  return analyse(states, common);
}

function analyse(states: Obj, failExits: Set<string>): Joins {
  const names = Object.keys(states);
  const EXIT = names.length;
  const index = new Map(names.map((n, i) => [n, i]));
  // Forward edges by index; the reversed graph's successors are the forward predecessors.
  const succ: number[][] = names.map((n) => {
    const st = states[n];
    if (!isObj(st)) return [];
    if (failExits.has(n)) return [EXIT];
    const out = new Set<number>();
    for (const s of successors(st)) {
      if (s === null) out.add(EXIT);
      else if (index.has(s)) out.add(index.get(s)!);
    }
    return [...out];
  });
  const pred: number[][] = Array.from({ length: EXIT + 1 }, () => []);
  succ.forEach((ss, v) => ss.forEach((s) => pred[s].push(v)));

  // Postorder of a depth-first search from EXIT over the reversed edges (iterative: machines may be large).
  const post = new Int32Array(EXIT + 1).fill(-1);
  const order: number[] = [];
  const seen = new Uint8Array(EXIT + 1);
  const stack: Array<[number, number]> = [[EXIT, 0]];
  seen[EXIT] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [v, i] = top;
    if (i < pred[v].length) {
      top[1]++;
      const w = pred[v][i];
      if (!seen[w]) {
        seen[w] = 1;
        stack.push([w, 0]);
      }
    } else {
      post[v] = order.length;
      order.push(v);
      stack.pop();
    }
  }
  const idom = new Int32Array(EXIT + 1).fill(-1);
  idom[EXIT] = EXIT;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a] < post[b]) a = idom[a];
      while (post[b] < post[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    // Reverse postorder, EXIT (last in postorder) first.
    for (let k = order.length - 2; k >= 0; k--) {
      const v = order[k];
      let d = -1;
      for (const s of succ[v]) if (idom[s] !== -1) d = d === -1 ? s : intersect(s, d);
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return {
    joinOf: (state) => {
      const v = index.get(state);
      if (v === undefined || idom[v] === -1 || idom[v] === EXIT) return undefined;
      return names[idom[v]];
    },
    goesOn: (state) => {
      const v = index.get(state);
      return v !== undefined && seen[v] === 1;
    },
  };
}
