/** Step Functions quotas, and the checks against them. */
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Limit, OutputFile } from "../../src/backend/types.js";
import { NAME_RULES } from "../../src/ir/names.js";
import type { Pipeline } from "../../src/ir/types.js";
import type { Definition, States } from "./asl.js";
import { FILES } from "./lower.js";
import { walkExpected } from "./usage.js";

const QUOTAS = "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html";

export const LIMITS: Limit[] = [
  { id: "definition-size", description: "state machine definition size", value: 1_000_000, unit: "bytes", source: `${QUOTAS} (1 MB, hard; checked as 1,000,000 bytes, CloudFormation's template limit)` },
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
    for (const b of (st.Branches as Array<{ States: States }> | undefined) ?? []) names(b.States, out);
  }
}

export function checkLimits(p: Pipeline, files?: OutputFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const rule = NAME_RULES.find((r) => r.target === "stepfunctions" && r.what === "pipeline")!;
  if (p.name.length > rule.maxLength || !rule.pattern.test(p.name)) {
    out.push(error(p.pos, `pipeline name '${p.name}' is not a valid state machine name (${rule.source}: 1-${rule.maxLength} of A-Z a-z 0-9 _ -)`, { code: "stepfunctions-name" }));
  }
  const def = files?.find((f) => f.path === FILES.definition);
  if (!def) return out;
  const bytes = Buffer.byteLength(def.contents, "utf8");
  if (bytes > limit("definition-size")) {
    out.push(error(p.pos, `the state machine definition is ${bytes} bytes, over the ${limit("definition-size")}-byte limit`, { code: "stepfunctions-size" }));
  }
  const parsed = JSON.parse(def.contents) as Definition;
  const all: string[] = [];
  names(parsed.States, all);
  for (const n of all) {
    if (n.length > limit("state-name-length")) out.push(error(p.pos, `state name '${n}' is ${n.length} characters, over ${limit("state-name-length")}`, { code: "stepfunctions-state-name" }));
  }
  const walk = walkExpected(parsed, { maxPolls: true });
  const events = walk.events;
  if (events > limit("history-events")) {
    out.push(error(p.pos, `an execution may write about ${events} history events (polling loops at their bound), over the ${limit("history-events")} limit`, { code: "stepfunctions-history" }));
  } else if (events > limit("history-events") * 0.8) {
    out.push(warning(p.pos, `an execution may write about ${events} history events, close to the ${limit("history-events")} limit`, { code: "stepfunctions-history" }));
  }
  return out;
}

