/**
 * `--param k=v` values, checked against the pipeline's parameters and typed
 * (for targets whose execution input is JSON).
 */
import type { Parameter, Pipeline } from "../ir/types.js";
import { fail } from "./errors.js";

export type ParamValue = string | number | boolean;

function typed(x: Parameter, text: string): ParamValue {
  switch (x.type) {
    case "integer":
      if (!/^[+-]?[0-9]+$/.test(text)) fail(`parameter '${x.name}' is an integer, not '${text}'`);
      return Number(text);
    case "float": {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n)) fail(`parameter '${x.name}' is a number, not '${text}'`);
      return n;
    }
    case "boolean":
      if (text !== "true" && text !== "false") fail(`parameter '${x.name}' is true or false, not '${text}'`);
      return text === "true";
    default:
      return text;
  }
}

/** The given parameters, typed; unknown names, bad values and values outside an enum are errors. */
export function typedParams(p: Pipeline, given: Record<string, string>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(given).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const x = p.parameters.find((q) => q.name === name);
    if (!x) fail(`unknown parameter '${name}' for pipeline '${p.name}'`, p.parameters.length ? `parameters: ${p.parameters.map((q) => q.name).join(", ")}` : "the pipeline has no parameters");
    const v = typed(x, given[name]);
    if (x.enum && !x.enum.some((e) => e === v)) fail(`parameter '${name}' must be one of ${x.enum.map((e) => JSON.stringify(e)).join(", ")}, not ${JSON.stringify(v)}`);
    out[name] = v;
  }
  const missing = p.parameters.filter((x) => x.default === undefined && !(x.name in out)).map((x) => x.name);
  if (missing.length) fail(`parameter${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} ha${missing.length > 1 ? "ve" : "s"} no default; give ${missing.length > 1 ? "them" : "it"} with --param name=value`);
  return out;
}
