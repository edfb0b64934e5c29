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

export function checkParameters(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const prm of p.parameters) {
    for (const e of prm.enum ?? []) {
      if (!fits(prm.type, e)) out.push(error(prm.pos, `enum value ${JSON.stringify(e)} of parameter '${prm.name}' is not a ${prm.type}`, { code: "param-enum-type" }));
    }
    if (prm.default === undefined) continue;
    if (!fits(prm.type, prm.default)) {
      out.push(error(prm.pos, `default ${JSON.stringify(prm.default)} of parameter '${prm.name}' is not a ${prm.type}`, { code: "param-default-type" }));
    } else if (prm.enum && !prm.enum.includes(prm.default)) {
      out.push(error(prm.pos, `default ${JSON.stringify(prm.default)} of parameter '${prm.name}' is not one of its enum values`, {
        code: "param-default-enum",
        hint: `allowed: ${prm.enum.map((e) => JSON.stringify(e)).join(", ")}`,
      }));
    }
  }
  return out;
}
