/** The subcommands. Each reads, checks, and either prints or writes atomically. */
import { dirname, join, resolve } from "node:path";
import { error, hasErrors, type Diagnostic } from "../diagnostics.js";
import { loadBackend, availableBackends, BackendNotFound, BUILTIN_TARGETS } from "../backend/registry.js";
import { refusals } from "../backend/refusals.js";
import type { Backend, OutputFile } from "../backend/types.js";
// Types only (erased): the deploy module and the AWS SDK load when a command needs them.
import type { DeployOpts, DeployResult, RunOpts, RunResult } from "../deploy/types.js";
import { loadPipelineFile, type LoadResult } from "../frontends/load.js";
import { readPipelineText } from "../frontends/read-input.js";
import { stripPositions } from "../ir/values.js";
import type { Pipeline } from "../ir/types.js";
import { toDot, toMermaid } from "./graph-format.js";
import { OutputError, printDiagnostics, Reported, UsageError, useColor, writeFilesAtomically, type PendingFile } from "./io.js";
import { nodeFileOps } from "./write-files.js";

async function load(file: string): Promise<LoadResult & { pipeline: Pipeline }> {
  const r = await loadPipelineFile(file);
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
async function backendOrReport(name: string, _file: string): Promise<Backend> {
  try {
    return await loadBackend(name);
  } catch (e) {
    if (e instanceof BackendNotFound) throw new UsageError(e.message);
    throw e;
  }
}

export interface CompiledTarget {
  target: string;
  files: OutputFile[];
  diagnostics: Diagnostic[];
  summary?: Record<string, unknown>;
}

/** Lower for every target; refusals and limit errors of all targets are collected before anything is written. */
export async function compileAll(p: Pipeline, targets: string[], file: string, options: Record<string, string>): Promise<CompiledTarget[]> {
  const results: CompiledTarget[] = [];
  for (const t of targets) {
    const backend = await backendOrReport(t, file);
    const refused = refusals(backend, p);
    if (hasErrors(refused)) {
      results.push({ target: t, files: [], diagnostics: refused });
      continue;
    }
    const lowered = backend.lower(p, { baseDir: dirname(resolve(file)), options });
    const limits = hasErrors(lowered.diagnostics) ? [] : backend.checkLimits(p, lowered.files);
    results.push({ target: t, files: lowered.files, diagnostics: [...refused, ...lowered.diagnostics, ...limits], summary: lowered.summary });
  }
  return results;
}

/** Whether `file` is a Switchyard pipeline (TypeScript, or YAML with `pipeline:` and `steps:` at the top). */
function isPipelineSource(file: string, text: string): boolean {
  if (/\.(ts|mts)$/i.test(file)) return true;
  return /\.(ya?ml)$/i.test(file) && /^pipeline:/m.test(text) && /^steps:/m.test(text);
}

/** Lift a target file with the backend named, or the first that recognises it. */
async function liftWithBackend(input: { file: string; text: string }, from: string | undefined): Promise<Pipeline> {
  const { file } = input;
  const candidates = from ? [await backendOrReport(from, file)] : await availableBackends();
  const backend = candidates.find((b) => b.lift && (from || b.canLift?.(input)));
  if (!backend?.lift) {
    const known = candidates.filter((b) => b.lift).map((b) => b.name);
    printDiagnostics([
      error({ file, line: 1, col: 1 }, from ? `the ${from} backend cannot import files` : "not a file any installed backend can import", {
        hint: known.length ? `importers: ${known.join(", ")}; name one with --from` : "no backend in this build can import",
      }),
    ]);
    throw new Reported();
  }
  const lifted = backend.lift(input);
  printDiagnostics(lifted.diagnostics);
  if (!lifted.pipeline || hasErrors(lifted.diagnostics)) throw new Reported();
  return lifted.pipeline;
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
  async compile(file: string, opts: { target: string; out: string; json?: boolean; airflow: string; checkInterval: string }) {
    if (opts.airflow !== "2" && opts.airflow !== "3") throw new UsageError(`--airflow must be 2 or 3, not '${opts.airflow}'`);
    if (!/^[1-9][0-9]*$/.test(opts.checkInterval)) throw new UsageError(`--check-interval must be a whole number of seconds, not '${opts.checkInterval}'`);
    const targets = parseTargets(opts.target);
    const { pipeline } = await load(file);
    const results = await compileAll(pipeline, targets, file, { airflow: opts.airflow, "check-interval": opts.checkInterval });
    const all = results.flatMap((r) => r.diagnostics.map((d) => (d.pos ? d : { ...d, message: `${r.target}: ${d.message}` })));
    printDiagnostics(all);
    if (hasErrors(all)) throw new Reported();
    const pending: PendingFile[] = results.flatMap((r) => r.files.map((f) => ({ path: join(opts.out, r.target, f.path), contents: f.contents })));
    if (nodeFileOps.kind(opts.out) === "file") throw new UsageError(`--out '${opts.out}' is a file; name a folder`);
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

  async validate(file: string) {
    const { pipeline } = await load(file);
    const kinds = new Set(pipeline.steps.map((s) => s.kind));
    process.stdout.write(`${file}: ok: pipeline '${pipeline.name}', ${pipeline.steps.length} steps (${[...kinds].join(", ")}), ${pipeline.parameters.length} parameters\n`);
  },

  async ir(file: string, opts: { positions?: boolean }) {
    const { pipeline } = await load(file);
    process.stdout.write(JSON.stringify(opts.positions ? pipeline : stripPositions(pipeline), null, 2) + "\n");
  },

  async graph(file: string, opts: { format: "mermaid" | "dot" }) {
    const { pipeline } = await load(file);
    process.stdout.write(opts.format === "dot" ? toDot(pipeline) : toMermaid(pipeline));
  },

  async import(file: string, opts: { to: "yaml" | "ts"; out?: string; from?: string }) {
    const read = readPipelineText(file);
    if ("diagnostic" in read) {
      printDiagnostics([read.diagnostic]);
      throw new Reported();
    }
    const text = read.text;
    const input = { file, text };
    let pipeline: Pipeline;
    let comments: Map<string, string> | undefined;
    if (!opts.from && isPipelineSource(file, text)) {
      // A Switchyard pipeline itself: printed in the other front end's syntax (YAML keeps its comments).
      const r = await load(file);
      pipeline = r.pipeline;
      comments = r.comments;
    } else {
      pipeline = await liftWithBackend(input, opts.from);
    }
    let output: string;
    if (opts.to === "yaml") {
      const { printYaml } = await import("../frontends/yaml/print.js");
      output = printYaml(pipeline, comments);
    } else {
      const spec = "../frontends/typescript/print.js";
      const mod = (await import(spec).catch(() => undefined)) as { printTypeScript?: (p: Pipeline) => string } | undefined;
      if (!mod?.printTypeScript) throw new UsageError("--to ts is not supported by this build");
      output = mod.printTypeScript(pipeline);
    }
    if (opts.out) writeOutputs([{ path: opts.out, contents: output }]);
    else process.stdout.write(output);
  },

  async report(file: string, opts: { format: "text" | "md" | "json" | "html"; runsPerMonth?: string; region?: string; mwaaClass?: string; prices?: string; out?: string }) {
    let runsPerMonth: number | undefined;
    if (opts.runsPerMonth !== undefined) {
      runsPerMonth = Number(opts.runsPerMonth);
      if (!Number.isFinite(runsPerMonth) || runsPerMonth < 0) throw new UsageError(`--runs-per-month must be a number >= 0, not '${opts.runsPerMonth}'`);
    }
    const { pipeline } = await load(file);
    const report = await loadReport();
    const r = await report.runReport(pipeline, {
      format: opts.format,
      runsPerMonth,
      region: opts.region,
      mwaaClass: opts.mwaaClass,
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
  const spec = "../deploy/index.js";
  const mod = (await import(spec).catch((e: NodeJS.ErrnoException) => {
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
  runReport(
    p: Pipeline,
    o: { format: "text" | "md" | "json" | "html"; runsPerMonth?: number; region?: string; mwaaClass?: string; pricesFile?: string; color: boolean },
  ): Promise<{ output: string; diagnostics: Diagnostic[] }>;
  runCheck(p: Pipeline, o: { target: string; failOn: "emulated" | "unsupported"; color: boolean }): Promise<{ output: string; failed: boolean; diagnostics: Diagnostic[] }>;
}

async function loadReport(): Promise<ReportModule> {
  const spec = "../report/index.js";
  const mod = (await import(spec).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  })) as ReportModule | undefined;
  if (!mod) throw new UsageError("the report is not part of this build");
  return mod;
}
