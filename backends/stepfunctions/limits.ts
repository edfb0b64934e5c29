/** Step Functions quotas, and the checks against them. */
import { innerScopes } from "./asl.js";
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Limit, OutputFile } from "../../src/backend/types.js";
import { NAME_RULES } from "../../src/ir/names.js";
import type { Pipeline } from "../../src/ir/types.js";
import type { States } from "./asl.js";
import { CHILD_KIND, FILES, machineOf, machineSize, writtenText } from "./lower.js";
import { CHILD_FILE, childMachine, historyOf } from "./split.js";
import { INTRINSICS_PER_FIELD } from "./gather.js";
import { crowdedFields, mayBeCrowded } from "./intrinsics.js";

const QUOTAS = "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html";

export const LIMITS: Limit[] = [
  { id: "definition-size", description: "state machine definition size", value: 1_000_000, unit: "bytes", source: `${QUOTAS} (1 MB, hard; checked as 1,000,000 bytes, CloudFormation's template limit, on the minified definition deploy sends)` },
  { id: "state-name-length", description: "state name length", value: 80, unit: "characters", source: "API StateEnteredEventDetails.name; https://states-language.net/spec.html" },
  { id: "history-events", description: "execution history events per Standard execution", value: 25_000, unit: "events", source: QUOTAS },
  { id: "payload-size", description: "state input/output payload", value: 262_144, unit: "bytes", source: QUOTAS },
  { id: "execution-duration", description: "Standard execution duration", value: 31_536_000, unit: "seconds", source: QUOTAS },
  { id: "machine-name-length", description: "state machine name length", value: 80, unit: "characters", source: "CreateStateMachine name" },
];

const limit = (id: string) => LIMITS.find((l) => l.id === id)!.value;


function names(states: States, out: string[]): void {
  for (const [k, st] of Object.entries(states)) {
    out.push(k);
    for (const b of innerScopes(st)) names(b.States, out);
  }
}

export function checkLimits(p: Pipeline, files?: OutputFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const rule = NAME_RULES.find((r) => r.target === "stepfunctions" && r.what === "pipeline")!;
  if (p.name.length > rule.maxLength || !rule.pattern.test(p.name)) {
    out.push(error(p.pos, `pipeline name '${p.name}' is not a valid state machine name (${rule.source}: 1-${rule.maxLength} of A-Z a-z 0-9 _ -)`, { code: "stepfunctions-name" }));
  }
  const machines = (files ?? []).filter((f) => f.path === FILES.definition || f.kind === CHILD_KIND);
  for (const def of machines) {
    const n = CHILD_FILE.exec(def.path)?.[1];
    const which = n === undefined ? "the state machine definition" : `child machine ${childMachine(p.name, Number(n))} (${def.path})`;
    if (n !== undefined && childMachine(p.name, Number(n)).length > rule.maxLength) {
      out.push(error(p.pos, `child state machine name '${childMachine(p.name, Number(n))}' is over ${rule.maxLength} characters`, { code: "stepfunctions-name", hint: "a shorter pipeline name leaves room for the '-part-N' suffix" }));
    }
    const remedy = "a machine over a limit is split into child machines when each part fits; otherwise cut the pipeline into smaller pipelines";
    const size = machineSize(def);
    if (size.sent > limit("definition-size")) {
      out.push(error(p.pos, `${which} deploy sends is ${size.sent} bytes (minified; ${size.written} as written), over the ${limit("definition-size")}-byte limit`, { code: "stepfunctions-size", hint: remedy }));
    }
    // The fields are walked only where the text as written may hold a crowded one (megabytes of fields otherwise).
    const text = writtenText(def);
    const crowded = text === undefined || mayBeCrowded(text);
    const parsed = machineOf(def, true);
    const all: string[] = [];
    names(parsed.States, all);
    for (const nm of all) {
      if (nm.length > limit("state-name-length")) out.push(error(p.pos, `state name '${nm}' is ${nm.length} characters, over ${limit("state-name-length")}`, { code: "stepfunctions-state-name" }));
    }
    for (const c of crowded ? crowdedFields(parsed.States) : []) {
      out.push(error(p.pos, `${which}: field '${c.field}' of state '${c.state}' calls ${c.calls} intrinsic functions, more than the ${INTRINSICS_PER_FIELD} Step Functions allows in one field (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html)`, { code: "stepfunctions-intrinsics" }));
    }
    const h = historyOf(parsed);
    const cap = limit("history-events");
    const how = "every Parallel branch, the costliest Choice way, polling loops at their bound";
    const of = n === undefined ? "an execution" : `an execution of ${childMachine(p.name, Number(n))}`;
    if (h.events > cap) {
      out.push(error(p.pos, `${of} may write about ${h.events} history events (${how}), over the ${cap} limit`, { code: "stepfunctions-history", hint: remedy }));
    } else if (h.withRetries > cap) {
      out.push(warning(p.pos, `${of} may write about ${h.withRetries} history events if every task uses all its retries (${h.events} without retries), over the ${cap} limit`, { code: "stepfunctions-history" }));
    } else if (h.events > cap * 0.8) {
      out.push(warning(p.pos, `${of} may write about ${h.events} history events, close to the ${cap} limit`, { code: "stepfunctions-history" }));
    }
  }
  return out;
}

