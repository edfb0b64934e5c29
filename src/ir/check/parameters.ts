/** Parameter defaults and enums fit their declared type. */
import { error, type Diagnostic } from "../../diagnostics.js";
import type { Parameter, Pipeline } from "../types.js";

function fits(type: Parameter["type"], v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "float":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

export function checkParameters(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const prm of p.parameters) {
    // An unknown type is reported where it is written; its values cannot be judged against it.
    if (!["string", "integer", "float", "boolean"].includes(prm.type)) continue;
    for (const e of prm.enum ?? []) {
      if (!fits(prm.type, e)) out.push(error(prm.pos, `enum value ${JSON.stringify(e)} of parameter '${prm.name}' is not ${article(prm.type)}`, { code: "param-enum-type" }));
    }
    if (prm.default === undefined) continue;
    if (!fits(prm.type, prm.default)) {
      out.push(error(prm.default_pos ?? prm.pos, `default ${JSON.stringify(prm.default)} of parameter '${prm.name}' is not ${article(prm.type)}`, { code: "param-default-type" }));
    } else if (prm.enum && !prm.enum.includes(prm.default)) {
      out.push(error(prm.default_pos ?? prm.pos, `default ${JSON.stringify(prm.default)} of parameter '${prm.name}' is not one of its enum values`, {
        code: "param-default-enum",
        hint: `allowed: ${prm.enum.map((e) => JSON.stringify(e)).join(", ")}`,
      }));
    }
  }
  return out;
}
