/** The ASL file being lifted: parsed JSON with a line/column for every JSON path. */
import { LineCounter, parseDocument, isNode } from "yaml";
import type { Pos } from "../../../src/ir/types.js";
import { parseLocated } from "../../sagemaker/lift/jsonpos.js";
import { substitutionHint } from "../../../src/backend/substitute.js";

export type JPath = Array<string | number>;

export interface Source {
  file: string;
  json: unknown;
  pos(path: JPath): Pos;
}

/** JSON is YAML, so the YAML parser gives offsets for every node. */
export function readSource(file: string, text: string): Source | { error: string; pos: Pos; hint?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse does not say where (and its wording varies with the engine); the located parser names the place.
    const located = parseLocated(text, file);
    if ("error" in located) {
      // A template (Terraform, SAM) with a substitution where a number or object goes is JSON only once filled in.
      const line = text.split("\n")[located.pos.line - 1] ?? "";
      const sub = /^\$\{[^{}]*\}/.exec(line.slice(located.pos.col - 1))?.[0];
      const why = sub ? `'${sub}' is a deployment-time substitution outside a string; the file is JSON only once it is filled in` : located.error;
      return { error: `not JSON: ${why}`, pos: located.pos, ...(sub ? { hint: substitutionHint(sub) } : {}) };
    }
    return { error: `not JSON: ${(e as Error).message}`, pos: { file, line: 1, col: 1 } };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const pos = (path: JPath): Pos => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const lp = lc.linePos(node.range[0]);
        return { file, line: lp.line, col: lp.col };
      }
    }
    return { file, line: 1, col: 1 };
  };
  return { file, json, pos };
}

/** `$.States['a b'].Parameters` style, for messages. */
export function showPath(path: JPath): string {
  return "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `['${p.replace(/'/g, "\\'")}']`)).join("");
}
