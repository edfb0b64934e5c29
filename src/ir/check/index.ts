/** All semantic checks of a built IR, in one pass, every error at once. */
import { sortDiagnostics, type Diagnostic } from "../../diagnostics.js";
import type { Pipeline } from "../types.js";
import { checkFields } from "./fields.js";
import { checkBranches, checkFailureHandlers, checkGraph } from "./graph.js";
import { checkLetPass } from "./let-pass.js";
import { checkNames } from "./names.js";
import { checkParameters } from "./parameters.js";
import { checkReferences } from "./references.js";
import { checkSchedule } from "./schedule.js";
import { checkTargetBags } from "./targets.js";

export function checkPipeline(p: Pipeline): Diagnostic[] {
  const refs = checkReferences(p);
  const branches = checkBranches(p);
  const out = [...checkNames(p), ...checkParameters(p), ...checkSchedule(p), ...checkTargetBags(p), ...refs, ...branches];
  // Graph and type checks assume references resolve; skip them on a broken graph.
  if (!refs.some((d) => d.code === "ref-missing-step") && !branches.some((d) => d.severity === "error")) {
    out.push(...checkGraph(p), ...checkFailureHandlers(p), ...checkLetPass(p));
  }
  out.push(...checkFields(p));
  return sortDiagnostics(out);
}
