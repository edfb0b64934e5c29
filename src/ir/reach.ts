/**
 * Reachability of a DAG as bitsets: for nodes numbered in a topological order,
 * each node's ancestors and descendants, one bit per node. Building it costs
 * O(e·n/32) word operations and answers "is a before b" in O(1), which the
 * planner asks many times.
 */
import { MinHeap } from "../util/min-heap.js";

/** Nodes 0..n-1 in topological order: every predecessor of v is below v. */
export class Reach {
  readonly n: number;
  readonly words: number;
  private readonly anc: Uint32Array;
  /** Made on first use: most callers ask only what comes before what. */
  private descBits: Uint32Array | undefined;

  constructor(private readonly preds: number[][]) {
    const n = preds.length;
    const words = (n + 31) >>> 5;
    this.n = n;
    this.words = words;
    this.anc = new Uint32Array(n * words);
    for (let v = 0; v < n; v++) {
      const row = v * words;
      for (const p of preds[v]) {
        // A predecessor's ancestors all sit below it: copy only those words.
        const from = p * words;
        for (let w = 0, end = (p >>> 5) + 1; w < end; w++) this.anc[row + w] |= this.anc[from + w];
        this.anc[row + (p >>> 5)] |= 1 << (p & 31);
      }
    }
  }

  private get desc(): Uint32Array {
    if (this.descBits) return this.descBits;
    const { n, words, preds } = this;
    const succs: number[][] = Array.from({ length: n }, () => []);
    for (let v = 0; v < n; v++) for (const p of preds[v]) succs[p].push(v);
    const desc = new Uint32Array(n * words);
    for (let v = n - 1; v >= 0; v--) {
      const row = v * words;
      for (const s of succs[v]) {
        // A successor's descendants all sit above it.
        const from = s * words;
        for (let w = s >>> 5; w < words; w++) desc[row + w] |= desc[from + w];
        desc[row + (s >>> 5)] |= 1 << (s & 31);
      }
    }
    return (this.descBits = desc);
  }

  /** Whether a comes before b (b is a descendant of a). */
  before(a: number, b: number): boolean {
    return (this.anc[b * this.words + (a >>> 5)] & (1 << (a & 31))) !== 0;
  }

  /** Number of v's ancestors inside `mask` (a bitset of `words` words), looking only at words lo..hi. */
  ancestorsIn(v: number, mask: Uint32Array, lo: number, hi: number): number {
    return countAnd(this.anc, v * this.words, mask, lo, Math.min(hi, v >>> 5));
  }

  /** Number of v's descendants inside `mask`, looking only at words lo..hi. */
  descendantsIn(v: number, mask: Uint32Array, lo: number, hi: number): number {
    return countAnd(this.desc, v * this.words, mask, Math.max(lo, v >>> 5), hi);
  }

  /** Ordered pairs of the transitive closure (comparable pairs). */
  pairs(): number {
    let total = 0;
    for (let i = 0; i < this.anc.length; i++) total += popcount(this.anc[i]);
    return total;
  }
}

function countAnd(bits: Uint32Array, row: number, mask: Uint32Array, lo: number, hi: number): number {
  let c = 0;
  for (let w = lo; w <= hi; w++) {
    const x = bits[row + w] & mask[w];
    if (x !== 0) c += popcount(x);
  }
  return c;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Topological order of `ids` over `preds` (indices into ids); among ready
 * nodes the lowest index goes first, so source order wins. A binary heap
 * keeps it O((n + e) log n).
 */
export function topoIndices(n: number, preds: number[][]): number[] {
  const remaining = new Int32Array(n);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) {
    remaining[v] = preds[v].length;
    for (const p of preds[v]) succs[p].push(v);
  }
  const ready = new MinHeap();
  for (let v = 0; v < n; v++) if (remaining[v] === 0) ready.push(v);
  const out: number[] = [];
  for (let v = ready.pop(); v !== undefined; v = ready.pop()) {
    out.push(v);
    for (const s of succs[v]) if (--remaining[s] === 0) ready.push(s);
  }
  if (out.length !== n) throw new Error("topoIndices: the graph has a cycle");
  return out;
}
