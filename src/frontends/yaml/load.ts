/** YAML text -> positioned tree, with YAML syntax errors as diagnostics. */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node } from "yaml";
import { error, type Diagnostic } from "../../diagnostics.js";
import type { Pos } from "../../ir/types.js";
import type { PNode } from "../pnode.js";

export interface Loaded {
  root?: PNode;
  diagnostics: Diagnostic[];
  /** Comments by path (`steps.train`), kept for printing back. */
  comments: Map<string, string>;
}

export function loadYaml(text: string, file: string): Loaded {
  const lc = new LineCounter();
  // Duplicate keys are found below with a set: the library's own check is
  // quadratic in the size of a map, which a 10,000-step pipeline feels.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const posOf = (offset: number): Pos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    diagnostics.push(error(posOf(e.pos[0]), `malformed YAML: ${firstLine(e.message)}`, { code: "yaml-syntax" }));
  }
  for (const w of doc.warnings) {
    diagnostics.push({ severity: "warning", pos: posOf(w.pos[0]), message: firstLine(w.message), code: "yaml-warning" });
  }
  const comments = new Map<string, string>();
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics, comments };
  if (doc.contents === null) {
    diagnostics.push(error(posOf(0), "the file is empty; expected a pipeline", { code: "yaml-empty" }));
    return { diagnostics, comments };
  }
  if (doc.commentBefore) comments.set("", doc.commentBefore);

  const convert = (node: Node | null, path: string): PNode => {
    if (node === null) return { t: "scalar", value: null, pos: posOf(0) };
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return convert((target ?? null) as Node | null, path);
    }
    const start = node.range?.[0] ?? 0;
    const pos = posOf(start);
    if (node.commentBefore) comments.set(path, node.commentBefore);
    if (isMap(node)) {
      const entries: Array<[string, PNode]> = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (seen.has(key)) {
          diagnostics.push(error(posOf(keyNode?.range?.[0] ?? start), `duplicate key '${key}'${path ? ` in '${path}'` : ""}`, { code: "yaml-duplicate-key" }));
          continue;
        }
        seen.add(key);
        const childPath = path ? `${path}.${key}` : key;
        if (isScalar(keyNode) && keyNode.commentBefore) comments.set(childPath, keyNode.commentBefore);
        const value = convert(pair.value as Node | null, childPath);
        if (pair.value === null && keyNode?.range) value.pos = posOf(keyNode.range[1]);
        if (keyNode?.range) value.keyPos = posOf(keyNode.range[0]);
        const trailing = (pair.value as Node | null)?.comment;
        if (trailing) comments.set(childPath + "#", trailing);
        entries.push([key, value]);
      }
      return { t: "map", entries, pos };
    }
    if (isSeq(node)) {
      return { t: "seq", items: node.items.map((it, i) => convert(it as Node, `${path}[${i}]`)), pos };
    }
    if (isScalar(node)) return scalar(node, text, posOf);
    return { t: "scalar", value: null, pos };
  };

  return { root: convert(doc.contents as Node, ""), diagnostics, comments };
}

function firstLine(s: string): string {
  return s.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

function scalar(node: Scalar, text: string, posOf: (o: number) => Pos): PNode {
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(start, end);
  const v = node.value;
  const pos = posOf(start);
  if (typeof v === "number") {
    return { t: "scalar", value: v, float: /[.eE]/.test(raw) || !Number.isInteger(v), pos };
  }
  if (typeof v === "boolean" || v === null) return { t: "scalar", value: v as boolean | null, pos };
  if (typeof v !== "string") return { t: "scalar", value: String(v), pos };
  // Map offsets in the value to offsets in the source: exact when the source
  // spells the value verbatim (plain or quoted without escapes), else by search.
  let base = -1;
  if (node.type === Scalar.PLAIN && raw === v) base = start;
  else if ((node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && raw.slice(1, -1) === v) base = start + 1;
  const posAt = (offset: number): Pos => {
    if (base >= 0) return posOf(base + offset);
    const lineStart = v.lastIndexOf("\n", offset - 1) + 1;
    const lineEnd = v.indexOf("\n", offset);
    const piece = v.slice(offset, lineEnd < 0 ? undefined : lineEnd);
    const before = v.slice(lineStart, offset);
    const found = piece ? raw.indexOf(before + piece) : -1;
    return found >= 0 ? posOf(start + found + before.length) : pos;
  };
  return { t: "scalar", value: v, pos, posAt };
}
