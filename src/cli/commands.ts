/** The subcommands. Each reads, checks, and either prints or writes atomically. */
import { dirname, join, resolve } from "node:path";
import { error, hasErrors, type Diagnostic } from "../diagnostics.js";
import { BUILTIN_TARGETS } from "../backend/registry.js";
import { refusals } from "../backend/refusals.js";
import { featuresUsed } from "../ir/features.js";
import { flatText } from "../util/flat-text.js";
import { keepHeapClose } from "./heap.js";
import type { Backend, LiftGiven, OutputFile } from "../backend/types.js";
import { checkGiven } from "../backend/lift-given.js";
import { checkSubstitutions, unusedSubstitutions } from "../backend/substitute.js";
// Types only (erased): the deploy module and the AWS SDK load when a command needs them.
import type { DeployOpts, DeployResult, RunOpts, RunResult } from "../deploy/types.js";
import { loadPipelineFile, type LoadResult } from "../frontends/load.js";
import { backendNamed, readAnyFile, type Filling, type ReadResult } from "./sources.js";
import { stripPositions } from "../ir/values.js";
import type { Pipeline } from "../ir/types.js";
import { toDot, toMermaid } from "./graph-format.js";
import { mergeTargetDiagnostics } from "./per-target.js";
import { checkOutDir, OutputError, printDiagnostics, Reported, UsageError, useColor, writeFilesAtomically, type PendingFile } from "./io.js";

async function load(file: string): Promise<LoadResult & { pipeline: Pipeline }> {
  // These commands never print the file back: its comments are not read.
  const r = await loadPipelineFile(file, { comments: false });
  printDiagnostics(r.diagnostics);
  if (!r.pipeline || hasErrors(r.diagnostics)) throw new Reported();
  return r as LoadResult & { pipeline: Pipeline };
}

function parseTargets(spec: string): string[] {
  const names = spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new UsageError("--target needs at least one target");
  if (names.includes("all")) return [...BUILTIN_TARGETS];
  return [...new Set(names)];
}

/** The backend for `--target`; a name no backend answers to is a usage error (exit 2). */
const backendOrReport = (name: string, _file: string): Promise<Backend> => backendNamed(name);

export interface CompiledTarget {
  target: string;
  files: OutputFile[];
  diagnostics: Diagnostic[];
  summary?: Record<string, unknown>;
}

/** Lower for every target; refusals and limit errors of all targets are collected before anything is written. */
export async function compileAll(p: Pipeline, targets: string[], file: string, options: Record<string, string>): Promise<CompiledTarget[]> {
  const results: CompiledTarget[] = [];
  // `validate --no-targets`: the front end's checks alone.
  if (!targets.length) return results;
  keepHeapClose();
  const uses = featuresUsed(p);
  for (const t of targets) {
    const backend = await backendOrReport(t, file);
    const refused = refusals(backend, p, uses);
    if (hasErrors(refused)) {
      results.push({ target: t, files: [], diagnostics: refused });
      continue;
    }
    const lowered = backend.lower(p, { baseDir: dirname(resolve(file)), options });
    // Kept until every target is lowered: each text flat, not the tree of pieces it was built from.
    for (const f of lowered.files) flatText(f.contents);
    const limits = hasErrors(lowered.diagnostics) ? [] : backend.checkLimits(p, lowered.files);
    const diagnostics = [...refused, ...lowered.diagnostics, ...limits];
    // A refused target's files are never written: not kept while the other targets are lowered.
    results.push({ target: t, files: hasErrors(diagnostics) ? [] : lowered.files, diagnostics, summary: lowered.summary });
  }
  return results;
}

/** Read any file Switchyard understands; problems are printed, errors end the command. */
async function readOrReport(file: string, from?: string, given?: LiftGiven, fill?: Filling): Promise<ReadResult & { pipeline: Pipeline }> {
  const r = await readAnyFile(file, from, given, fill);
  printDiagnostics(r.diagnostics);
  if (!r.pipeline || hasErrors(r.diagnostics)) throw new Reported();
  return r as ReadResult & { pipeline: Pipeline };
}

type GivenOptions = { name?: string; region?: string; role?: string; artifacts?: string; machine?: string };
/** `--substitute NAME=VALUE` (repeatable) and `--substitutions FILE`: values a template's placeholders take. */
type SubstituteOptions = { substitute: string[]; substitutions?: string };

/** The values given to fill in, checked; none given is undefined. */
function filling(opts: SubstituteOptions, strict: boolean): Filling | undefined {
  const checked = checkSubstitutions(opts.substitute, opts.substitutions);
  if ("problem" in checked) throw new UsageError(checked.problem);
  return checked.values.size ? { values: checked.values, strict } : undefined;
}

/** readOrReport with `--region`, `--role`, `--artifacts` and the substitutions checked and passed to the lifter; they are for lifted files only. */
async function readLifting(file: string, opts: { from?: string } & GivenOptions & SubstituteOptions): Promise<ReadResult & { pipeline: Pipeline }> {
  const checked = checkGiven(opts);
  if ("problem" in checked) throw new UsageError(checked.problem);
  const fill = filling(opts, true);
  const read = await readOrReport(file, opts.from, checked.given, fill);
  const set = [...Object.keys(checked.given).map((k) => `--${k}`), ...(fill ? ["--substitute/--substitutions"] : [])];
  if (set.length && !read.liftedFrom) throw new UsageError(`${set.join(", ")}: ${file} is a Switchyard pipeline, which says these itself; they are for a file being lifted`);
  return read;
}

/** Write a command's files all or nothing; a failure is one line and exit 1. */
function writeOutputs(files: readonly PendingFile[]): void {
  try {
    writeFilesAtomically(files);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    printDiagnostics([error(undefined, e.message, { code: "io" })]);
    throw new Reported();
  }
}

export const commands = {
  deploy: (file: string, o: AwsOptions & { dryRun?: boolean }) => awsCommands.deploy(file, o),
  run: (file: string, o: AwsOptions & { param: string[]; wait?: boolean }) => awsCommands.run(file, o),
  async compile(file: string, opts: { target: string; out: string; json?: boolean; airflow: string; checkInterval: string; compact?: boolean }) {
    if (opts.airflow !== "2" && opts.airflow !== "3") throw new UsageError(`--airflow must be 2 or 3, not '${opts.airflow}'`);
    if (!/^[1-9][0-9]*$/.test(opts.checkInterval)) throw new UsageError(`--check-interval must be a whole number of seconds, not '${opts.checkInterval}'`);
    const targets = parseTargets(opts.target);
    checkOutDir(opts.out);
    const { pipeline } = await load(file);
    const results = await compileAll(pipeline, targets, file, { airflow: opts.airflow, "check-interval": opts.checkInterval, ...(opts.compact ? { compact: "true" } : {}) });
    const all = mergeTargetDiagnostics(results, pipeline.pos);
    printDiagnostics(all);
    if (hasErrors(all)) throw new Reported();
    const pending: PendingFile[] = results.flatMap((r) => r.files.map((f) => ({ path: join(opts.out, r.target, f.path), contents: f.contents })));
    writeOutputs(pending);
    if (opts.json) {
      const summary = {
        pipeline: pipeline.name,
        source: file,
        targets: results.map((r) => ({
          target: r.target,
          files: r.files.map((f) => ({ path: join(opts.out, r.target, f.path), kind: f.kind, bytes: Buffer.byteLength(f.contents) })),
          warnings: r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message),
          summary: r.summary ?? {},
        })),
      };
      process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    } else {
      for (const r of results) {
        for (const f of r.files) process.stdout.write(`${join(opts.out, r.target, f.path)}\n`);
      }
    }
  },

  /** Every problem `compile` would report for the targets, without writing anything. */
  async validate(file: string, opts: { target: string; targets: boolean }) {
    const targets = opts.targets ? parseTargets(opts.target) : [];
    for (const t of targets) await backendOrReport(t, file);
    const { pipeline } = await load(file);
    const results = await compileAll(pipeline, targets, file, { airflow: "2", "check-interval": "60" });
    const all = mergeTargetDiagnostics(results, pipeline.pos);
    printDiagnostics(all);
    if (hasErrors(all)) throw new Reported();
    const kinds = new Set(pipeline.steps.map((s) => s.kind));
    process.stdout.write(
      `${file}: ok: pipeline '${pipeline.name}', ${pipeline.steps.length} steps (${[...kinds].join(", ")}), ${pipeline.parameters.length} parameters${targets.length ? `; compiles for ${targets.join(", ")}` : ""}\n`,
    );
  },

  async ir(file: string, opts: { positions?: boolean }) {
    const { pipeline } = await load(file);
    process.stdout.write(JSON.stringify(opts.positions ? pipeline : stripPositions(pipeline), null, 2) + "\n");
  },

  async graph(file: string, opts: { format: "mermaid" | "dot"; allEdges?: boolean }) {
    const { pipeline } = await load(file);
    const o = { allEdges: Boolean(opts.allEdges) };
    process.stdout.write(opts.format === "dot" ? toDot(pipeline, o) : toMermaid(pipeline, o));
  },

  async import(file: string, opts: { to: "yaml" | "ts"; out?: string; from?: string } & GivenOptions & SubstituteOptions) {
    // A Switchyard pipeline itself is printed in the other front end's syntax (YAML keeps its comments).
    const { pipeline, comments, files = [] } = await readLifting(file, opts);
    const output = await printPipeline(pipeline, opts.to, comments);
    // Code the lifted steps run goes beside the pipeline, written with it or not at all.
    if (files.length && !opts.out) throw new UsageError(`the lifted pipeline runs code from ${files.map((f) => f.path).join(", ")}: give --out to write it beside the pipeline`);
    if (opts.out) writeOutputs([{ path: opts.out, contents: output }, ...files.map((f) => ({ path: join(dirname(opts.out!), f.path), contents: f.contents }))]);
    else process.stdout.write(output);
  },

  async diff(a: string, b: string, opts: { json?: boolean; machine?: string; region?: string; role?: string; artifacts?: string } & SubstituteOptions) {
    // The values fill in whichever of the two files is a template (a state machine beside its migrated DAG, say).
    const fill = filling(opts, false);
    const checked = checkGiven({ machine: opts.machine });
    if ("problem" in checked) throw new UsageError(checked.problem);
    // Region, role and artifacts fill in only what a lifted file does not say: given to both, they would hide a difference.
    const missing = checkGiven({ region: opts.region, role: opts.role, artifacts: opts.artifacts });
    if ("problem" in missing) throw new UsageError(missing.problem);
    const hasMissing = Object.keys(missing.given).length > 0;
    // --machine picks the machine of whichever file is a template; the other is read as it is.
    let picked = 0;
    const readOne = async (file: string): Promise<ReadResult> => {
      if (opts.machine !== undefined) {
        const r = await readAnyFile(file, undefined, checked.given, fill).catch((e) => (e instanceof UsageError ? undefined : Promise.reject(e)));
        if (r?.liftedFrom && !r.diagnostics.some((d) => d.code === "lift-not-template")) {
          picked++;
          return r;
        }
      }
      const r = await readAnyFile(file, undefined, undefined, fill);
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (hasMissing && errors.length && errors.every((d) => d.code === "lift-missing")) return readAnyFile(file, undefined, missing.given, fill);
      return r;
    };
    const read = [await readOne(a), await readOne(b)];
    if (opts.machine !== undefined && !picked) throw new UsageError(`--machine picks a state machine in a CloudFormation or SAM template; neither ${a} nor ${b} is one`);
    for (const r of read) {
      printDiagnostics(r.diagnostics);
      if (!r.pipeline || hasErrors(r.diagnostics)) throw new Reported();
    }
    const [x, y] = read as Array<ReadResult & { pipeline: Pipeline }>;
    if (fill) {
      if (!x.substituted && !y.substituted) throw new UsageError(`--substitute and --substitutions fill in templates (state machines, SageMaker definitions); neither ${a} nor ${b} is one`);
      printDiagnostics(unusedSubstitutions(fill.values, new Set([...(x.substituted ?? []), ...(y.substituted ?? [])]), undefined, `${a} and ${b}`));
    }
    const { diffPipelines } = await import("../diff/compare.js");
    const differences = diffPipelines(x.pipeline, y.pipeline);
    if (opts.json) process.stdout.write(JSON.stringify({ equal: differences.length === 0, a, b, differences }, null, 2) + "\n");
    else {
      const { formatDiff } = await import("../diff/format.js");
      process.stdout.write(formatDiff(differences, a, b, x.pipeline.steps.length));
    }
    if (differences.length) process.exitCode = 1;
  },

  async migrate(file: string, opts: { to: string; out: string; as: "yaml" | "ts"; from?: string; airflow: string } & GivenOptions & SubstituteOptions) {
    if (opts.airflow !== "2" && opts.airflow !== "3") throw new UsageError(`--airflow must be 2 or 3, not '${opts.airflow}'`);
    const to = await backendNamed(opts.to);
    const read = await readLifting(file, opts);
    const pipeline = read.pipeline;
    const from = read.liftedFrom ? await backendNamed(read.liftedFrom) : undefined;
    const [compiled] = await compileAll(pipeline, [to.name], file, { airflow: opts.airflow, "check-interval": "60" });
    const text = await printPipeline(pipeline, opts.as, read.comments);
    const { costSides, planMigration } = await import("../migrate/run.js");
    const report = await loadReport();
    const r = await report.runReport(pipeline, { format: "json", color: false }).catch(() => undefined);
    const cost = r && !hasErrors(r.diagnostics) ? costSides(r.output, [...new Set([from?.name, to.name].filter((x): x is string => !!x))]) : undefined;
    const plan = planMigration(
      { source: file, pipeline, from, to, liftDiagnostics: read.diagnostics, compiled, printed: { name: opts.as === "ts" ? "pipeline.ts" : "pipeline.yaml", text }, code: read.files, cost },
      opts.out,
    );
    printDiagnostics(compiled.diagnostics);
    checkOutDir(opts.out);
    writeOutputs(plan.files);
    for (const f of plan.files) process.stdout.write(`${f.path}\n`);
    if (plan.refused) throw new Reported();
  },

  async report(file: string, opts: { format: "text" | "md" | "json" | "html"; runsPerMonth?: string; region?: string; mwaaClass?: string; mwaaShared?: boolean; prices?: string; out?: string }) {
    let runsPerMonth: number | undefined;
    if (opts.runsPerMonth !== undefined) {
      runsPerMonth = Number(opts.runsPerMonth);
      if (!Number.isFinite(runsPerMonth) || runsPerMonth < 0) throw new UsageError(`--runs-per-month must be a number >= 0, not '${opts.runsPerMonth}'`);
    }
    const report = await loadReport();
    const classes = report.MWAA_CLASSES.map((c) => c.name);
    if (opts.mwaaClass !== undefined && !classes.includes(opts.mwaaClass)) {
      throw new UsageError(`--mwaa-class must be one of ${classes.join(", ")}, not '${opts.mwaaClass}'`);
    }
    const { pipeline } = await load(file);
    // The report lowers for every target, as compile does: the same bound on the heap.
    keepHeapClose();
    const r = await report.runReport(pipeline, {
      format: opts.format,
      runsPerMonth,
      region: opts.region,
      mwaaClass: opts.mwaaClass,
      mwaaShared: opts.mwaaShared === true,
      pricesFile: opts.prices,
      color: !opts.out && useColor(process.stdout),
    });
    printDiagnostics(r.diagnostics);
    if (hasErrors(r.diagnostics)) throw new Reported();
    if (opts.out) writeOutputs([{ path: opts.out, contents: r.output }]);
    else process.stdout.write(r.output);
  },

  async check(file: string, opts: { target: string; failOn: "emulated" | "unsupported" }) {
    const { pipeline } = await load(file);
    await backendOrReport(opts.target, file);
    const report = await loadReport();
    const r = await report.runCheck(pipeline, { target: opts.target, failOn: opts.failOn, color: useColor(process.stdout) });
    process.stdout.write(r.output);
    printDiagnostics(r.diagnostics);
    if (r.failed || hasErrors(r.diagnostics)) throw new Reported();
  },
};

/** A pipeline in either front end's syntax. */
export async function printPipeline(pipeline: Pipeline, as: "yaml" | "ts", comments?: Map<string, string>): Promise<string> {
  if (as === "yaml") {
    const { printYaml } = await import("../frontends/yaml/print.js");
    return printYaml(pipeline, comments);
  }
  const mod = (await import("../frontends/typescript/print.js").catch(() => undefined)) as { printTypeScript?: (p: Pipeline) => string } | undefined;
  if (!mod?.printTypeScript) throw new UsageError("TypeScript output is not supported by this build");
  return mod.printTypeScript(pipeline);
}

interface AwsOptions {
  target: string;
  endpointUrl?: string;
  profile?: string;
  region?: string;
  mwaaEnvironment?: string;
  airflow: string;
}

interface DeployModule {
  deployCommand(p: Pipeline, files: OutputFile[], target: string, o: DeployOpts): Promise<DeployResult>;
  runCommand(p: Pipeline, files: OutputFile[], target: string, o: RunOpts): Promise<RunResult>;
}

async function loadDeploy(): Promise<DeployModule> {
  const mod = (await import("../deploy/index.js").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  })) as DeployModule | undefined;
  if (!mod) throw new UsageError("deploy and run are not part of this build");
  return mod;
}

/** Load, check and lower for one target: what deploy and run start from. */
async function lowerOne(file: string, o: AwsOptions): Promise<{ pipeline: Pipeline; files: OutputFile[] }> {
  if (o.airflow !== "2" && o.airflow !== "3") throw new UsageError(`--airflow must be 2 or 3, not '${o.airflow}'`);
  const { pipeline } = await load(file);
  const [r] = await compileAll(pipeline, [o.target], file, { airflow: o.airflow, "check-interval": "60" });
  printDiagnostics(r.diagnostics);
  if (hasErrors(r.diagnostics)) throw new Reported();
  return { pipeline, files: r.files };
}

const awsContext = (file: string, o: AwsOptions) => ({
  baseDir: dirname(resolve(file)),
  endpointUrl: o.endpointUrl,
  profile: o.profile,
  region: o.region,
  mwaaEnvironment: o.mwaaEnvironment,
  log: (line: string) => process.stderr.write(line + "\n"),
});

export const awsCommands = {
  async deploy(file: string, o: AwsOptions & { dryRun?: boolean }) {
    const { pipeline, files } = await lowerOne(file, o);
    const deploy = await loadDeploy();
    const r = await deploy.deployCommand(pipeline, files, o.target, { ...awsContext(file, o), dryRun: Boolean(o.dryRun) });
    for (const c of r.changes) {
      process.stdout.write(`${o.dryRun ? "would be " : ""}${c.action}: ${c.resource}\n`);
      if (c.diff) process.stdout.write(c.diff.endsWith("\n") ? c.diff : c.diff + "\n");
    }
    printDiagnostics(r.diagnostics);
    if (hasErrors(r.diagnostics)) throw new Reported();
  },

  async run(file: string, o: AwsOptions & { param: string[]; wait?: boolean }) {
    const params: Record<string, string> = {};
    for (const kv of o.param) {
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new UsageError(`--param takes key=value, not '${kv}'`);
      params[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const { pipeline, files } = await lowerOne(file, o);
    const unknown = Object.keys(params).filter((k) => !pipeline.parameters.some((x) => x.name === k));
    if (unknown.length) throw new UsageError(`unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")} for pipeline '${pipeline.name}'`);
    const deploy = await loadDeploy();
    const r = await deploy.runCommand(pipeline, files, o.target, {
      ...awsContext(file, o),
      dryRun: false,
      params,
      wait: Boolean(o.wait),
      isTTY: Boolean(process.stderr.isTTY),
    });
    if (r.executionId) process.stdout.write(`${r.executionId}\n`);
    printDiagnostics(r.diagnostics);
    if (hasErrors(r.diagnostics) || (o.wait && r.status !== "Succeeded" && r.status !== "SUCCEEDED" && r.status !== "success")) throw new Reported();
  },
};

interface ReportModule {
  MWAA_CLASSES: ReadonlyArray<{ name: string }>;
  runReport(
    p: Pipeline,
    o: { format: "text" | "md" | "json" | "html"; runsPerMonth?: number; region?: string; mwaaClass?: string; mwaaShared?: boolean; pricesFile?: string; color: boolean },
  ): Promise<{ output: string; diagnostics: Diagnostic[] }>;
  runCheck(p: Pipeline, o: { target: string; failOn: "emulated" | "unsupported"; color: boolean }): Promise<{ output: string; failed: boolean; diagnostics: Diagnostic[] }>;
}

async function loadReport(): Promise<ReportModule> {
  const mod = (await import("../report/index.js").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  })) as ReportModule | undefined;
  if (!mod) throw new UsageError("the report is not part of this build");
  return mod;
}
