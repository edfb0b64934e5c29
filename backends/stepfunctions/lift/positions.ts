/**
 * Where each JSON path of a parsed file is written: the nearest node that exists, else the file's start.
 * Members are found through an index a map (made when first asked): a machine's States map has one member
 * a state, and the lift asks a position for every value it reads, so a search through the members made
 * lifting a chain of 1,000 states quadratic (2.2 s of its 8).
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Node as YamlNode } from "yaml";
import type { PMap, PNode } from "../../../src/frontends/pnode.js";
import type { Pos } from "../../../src/ir/types.js";

type JPath = Array<string | number>;

/** A map's members by key, the first of a repeated key (as a search from the start finds it). */
function indexOf<K extends object, V>(cache: WeakMap<K, Map<string, V>>, map: K, pairs: () => Iterable<[string, V]>): Map<string, V> {
  let index = cache.get(map);
  if (!index) {
    index = new Map();
    for (const [k, v] of pairs()) if (!index.has(k)) index.set(k, v);
    cache.set(map, index);
  }
  return index;
}

/** In JSON text: JSON is YAML, so the YAML parser gives offsets for every node. */
export function jsonPositions(file: string, text: string): (path: JPath) => Pos {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const members = new WeakMap<object, Map<string, unknown>>();
  const child = (node: unknown, seg: string | number): unknown => {
    if (isMap(node)) return indexOf(members, node, () => node.items.flatMap((p) => (isScalar(p.key) ? [[String(p.key.value), p.value] as [string, unknown]] : []))).get(String(seg));
    // An index written as text too, as the parser's own lookup takes it.
    if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(String(seg))) return node.items[Number(seg)];
    return undefined;
  };
  return (path) => {
    // The deepest node on the path that exists.
    let found: YamlNode | undefined = isNode(doc.contents) && doc.contents.range ? doc.contents : undefined;
    let node: unknown = doc.contents;
    for (const seg of path) {
      node = child(node, seg);
      if (!isNode(node)) break;
      if (node.range) found = node;
    }
    if (!found?.range) return { file, line: 1, col: 1 };
    const lp = lc.linePos(found.range[0]);
    return { file, line: lp.line, col: lp.col };
  };
}

/** In a positioned tree (a YAML file as the pipeline reader reads it). */
export function treePositions(root: PNode, file: string): (path: JPath) => Pos {
  const members = new WeakMap<PMap, Map<string, PNode>>();
  return (path) => {
    let found: PNode = root;
    let node: PNode | undefined = root;
    for (const seg of path) {
      if (node.t === "map") {
        const map: PMap = node;
        node = indexOf(members, map, () => map.entries).get(String(seg));
      } else node = node.t === "seq" ? node.items[Number(seg)] : undefined;
      if (!node) break;
      found = node;
    }
    return found.pos ?? { file, line: 1, col: 1 };
  };
}
