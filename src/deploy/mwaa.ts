/**
 * Amazon MWAA: GetEnvironment gives the DAG bucket (SourceBucketArn), the DAG
 * folder (DagS3Path) and the requirements key (RequirementsS3Path). Deploy
 * uploads each DAG file and, when it changed, requirements.txt; MWAA picks up
 * DAG files within about 30 seconds, but installs new requirements only after
 * an environment update. Run triggers a DAG run with `conf` through the
 * environment's CLI endpoint (CreateCliToken + `airflow dags trigger`).
 */
import { posix } from "node:path";
import type { OutputFile } from "../backend/types.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";
import { clientSettings, s3Client } from "./aws.js";
import { compareTexts } from "./diff.js";
import { uploadCode } from "./code-upload.js";
import { call, callOrMissing, fail } from "./errors.js";
import { typedParams } from "./params.js";
import { follow, StatusLine } from "./status.js";
import type { Change, DeployOpts, RunOpts, RunResult, TargetDeployer } from "./types.js";
import { sdk } from "./sdk.js";

export interface MwaaEnvironment {
  name: string;
  bucket: string;
  dagFolder: string;
  requirementsKey?: string;
  /** e.g. `2.11.2`; the Airflow CLI's arguments differ between 2 and 3. */
  airflowVersion?: string;
}

function envName(o: DeployOpts): string {
  if (!o.mwaaEnvironment) fail("the airflow target deploys to an Amazon MWAA environment: name it with --mwaa-environment NAME");
  return o.mwaaEnvironment;
}

async function mwaaClient(p: Pipeline, o: DeployOpts) {
  const m = await sdk("@aws-sdk/client-mwaa", () => import("@aws-sdk/client-mwaa"));
  return { m, client: new m.MWAAClient((await clientSettings(p, o)) as NonNullable<ConstructorParameters<typeof m.MWAAClient>[0]>) };
}

export async function describeEnvironment(p: Pipeline, o: DeployOpts): Promise<MwaaEnvironment> {
  const name = envName(o);
  const { m, client } = await mwaaClient(p, o);
  const r = await call("mwaa", "GetEnvironment", () => client.send(new m.GetEnvironmentCommand({ Name: name })));
  const env = r.Environment;
  const bucket = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(env?.SourceBucketArn ?? "")?.[1];
  if (!env || !bucket || !env.DagS3Path) fail(`MWAA environment '${name}' has no DAG bucket and folder (SourceBucketArn '${env?.SourceBucketArn ?? ""}', DagS3Path '${env?.DagS3Path ?? ""}')`);
  return { name, bucket, dagFolder: env.DagS3Path.replace(/\/+$/, ""), requirementsKey: env.RequirementsS3Path, airflowVersion: env.AirflowVersion };
}

/** The S3 key of a DAG file: its path below `dags/` goes under the environment's DAG folder. */
export function dagKey(env: MwaaEnvironment, path: string): string {
  return posix.join(env.dagFolder, path.replace(/^dags\//, ""));
}

async function deploy(p: Pipeline, files: OutputFile[], o: DeployOpts, changes: Change[]): Promise<void> {
  const env = await describeEnvironment(p, o);
  await uploadCode(p, o, changes);
  const { GetObjectCommand, PutObjectCommand } = await sdk("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"));
  const s3 = await s3Client(p, o);
  const put = async (key: string, body: string, contentType: string, resource: string): Promise<Change> => {
    const existing = await callOrMissing("s3", "GetObject", ["NoSuchKey", "NotFound"], async () =>
      (await s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: key }))).Body!.transformToString("utf8"),
    );
    // DAG files and requirements are compared as text.
    const change: Change = { resource, ...compareTexts(resource, existing, body, false) };
    if (change.action !== "unchanged" && !o.dryRun) {
      await call("s3", "PutObject", () => s3.send(new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: body, ContentType: contentType })));
    }
    return change;
  };
  const dags = files.filter((f) => f.kind === "dag");
  if (!dags.length) fail("the airflow backend produced no DAG file to deploy");
  // The helper module first: a DAG read before the module it imports is there would be an import error.
  for (const f of [...files.filter((x) => x.kind === "helpers"), ...dags]) {
    const key = dagKey(env, f.path);
    changes.push(await put(key, f.contents, "text/x-python", `s3://${env.bucket}/${key}`));
  }
  const req = files.find((f) => f.kind === "requirements");
  if (req) {
    if (!env.requirementsKey) {
      o.log(`note: MWAA environment '${env.name}' names no requirements file; add ${req.path} to it (RequirementsS3Path) so the DAG's packages are installed`);
    } else {
      const c = await put(env.requirementsKey, req.contents, "text/plain", `s3://${env.bucket}/${env.requirementsKey}`);
      changes.push(c);
      if (c.action !== "unchanged" && !o.dryRun) {
        o.log(`note: MWAA installs the new requirements only after an environment update (aws mwaa update-environment --name ${env.name} --requirements-s3-object-version <new version>), which restarts it`);
      }
    }
  }
  if (!o.dryRun && changes.some((c) => c.action !== "unchanged")) o.log(`MWAA environment '${env.name}' picks up the DAG files within about 30 seconds`);
}

/** Shell-quote one argument for the MWAA CLI endpoint (it splits the command like a POSIX shell). */
function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

interface CliResult {
  stdout: string;
  stderr: string;
}

async function airflowCli(p: Pipeline, o: RunOpts, env: MwaaEnvironment, args: string[]): Promise<CliResult> {
  const { m, client } = await mwaaClient(p, o);
  const token = await call("mwaa", "CreateCliToken", () => client.send(new m.CreateCliTokenCommand({ Name: env.name })));
  if (!token.CliToken || !token.WebServerHostname) fail(`mwaa CreateCliToken returned no token for '${env.name}'`);
  // With --endpoint-url the CLI call goes to that endpoint too (a local stand-in has no web server of its own).
  const url = o.endpointUrl ? `${o.endpointUrl.replace(/\/+$/, "")}/aws_mwaa/cli` : `https://${token.WebServerHostname}/aws_mwaa/cli`;
  const command = args.map(quote).join(" ");
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${token.CliToken}`, "Content-Type": "text/plain" }, body: command });
  } catch (e) {
    fail(`mwaa CLI ${args.slice(0, 2).join(" ")}: cannot reach the Airflow web server (${(e as Error).message}) — check the environment's web server access mode and your network`);
  }
  if (!res.ok) fail(`mwaa CLI ${args.slice(0, 2).join(" ")}: HTTP ${res.status} — check that your credentials may call airflow:CreateCliToken for '${env.name}'`);
  const body = (await res.json()) as { stdout?: string; stderr?: string };
  const dec = (s?: string) => (s ? Buffer.from(s, "base64").toString("utf8") : "");
  return { stdout: dec(body.stdout), stderr: dec(body.stderr) };
}

/** The JSON the Airflow CLI printed (after any log lines), or undefined. */
function parseJson<T>(stdout: string): T | undefined {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as T;
  } catch {
    return undefined;
  }
}

/** The DAG id of the (single) DAG file: its file name. */
function dagId(files: OutputFile[]): string {
  const dag = files.find((f) => f.kind === "dag");
  if (!dag) fail("the airflow backend produced no DAG file to run");
  return posix.basename(dag.path).replace(/\.py$/, "");
}

async function run(p: Pipeline, files: OutputFile[], o: RunOpts): Promise<RunResult> {
  const conf = typedParams(p, o.params);
  const env = await describeEnvironment(p, o);
  const id = dagId(files);
  const trig = await airflowCli(p, o, env, ["dags", "trigger", id, "--conf", JSON.stringify(conf), "-o", "json"]);
  const runId = parseJson<Array<{ dag_run_id?: string }>>(trig.stdout)?.[0]?.dag_run_id;
  if (!runId) fail(`mwaa: 'airflow dags trigger ${id}' did not report a run${trig.stderr.trim() ? `: ${trig.stderr.trim().split("\n").pop()}` : ""}`, "check that the DAG has been picked up (about 30 seconds after deploy) and is not paused");
  o.log(`triggered ${id} run ${runId} in ${env.name}`);
  if (!o.wait) return { executionId: runId, status: "queued", diagnostics: [] };
  const line = new StatusLine(o.isTTY, o.log, o.write ?? ((t) => process.stderr.write(t)));
  const status = await follow(
    async () => {
      // Airflow 3 takes the DAG id of list-runs as an argument, Airflow 2 as -d.
      const listRuns = env.airflowVersion?.startsWith("3") ? ["dags", "list-runs", id] : ["dags", "list-runs", "-d", id];
      const runs = parseJson<Array<{ run_id: string; state: string }>>((await airflowCli(p, o, env, [...listRuns, "-o", "json"])).stdout) ?? [];
      const state = runs.find((r) => r.run_id === runId)?.state ?? "queued";
      const tasks = parseJson<Array<{ task_id: string; state: string | null }>>((await airflowCli(p, o, env, ["tasks", "states-for-dag-run", id, runId, "-o", "json"])).stdout) ?? [];
      return { status: state, steps: tasks.filter((t) => t.state).map((t) => ({ name: t.task_id, status: t.state! })), done: state === "success" || state === "failed" };
    },
    `${id} ${runId}`,
    line,
    o.pollMs ?? (o.endpointUrl ? 1000 : 10000),
  );
  const diagnostics: Diagnostic[] = status === "success" ? [] : [error(undefined, `airflow DAG run ${id} ${runId} ended ${status}`, { code: "run-failed" })];
  return { executionId: runId, status, diagnostics };
}

export const mwaa: TargetDeployer = { deploy, run };
