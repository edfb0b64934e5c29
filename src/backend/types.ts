/**
 * The interface every backend implements. A backend is one folder under
 * `backends/<name>/` whose `index.ts` default-exports a `Backend`.
 *
 * Parse, check, lower, emit: the core parses and checks the IR; `lower` turns
 * it into files; the CLI writes them (atomically) under `<out>/<name>/`.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Pipeline, TargetName } from "../ir/types.js";
import type { FeatureId } from "../ir/features.js";

/** How a target handles one IR feature. */
export type Support = "native" | "emulated" | "unsupported";

export interface Capability {
  support: Support;
  /** One line: how it is done (native), how it is emulated and what that costs or loses, or why not. */
  note: string;
  /**
   * For `unsupported` only: the pipeline still computes the same results without
   * the feature (a cache, say), so using it is a warning rather than an error.
   */
  warnOnly?: boolean;
}

/** Every IR feature, and how this target handles it. Data, not code. */
export type CapabilityTable = Record<FeatureId, Capability>;

/** A named limit of a target (for checks and the report). */
export interface Limit {
  id: string;
  description: string;
  value: number;
  unit: string;
  source: string;
}

export interface OutputFile {
  /** Path relative to the target's output folder, with `/` separators. */
  path: string;
  /** What the file is, for `--json` summaries: definition, schedule, manifest, dag, requirements, ... */
  kind: string;
  contents: string;
}

export interface LowerOptions {
  /** Directory of the pipeline file, to resolve local code paths. */
  baseDir: string;
  /** Backend-specific options from the CLI, e.g. `{ airflow: "3" }`. */
  options: Record<string, string>;
}

export interface LowerResult {
  files: OutputFile[];
  /** Errors (refusals) and warnings; with any error, no file is written. */
  diagnostics: Diagnostic[];
  /** Facts worth printing after a compile (added orderings, sizes, ...), JSON-serialisable. */
  summary?: Record<string, unknown>;
}

export interface LiftInput {
  /** Path as given by the user (for diagnostics). */
  file: string;
  text: string;
  /** What the user gives for the pipeline (`import --region/--role/--artifacts`): it wins over the file (src/backend/lift-given.ts). */
  given?: LiftGiven;
  /**
   * The values given to fill in (`--substitute`), already filled into `text`. A reader that makes
   * placeholders of its own (a template's `!GetAtt X.Arn` is `${X.Arn}`) fills them in too.
   */
  values?: ReadonlyMap<string, { value: string; from: string }>;
}

/** The pipeline-level facts a lifted file may not hold: the region, the role its jobs run as, where its files live. */
export interface LiftGiven {
  name?: string;
  region?: string;
  role?: string;
  artifacts?: string;
  /** In a CloudFormation or SAM template, the logical id of the state machine to lift. */
  machine?: string;
}

export interface LiftResult {
  pipeline?: Pipeline;
  diagnostics: Diagnostic[];
  /** Names of `values` the reader filled in itself, in placeholders the text did not show. */
  used?: ReadonlySet<string>;
  /** Code the lifted pipeline runs that the file held inline (paths relative to the pipeline file, as its steps' `code`). */
  files?: Array<{ path: string; contents: string }>;
}

export interface DeployOptions {
  baseDir: string;
  outDir?: string;
  dryRun: boolean;
  endpointUrl?: string;
  profile?: string;
  region?: string;
  options: Record<string, string>;
  log: (line: string) => void;
}

export interface DeployResult {
  changes: Array<{ resource: string; action: "created" | "updated" | "unchanged"; diff?: string }>;
  diagnostics: Diagnostic[];
}

export interface RunOptions extends DeployOptions {
  params: Record<string, string>;
  wait: boolean;
}

export interface RunResult {
  executionId?: string;
  status: string;
  diagnostics: Diagnostic[];
}

/**
 * What one execution uses of the orchestrator and the small services, counted
 * from the lowered files along the expected path (all steps succeed, conditions
 * take their `then` branch unless told otherwise). The report prices these.
 */
export interface UsageFacts {
  /** Step Functions state transitions. */
  stateTransitions?: number;
  lambdaInvocations?: number;
  sqsMessages?: number;
  s3Requests?: number;
  /** Polling iterations assumed in the transitions above, with the wait per iteration. */
  pollingNote?: string;
  /** For MWAA: tasks per run and the DAG's size. */
  airflowTasks?: number;
  /** Free text lines explaining the counts. */
  notes?: string[];
}

/**
 * How a target arranges the pipeline's steps, for the report's drawing: a
 * sequence, parallel branches, a labelled group (a list the engine schedules by
 * data dependencies), or a choice between two branches. `step` is the IR step a
 * node runs (foreach copies share it); `label` is the target's own name for it.
 */
export type StructureNode =
  | { t: "step"; step: string; label: string }
  | { t: "seq"; items: StructureNode[] }
  | { t: "par"; label: string; branches: StructureNode[] }
  | { t: "group"; label: string; items: StructureNode[] }
  | { t: "choice"; step: string; label: string; then: StructureNode; else: StructureNode };

export interface Backend {
  /** The `--target` name. */
  name: TargetName;
  /** A human name, e.g. "AWS Step Functions". */
  title: string;
  capabilities: CapabilityTable;
  limits: Limit[];
  /** Lower a checked IR to files. Must be deterministic and pure (no AWS calls, no clock). */
  lower(pipeline: Pipeline, options: LowerOptions): LowerResult;
  /** Target-specific checks (names, sizes, quotas) on the IR and, when given, the lowered files. */
  checkLimits(pipeline: Pipeline, files?: OutputFile[]): Diagnostic[];
  /** Whether `lift` understands this file (used by `switchyard import` to pick a backend). */
  canLift?(input: LiftInput): boolean;
  /** Read a target file back into the IR (migration). */
  lift?(input: LiftInput): LiftResult;
  /**
   * Its files may be templates a deployment tool fills in as text (`${Name}`: AWS SAM's
   * DefinitionSubstitutions, CloudFormation, Terraform): `--substitute` fills them in
   * before `canLift` and `lift` read the file (src/backend/substitute.ts).
   */
  liftsTemplates?: boolean;
  /** How this target arranges the steps (drawn by the report). */
  structure?(pipeline: Pipeline): StructureNode;
  /** Counts for the cost report, from the lowered files. */
  usage?(pipeline: Pipeline, files: OutputFile[]): UsageFacts;
  deploy?(pipeline: Pipeline, options: DeployOptions): Promise<DeployResult>;
  run?(pipeline: Pipeline, options: RunOptions): Promise<RunResult>;
}
