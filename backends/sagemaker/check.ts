/** checkLimits: names, counts and definition size, before any AWS call (the service checks them only at CreatePipeline). */
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import type { OutputFile } from "../../src/backend/types.js";
import type { Pipeline } from "../../src/ir/types.js";
import { minifiedLength } from "../../src/backend/wire.js";
import { LIMITS, limit } from "./limits.js";
import { PARAMETER_NAME, pipelineName } from "./names.js";

interface SmStep {
  Name: string;
  Type: string;
  Arguments?: { IfSteps?: SmStep[]; ElseSteps?: SmStep[]; Conditions?: unknown[] };
  PropertyFiles?: unknown[];
}

/** The definition a lowering wrote this file from, while the file is unchanged (read back rather than parsed). */
interface Written {
  contents: string;
  definition: { Steps: SmStep[] };
  /** minifiedLength(contents), counted by the printer. */
  sent: { chars: number; bytes: number };
}
const written = new WeakMap<OutputFile, Written>();

export function rememberDefinition(file: OutputFile, definition: unknown, sent: Written["sent"]): void {
  written.set(file, { contents: file.contents, definition: definition as { Steps: SmStep[] }, sent });
}

function writtenDefinition(file: OutputFile): Written | undefined {
  const w = written.get(file);
  // Read once (checkLimits follows the lowering): the definition need not outlive the check.
  written.delete(file);
  return w && w.contents === file.contents ? w : undefined;
}

function allSteps(steps: SmStep[], out: SmStep[] = []): SmStep[] {
  for (const s of steps) {
    out.push(s);
    if (s.Type === "Condition") {
      allSteps(s.Arguments?.IfSteps ?? [], out);
      allSteps(s.Arguments?.ElseSteps ?? [], out);
    }
  }
  return out;
}

export function checkLimits(p: Pipeline, files?: OutputFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const pn = pipelineName(p.name);
  if ("error" in pn) out.push(error(p.pos, pn.error, { code: "sagemaker-name" }));
  if (p.parameters.length > limit("parameters")) out.push(error(p.parameters[0].pos, `${p.parameters.length} parameters; SageMaker allows ${limit("parameters")}`, { code: "sagemaker-limit" }));
  for (const prm of p.parameters) {
    if (prm.name.length > PARAMETER_NAME.maxLength || !PARAMETER_NAME.pattern.test(prm.name)) {
      out.push(error(prm.pos, `parameter '${prm.name}' is not a valid SageMaker parameter name (${PARAMETER_NAME.source})`, { code: "sagemaker-name" }));
    }
  }
  const def = files?.find((f) => f.kind === "definition");
  if (!def) return out;
  // Measured on what deploy sends: the definition minified.
  const w = writtenDefinition(def);
  const sent = w?.sent ?? minifiedLength(def.contents);
  const bytes = sent.bytes;
  if (sent.chars > limit("definition-bytes")) {
    out.push(
      error(p.pos, `the definition deploy sends is ${sent.chars} characters (minified); CreatePipeline accepts at most ${limit("definition-bytes")} inline`, {
        code: "sagemaker-size",
        // No pipeline step starts another pipeline (it would take a Lambda function of the user's), so no split is offered.
        hint: "SageMaker Pipelines has no step that starts another pipeline, so Switchyard does not split one: give it fewer steps (several pipeline files), or compile for stepfunctions (split into child machines) or airflow",
      }),
    );
  } else if (bytes > limit("definition-inline-sdk")) {
    out.push(warning(p.pos, `the definition deploy sends is ${bytes} bytes (minified, over 100 KB): upload it to S3 and pass PipelineDefinitionS3Location, as the SDK does`, { code: "sagemaker-size" }));
  }
  const json = w?.definition ?? (JSON.parse(def.contents) as { Steps: SmStep[] });
  const steps = allSteps(json.Steps);
  const quota = LIMITS.find((l) => l.id === "steps")!;
  if (steps.length > quota.value) out.push(warning(p.pos, `${steps.length} steps (conditions' branches included); the step quota is ${quota.value} per pipeline (${quota.source}; check Service Quotas, it may have been raised)`, { code: "sagemaker-limit" }));
  const propertyFiles = steps.reduce((n, s) => n + (s.PropertyFiles?.length ?? 0), 0);
  if (propertyFiles > limit("property-files")) out.push(warning(p.pos, `${propertyFiles} property files; the documented quota is ${limit("property-files")} per pipeline`, { code: "sagemaker-limit" }));
  // The first step of each id, as a search from the start finds it.
  const byId = new Map<string, Pipeline["steps"][number]>();
  for (const x of p.steps) if (!byId.has(x.id)) byId.set(x.id, x);
  for (const s of steps) {
    if (s.Type !== "Condition") continue;
    const pos = byId.get(s.Name)?.pos ?? p.pos;
    for (const b of ["IfSteps", "ElseSteps"] as const) {
      const n = s.Arguments?.[b]?.length ?? 0;
      if (n > limit("branch-steps")) out.push(warning(pos, `condition '${s.Name}' has ${n} steps in ${b}; the documented quota is ${limit("branch-steps")}`, { code: "sagemaker-limit" }));
    }
  }
  return out;
}
