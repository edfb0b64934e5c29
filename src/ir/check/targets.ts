/** Target-specific settings name a target we know of (a typo would otherwise be ignored by every backend). */
import { warning, type Diagnostic } from "../../diagnostics.js";
import { didYouMean } from "../../util/suggest.js";
import type { Pipeline, TargetBag } from "../types.js";

import { BUILTIN_TARGETS } from "../names.js";

/** A bag for another name is kept for third-party backends, with a warning. */
const KNOWN_TARGETS: readonly string[] = BUILTIN_TARGETS;

export function checkTargetBags(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (bag: TargetBag, where: string) => {
    for (const [name, b] of Object.entries(bag)) {
      if (!KNOWN_TARGETS.includes(name)) {
        out.push(warning(b.pos, `settings for unknown target '${name}' in ${where}${didYouMean(name, KNOWN_TARGETS)}`, {
          code: "target-unknown",
          hint: "only a backend of that name reads them",
        }));
      }
    }
  };
  visit(p.targets, "the pipeline");
  for (const s of p.steps) visit(s.targets, `step '${s.id}'`);
  return out;
}
