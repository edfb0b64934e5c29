/** Reading intrinsic function calls (`States.Format(...)`) back into a small tree. */
import { FN_NAMES } from "../../../src/ir/expr/functions.js";

export type Intrinsic =
  | { t: "call"; name: string; args: Intrinsic[] }
  | { t: "str"; value: string; raw: string }
  | { t: "num"; value: number; text: string }
  | { t: "bool"; value: boolean }
  | { t: "null" }
  | { t: "path"; path: string };

/** Parse one intrinsic expression; undefined when the text is not one. */
export function parseIntrinsic(text: string): Intrinsic | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): Intrinsic | undefined => {
    ws();
    const c = text[i];
    if (c === "'") {
      let out = "";
      const start = ++i;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        out += text[i++];
      }
      if (text[i] !== "'") return undefined;
      const raw = text.slice(start, i++);
      return { t: "str", value: out, raw };
    }
    if (c === "$") {
      const start = i;
      let quote = false;
      while (i < text.length) {
        const d = text[i];
        if (quote) {
          if (d === "'") quote = false;
        } else if (d === "'") quote = true;
        else if (d === "," || d === ")" || /\s/.test(d)) break;
        i++;
      }
      return { t: "path", path: text.slice(start, i) };
    }
    const num = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { t: "num", value: Number(num[0]), text: num[0] };
    }
    const word = /^[A-Za-z][A-Za-z0-9.]*/.exec(text.slice(i));
    if (!word) return undefined;
    i += word[0].length;
    if (word[0] === "true" || word[0] === "false") return { t: "bool", value: word[0] === "true" };
    if (word[0] === "null") return { t: "null" };
    ws();
    if (text[i] !== "(") return undefined;
    i++;
    const args: Intrinsic[] = [];
    ws();
    if (text[i] === ")") {
      i++;
      return { t: "call", name: word[0], args };
    }
    for (;;) {
      const a = value();
      if (!a) return undefined;
      args.push(a);
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === ")") {
        i++;
        return { t: "call", name: word[0], args };
      }
      return undefined;
    }
  };
  const out = value();
  ws();
  return out && i === text.length ? out : undefined;
}

/** A States.Format template (raw, escapes kept) split at its `{}` placeholders, escapes removed. */
export function formatParts(tpl: string): string[] | undefined {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i];
    if (c === "\\" && i + 1 < tpl.length) cur += tpl[++i];
    else if (c === "{" && tpl[i + 1] === "}") {
      parts.push(cur);
      cur = "";
      i++;
    } else if (c === "{" || c === "}") return undefined;
    else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** The intrinsic as written (strings re-quoted from their raw text). */
export function printIntrinsic(n: Intrinsic): string {
  switch (n.t) {
    case "str":
      return `'${n.raw}'`;
    case "num":
      return n.text;
    case "bool":
      return String(n.value);
    case "null":
      return "null";
    case "path":
      return n.path;
    case "call":
      return `${n.name}(${n.args.map(printIntrinsic).join(", ")})`;
  }
}

/** What each intrinsic computes at run time, for refusals of those the IR's functions do not cover. */
const COMPUTES: Record<string, string> = {
  "States.Format": "text from a template",
  "States.StringToJson": "a value parsed from JSON text",
  "States.JsonToString": "the JSON text of a value",
  "States.Array": "a list",
  "States.ArrayPartition": "a list cut into chunks",
  "States.ArrayContains": "whether a list holds a value",
  "States.ArrayRange": "a list of numbers",
  "States.ArrayGetItem": "the item of a list at an index",
  "States.ArrayLength": "the length of a list",
  "States.ArrayUnique": "a list without duplicates",
  "States.Base64Encode": "Base64 text",
  "States.Base64Decode": "text decoded from Base64",
  "States.Hash": "a hash of text",
  "States.JsonMerge": "two objects merged",
  "States.MathRandom": "a random number",
  "States.MathAdd": "a sum",
  "States.StringSplit": "a list of the parts of a text",
  "States.UUID": "a random UUID",
};

/** Why an intrinsic call cannot be held, naming it as written. */
export function intrinsicRefusal(n: Intrinsic & { t: "call" }): string {
  const text = printIntrinsic(n);
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  const what = COMPUTES[n.name] ?? "a value";
  return `${shown}: intrinsic ${n.name} computes ${what} at run time, which the IR cannot hold: its expressions call only the functions ${FN_NAMES.map((f) => `${f}()`).join(", ")}`;
}
