/** YAML text -> positioned tree, with YAML syntax errors as diagnostics. */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, Scalar, visit, type Alias, type Document, type Node } from "yaml";
import { error, type Diagnostic } from "../../diagnostics.js";
import type { Pos } from "../../ir/types.js";
import { INPUT_LIMITS } from "../limits.js";
import type { PNode } from "../pnode.js";
import { readPlainYaml } from "./fast.js";
import { deepestToken, PLAIN_TAGS } from "./plain.js";

export interface Loaded {
  root?: PNode;
  diagnostics: Diagnostic[];
  /** Comments by path (`steps.train`), kept for printing back. */
  comments: Map<string, string>;
}

/** Reading stops at the first of these: the tree would be too large or never end. */
class Abort extends Error {}

/** `comments: false`: the caller does not print the file back, so comments may be read as spaces (and `comments` stays empty). */
export function loadYaml(text: string, file: string, noun = "pipeline", cloudformation = false, opts: { comments?: boolean } = {}): Loaded {
  // Most files (every generated one) are plain block YAML, read directly; the rest by the library.
  const root = readPlainYaml(text, file, opts.comments === false);
  return root ? { root, diagnostics: [], comments: new Map() } : loadYamlFully(text, file, noun, cloudformation);
}

/**
 * The library's reading of any YAML, with its errors and warnings, comments kept.
 * `noun` is what the file holds, for messages (a state machine written in YAML is read here too).
 */
export function loadYamlFully(text: string, file: string, noun = "pipeline", cloudformation = false): Loaded {
  const lc = new LineCounter();
  const posOf = (offset: number): Pos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, col };
  };
  const diagnostics: Diagnostic[] = [];
  const comments = new Map<string, string>();
  // The composer recurses once per nesting level: measure the nesting on the
  // (iterative) parser's tokens first, so a deep file is an error, not a crash.
  const tokens = [...new Parser(lc.addNewLine).parse(text)];
  const deep = deepestToken(tokens, INPUT_LIMITS.maxDepth);
  if (deep !== undefined) {
    diagnostics.push(error(posOf(deep), `the file nests deeper than ${INPUT_LIMITS.maxDepth} levels`, { code: "input-too-deep" }));
    return { diagnostics, comments };
  }
  // Duplicate keys are found below with a set: the library's own check is
  // quadratic in the size of a map, which a 10,000-step pipeline feels.
  // Merge keys (`<<`) are refused below, so the composer must not apply them.
  const doc = composeOne(tokens, text.length, diagnostics, posOf, noun);
  // The document holds all it needs; the tokens go now, not at the end of reading.
  tokens.length = 0;
  if (!doc) return { diagnostics, comments };
  for (const e of doc.errors) {
    diagnostics.push(error(posOf(e.pos[0]), `malformed YAML: ${firstLine(e.message)}`, { code: "yaml-syntax" }));
  }
  for (const w of doc.warnings) {
    // An unknown tag is refused where it is used, below.
    if (w.code === "TAG_RESOLVE_FAILED") continue;
    diagnostics.push({ severity: "warning", pos: posOf(w.pos[0]), message: firstLine(w.message), code: "yaml-warning" });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics, comments };
  if (doc.contents === null) {
    diagnostics.push(error(posOf(0), `the file is empty; expected a ${noun}`, { code: "yaml-empty" }));
    return { diagnostics, comments };
  }
  if (doc.commentBefore) comments.set("", doc.commentBefore);

  // What each alias names: the last node before it with that anchor (one pass, in document order).
  const aliasTarget = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  // Without an anchor ('&') there is nothing to map: every alias names none (reported where it is met).
  if (text.includes("&")) {
    visit(doc, (_key, node) => {
      if (isAlias(node)) aliasTarget.set(node, anchors.get(node.source));
      else if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
    });
  }

  /** Nodes being expanded through an alias right now (a cycle names one of them again). */
  const expanding = new Set<Node>();
  const cyclic = new Set<Alias>();
  let aliasNodes = 0;
  /** Offset of the outermost alias being expanded: where a too-large expansion is reported. */
  let outermostAlias = 0;
  const fail = (offset: number, message: string, code: string, hint?: string): never => {
    diagnostics.push(error(posOf(offset), message, { code, hint }));
    throw new Abort();
  };

  const convert = (node: Node | null, path: string, depth: number, untagged = false): PNode => {
    if (node === null) return { t: "scalar", value: null, pos: posOf(0) };
    const start = node.range?.[0] ?? 0;
    if (depth > INPUT_LIMITS.maxDepth) fail(start, `the file nests deeper than ${INPUT_LIMITS.maxDepth} levels`, "input-too-deep");
    if (expanding.size > 0 && ++aliasNodes > INPUT_LIMITS.maxAliasNodes) {
      fail(outermostAlias, `aliases expand to more than ${INPUT_LIMITS.maxAliasNodes} values`, "yaml-alias-too-large", "an alias copies its anchor's whole value at every use; nested aliases multiply");
    }
    if (isAlias(node)) {
      const target = aliasTarget.get(node);
      if (!target) return fail(start, `the alias '*${node.source}' names no anchor before it`, "yaml-alias");
      if (expanding.has(target)) {
        // Reported once per alias in the file (it is met again at every expansion), and reading goes on.
        if (!cyclic.has(node)) diagnostics.push(error(posOf(start), `the alias '*${node.source}' is inside the value it names, which would never end`, { code: "yaml-alias-cycle" }));
        cyclic.add(node);
        return { t: "scalar", value: null, pos: posOf(start) };
      }
      if (expanding.size === 0) outermostAlias = start;
      expanding.add(target);
      try {
        return convert(target, path, depth);
      } finally {
        expanding.delete(target);
      }
    }
    const pos = posOf(start);
    const tag = untagged ? undefined : (node as { tag?: string }).tag;
    // A CloudFormation template's short forms are its functions' long forms (`!Ref X` is `{Ref: X}`).
    const long = cloudformation && tag ? CFN_SHORT_FORMS[tag.slice(1)] : undefined;
    if (long && tag?.startsWith("!")) {
      const inner = convert(node, path, depth + 1, true);
      // `!GetAtt A.b` is `{"Fn::GetAtt": ["A", "b"]}`.
      const value: PNode =
        long === "Fn::GetAtt" && inner.t === "scalar" && typeof inner.value === "string" && inner.value.includes(".")
          ? { t: "seq", items: [inner.value.slice(0, inner.value.indexOf(".")), inner.value.slice(inner.value.indexOf(".") + 1)].map((v) => ({ t: "scalar" as const, value: v, pos: inner.pos })), pos: inner.pos }
          : inner;
      // Written at its tag (`!Select [...]`), which comes just before the value.
      const tagAt = text.lastIndexOf(tag, start);
      return { t: "map", entries: [[long, value]], pos: tagAt >= 0 && start - tagAt < 1000 ? posOf(tagAt) : pos };
    }
    if (tag && !PLAIN_TAGS.has(tag)) {
      // The node starts at its value; the tag is written just before it.
      const tagAt = text.lastIndexOf(shortTag(tag), start);
      diagnostics.push(error(tagAt >= 0 && start - tagAt < 1000 ? posOf(tagAt) : pos, `the YAML tag '${shortTag(tag)}' is not supported: a ${noun} holds plain strings, numbers, booleans, lists and maps`, { code: "yaml-tag", hint: "quote the value to keep it as a string" }));
      return { t: "scalar", value: null, pos };
    }
    if (node.commentBefore) comments.set(path, node.commentBefore);
    if (isMap(node)) {
      const entries: Array<[string, PNode]> = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyAt = keyNode?.range?.[0] ?? start;
        const key = keyText(keyNode);
        if (key === undefined) {
          diagnostics.push(error(posOf(keyAt), `a key must be a plain string, not ${describeKey(keyNode)}`, { code: "yaml-key" }));
          continue;
        }
        if (isScalar(keyNode) && keyNode.type === Scalar.PLAIN && key === "<<") {
          diagnostics.push(error(posOf(keyAt), "merge keys ('<<') are not supported", { code: "yaml-merge", hint: "write the keys out, or use an alias (*name) for a whole value" }));
          continue;
        }
        if (seen.has(key)) {
          diagnostics.push(error(posOf(keyAt), `duplicate key '${key}'${path ? ` in '${path}'` : ""}`, { code: "yaml-duplicate-key" }));
          continue;
        }
        seen.add(key);
        const childPath = path ? `${path}.${key}` : key;
        if (isScalar(keyNode) && keyNode.commentBefore) comments.set(childPath, keyNode.commentBefore);
        const value = convert(pair.value as Node | null, childPath, depth + 1);
        if (pair.value === null && keyNode?.range) value.pos = posOf(keyNode.range[1]);
        if (keyNode?.range) value.keyPos = posOf(keyNode.range[0]);
        const trailing = (pair.value as Node | null)?.comment;
        if (trailing) comments.set(childPath + "#", trailing);
        entries.push([key, value]);
      }
      return { t: "map", entries, pos };
    }
    if (isSeq(node)) {
      return { t: "seq", items: node.items.map((it, i) => convert(it as Node, `${path}[${i}]`, depth + 1)), pos };
    }
    if (isScalar(node)) {
      const v = node.value;
      if (v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        diagnostics.push(error(pos, "this YAML value is not plain data (a string, number, boolean or null)", { code: "yaml-value", hint: "quote it to keep it as a string" }));
        return { t: "scalar", value: null, pos };
      }
      return scalar(node, text, posOf, pos);
    }
    return { t: "scalar", value: null, pos };
  };

  try {
    const root = convert(doc.contents as Node, "", 0);
    return { root, diagnostics, comments };
  } catch (e) {
    if (e instanceof Abort) return { diagnostics, comments };
    throw e;
  }
}

/** CloudFormation's short-form functions (`!Name`) and their long forms. */
const CFN_SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: "Ref",
  Condition: "Condition",
  ...Object.fromEntries(["And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "Length", "ToJsonString"].map((n) => [n, `Fn::${n}`])),
};

/** The first document of the tokens; a second one is an error. */
function composeOne(tokens: ReturnType<Parser["parse"]> extends Iterable<infer T> ? T[] : never, length: number, diagnostics: Diagnostic[], posOf: (o: number) => Pos, noun: string): Document.Parsed | undefined {
  const composer = new Composer({ uniqueKeys: false, merge: false });
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens, true, length)) {
    if (!doc) doc = d;
    else {
      diagnostics.push(error(posOf(d.range[0]), `the file holds more than one YAML document; a ${noun} is one`, { code: "yaml-syntax" }));
      break;
    }
  }
  return doc;
}

/** A key's text, or undefined when it is not a plain scalar (a list, a map, an alias, a tagged value). */
function keyText(key: Node | null): string | undefined {
  if (key === null) return "";
  if (!isScalar(key)) return undefined;
  if (key.tag && !PLAIN_TAGS.has(key.tag)) return undefined;
  const v = key.value;
  if (v === null) return "";
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function describeKey(key: Node | null): string {
  if (isMap(key)) return "a map";
  if (isSeq(key)) return "a list";
  if (isAlias(key)) return "an alias";
  const tag = (key as { tag?: string } | null)?.tag;
  return tag ? `a value tagged '${shortTag(tag)}'` : "this value";
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

function firstLine(s: string): string {
  return s.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

function scalar(node: Scalar, text: string, posOf: (o: number) => Pos, pos: Pos): PNode {
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(start, end);
  const v = node.value;
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
