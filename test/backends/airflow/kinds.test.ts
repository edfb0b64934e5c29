/**
 * Step kinds the fixtures do not use (tuning, notebook) and the job-name rule:
 * lowered, lint-clean, and SageMaker names within their limits whatever the step id.
 */
import { execFileSync } from "node:child_process";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";
import { describe, expect, test } from "vitest";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { loadFixture, lowerFor } from "./support/fixtures.js";

const ruff = ruffWorkspace();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

async function withExtraSteps(make: (p: Pipeline) => Step[]): Promise<Pipeline> {
  const p = clone(await loadFixture("abalone"));
  p.steps.push(...make(p));
  return p;
}

describe("tuning and notebook steps", () => {
  test("lower to SageMakerTuningOperator and a papermill processing job, lint-clean", async () => {
    const p = await withExtraSteps((p) => {
      const train = p.steps.find((s) => s.id === "train") as Extract<Step, { kind: "training" }>;
      const tune: Step = {
        ...clone(train),
        id: "tune",
        kind: "tuning",
        ranges: { eta: { type: "continuous", min: 0.1, max: 0.5, pos: p.pos }, max_depth: { type: "integer", min: 3, max: 9, pos: p.pos } },
        objective: { metric: "validation:rmse", type: "Minimize", pos: p.pos },
        strategy: "Bayesian",
        max_jobs: 6,
        parallel_jobs: 2,
      };
      const nb: Step = {
        id: "report",
        kind: "notebook",
        depends_on: ["tune"],
        tags: {},
        environment: {},
        targets: {},
        pos: p.pos,
        notebook: { path: "notebooks/report.ipynb", sha256: "ab".repeat(32), pos: p.pos },
        image: { kind: "literal", value: "sklearn:1.2-1", type: "string", pos: p.pos },
        instance: { type: { kind: "literal", value: "ml.m5.large", type: "string", pos: p.pos }, pos: p.pos },
        kernel: "python3",
        parameters: { model: { kind: "ref", ref: { scope: "steps", step: "tune", attr: "model" }, pos: p.pos } },
      };
      return [tune, nb];
    });
    const r = lowerFor(p);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const text = r.files[0].contents;
    expect(text).toContain("tune = SageMakerTuningOperator(");
    expect(text).toContain("\"{{ sy_job_name('tune', run_id, ti.try_number, 32) }}\"");
    expect(text).toContain('"ContainerEntrypoint": ["papermill"]');
    expect(text).toMatch(/"ContainerArguments": \[\n\s+"\/opt\/ml\/processing\/input\/code\/report.ipynb",\n\s+"\/opt\/ml\/processing\/output\/report.ipynb",\n\s+"-k",\n\s+"python3",\n\s+"-p",\n\s+"model",/);
    // The notebook's `model` parameter is the best training job's artifact.
    expect(text.replace(/"\n\s*"/g, "")).toContain("sy_xcom(ti, 'tune', 'Tuning', 'BestTrainingJob', 'TrainingJobName')");
    const findings = ruff.check(text).filter((d) => !asksForAirflow3(d));
    expect(findings.map((d) => d.message)).toEqual([]);
    expect(ruff.format(text)).toBe(text);
  });
});

describe("SageMaker names", () => {
  test("sy_job_name stays within 63 (32 for tuning) characters and SageMaker's pattern for any task id and attempt", async () => {
    const text = lowerFor(await loadFixture("abalone")).files.find((f) => f.kind === "helpers")!.contents;
    const fn = text.slice(text.indexOf("def sy_job_name"), text.indexOf("\n\n\n", text.indexOf("def sy_job_name")));
    const ids = ["preprocess", "a".repeat(250), "x_y.z-", "_", "-.-", "9lives", `${"b".repeat(40)}_${"c".repeat(40)}`];
    const script = `import hashlib, json, re\n${fn}\nout = []\nfor t in ${JSON.stringify(ids)}:\n    for n in (1, 12, 100):\n        out.append([sy_job_name(t, "manual__2026-01-05T06:00:00+00:00", n, dag_id="abalone"), sy_job_name(t, "scheduled__x", n, 32, dag_id="abalone")])\nprint(json.dumps(out))`;
    const names: string[][] = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
    for (const [full, tuning] of names) {
      expect(full).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
      expect(tuning).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/);
    }
    // Unique per run and attempt.
    expect(new Set(names.map((n) => n[0])).size).toBe(names.length);
  });
});

describe("parameters in templated fields", () => {
  test("a boolean parameter renders as true/false (the pipeline's spelling), through the sy_str macro", async () => {
    const p = clone(await loadFixture("abalone"));
    p.parameters.push({ name: "early", type: "boolean", default: true, pos: p.pos });
    const train = p.steps.find((s) => s.id === "train") as Extract<Step, { kind: "training" }>;
    train.hyperparameters.early_stop = { kind: "ref", ref: { scope: "params", name: "early" }, pos: p.pos };
    const text = lowerFor(p).files[0].contents;
    expect(text).toContain(`"early_stop": "{{ sy_str(params['early']) }}",`);
    expect(text).toContain('"sy_str": sy_str,');
    expect(text).toContain('"early": Param(True, type="boolean"),');
    expect(ruff.check(text).filter((d) => !asksForAirflow3(d))).toEqual([]);
  });
});
