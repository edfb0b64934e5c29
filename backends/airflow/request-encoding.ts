/**
 * The shared request tree (src/aws/requests) as an operator's `config` dict:
 * fixed text through templatedText (Jinja-safe, else literal()), the
 * pipeline's values through templated (Jinja where known only at run time).
 */
import type { Req } from "../../src/aws/requests/tree.js";
import { bool, dict, list, num, type Py } from "./python/node.js";
import { templated, templatedText, type RefEnv } from "./values.js";

export function encode(env: RefEnv, r: Req<Py>): Py {
  switch (r.t) {
    case "const":
      return typeof r.value === "string" ? templatedText(r.value) : typeof r.value === "number" ? num(r.value, r.float ?? !Number.isInteger(r.value)) : bool(r.value);
    case "value":
      return templated(r.value, env, r.text);
    case "own":
      return r.value;
    case "list":
      return list(r.items.map((x) => encode(env, x)));
    case "obj":
      return dict(r.entries.map(([key, x]) => [key, encode(env, x)]));
  }
}
