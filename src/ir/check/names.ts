/** Names that no target can accept are refused; names some target rejects get a warning. */
import { error, warning, type Diagnostic } from "../../diagnostics.js";
import { copyName, IDENTIFIER, NAME_RULES, targetsAccepting, type NameRule } from "../names.js";
import type { Pipeline, Pos } from "../types.js";

function checkName(what: NameRule["what"], name: string, pos: Pos, out: Diagnostic[]): void {
  if (what !== "pipeline" && !IDENTIFIER.test(name)) {
    out.push(error(pos, `${what === "step" ? "step id" : "parameter name"} '${name}' is not a valid name`, {
      code: "name-invalid",
      hint: "names start with a letter or '_' and hold only letters, digits, '_' and '-', so expressions can refer to them",
    }));
    return;
  }
  const all = [...new Set(NAME_RULES.filter((r) => r.what === what).map((r) => r.target))];
  const ok = targetsAccepting(what, name);
  if (ok.length === 0) {
    out.push(error(pos, `${what} name '${name}' is accepted by no target`, {
      code: "name-invalid",
      hint: NAME_RULES.filter((r) => r.what === what).map((r) => `${r.target}: ${r.source}, at most ${r.maxLength} characters`).join("; "),
    }));
  } else if (ok.length < all.length) {
    const rejecting = all.filter((t) => !ok.includes(t));
    out.push(warning(pos, `${what} name '${name}' is not accepted as-is by ${rejecting.join(", ")}; that backend renames it or refuses it`, { code: "name-target" }));
  }
}

export function checkNames(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkName("pipeline", p.name, p.pos, out);
  for (const s of p.steps) checkName("step", s.id, s.pos, out);
  for (const prm of p.parameters) checkName("parameter", prm.name, prm.pos, out);
  // Foreach copies are named `<id>_<n>` on every target: a step may not take such a name.
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  for (const s of p.steps) {
    for (let i = 0; s.foreach && i < s.foreach.items.length; i++) {
      const name = copyName(s.id, i);
      const other = byId.get(name);
      if (other) {
        out.push(error(other.pos, `step id '${name}' is the name of copy ${i} of foreach step '${s.id}' on every target`, { code: "name-copy", hint: `rename step '${name}' or '${s.id}'` }));
      }
    }
  }
  return out;
}
