/** Where each JSON path of a parsed file is written: the nearest node that exists, else the file's start. */
import { LineCounter, parseDocument, isNode } from "yaml";
import { at, type PNode } from "../../../src/frontends/pnode.js";
import type { Pos } from "../../../src/ir/types.js";

type JPath = Array<string | number>;

/** In JSON text: JSON is YAML, so the YAML parser gives offsets for every node. */
export function jsonPositions(file: string, text: string): (path: JPath) => Pos {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const lp = lc.linePos(node.range[0]);
        return { file, line: lp.line, col: lp.col };
      }
    }
    return { file, line: 1, col: 1 };
  };
}

/** In a positioned tree (a YAML file as the pipeline reader reads it). */
export function treePositions(root: PNode, file: string): (path: JPath) => Pos {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = at(root, path.slice(0, n));
      if (node) return node.pos;
    }
    return { file, line: 1, col: 1 };
  };
}
