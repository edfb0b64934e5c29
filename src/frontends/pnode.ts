/**
 * A positioned JSON tree: what a front end reads a pipeline file into before
 * the IR is built. YAML produces it from its AST; the TypeScript front end from
 * its static evaluation. The builder in `build.ts` turns it into the IR.
 */
import type { Pos } from "../ir/types.js";

export type PNode = PMap | PSeq | PScalar;

interface PBase {
  pos: Pos;
  /** Position of the key this node is the value of, if any. */
  keyPos?: Pos;
}

export interface PMap extends PBase {
  t: "map";
  /** Entries in source order. */
  entries: Array<[string, PNode]>;
}

export interface PSeq extends PBase {
  t: "seq";
  items: PNode[];
}

export interface PScalar extends PBase {
  t: "scalar";
  value: string | number | boolean | null;
  /** For numbers: whether the source spelled a float (`6.0`), which JSON would lose. */
  float?: boolean;
  /** Maps an offset in a string value to its place in the file (for `${{ }}` errors). */
  posAt?: (offset: number) => Pos;
  /** A node that is already an IR value (the TypeScript front end's references). */
  ir?: unknown;
}

export function get(map: PMap, key: string): PNode | undefined {
  for (const [k, v] of map.entries) if (k === key) return v;
  return undefined;
}

/** Plain JSON of a node, for schema validation. */
export function toJSON(n: PNode): unknown {
  switch (n.t) {
    case "map": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of n.entries) o[k] = toJSON(v);
      return o;
    }
    case "seq":
      return n.items.map(toJSON);
    case "scalar":
      return n.value;
  }
}

/** The node at a JSON pointer-like path of keys and indexes. */
export function at(n: PNode, path: Array<string | number>): PNode | undefined {
  let cur: PNode | undefined = n;
  for (const seg of path) {
    if (!cur) return undefined;
    if (cur.t === "map") cur = get(cur, String(seg));
    else if (cur.t === "seq") cur = cur.items[Number(seg)];
    else return undefined;
  }
  return cur;
}
