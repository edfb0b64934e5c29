/**
 * Exact Python literals. This is the only place a user's string becomes Python
 * source: quoted as ruff formats it, every character outside printable ASCII escaped
 * (`\xNN`, `\uNNNN`, `\UNNNNNNNN`, lone surrogates included), so the file is
 * pure ASCII and `ast.literal_eval` gives back the very same string.
 */

const SIMPLE: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** The escaped pieces of a string, one per character (so a long literal can be split between pieces). */
export function escapedUnits(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (SIMPLE[ch]) out.push(SIMPLE[ch]);
    else if (c >= 0x20 && c < 0x7f) out.push(ch);
    else if (c < 0x100) out.push("\\x" + hex(c, 2));
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out.push("\\U" + hex(s.codePointAt(i)!, 8));
      i++;
    } else out.push("\\u" + hex(c, 4));
  }
  return out;
}

/**
 * Escaped pieces as one literal, quoted as `ruff format` quotes it: double
 * quotes unless the text holds more `"` than `'` (the swap keeps every
 * piece's length, so a split is the same either way).
 */
export function quoteUnits(units: string[]): string {
  const doubles = units.filter((u) => u === '\\"').length;
  const singles = units.filter((u) => u === "'").length;
  if (doubles <= singles) return '"' + units.join("") + '"';
  return "'" + units.map((u) => (u === '\\"' ? '"' : u === "'" ? "\\'" : u)).join("") + "'";
}

/** Printable ASCII with nothing to escape: written as is, in double quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Whether `s` needs no escape: its literal is `s` in double quotes. */
export function isPlain(s: string): boolean {
  return PLAIN.test(s);
}

/** `s` as a Python `str` literal. */
export function pyString(s: string): string {
  // Most text needs no escape: the same literal without splitting it into pieces.
  if (PLAIN.test(s)) return '"' + s + '"';
  return quoteUnits(escapedUnits(s));
}

/** A number as Python source; `float` keeps `6.0` a float. Non-finite numbers have no literal. */
export function pyNumber(n: number, float: boolean): string {
  if (!Number.isFinite(n)) throw new Error(`no Python literal for ${n}`);
  if (Object.is(n, -0)) return float ? "-0.0" : "0";
  let s = String(n);
  if (/e/.test(s)) {
    // JS `1e+21` is Python `1e21` (a float); an integer that large is printed in full.
    if (!float && Number.isInteger(n)) s = BigInt(n).toString();
    else s = s.replace("e+", "e");
  } else if (float && !s.includes(".")) s += ".0";
  return s;
}
