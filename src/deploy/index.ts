/**
 * `switchyard deploy` and `switchyard run`: put the lowered files of one
 * target into an AWS account (or a local endpoint) and start executions.
 * Each target's module and the AWS SDK load only when that target is used.
 */
import type { OutputFile } from "../backend/types.js";
import { error, hasErrors, type Diagnostic } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";
import { compareTexts } from "./diff.js";
import { awsDiagnostic, DeployFailure } from "./errors.js";
import type { Change, DeployOpts, DeployResult, RunOpts, RunResult, TargetDeployer } from "./types.js";

export type { Change, DeployOpts, DeployResult, RunOpts, RunResult } from "./types.js";

/** The deploy module of each target. */
const DEPLOYERS: Record<string, () => Promise<TargetDeployer>> = {
  sagemaker: async () => (await import("./sagemaker.js")).sagemaker,
  stepfunctions: async () => (await import("./stepfunctions.js")).stepfunctions,
  airflow: async () => (await import("./mwaa.js")).mwaa,
};

/** The file kinds each target's deploy puts somewhere; others are named in the log, not silently dropped. */
const DEPLOYED_KINDS: Record<string, string[]> = {
  sagemaker: ["definition", "schedule", "manifest"],
  // child-definition: a split machine's children (CHILD_KIND in backends/stepfunctions/split.ts), created before the parent.
  stepfunctions: ["definition", "child-definition", "schedule", "manifest"],
  airflow: ["dag", "helpers", "requirements"],
};

async function deployerFor(target: string): Promise<TargetDeployer> {
  const load = DEPLOYERS[target];
  if (!load) throw new DeployFailure(error(undefined, `deploy and run support the targets ${Object.keys(DEPLOYERS).join(", ")}, not '${target}'`, { code: "deploy" }));
  return load();
}

/** A failure anywhere becomes diagnostics; nothing is thrown at the caller. */
function asDiagnostics(e: unknown): Diagnostic[] {
  if (e instanceof DeployFailure) return [e.diagnostic];
  // Errors the SDK raises before reaching a service (credentials, network).
  return [awsDiagnostic("aws", "request", e)];
}

function summarise(changes: Change[], o: DeployOpts): void {
  const n = (a: Change["action"]) => changes.filter((c) => c.action === a).length;
  const counts = `${n("created")} created, ${n("updated")} updated, ${n("unchanged")} unchanged`;
  o.log(o.dryRun ? `dry run: would change ${changes.length - n("unchanged")} of ${changes.length} resources (${counts}); nothing was written` : changes.every((c) => c.action === "unchanged") ? `no changes: ${counts}` : counts);
}

export async function deployCommand(pipeline: Pipeline, files: OutputFile[], target: string, opts: DeployOpts): Promise<DeployResult> {
  const changes: Change[] = [];
  try {
    const deployer = await deployerFor(target);
    for (const f of files) if (!DEPLOYED_KINDS[target].includes(f.kind)) opts.log(`note: ${f.path} (${f.kind}) is not deployed; it is for reading only`);
    await deployer.deploy(pipeline, files, opts, changes);
    summarise(changes, opts);
    return { changes, diagnostics: [] };
  } catch (e) {
    if (opts.dryRun && e instanceof DeployFailure && e.offline) return offlineDryRun(files, target, opts, e);
    // What was done before the failure is still reported.
    return { changes, diagnostics: asDiagnostics(e) };
  }
}

/**
 * A dry run that cannot reach AWS (no credentials, no network) still shows what deploy would
 * send: each deployed file as created, in full, named by its path here (the remote names need
 * AWS: an MWAA environment's bucket, the account). It says it is offline and why.
 */
function offlineDryRun(files: OutputFile[], target: string, opts: DeployOpts, e: DeployFailure): DeployResult {
  opts.log(`offline: ${e.diagnostic.message}`);
  opts.log("offline: nothing deployed could be read, so each resource is shown as it would be created");
  const changes: Change[] = [];
  for (const f of files.filter((x) => DEPLOYED_KINDS[target].includes(x.kind))) {
    // The code manifest is not sent; the code files it names are, each to its S3 location.
    if (f.kind === "manifest") for (const c of (JSON.parse(f.contents) as { files: Array<{ s3: string }> }).files) changes.push({ resource: c.s3, action: "created" });
    else changes.push({ resource: f.path, ...compareTexts(f.path, undefined, f.contents, false) });
  }
  summarise(changes, opts);
  return { changes, diagnostics: [] };
}

export async function runCommand(pipeline: Pipeline, files: OutputFile[], target: string, opts: RunOpts): Promise<RunResult> {
  try {
    const r = await (await deployerFor(target)).run(pipeline, files, opts);
    return r;
  } catch (e) {
    const diagnostics = asDiagnostics(e);
    return { status: hasErrors(diagnostics) ? "error" : "unknown", diagnostics };
  }
}
