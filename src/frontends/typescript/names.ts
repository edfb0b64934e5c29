/** Variable names for printed TypeScript: steps named after their ids, clear of the DSL's names and reserved words. */
import { BUILDER_KINDS } from "./dsl-names.js";

const RESERVED = new Set([
  // DSL exports the printer may import, and the foreach parameter.
  ...Object.keys(BUILDER_KINDS),
  ...["pipeline", "params", "foreach", "fmt", "join", "expr", "execution", "failure", "lt", "lte", "gt", "gte", "eq", "ne", "and", "or", "not", "isIn", "item", "mapItem"],
  // JavaScript reserved and strict-mode words.
  ..."break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity".split(" "),
]);

export function camelCase(id: string): string {
  const camel = id.replace(/(?<=[A-Za-z0-9])[-_]+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/-/g, "_");
  return camel[0].toLowerCase() + camel.slice(1);
}

/** One variable per step id (in order), and the name of the parameters object. */
export function stepVariableNames(ids: string[]): { vars: Map<string, string>; params: string } {
  const used = new Set(RESERVED);
  const params = "p";
  used.add(params);
  const vars = new Map<string, string>();
  for (const id of ids) {
    let name = camelCase(id);
    if (used.has(name)) name = `${name}Step`;
    for (let k = 2; used.has(name); k++) name = `${camelCase(id)}Step${k}`;
    used.add(name);
    vars.set(id, name);
  }
  return { vars, params };
}
