/**
 * Splitting a machine that would pass the definition size or history quota
 * into a parent and child machines. The parent starts each child with
 * `states:startExecution.sync:2` and waits for it; a child gets the parameters
 * and the step results it reads, and returns the results later steps read.
 *
 * Cuts follow the plan's shape, from the leaves up: a part stays inline in
 * the machine around it while that fits; a sequence that does not is cut into
 * runs of consecutive parts, a Parallel's branches into groups, each run or
 * group a child (which may itself start children cut deeper down); a
 * condition too large with its branches keeps its Choice, each branch placed
 * the same way and, while the whole is still too large, the larger branch run
 * by a child (a result written in a branch is handed on only to steps of that
 * branch: elsewhere it may not exist). In a
 * sequence the cuts are chosen by dynamic programming: every run within both
 * limits (estimated from the whole machine's states, each charged to the step
 * that wrote it), the fewest values passed in and out, then the fewest
 * children. A foreach step too large by itself has its copies cut into
 * equal runs, each run a child, the children started side by side; the
 * copies' results come back as one list per child, which readers index as
 * `[child][copy]`. Every machine is then lowered and measured; if one is
 * still over a limit the budget shrinks and the split is planned again.
 */
import { branchesAround, branchMembership } from "../../src/ir/graph.js";
import type { Pipeline, Step } from "../../src/ir/types.js";
import type { Definition, State, States } from "./asl.js";
import { predictHistory, type HistoryPrediction } from "./history.js";
import { buildDefinition, type Built, type ChildCall, type PieceShape } from "./lower.js";
import { definitionBytes, stateOwnBytes } from "./sent-bytes.js";
import type { Shape } from "./structure.js";

export interface SplitLimits {
  /** Bytes of the minified definition. */
  bytes: number;
  /** Predicted history events (every task succeeding at once). */
  events: number;
  /** Bytes of state data passed from state to state (Step Functions' 256 KiB when not given). */
  payload?: number;
}

export interface Child {
  machine: string;
  path: string;
  built: Built;
  call: ChildCall;
  steps: number;
  /** A run of a foreach step's copies (from..to-1), when that is what the child holds. */
  copies?: { step: string; from: number; to: number };
}

export interface Split {
  parent: Built;
  children: Child[];
}

/** The kind of a child machine's definition file (deploy creates these before the parent). */
export const CHILD_KIND = "child-definition";

/** A child's state machine name: the pipeline's, numbered. */
export const childMachine = (pipeline: string, n: number) => `${pipeline}-part-${n}`;
/** A child's definition file, beside the parent's. */
export const childFile = (n: number) => `state-machine.part-${n}.asl.json`;
/** Reads the number back from a child's file name (deploy creates children in this order). */
export const CHILD_FILE = /^state-machine\.part-([0-9]+)\.asl\.json$/;

/** Fractions of the limits a machine is planned to fill, tried in turn as estimates prove too low. */
const FILLS = [0.9, 0.75, 0.6, 0.45, 0.3];

/** Estimated weight of the states that start a child and merge its results (per value passed: one field each way). */
const CALL = { bytes: 1200, perValue: 60, events: 8 };

/**
 * Measures of a built definition, taken once: a machine is measured to decide the split, again for
 * the compile summary and by checkLimits, and each measure walks or serializes the whole machine.
 * Definitions are not changed once built.
 */
const measures = new WeakMap<Definition, { sent?: number; text?: string; history?: HistoryPrediction }>();
const measuresOf = (def: Definition) => {
  let m = measures.get(def);
  if (!m) measures.set(def, (m = {}));
  return m;
};

// JSON.stringify without indentation writes no whitespace outside strings: already what deploy sends.
export const sentBytes = (def: Definition): number => (measuresOf(def).sent ??= definitionBytes(def));

/** The text deploy sends for a child machine: made once, when the split measures the child. */
export function sentText(def: Definition): string {
  const m = measuresOf(def);
  return (m.text ??= JSON.stringify(def));
}

/** predictHistory, once per definition (a copy: the caller may keep it in a summary). */
export function historyOf(def: Definition): HistoryPrediction {
  const m = measuresOf(def);
  return { ...(m.history ??= predictHistory(def)) };
}

/** Whether a lowered machine is within the limits. */
export function fits(def: Definition, limits: SplitLimits): boolean {
  return sentBytes(def) <= limits.bytes && historyOf(def).events <= limits.events;
}

/** A part of the shape: the steps numbered lo..hi-1 in depth-first order (a condition's members after it), and its estimates. */
interface Node {
  lo: number;
  hi: number;
  bytes: number;
  events: number;
}

const RESULT_PATH = /\$\.steps\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** Split `full` (the whole machine, lowered) within `limits`; a message when no split fits. */
export function splitMachine(p: Pipeline, full: Built, limits: SplitLimits): { split?: Split; problem?: string } {
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const membership = branchMembership(p);

  // What each step's states weigh and read, from the whole machine.
  const bytesOf = new Map<string, number>();
  const eventsOf = new Map<string, number>();
  const readsOf = new Map<string, Set<string>>();
  const visit = (states: States) => {
    for (const [name, st] of Object.entries(states)) {
      const branches = st.Branches as unknown as Array<{ States: States }> | undefined;
      if (branches) for (const b of branches) visit(b.States);
      const o = full.owners.get(name);
      if (o === undefined) continue;
      // The state without its branches (counted with their own states), copied only when it has them.
      let own: State = st;
      if (branches) {
        own = {};
        for (const k in st) if (k !== "Branches") own[k] = st[k];
      }
      // Measured already when the whole machine was found over a limit.
      const ownBytes = stateOwnBytes(st) ?? Buffer.byteLength(JSON.stringify(own));
      bytesOf.set(o, (bytesOf.get(o) ?? 0) + ownBytes + Buffer.byteLength(name) + 4 + (branches ? 40 * branches.length : 0));
      eventsOf.set(o, (eventsOf.get(o) ?? 0) + stateEvents(st));
      const reads = readsOf.get(o) ?? new Set<string>();
      scanReads(own, reads);
      reads.delete(o);
      readsOf.set(o, reads);
    }
  };
  visit(full.definition.States);
  const readers = new Map<string, string[]>();
  for (const [o, rs] of readsOf) for (const x of rs) if (byId.has(x)) {
    const list = readers.get(x);
    if (list) list.push(o);
    else readers.set(x, [o]);
  }

  const membersOf = (id: string): string[] => {
    const s = byId.get(id)!;
    return s.kind === "condition" ? [id, ...[...s.then, ...s.else].flatMap(membersOf)] : [id];
  };
  // Depth-first numbering: every part of the shape, and every run of a sequence's items or of a Parallel's branches, is a range.
  const dfs: string[] = [];
  const at = new Map<string, number>();
  const nodes = new WeakMap<object, Node>();
  const combine = (t: "seq" | "par", parts: Node[]): Node => {
    const lo = parts.length ? parts[0].lo : dfs.length;
    const hi = parts.length ? parts[parts.length - 1].hi : lo;
    const bytes = parts.reduce((a, x) => a + x.bytes, 0) + (t === "par" ? 60 + 60 * parts.length : 0);
    const events = t === "seq" ? parts.reduce((a, x) => a + x.events, 0) : 4 + Math.max(0, ...parts.map((x) => x.events));
    return { lo, hi, bytes, events };
  };
  const place1 = (s: string) => {
    at.set(s, dfs.length);
    dfs.push(s);
  };
  const number = (sh: Shape): Node => {
    let n: Node;
    if (sh.t === "unit") {
      const lo = dfs.length;
      let bytes = 0;
      let events = 0;
      const br = full.plan.branches.get(sh.id);
      if (br) {
        // A condition, then its branches as planned (each a part that may be cut), then any member they leave out.
        place1(sh.id);
        number(br.then);
        number(br.else);
      }
      for (const s of membersOf(sh.id)) {
        if (!at.has(s)) place1(s);
        bytes += bytesOf.get(s) ?? 0;
        events += eventsOf.get(s) ?? 0;
      }
      n = { lo, hi: dfs.length, bytes, events };
    } else n = combine(sh.t, (sh.t === "seq" ? sh.items : sh.branches).map(number));
    nodes.set(sh, n);
    return n;
  };
  number(full.plan.shape);
  const node = (sh: Shape): Node => {
    const hit = nodes.get(sh);
    if (hit) return hit;
    const n = combine(sh.t === "unit" ? "seq" : sh.t, sh.t === "seq" ? sh.items.map(node) : sh.t === "par" ? sh.branches.map(node) : []);
    nodes.set(sh, n);
    return n;
  };
  // A step outside the shape (a failure handler) counts as inside every part: the step that catches into it writes its states.
  const inside = (n: Node, id: string) => {
    const i = at.get(id);
    return i === undefined || (i >= n.lo && i < n.hi);
  };
  /**
   * A part is cut out of the top of the machine or out of a condition's branch, its scope (`<condition>:<branch>`,
   * "" at the top). Results sure to exist once the part ran: written in that scope itself, not inside a condition
   * within it; and a step outside the part that reads one must be in that scope too (else it may run without it).
   */
  const scopeOf = (id: string) => {
    const b = membership.get(id);
    return b ? `${b.condition}:${b.branch}` : "";
  };
  const inScope = (id: string, scope: string) => scope === "" || branchesAround(membership, id).some((b) => `${b.condition}:${b.branch}` === scope);
  const sure = (id: string, scope: string) => scopeOf(id) === scope;
  const range = (n: Node) => dfs.slice(n.lo, n.hi);
  /** Results the part reads from steps outside it, in the order its steps first read them. */
  const readsIn = (n: Node) => {
    const out = new Set<string>();
    for (let i = n.lo; i < n.hi; i++) for (const x of readsOf.get(dfs[i]) ?? []) if (byId.has(x) && !inside(n, x)) out.add(x);
    return [...out];
  };
  const readersOutside = (n: Node, id: string) => (readers.get(id) ?? []).filter((r) => !inside(n, r));
  const readOutside = (n: Node, id: string) => readersOutside(n, id).length > 0;
  /** Results of the part that some step outside it reads. */
  const returnsOf = (n: Node, scope: string) => range(n).filter((x) => sure(x, scope) && readOutside(n, x));
  /** A result that may not exist when a step outside the part reads it cannot be handed on. */
  const unsure = (n: Node, scope: string) => range(n).find((x) => readOutside(n, x) && (!sure(x, scope) || !readersOutside(n, x).every((r) => inScope(r, scope))));
  const order = new Map(p.steps.map((s, i) => [s.id, i]));
  const inOrder = (xs: Iterable<string>) => [...xs].sort((a, b) => order.get(a)! - order.get(b)!);

  let problem: string | undefined;
  for (const fill of FILLS) {
    const budget = { bytes: limits.bytes * fill, events: limits.events * fill };
    const within = (n: { bytes: number; events: number }) => n.bytes <= budget.bytes && n.events <= budget.events;
    const children: Array<{ shape: PieceShape; call: ChildCall; steps: number }> = [];
    const chunked = new Map<string, number>();
    /** A part of the shape as it stays in the machine around it: inline, or (once too large) cut into child machines. */
    interface Placed {
      shape: PieceShape;
      bytes: number;
      events: number;
    }
    const child = (parts: Placed[], t: "seq" | "par", ranges: Node[], scope: string): Placed => {
      const n = combine(t, ranges);
      const bad = unsure(n, scope);
      if (bad !== undefined) throw new SplitError(`step '${bad}' writes a result inside a condition's branch that a step in another machine reads`);
      const call: ChildCall = { machine: childMachine(p.name, children.length + 1), reads: inOrder(readsIn(n)), returns: inOrder(returnsOf(n, scope)), run: [] };
      const shape: PieceShape = parts.length === 1 ? parts[0].shape : t === "seq" ? ({ t: "seq", items: parts.map((x) => x.shape) } as PieceShape) : ({ t: "par", branches: parts.map((x) => x.shape) } as PieceShape);
      children.push({ shape, call, steps: n.hi - n.lo });
      return { shape: { t: "call", child: call }, bytes: CALL.bytes + CALL.perValue * (call.reads.length + call.returns.length), events: CALL.events };
    };
    /**
     * A foreach step too large for one machine: its copies cut into equal runs, each run a child machine
     * (its copies side by side in a Parallel, their results one list), the children started side by side.
     */
    const chunks = (s: Step & { foreach: NonNullable<Step["foreach"]> }, n: Node, scope: string): Placed => {
      const count = s.foreach.items.length;
      const bad = unsure(n, scope);
      if (bad !== undefined) throw new SplitError(`step '${bad}' writes a result inside a condition's branch that a step in another machine reads`);
      const reads = inOrder(readsIn(n));
      const returns = inOrder(returnsOf(n, scope));
      // Room in a child besides its copies: its input states, the Parallel, the values passed in and out.
      const room = { bytes: budget.bytes - CALL.bytes - CALL.perValue * (reads.length + returns.length), events: budget.events - CALL.events };
      const per = Math.floor(Math.min(room.bytes / (n.bytes / count), room.events / (n.events / count)));
      if (per < 1) {
        const one = { bytes: budget.bytes - room.bytes + n.bytes / count, events: budget.events - room.events + n.events / count };
        throw new SplitError(`one copy of foreach step '${s.id}' in a machine of its own needs about ${Math.round(one.bytes)} bytes and ${Math.round(one.events)} history events, more than one machine holds`);
      }
      const parts = Math.ceil(count / per);
      const size = Math.ceil(count / parts);
      chunked.set(s.id, size);
      const calls: ChildCall[] = [];
      for (let from = 0; from < count; from += size) {
        const call: ChildCall = { machine: childMachine(p.name, children.length + 1), reads, returns, run: [] };
        children.push({ shape: { t: "copies", id: s.id, from, to: Math.min(count, from + size) }, call, steps: Math.min(count, from + size) - from });
        calls.push(call);
      }
      return { shape: { t: "chunks", id: s.id, calls }, bytes: 60 + calls.length * (60 + CALL.bytes + CALL.perValue * (reads.length + returns.length)), events: 4 + calls.length * CALL.events };
    };
    const place = (sh: Shape, scope: string): Placed => {
      const n = node(sh);
      if (sh.t === "unit") {
        if (!within(n)) {
          const s = byId.get(sh.id)!;
          if (s.foreach && s.kind !== "condition") return chunks(s as Step & { foreach: NonNullable<Step["foreach"]> }, n, scope);
          if (s.kind === "condition") return condition(s.id, n, scope);
          throw new SplitError(`step '${s.id}' alone needs about ${n.bytes} bytes and ${n.events} history events, more than one machine holds`);
        }
        return { shape: sh, bytes: n.bytes, events: n.events };
      }
      const kids = sh.t === "seq" ? sh.items : sh.branches;
      const parts = kids.map((k) => place(k, scope));
      const ranges = kids.map(node);
      const whole = {
        bytes: parts.reduce((a, x) => a + x.bytes, 0) + (sh.t === "par" ? 60 + 60 * parts.length : 0),
        events: sh.t === "seq" ? parts.reduce((a, x) => a + x.events, 0) : 4 + Math.max(0, ...parts.map((x) => x.events)),
      };
      const inline = (xs: Placed[], t: "seq" | "par") => (t === "seq" ? ({ t: "seq", items: xs.map((x) => x.shape) } as PieceShape) : ({ t: "par", branches: xs.map((x) => x.shape) } as PieceShape));
      if (within(whole)) return { shape: inline(parts, sh.t), ...whole };
      if (sh.t === "seq") {
        const out: Placed[] = [];
        let from = 0;
        for (const run of cutSequence(ranges, parts, scope)) {
          const to = from + run;
          out.push(child(parts.slice(from, to), "seq", ranges.slice(from, to), scope));
          from = to;
        }
        return { shape: inline(out, "seq"), bytes: out.reduce((a, x) => a + x.bytes, 0), events: out.reduce((a, x) => a + x.events, 0) };
      }
      // Branches are independent: a group weighs its branches plus the Parallel's own states, and runs as long as its longest branch.
      const out: Placed[] = [];
      let from = 0;
      let bytes = 60;
      let events = 4;
      const flush = (to: number) => {
        if (to > from) out.push(child(parts.slice(from, to), "par", ranges.slice(from, to), scope));
        from = to;
        bytes = 60;
        events = 4;
      };
      parts.forEach((x, i) => {
        if (i > from && (bytes + x.bytes + 60 > budget.bytes || Math.max(events, x.events + 4) > budget.events)) flush(i);
        bytes += x.bytes + 60;
        events = Math.max(events, x.events + 4);
      });
      flush(parts.length);
      return { shape: inline(out, "par"), bytes: 60 + out.reduce((a, x) => a + x.bytes + 60, 0), events: 4 + Math.max(0, ...out.map((x) => x.events)) };
    };

    /**
     * A condition too large with its branches: each branch placed as a part of its own (cut where it does not
     * fit), then, while the whole is still over the budget, the larger branch left inline run by a child.
     */
    const condition = (id: string, n: Node, scope: string): Placed => {
      const br = full.plan.branches.get(id)!;
      const own = { bytes: bytesOf.get(id) ?? 0, events: eventsOf.get(id) ?? 0 };
      const sides = (["then", "else"] as const).map((side) => ({ shape: br[side], scope: `${id}:${side}`, placed: place(br[side], `${id}:${side}`) }));
      const total = () => ({
        bytes: own.bytes + sides[0].placed.bytes + sides[1].placed.bytes,
        events: own.events + Math.max(sides[0].placed.events, sides[1].placed.events),
      });
      for (;;) {
        if (within(total())) break;
        const inline = sides.filter((x) => x.placed.shape.t !== "call" && !(x.shape.t === "seq" && x.shape.items.length === 0));
        if (!inline.length) throw new SplitError(`condition '${id}' needs about ${n.bytes} bytes and ${n.events} history events with its branches, more than one machine holds even with each branch in a child machine`);
        const big = inline.reduce((a, b) => (b.placed.bytes > a.placed.bytes ? b : a));
        big.placed = child([big.placed], "seq", [node(big.shape)], big.scope);
      }
      return { shape: { t: "cond", id, then: sides[0].placed.shape, else: sides[1].placed.shape }, ...total() };
    };

    /**
     * Runs of consecutive items (lengths, in order), each within the budget,
     * passing the fewest values in and out, then the fewest runs.
     */
    const cutSequence = (ns: Node[], weights: Placed[], scope: string): number[] => {
      const m = ns.length;
      const seq = combine("seq", ns);
      /** The item of this sequence holding step index `i` (items are consecutive ranges). */
      const itemAt = (i: number): number => {
        let a = 0;
        let b = m - 1;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (ns[mid].hi <= i) a = mid + 1;
          else b = mid;
        }
        return a;
      };
      // Per item within the budget: the results it reads from outside it, and for each result it writes
      // the last item reading it (Infinity: read outside the sequence). A larger item is cut on its own.
      const facts = ns.map((x) => {
        const written = range(x).map((s) => {
          let last = -1;
          for (const r of readers.get(s) ?? []) {
            const i = at.get(r);
            if (i === undefined || inside(x, r)) continue;
            last = Math.max(last, i >= seq.lo && i < seq.hi ? itemAt(i) : Infinity);
          }
          return { last, sure: sure(s, scope) && (readers.get(s) ?? []).every((r) => inside(x, r) || inScope(r, scope)) };
        });
        return { reads: readsIn(x), written };
      });
      const best: Array<{ values: number; runs: number; from: number }> = [{ values: 0, runs: 0, from: -1 }];
      for (let j = 1; j <= m; j++) {
        best[j] = { values: Infinity, runs: Infinity, from: j - 1 };
        const ext = new Map<string, number>();
        let out = 0;
        let bytes = 0;
        let events = 0;
        for (let i = j - 1; i >= 0; i--) {
          const x = ns[i];
          bytes += weights[i].bytes;
          events += weights[i].events;
          if (i < j - 1 && (bytes > budget.bytes || events > budget.events)) break;
          for (const [r, w] of ext) if (w >= x.lo && w < x.hi) ext.delete(r);
          for (const r of facts[i].reads) ext.set(r, at.get(r) ?? -1);
          let unsafe = false;
          for (const w of facts[i].written) {
            if (w.last < j) continue;
            if (w.sure) out++;
            else unsafe = true;
          }
          if (unsafe && i < j - 1) break;
          const prev = best[i];
          const values = prev.values + ext.size + out;
          const runs = prev.runs + 1;
          if (values < best[j].values || (values === best[j].values && runs < best[j].runs)) best[j] = { values, runs, from: i };
        }
      }
      const runs: number[] = [];
      for (let j = m; j > 0; j = best[j].from) runs.unshift(j - best[j].from);
      return runs;
    };

    let parentShape: PieceShape;
    try {
      parentShape = place(full.plan.shape, "").shape;
    } catch (e) {
      if (!(e instanceof SplitError)) throw e;
      problem = e.message;
      break;
    }
    const built: Child[] = children.map((c, i) => {
      const b = buildDefinition(p, { plan: full.plan, shape: c.shape, child: true, whole: full, chunked });
      const text = sentText(b.definition);
      measuresOf(b.definition).sent = Buffer.byteLength(text, "utf8");
      c.call.run = ["id", "name", "start_time", ...["input", "pipeline_name"].filter((f) => text.includes(`$.run.${f}`))];
      const copies = c.shape.t === "copies" ? { step: c.shape.id, from: c.shape.from, to: c.shape.to } : undefined;
      return { machine: c.call.machine, path: childFile(i + 1), built: b, call: c.call, steps: c.steps, ...(copies ? { copies } : {}) };
    });
    const parent = buildDefinition(p, { plan: full.plan, shape: parentShape, child: false, whole: full, chunked });
    const over = [parent, ...built.map((c) => c.built)].find((b) => !fits(b.definition, limits));
    if (!over) return { split: { parent, children: built } };
    problem = `the machines stay over a limit even cut at ${Math.round(fill * 100)}% of it`;
  }
  return { problem };
}

class SplitError extends Error {}

/** Events a state adds to the history, as history.ts counts them (a poll loop at its bound). */
function stateEvents(st: State): number {
  switch (st.Type) {
    case "Task":
      return 5 + (/\.(sync(:2)?|waitForTaskToken)$/.test(String(st.Resource ?? "")) ? 1 : 0);
    case "Parallel":
      return 4;
    case "Fail":
      return 1;
    case "Wait": {
      const m = /^poll: at most ([0-9]+) times/.exec(String(st.Comment ?? ""));
      return m ? Number(m[1]) * 12 : 2;
    }
    default:
      return 2;
  }
}

/** The steps whose results a state reads (`$.steps.<id>`), outside where it writes its own. */
export function scanReads(v: unknown, out: Set<string>): void {
  if (typeof v === "string") {
    if (v.includes("$.steps.")) for (const m of v.matchAll(RESULT_PATH)) out.add(m[1]);
  } else if (Array.isArray(v)) for (const x of v) scanReads(x, out);
  else if (v !== null && typeof v === "object") {
    for (const k in v) if (k !== "ResultSelector" && k !== "ResultPath" && k !== "OutputPath") scanReads((v as Record<string, unknown>)[k], out);
  }
}
