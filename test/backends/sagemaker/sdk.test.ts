/**
 * Against the real SageMaker Python SDK v2 (from PyPI, test/python/sagemaker-sdk.txt):
 * abalone built with the SDK compares with ours up to a listed set of
 * deliberate differences; every job step's Arguments fit the API request
 * shapes of botocore's service model. No AWS call is made (the endpoint is a
 * closed local port).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { ensureVenv, type Venv } from "../../support/python-env.js";
import { COMPACT, CORPUS, fixture, lower } from "./support/load.js";

let venv: Venv;
let dir: string;
const ENV = {
  ...process.env,
  SAGEMAKER_SUPPRESS_V2_WARNING: "1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  // Any AWS call would fail here instead of leaving the machine.
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
};

beforeAll(() => {
  venv = ensureVenv("sagemaker-sdk");
  dir = mkdtempSync(join(tmpdir(), "sy-sm-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type J = Record<string, any>;

function flat(steps: J[], out = new Map<string, J>()): Map<string, J> {
  for (const s of steps) {
    out.set(s.Name, s);
    if (s.Type === "Condition") flat([...s.Arguments.IfSteps, ...s.Arguments.ElseSteps], out);
  }
  return out;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  const obj = (x: unknown): x is J => x !== null && typeof x === "object" && !Array.isArray(x);
  if (obj(a) && obj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(k in b)) out.push(`sdk only: ${path}/${k}`);
      else if (!(k in a)) out.push(`ours only: ${path}/${k}`);
      else diff(a[k], b[k], `${path}/${k}`, out);
    }
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) a.forEach((x, i) => diff(x, b[i], `${path}/${i}`, out));
  else if (!isDeepStrictEqual(a, b)) out.push(`differs: ${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** The SDK's ModelStep suffixes its step names; ours keep the pipeline's ids (SDK issues #3417, #4765). */
const SDK_NAMES: Record<string, string> = { "register-RegisterModel": "register", "model-CreateModel": "model" };
const rename = (x: unknown): unknown => JSON.parse(JSON.stringify(x).replace(/Steps\.(register-RegisterModel|model-CreateModel)\./g, (_, n) => `Steps.${SDK_NAMES[n]}.`));

describe("SageMaker Python SDK v2", () => {
  it("builds abalone like we do, up to deliberate differences", async () => {
    const p = await fixture("abalone.yaml");
    const files = lower(p, COMPACT).files;
    const manifest = JSON.parse(files.find((f) => f.kind === "manifest")!.contents).files as J[];
    const code = Object.fromEntries(manifest.map((e) => [e.steps[0], e.s3]));
    const outFile = join(dir, "sdk-abalone.json");
    execFileSync(venv.python, [join(__dirname, "sdk", "abalone_sdk.py"), JSON.stringify(code), outFile], { env: ENV, stdio: ["ignore", "ignore", "pipe"] });
    const sdk = JSON.parse(readFileSync(outFile, "utf8"));
    const ours = JSON.parse(files[0].contents);
    const out: string[] = [];
    diff({ ...sdk, Steps: undefined }, { ...ours, Steps: undefined }, "", out);
    const a = flat(sdk.Steps);
    const b = flat(ours.Steps);
    expect([...a.keys()].map((n) => SDK_NAMES[n] ?? n)).toEqual([...b.keys()]);
    for (const [name, s] of a) {
      const mine = SDK_NAMES[name] ?? name;
      const branchNames = (x: J) => (x.Type === "Condition" ? { ...x.Arguments, IfSteps: x.Arguments.IfSteps.map((y: J) => SDK_NAMES[y.Name] ?? y.Name), ElseSteps: x.Arguments.ElseSteps.map((y: J) => y.Name) } : x.Arguments);
      diff(rename({ ...s, Name: mine, Arguments: branchNames(s) }), { ...b.get(mine), Arguments: branchNames(b.get(mine)!) }, `/${mine}`, out);
    }
    // Key order too: every member both write comes in the same order.
    const order: string[] = [];
    const keys = (x: unknown, y: unknown, path: string): void => {
      const obj = (v: unknown): v is J => v !== null && typeof v === "object" && !Array.isArray(v);
      if (obj(x) && obj(y)) {
        const kx = Object.keys(x).filter((k) => k in y);
        const ky = Object.keys(y).filter((k) => k in x);
        if (kx.join() !== ky.join()) order.push(`${path}: ${kx.join()} vs ${ky.join()}`);
        kx.forEach((k) => keys(x[k], y[k], `${path}/${k}`));
      } else if (Array.isArray(x) && Array.isArray(y)) x.forEach((v, i) => keys(v, y[i], `${path}/${i}`));
    };
    keys(sdk, ours, "");
    expect(order).toEqual([]);
    expect(out).toEqual([
      // Estimator defaults: the SDK turns on the debugger hook and writes a disabled profiler; the IR has neither.
      "sdk only: /train/Arguments/DebugHookConfig",
      "sdk only: /train/Arguments/ProfilerConfig",
      // Empty placeholders and the API default (SkipModelValidation "None") that the SDK always writes.
      "sdk only: /register/Arguments/ModelMetrics/Bias",
      "sdk only: /register/Arguments/ModelMetrics/Explainability",
      "sdk only: /register/Arguments/SkipModelValidation",
      // Model.register() takes no tags; CreateModelPackage does, and the pipeline's tags apply to every resource.
      "ours only: /register/Arguments/Tags",
    ]);
  });

  it("every job step's Arguments fit the API request shape (botocore service model)", async () => {
    const paths: string[] = [];
    const kinds = await loadPipelineFile(join(__dirname, "data", "kinds.yaml"));
    const pipelines = [await fixture("abalone.yaml"), await fixture("churn.yaml"), kinds.pipeline!];
    pipelines.forEach((p, i) => {
      const f = join(dir, `ours-${i}.json`);
      writeFileSync(f, lower(p, COMPACT).files[0].contents);
      paths.push(f);
    });
    const broken = JSON.parse(readFileSync(paths[0], "utf8"));
    broken.Steps[0].Arguments.ProcessingResources.ClusterConfig.InstanceCount = "1";
    broken.Steps[0].Arguments.AppSpecification.Entrypoint = ["python3"];
    broken.Steps[1].Arguments.StoppingCondition.MaxRuntimeInSeconds = 0;
    const brokenFile = join(dir, "broken.json");
    writeFileSync(brokenFile, JSON.stringify(broken));
    const run = (files: string[]) => JSON.parse(execFileSync(venv.python, [join(__dirname, "sdk", "shape_check.py"), ...files], { env: ENV, encoding: "utf8" })) as string[];
    expect(run(paths)).toEqual([]);
    expect(run([brokenFile])).toEqual([
      'broken.json preprocess (CreateProcessingJob)/ProcessingResources/ClusterConfig/InstanceCount: expected an integer, got "1"',
      "broken.json preprocess (CreateProcessingJob)/AppSpecification/Entrypoint: not a member of AppSpecification",
      "broken.json train (CreateTrainingJob)/StoppingCondition/MaxRuntimeInSeconds: 0 outside 1..None",
    ]);
    // The real definitions pass too, except the SDK unit tests' stub steps with empty Arguments.
    const corpus = run(["abalone-condition-register-transform-fail", "lambda-step-deploy-endpoint", "local-mode-repack-model", "quality-clarify-check-steps", "tuning-step-top-model"].map((n) => join(CORPUS, `sagemaker-examples-${n}.json`)));
    expect(corpus).toEqual([]);
  });

  it("schedule.json is a valid CreateSchedule request whose Input is a valid StartPipelineExecution request", async () => {
    const f = join(dir, "schedule.json");
    writeFileSync(f, lower(await fixture("abalone.yaml")).files.find((x) => x.kind === "schedule")!.contents);
    const bad = join(dir, "bad-schedule.json");
    const req = JSON.parse(readFileSync(f, "utf8"));
    req.Target.Input = JSON.stringify({ PipelineName: "abalone" });
    writeFileSync(bad, JSON.stringify(req));
    const out = JSON.parse(execFileSync(venv.python, [join(__dirname, "sdk", "schedule_check.py"), f, bad], { env: ENV, encoding: "utf8" })) as string[];
    expect(out).toEqual([expect.stringMatching(/^bad-schedule\.json StartPipelineExecution: Missing required parameter in input: "ClientRequestToken"/)]);
  });
});
