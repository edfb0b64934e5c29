/**
 * The shared request tree (src/aws/requests) as an operator's `config` dict:
 * fixed text through templatedText (Jinja-safe, else literal()), the
 * pipeline's values through templated (Jinja where known only at run time).
 */
import type { Req } from "../../src/aws/requests/tree.js";
import { bool, list, num, str, type Py } from "./python/node.js";
import { templated, templatedText, type RefEnv } from "./values.js";

/**
 * The nodes of member names and fixed text, made once a DAG: every task's request repeats them (a
 * 10,000-task DAG's requests hold a million), and the planned tasks are all kept until the DAG is
 * printed. Py nodes are never changed once made, so one node may stand in many places.
 */
interface Made {
  keys: Map<string, Py>;
  consts: Map<Const, Py>;
}
type Const = string | number | boolean;
const madeFor = new WeakMap<RefEnv, Made>();

function once<K>(map: Map<K, Py>, key: K, make: (key: K) => Py): Py {
  let n = map.get(key);
  if (n === undefined) map.set(key, (n = make(key)));
  return n;
}

/** A constant's node, a number a float only when it has a fraction. */
const constant = (v: Const): Py => (typeof v === "string" ? templatedText(v) : typeof v === "number" ? num(v, !Number.isInteger(v)) : bool(v));

export function encode(env: RefEnv, r: Req<Py>): Py {
  let made = madeFor.get(env);
  if (made === undefined) madeFor.set(env, (made = { keys: new Map(), consts: new Map() }));
  return encodeWith(env, made, r);
}

function encodeWith(env: RefEnv, made: Made, r: Req<Py>): Py {
  switch (r.t) {
    case "const":
      // A number said to be a float (1.0) is made apart.
      return typeof r.value === "number" && r.float !== undefined ? num(r.value, r.float) : once(made.consts, r.value, constant);
    case "value":
      return templated(r.value, env, r.text);
    case "own":
      return r.value;
    case "list":
      return list(r.items.map((x) => encodeWith(env, made, x)));
    case "obj":
      // The dict node built here (dict() would copy the entries to make the keys' nodes).
      return { t: "dict", entries: r.entries.map(([key, x]): [Py, Py] => [once(made.keys, key, str), encodeWith(env, made, x)]) };
  }
}
