/**
 * Apache Airflow on Amazon MWAA: one DAG file per pipeline
 * (`dags/<dag_id>.py`), the helper module it imports
 * (`dags/switchyard_helpers_<digest>.py`), and a `requirements.txt` pinned to
 * MWAA's constraints.
 * `--airflow 2` (default; MWAA 2.11) or `--airflow 3` (MWAA 3.0.6).
 */
import type { Backend, LowerOptions, LowerResult, OutputFile } from "../../src/backend/types.js";
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Pipeline } from "../../src/ir/types.js";
import { CAPABILITIES } from "./capabilities.js";
import { canLift, lift } from "./lift.js";
import { IMPORT_WARN_SHARE, LIMITS, importSeconds } from "./limits.js";
import { DEFAULT_CHECK_INTERVAL, planDag } from "./plan.js";
import { helperModule, renderDag, renderRequirements } from "./render.js";
import { usageOf } from "./usage.js";
import { groupedStructure } from "../../src/backend/structure.js";
import { copyId } from "./names.js";
import { DEFAULT_LINE, PROFILES, type AirflowLine } from "./versions.js";
import { environmentNameErrors } from "../../src/aws/containers.js";

function lineOf(options: Record<string, string>, diags: Diagnostic[]): AirflowLine {
  const v = options.airflow ?? DEFAULT_LINE;
  if (v === "2" || v === "3") return v;
  diags.push(error(undefined, `--airflow must be 2 or 3 (got '${v}')`, { code: "airflow-option" }));
  return DEFAULT_LINE;
}

function checkIntervalOf(options: Record<string, string>, diags: Diagnostic[]): number {
  const v = options["check-interval"];
  if (v === undefined) return DEFAULT_CHECK_INTERVAL;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3600) diags.push(error(undefined, `--check-interval must be whole seconds from 1 to 3600 (got '${v}')`, { code: "airflow-option" }));
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_CHECK_INTERVAL;
}

/**
 * The plan's errors for the DAG file a lowering wrote, by that file: `checkLimits` plans with the
 * default line and check interval, which is what a lowering with the default options already did.
 */
const plannedFor = new WeakMap<OutputFile, { p: Pipeline; line: AirflowLine; checkInterval: number; errors: Diagnostic[] }>();

/** A DAG so large that importing it may pass MWAA's DagBag import timeout (limits.ts: measured import times). */
function importTimeWarning(p: Pipeline, line: AirflowLine, tasks: number): Diagnostic | undefined {
  const timeout = LIMITS.find((l) => l.id === "mwaa.dagbag-import-timeout")!.value;
  const seconds = importSeconds(line, tasks);
  if (seconds < timeout * IMPORT_WARN_SHARE) return undefined;
  return warning(p.pos, `the DAG has ${tasks} tasks: Airflow ${PROFILES[line].airflow} takes about ${Math.round(seconds)} s to import a generated DAG this size (measured on a 2-core machine), against MWAA's default DagBag import timeout of ${timeout} s`, {
    code: "airflow-import-time",
    hint: "raise core.dagbag_import_timeout and core.dag_file_processor_timeout in the environment's Airflow configuration options",
  });
}

function lower(p: Pipeline, options: LowerOptions): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const line = lineOf(options.options, diagnostics);
  const checkInterval = checkIntervalOf(options.options, diagnostics);
  if (diagnostics.length) return { files: [], diagnostics };
  const profile = PROFILES[line];
  const planned = planDag(p, profile, { checkInterval });
  const envErrors = environmentNameErrors(p);
  if (!planned.plan || envErrors.length) return { files: [], diagnostics: [...planned.diagnostics, ...envErrors] };
  const dag = renderDag(planned.plan);
  const files: OutputFile[] = [{ path: `dags/${planned.plan.dagId}.py`, kind: "dag", contents: dag }];
  // The helpers the DAG imports, beside it in the DAGs folder (Airflow puts that folder on sys.path).
  if (planned.plan.helpers.length) {
    const module = helperModule(line);
    files.push({ path: `dags/${module.name}.py`, kind: "helpers", contents: module.text });
  }
  files.push({ path: "requirements.txt", kind: "requirements", contents: renderRequirements(profile) });
  plannedFor.set(files[0], { p, line, checkInterval, errors: planned.diagnostics.filter((d) => d.severity === "error") });
  const slow = importTimeWarning(p, line, planned.plan.tasks.length);
  if (slow) diagnostics.push(slow);
  return {
    files,
    diagnostics: [...diagnostics, ...planned.diagnostics],
    summary: { airflow: profile.airflow, mwaa: profile.mwaa, dagId: planned.plan.dagId, tasks: planned.plan.taskIds.length, bytes: Buffer.byteLength(dag) },
  };
}

const airflow: Backend = {
  name: "airflow",
  title: "Apache Airflow on Amazon MWAA",
  capabilities: CAPABILITIES,
  limits: LIMITS,
  lower,
  canLift,
  lift,
  checkLimits(p: Pipeline, files?: OutputFile[]): Diagnostic[] {
    const known = (files ?? []).map((f) => plannedFor.get(f)).find((k) => k !== undefined);
    if (known && known.p === p && known.line === DEFAULT_LINE && known.checkInterval === DEFAULT_CHECK_INTERVAL) return [...known.errors];
    const planned = planDag(p, PROFILES[DEFAULT_LINE], { checkInterval: DEFAULT_CHECK_INTERVAL });
    // Its warnings are the lowering's own, already reported.
    return planned.diagnostics.filter((d) => d.severity === "error");
  },
  usage(p: Pipeline, files: OutputFile[]) {
    const planned = planDag(p, PROFILES[DEFAULT_LINE], { checkInterval: DEFAULT_CHECK_INTERVAL });
    const dag = files.find((f) => f.kind === "dag");
    const stepOf = new Map((planned.plan?.tasks ?? []).map((t) => [t.taskId, t.stepId]));
    return usageOf(p, { taskIds: planned.plan?.taskIds ?? [], stepOf, bytes: dag ? Buffer.byteLength(dag.contents) : 0 });
  },
  // One task per step (foreach unrolled); a condition is a branch task that skips the other branch.
  structure: (p: Pipeline) =>
    groupedStructure(p, {
      top: "DAG tasks (run as their upstream tasks allow)",
      then: "followed when true",
      else: "followed when false",
      condition: (id) => `${id} (branch task)`,
      name: (id, index) => (index === undefined ? id : copyId(id, index)),
    }),
};

export default airflow;
