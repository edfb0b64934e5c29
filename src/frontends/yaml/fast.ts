/**
 * A direct reader for the plain block style most pipeline files (and every generated
 * one) are written in: indented maps and lists, one-line `{ }` and `[ ]`, plain and
 * quoted one-line scalars without escapes. It gives the same tree, positions included,
 * as the full reader in load.ts, several times faster and without the library's
 * syntax tree and document in memory. Anything else it meets (comments, anchors,
 * aliases, tags, block scalars, multi-line values, empty values, escapes, keys that
 * are not plain words, anything the library would warn or fail about) makes it give
 * up, and the full reader reads the file: every error and warning comes from there.
 */
import type { Pos } from "../../ir/types.js";
import type { PMap, PNode, PScalar, PSeq } from "../pnode.js";

// Memory: every node is made with its `keyPos` slot, so setting it does not grow the
// object, and a collection's entries or items gather on one stack shared by all
// collections, then are copied out at their exact length once read (a list grown by
// `push` keeps room for 17 items); the tree of a 10,000-step file is some 200,000 nodes.
// Readers return their node and leave where they ended in a variable, not in a pair:
// a pair per node is as much garbage again.

/** Thrown to give the file to the full reader. */
const GIVE_UP: unique symbol = Symbol("give up");

/** Far below the full reader's nesting bound, so a deep file is always reported there. */
const MAX_DEPTH = 64;

/** Characters outside this reader's subset anywhere in the file (comments, tabs, CR, BOM, control characters). */
const OUTSIDE = /[#\t\r\ufeff\x00-\x08\x0b-\x1f\x7f]/;
/** A plain key: a word that the core schema reads as a string (no digit, sign or dot first). */
const KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;
const NON_STRING_KEYS = new Set(["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"]);
// The core schema's tests (yaml/dist/schema/core): a plain scalar is the first of these it matches, else a string.
const MAYBE_NOT_STRING = /^[~nNtTfF0-9+.-]/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OTHER_INT = /^0o[0-7]+$|^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const SPACE = 32;
const NL = 10;

/** Offsets in a one-line value spelled verbatim from column `col` of `line`. */
function posAtFrom(file: string, line: number, col: number): (offset: number) => Pos {
  return (offset) => ({ file, line, col: col + offset });
}

/** Whether `key` is among `entries` from `from` on (a map being read). */
function hasKeyFrom(entries: ReadonlyArray<[string, PNode]>, from: number, key: string): boolean {
  for (let i = from; i < entries.length; i++) if (entries[i][0] === key) return true;
  return false;
}

/** The keys of `entries` from `from` on: a long map is indexed, not searched at every key. */
function keySetFrom(entries: ReadonlyArray<[string, PNode]>, from: number): Set<string> {
  const keys = new Set<string>();
  for (let i = from; i < entries.length; i++) keys.add(entries[i][0]);
  return keys;
}

/** Characters before which a quote may open a quoted scalar (or at the start of a line's content): a superset of YAML's. */
const QUOTE_AFTER = " [{,:?-";

/**
 * The text with each comment (from its `#` to the end of the line) written over with spaces, so every
 * offset, line and column stays; undefined where a line cannot be told apart so simply (a quote open at
 * its end, an escape in a double-quoted scalar). A `#` is a comment at the start of a line's content or
 * after a space, outside quotes. Where unsure, a quote counts as open, so its `#` stays, and the reader
 * then gives up on it: a comment is never taken for a value's text.
 */
function blankComments(text: string): string | undefined {
  let out = "";
  let from = 0;
  // Line by line, from each line holding a `#` to the next: linear in the text.
  for (let hash = text.indexOf("#"); hash >= 0; ) {
    const start = text.lastIndexOf("\n", hash) + 1;
    const nl = text.indexOf("\n", hash);
    const end = nl < 0 ? text.length : nl;
    let quote = "";
    let comment = -1;
    for (let i = start; i < end && comment < 0; i++) {
      const c = text[i];
      if (quote === '"') {
        if (c === "\\") return undefined;
        if (c === '"') quote = "";
      } else if (quote === "'") {
        // Two quotes are one quote in the text.
        if (c === "'" && text[i + 1] === "'") i++;
        else if (c === "'") quote = "";
      } else if (c === '"' || c === "'") {
        const before = text.slice(start, i).trimEnd();
        if (!before || QUOTE_AFTER.includes(text[i - 1]) || QUOTE_AFTER.includes(before[before.length - 1])) quote = c;
      } else if (c === "#" && (i === start || text[i - 1] === " ")) comment = i;
    }
    if (quote) return undefined;
    if (comment >= 0) {
      out += text.slice(from, comment) + " ".repeat(end - comment);
      from = end;
    }
    hash = nl < 0 ? -1 : text.indexOf("#", end + 1);
  }
  return from ? out + text.slice(from) : text;
}

/**
 * The tree of `text`, or undefined when the file is outside this reader's subset. With `skipComments`, comments are
 * read as spaces (for a caller that does not print the file back, which needs the library's comments).
 */
export function readPlainYaml(text: string, file: string, skipComments = false): PNode | undefined {
  if (skipComments && text.includes("#")) {
    const blanked = blankComments(text);
    if (blanked === undefined) return undefined;
    text = blanked;
  }
  if (OUTSIDE.test(text)) return undefined;
  const n = text.length;
  /** Start of the line holding the cursor, and its number (1-based). */
  let lineStart = 0;
  let line = 1;
  const posOf = (offset: number): Pos => ({ file, line, col: offset - lineStart + 1 });
  const give = (): never => {
    throw GIVE_UP;
  };
  /** Entries and items of the collections being read, innermost last (see the note on memory above). */
  const entryStack: Array<[string, PNode]> = [];
  const itemStack: PNode[] = [];
  /** Offset just past the value `inline`, `flow` or `quoted` read last. */
  let past = 0;
  /** Indent of the content line after the block node read last (-1 at the end). */
  let nextIndent = -1;
  /** Gives `key` to the map whose entries start at `from`, unless it has it already; `keys` indexes a long map. */
  const addKey = (from: number, key: string, keys: Set<string> | undefined): Set<string> | undefined => {
    if (entryStack.length - from < 16) {
      if (hasKeyFrom(entryStack, from, key)) give();
      return keys;
    }
    keys ??= keySetFrom(entryStack, from);
    if (keys.has(key)) give();
    return keys.add(key);
  };
  /** The entries or items from `from` on, as the collection's own array; the stack drops them. */
  const take = <T>(stack: T[], from: number): T[] => {
    const own = stack.slice(from);
    stack.length = from;
    return own;
  };

  /** Offset of the end of the line from `i` (its newline, or the end of the text). */
  const eol = (i: number): number => {
    const e = text.indexOf("\n", i);
    return e < 0 ? n : e;
  };
  /** Past the spaces from `i`. */
  const skipSpaces = (i: number): number => {
    while (i < n && text.charCodeAt(i) === SPACE) i++;
    return i;
  };
  /** The first content line from the line that starts at `from`: sets lineStart and line, returns its indent (-1 at the end). */
  const nextContent = (from: number): number => {
    let s = from;
    while (s < n) {
      const c = skipSpaces(s);
      if (c >= n) return -1;
      if (text.charCodeAt(c) !== NL) {
        lineStart = s;
        const indent = c - s;
        // Document markers and directives.
        if (indent === 0 && (text.startsWith("---", c) || text.startsWith("...", c) || text.charCodeAt(c) === 37)) give();
        return indent;
      }
      s = c + 1;
      line++;
    }
    return -1;
  };
  /** After a value ending at `i`: only spaces may follow on the line; moves to the next content line and returns its indent. */
  const endLine = (i: number): number => {
    i = skipSpaces(i);
    if (i < n && text.charCodeAt(i) !== NL) give();
    if (i >= n) return -1;
    line++;
    return nextContent(i + 1);
  };
  /** Offset just past the key that starts at `i` (at its ':'), or -1 when the line does not start with a plain key. */
  const keyEnd = (i: number): number => {
    let j = i;
    for (;;) {
      const c = text.charCodeAt(j);
      // A-Z a-z 0-9 _ . / -
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45) j++;
      else break;
    }
    if (j === i || text.charCodeAt(j) !== 58) return -1;
    const after = j + 1 < n ? text.charCodeAt(j + 1) : NL;
    return after === SPACE || after === NL ? j : -1;
  };
  /** Keys seen so far, each kept once however often it is used. */
  const keys = new Map<string, string>();
  const keyText = (i: number, j: number): string => {
    const key = text.slice(i, j);
    const known = keys.get(key);
    if (known !== undefined) return known;
    if (!KEY.test(key) || NON_STRING_KEYS.has(key) || key.length > 500) give();
    keys.set(key, key);
    return key;
  };

  /**
   * String values seen so far, each kept once: most values of a large file repeat
   * (`processing`, an image, an output path), and one string per use is as many
   * objects again in the tree. A value seen once costs an entry, so only the first
   * few thousand distinct values are kept, and only short ones.
   */
  const values = new Map<string, string>();
  const same = (v: string): string => {
    if (v.length > 80) return v;
    const known = values.get(v);
    if (known !== undefined) return known;
    if (values.size < 4096) values.set(v, v);
    return v;
  };

  /** A plain scalar's value as the core schema reads it. */
  const plain = (start: number, raw: string, pos: Pos): PScalar => {
    // Only these start anything but a string: '~', n/N (null), t/T/f/F (booleans), digits, signs and '.' (numbers).
    if (!MAYBE_NOT_STRING.test(raw)) return plainString(start, raw, pos);
    if (NULL.test(raw)) return { t: "scalar", value: null, pos, keyPos: undefined };
    if (BOOL.test(raw)) return { t: "scalar", value: raw[0] === "t" || raw[0] === "T", pos, keyPos: undefined };
    if (OTHER_INT.test(raw) || FLOAT_SPECIAL.test(raw)) give();
    let v: number | undefined;
    if (INT.test(raw)) v = parseInt(raw, 10);
    else if (FLOAT_EXP.test(raw) || FLOAT.test(raw)) v = parseFloat(raw);
    if (v !== undefined) {
      if (!Number.isFinite(v)) give();
      return { t: "scalar", value: v, float: /[.eE]/.test(raw) || !Number.isInteger(v), pos, keyPos: undefined };
    }
    return plainString(start, raw, pos);
  };
  // Offsets in a plain string are needed only for an expression: the builder reads the
  // start of any other string from `pos`, which is where a plain one starts.
  const plainString = (start: number, raw: string, pos: Pos): PScalar =>
    raw.includes("${{") ? stringScalar(start, same(raw), pos) : { t: "scalar", value: same(raw), pos, keyPos: undefined };
  const stringScalar = (base: number, v: string, pos: Pos): PScalar => ({ t: "scalar", value: v, pos, posAt: posAtFrom(file, line, base - lineStart + 1), keyPos: undefined });
  /** A quoted scalar at `i` (a quote), on one line and without escapes; sets `past`. */
  const quoted = (i: number): PScalar => {
    const q = text[i];
    const close = text.indexOf(q, i + 1);
    if (close < 0) give();
    const v = same(text.slice(i + 1, close));
    if (v.includes("\n") || (q === '"' && v.includes("\\")) || (q === "'" && text[close + 1] === "'")) give();
    past = close + 1;
    return stringScalar(i + 1, v, posOf(i));
  };
  /** May a plain scalar start with the character at `i`? (Not an indicator; '-' only before a letter, digit, dot or '-'.) */
  const plainStart = (i: number): boolean => {
    if (i >= n) return false;
    const c = text[i];
    // `--input-data`, a command-line option, is a plain scalar as well.
    if (c === "-") return /[A-Za-z0-9.-]/.test(text[i + 1] ?? "");
    return !"?:,[]{}#&*!|>'\"%@` \n".includes(c);
  };

  /** A value on the rest of the line from `i` (a scalar or a one-line flow collection); sets `past`. */
  const inline = (i: number, depth: number): PNode => {
    const c = text[i];
    if (c === '"' || c === "'") return quoted(i);
    if (c === "{" || c === "[") return flow(i, depth);
    if (!plainStart(i)) give();
    const e = eol(i);
    let end = e;
    while (end > i && text.charCodeAt(end - 1) === SPACE) end--;
    const raw = text.slice(i, end);
    // ': ' inside or ':' at the end would make it a key.
    if (raw.includes(": ") || raw.endsWith(":")) give();
    past = end;
    return plain(i, raw, posOf(i));
  };

  /** A flow collection on one line from `i` (its bracket); sets `past`. */
  const flow = (i: number, depth: number): PNode => {
    if (depth > MAX_DEPTH) give();
    const isMap = text[i] === "{";
    const closer = isMap ? "}" : "]";
    const pos = posOf(i);
    const from = isMap ? entryStack.length : itemStack.length;
    let keys: Set<string> | undefined;
    let j = skipSpaces(i + 1);
    if (text[j] === closer) give();
    for (;;) {
      let keyPos: Pos | undefined;
      let key = "";
      if (isMap) {
        const k = keyEnd(j);
        if (k < 0) give();
        key = keyText(j, k);
        keys = addKey(from, key, keys);
        keyPos = posOf(j);
        j = skipSpaces(k + 1);
      }
      let value: PNode;
      const c = text[j];
      if (c === '"' || c === "'") {
        value = quoted(j);
        j = past;
      } else if (c === "{" || c === "[") {
        value = flow(j, depth + 1);
        j = past;
      } else {
        if (!plainStart(j)) give();
        let e = j;
        for (;;) {
          const ch = text.charCodeAt(e);
          // End of line, ',', '[', ']', '{', '}'.
          if (e >= n || ch === NL || ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break;
          // ':' before a space or a flow indicator ends an implicit key: not for this reader.
          if (ch === 58) {
            const next = text.charCodeAt(e + 1);
            if (next === SPACE || next === 44 || next === 91 || next === 93 || next === 123 || next === 125 || e + 1 >= n || next === NL) give();
          }
          e++;
        }
        let end = e;
        while (end > j && text.charCodeAt(end - 1) === SPACE) end--;
        value = plain(j, text.slice(j, end), posOf(j));
        j = e;
      }
      if (isMap) {
        value.keyPos = keyPos;
        entryStack.push([key, value]);
      } else itemStack.push(value);
      j = skipSpaces(j);
      const d = text[j];
      if (d === closer) break;
      if (d !== ",") give();
      j = skipSpaces(j + 1);
      // A trailing comma, or the collection going on past the line.
      if (j >= n || text[j] === closer || text.charCodeAt(j) === NL) give();
    }
    past = j + 1;
    return isMap ? { t: "map", entries: take(entryStack, from), pos, keyPos: undefined } : { t: "seq", items: take(itemStack, from), pos, keyPos: undefined };
  };

  /** Is the content at `i` a block list item ('-' then a space or the end of the line)? */
  const isDash = (i: number): boolean => text.charCodeAt(i) === 45 && (i + 1 >= n || text.charCodeAt(i + 1) === SPACE || text.charCodeAt(i + 1) === NL);

  // Block readers return the node and set `nextIndent`.

  /** The value after `key:` at the end of its line, the key being at `indent`: a nested block. */
  const nestedValue = (afterColon: number, indent: number, depth: number, inMap: boolean): PNode => {
    line++;
    const next = nextContent(afterColon + 1);
    const at = lineStart + next;
    if (next > indent) return isDash(at) ? blockSeq(next, depth + 1) : blockMap(next, at, depth + 1);
    // A list at the key's own indent is the value of a key in a map.
    if (inMap && next === indent && isDash(at)) return blockSeq(next, depth + 1);
    // An empty value.
    return give();
  };

  /** A block map whose keys are at `indent`, the first at offset `first` on the current line. */
  const blockMap = (indent: number, first: number, depth: number): PNode => {
    if (depth > MAX_DEPTH) give();
    const pos = posOf(first);
    const from = entryStack.length;
    let keys: Set<string> | undefined;
    let i = first;
    for (;;) {
      const k = keyEnd(i);
      if (k < 0) give();
      const key = keyText(i, k);
      keys = addKey(from, key, keys);
      const keyPos = posOf(i);
      const v = skipSpaces(k + 1);
      let value: PNode;
      let next: number;
      if (v >= n || text.charCodeAt(v) === NL) {
        value = nestedValue(v, indent, depth, true);
        next = nextIndent;
      } else {
        value = inline(v, depth + 1);
        next = endLine(past);
      }
      value.keyPos = keyPos;
      entryStack.push([key, value]);
      if (next !== indent || isDash(lineStart + next)) {
        // More indented than a sibling key: a continuation or a mistake, for the full reader.
        if (next > indent) give();
        nextIndent = next;
        return { t: "map", entries: take(entryStack, from), pos, keyPos: undefined } satisfies PMap;
      }
      i = lineStart + next;
    }
  };

  /** A block list whose dashes are at `indent`, the first on the current line. */
  const blockSeq = (indent: number, depth: number): PNode => {
    if (depth > MAX_DEPTH) give();
    const pos = posOf(lineStart + indent);
    const from = itemStack.length;
    for (;;) {
      const dash = lineStart + indent;
      const v = skipSpaces(dash + 1);
      let value: PNode;
      let next: number;
      if (v >= n || text.charCodeAt(v) === NL) {
        value = nestedValue(v, indent, depth, false);
        next = nextIndent;
      } else if (isDash(v)) throw GIVE_UP;
      else if (keyEnd(v) >= 0) {
        value = blockMap(v - lineStart, v, depth + 1);
        next = nextIndent;
      } else {
        value = inline(v, depth + 1);
        next = endLine(past);
      }
      itemStack.push(value);
      if (next !== indent || !isDash(lineStart + next)) {
        if (next > indent) give();
        nextIndent = next;
        return { t: "seq", items: take(itemStack, from), pos, keyPos: undefined } satisfies PSeq;
      }
    }
  };

  try {
    const indent = nextContent(0);
    if (indent !== 0) return undefined;
    const root = isDash(lineStart) ? blockSeq(0, 0) : blockMap(0, lineStart, 0);
    return nextIndent === -1 ? root : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
