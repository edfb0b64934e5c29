/** The CLI as a user runs it: whole processes, exit codes, files on disk. */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: the bench generator is plain JavaScript
import { generate } from "../../bench/generate.mjs";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const ECHO = join(ROOT, "test", "core", "plugins", "echo-backend.mjs");

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, SWITCHYARD_BACKENDS: ECHO, ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), "switchyard-cli-"));
  cpSync(join(ROOT, "fixtures"), d, { recursive: true });
  return d;
}

describe("switchyard CLI", () => {
  it("validates the bundled examples", () => {
    for (const f of ["fixtures/abalone.yaml", "fixtures/churn.yaml"]) {
      const r = run(["validate", f]);
      // Warnings stay (a cached step runs every time on Step Functions and Airflow); no error.
      expect(r.err).not.toContain(": error:");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/: ok: pipeline '.*; compiles for sagemaker, stepfunctions, airflow\n$/);
    }
  });

  it("validate runs every target's checks: a missing role is one error naming the targets and steps, as compile reports it", () => {
    const d = workdir();
    writeFileSync(join(d, "prep.py"), "print(1)\n");
    writeFileSync(
      join(d, "norole.yaml"),
      "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  prep: { type: processing, image: sklearn:1.2-1, code: prep.py, instance: ml.m5.xlarge }\n  train: { type: training, image: xgboost:1.7-1, instance: ml.m5.xlarge, depends_on: [prep] }\n",
    );
    const role = (targets: string) =>
      `norole.yaml:1:1: error: ${targets}: SageMaker jobs need the pipeline's 'role' (an IAM role ARN), and none is set (steps 'prep', 'train')\n` +
      "  hint: add 'role: arn:aws:iam::<account>:role/<name>' to the pipeline (in TypeScript: role in pipeline({ ... }))\n";
    const v = run(["validate", "norole.yaml"], { cwd: d });
    expect(v.code).toBe(1);
    expect(v.err).toBe(role("sagemaker, stepfunctions, airflow"));
    const c = run(["compile", "norole.yaml", "--out", "out"], { cwd: d });
    expect(c.code).toBe(1);
    expect(c.err).toBe(v.err);
    const one = run(["validate", "norole.yaml", "--target", "airflow"], { cwd: d });
    expect(one.err).toBe(role("airflow"));
    expect(run(["validate", "norole.yaml", "--target", "nosuch"], { cwd: d }).code).toBe(2);
    // The file alone has no problem.
    const alone = run(["validate", "--no-targets", "norole.yaml"], { cwd: d });
    expect(alone.code).toBe(0);
    expect(alone.out).toBe("norole.yaml: ok: pipeline 'p', 2 steps (processing, training), 0 parameters\n");
  });

  it("validate: a problem every target has is one line naming them all", () => {
    const d = workdir();
    writeFileSync(
      join(d, "img.yaml"),
      "version: 1\npipeline: p\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  m: { type: model, image: xgboost:9.9-9, model: s3://bucket/m.tar.gz }\n",
    );
    const v = run(["validate", "img.yaml"], { cwd: d });
    expect(v.code).toBe(1);
    expect(v.err.split("\n").filter((l) => l.includes(": error:"))).toEqual([
      "img.yaml:7:28: error: sagemaker, stepfunctions, airflow: no inference image of xgboost version '9.9-9' is known (known: 1.0-1, 1.2-1, 1.2-2, 1.3-1, 1.5-1, 1.7-1, 3.0-5); give a full image URI",
    ]);
  });

  it("validate: an image that is neither a registry URI nor a shorthand is sent as written, with one warning for every target", () => {
    const d = workdir();
    writeFileSync(
      join(d, "img.yaml"),
      "version: 1\npipeline: p\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  m: { type: model, image: '${InferenceImage}', model: s3://bucket/m.tar.gz }\n",
    );
    const v = run(["validate", "img.yaml"], { cwd: d });
    expect(v.code).toBe(0);
    expect(v.err.split("\n").filter((l) => l.includes(": warning:"))).toEqual([
      "img.yaml:7:29: warning: sagemaker, stepfunctions, airflow: image '${InferenceImage}' is a deployment-time substitution (AWS SAM / CloudFormation): it is kept as written, for the template to fill in",
    ]);
  });

  it("says in words why a file cannot be read", () => {
    const r = run(["validate", "no-such-pipeline.yaml"]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe("no-such-pipeline.yaml:1:1: error: cannot read the file: no such file");
  });

  it("reports user errors as file:line:col, exit 1, without colour off a terminal", () => {
    const d = workdir();
    writeFileSync(join(d, "bad.yaml"), readFileSync(join(d, "abalone.yaml"), "utf8").replace("type: training", "type: trainng"));
    const r = run(["validate", "bad.yaml"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.err).toContain("bad.yaml:65:11: error: unknown step kind 'trainng' in step 'train'; did you mean 'training'?");
    expect(r.err).not.toMatch(/\u001b\[/);
  });

  it("colours diagnostics on a terminal, and never with NO_COLOR", () => {
    // `script` (util-linux) gives the command a pseudo-terminal.
    const d = workdir();
    writeFileSync(join(d, "bad.yaml"), "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  f: { type: fial, message: x }\n");
    const onTty = (env: Record<string, string>) => {
      const base = { ...process.env };
      delete base.NO_COLOR;
      delete base.FORCE_COLOR;
      return spawnSync("script", ["-qec", `${process.execPath} ${CLI} validate bad.yaml`, "/dev/null"], { cwd: d, encoding: "utf8", env: { ...base, ...env } });
    };
    const coloured = onTty({});
    expect(coloured.status).toBe(1);
    expect(coloured.stdout).toContain("\u001b[31merror:");
    const plain = onTty({ NO_COLOR: "1" });
    expect(plain.stdout).toContain("bad.yaml:6:14: error: unknown step kind 'fial'");
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });

  it("exits 2 on usage errors and 0 on --help / --version", () => {
    // Commander's messages and ours share one prefix.
    for (const args of [["compile"], ["frobnicate"], ["compile", "x.yaml", "--bogus"], ["graph", "fixtures/abalone.yaml", "--format", "png"], ["compile", "fixtures/abalone.yaml", "--airflow", "4"]]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.split("\n")[0], args.join(" ")).toMatch(/^switchyard: error: \S/);
      expect(r.err).not.toMatch(/^error:/m);
    }
    const v = run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    const h = run(["--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("compile");
  });

  it("an output path that cannot be written is one line naming why, no stack trace: exit 2 for --out naming a file, else 1", () => {
    const d = workdir();
    writeFileSync(join(d, "taken"), "a file\n");
    writeFileSync(join(d, "nofail.yaml"), "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  m: { type: model, image: x, model: s3://bucket/m.tar.gz }\n");
    const file = run(["compile", "nofail.yaml", "--target", "echo", "--out", "taken"], { cwd: d });
    expect(file.code).toBe(2);
    expect(file.err).toBe("switchyard: error: --out 'taken' is a file; give a folder (it is created if missing)\n(run with --help for usage)\n");
    const under = run(["compile", "nofail.yaml", "--target", "echo", "--out", "taken/sub"], { cwd: d });
    expect(under.code).toBe(1);
    expect(under.err).toBe("switchyard: error: cannot write taken/sub/echo/steps.txt: a part of the path is a file, not a folder; no file was changed\n");
    const folder = run(["import", "abalone.yaml", "--out", "."], { cwd: d });
    expect(folder.code).toBe(1);
    expect(folder.err).toBe("switchyard: error: cannot write .: a folder is in the way; no file was changed\n");
    expect(readFileSync(join(d, "taken"), "utf8")).toBe("a file\n");
  });

  it("check: the feature that fails the gate is an error that says so", () => {
    // Step Functions runs a cached step without its cache (unsupported, a warning when compiling).
    const compile = run(["compile", "fixtures/abalone.yaml", "--target", "stepfunctions", "--out", mkdtempSync(join(tmpdir(), "switchyard-cli-"))]);
    expect(compile.code).toBe(0);
    expect(compile.err).toMatch(/abalone\.yaml:45:3: warning: stepfunctions: step 'preprocess': step result cache is not supported/);
    const r = run(["check", "fixtures/abalone.yaml", "--target", "stepfunctions", "--fail-on", "unsupported"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toEqual([
      "fixtures/abalone.yaml:45:3: error: step 'preprocess': step result cache is not supported by AWS Step Functions, which fails --fail-on unsupported: Step Functions has no step result cache: the step runs again in every execution (same results, more compute time)",
    ]);
    expect(r.out).toContain("--fail-on unsupported: FAIL");
  });

  it("prints the IR with and without positions", () => {
    const plain = JSON.parse(run(["ir", "fixtures/abalone.yaml"]).out);
    expect(plain.steps.map((s: { id: string }) => s.id)).toEqual(["preprocess", "train", "evaluate", "mse_gate", "register", "model", "batch_score", "mse_too_high"]);
    expect(JSON.stringify(plain)).not.toContain('"pos"');
    const withPos = JSON.parse(run(["ir", "fixtures/abalone.yaml", "--positions"]).out);
    expect(withPos.steps[0].pos).toEqual({ file: "fixtures/abalone.yaml", line: 45, col: 3 });
  });

  it("draws the graph as Mermaid and DOT", () => {
    const m = run(["graph", "fixtures/abalone.yaml"]).out;
    expect(m.split("\n")[0]).toBe("flowchart TD");
    expect(m).toContain('s3{"mse_gate<br/><i>condition</i>"}');
    expect(m).toContain("s3 -->|then| s4");
    expect(m).toContain("s3 -->|else| s7");
    // batch_score needs the model, which is in mse_gate's then branch: the edge mse_gate→batch_score is implied.
    expect(m.split("\n").filter((l) => l.includes("-->"))).toEqual(["  s0 --> s1", "  s1 --> s2", "  s2 --> s3", "  s3 -->|then| s4", "  s3 -->|then| s5", "  s5 --> s6", "  s3 -->|else| s7"]);
    const all = run(["graph", "fixtures/abalone.yaml", "--all-edges"]).out;
    expect(all).toContain("s3 -->|then| s6");
    expect(all).toContain("s0 --> s2");
    const dot = run(["graph", "fixtures/abalone.yaml", "--format", "dot"]).out;
    expect(dot).toContain('"mse_gate" -> "mse_too_high" [label="else"];');
    expect(dot).toContain('"mse_gate" [label="mse_gate\\ncondition", shape=diamond];');
    const arrows = (t: string) => t.split("\n").filter((l) => l.includes(" -> ")).map((l) => l.trim());
    expect(arrows(dot)).toEqual([
      '"preprocess" -> "train";',
      '"train" -> "evaluate";',
      '"evaluate" -> "mse_gate";',
      '"mse_gate" -> "register" [label="then"];',
      '"mse_gate" -> "model" [label="then"];',
      '"model" -> "batch_score";',
      '"mse_gate" -> "mse_too_high" [label="else"];',
    ]);
    // --all-edges adds every dependency another path implies, in DOT too.
    const allDot = arrows(run(["graph", "fixtures/abalone.yaml", "--format", "dot", "--all-edges"]).out);
    expect(allDot.filter((l) => !arrows(dot).includes(l))).toEqual([
      '"preprocess" -> "evaluate";',
      '"train" -> "register";',
      '"evaluate" -> "register";',
      '"train" -> "model";',
      '"mse_gate" -> "batch_score" [label="then"];',
      '"evaluate" -> "mse_too_high";',
    ]);
    expect(arrows(dot).every((l) => allDot.includes(l))).toBe(true);
  });

  it("writes SageMaker's pipeline.json indented; --compact writes the SDK's one line; the summary says which and what deploy sends", () => {
    const d = workdir();
    const r = run(["compile", "abalone.yaml", "--target", "sagemaker", "--out", "out", "--json"], { cwd: d });
    expect(r.code).toBe(0);
    const indented = readFileSync(join(d, "out", "sagemaker", "pipeline.json"), "utf8");
    expect(indented.startsWith('{\n  "Version": "2020-12-01",\n  "Metadata": {},\n')).toBe(true);
    expect(JSON.parse(r.out).targets[0].summary).toMatchObject({ definitionLayout: "indented", deploySends: "minified" });
    const c = run(["compile", "abalone.yaml", "--target", "sagemaker", "--out", "compact", "--compact", "--json"], { cwd: d });
    expect(c.code).toBe(0);
    const compact = readFileSync(join(d, "compact", "sagemaker", "pipeline.json"), "utf8");
    expect(compact).toBe(readFileSync(join(ROOT, "test", "backends", "sagemaker", "golden", "abalone.pipeline.json"), "utf8"));
    expect(JSON.parse(c.out).targets[0].summary).toMatchObject({ definitionLayout: "compact", deploySends: "minified" });
    expect(JSON.parse(indented)).toEqual(JSON.parse(compact));
    // The other targets do not change with it.
    run(["compile", "abalone.yaml", "--target", "stepfunctions", "--out", "a"], { cwd: d });
    run(["compile", "abalone.yaml", "--target", "stepfunctions", "--out", "b", "--compact"], { cwd: d });
    expect(readFileSync(join(d, "b", "stepfunctions", "state-machine.asl.json"), "utf8")).toBe(readFileSync(join(d, "a", "stepfunctions", "state-machine.asl.json"), "utf8"));
  });

  it("compiles through a backend plugin and writes files under <out>/<target>/", () => {
    const d = workdir();
    writeFileSync(join(d, "nofail.yaml"), "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  m: { type: model, image: x, model: s3://bucket/m.tar.gz }\n");
    const r = run(["compile", "nofail.yaml", "--target", "echo", "--out", "out", "--json"], { cwd: d });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.targets[0].files).toEqual([
      { path: "out/echo/steps.txt", kind: "definition", bytes: 8 },
      { path: "out/echo/nested/name.txt", kind: "meta", bytes: 2 },
    ]);
    expect(readFileSync(join(d, "out", "echo", "steps.txt"), "utf8")).toBe("m model\n");
  });

  it("refuses unsupported features naming every step, and writes nothing", () => {
    const d = workdir();
    const r = run(["compile", "abalone.yaml", "--target", "echo", "--out", "out"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.err).toContain("abalone.yaml:139:3: error: echo: step 'mse_too_high': fail step is not supported by Echo: echo has no failure state");
    expect(existsSync(join(d, "out"))).toBe(false);
  });

  it("a failed compile leaves earlier outputs untouched", () => {
    const d = workdir();
    const ok = "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  m: { type: model, image: x, model: s3://bucket/m.tar.gz }\n";
    writeFileSync(join(d, "p.yaml"), ok);
    expect(run(["compile", "p.yaml", "-t", "echo", "-o", "out"], { cwd: d }).code).toBe(0);
    const file = join(d, "out", "echo", "steps.txt");
    const before = { text: readFileSync(file, "utf8"), mtime: statSync(file).mtimeMs };
    // A step id the backend rejects: lowering fails after the IR checks pass.
    writeFileSync(join(d, "p.yaml"), ok.replace("  m:", "  a_very_long_step_name_indeed:"));
    const r = run(["compile", "p.yaml", "-t", "echo", "-o", "out"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.err).toContain("error: echo: step 'a_very_long_step_name_indeed' is too long for echo");
    expect(readFileSync(file, "utf8")).toBe(before.text);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
  });

  it("names a missing backend clearly, as a usage error", () => {
    const r = run(["compile", "fixtures/abalone.yaml", "--target", "nosuch", "--out", join(tmpdir(), "never")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no backend for target 'nosuch': install the package 'switchyard-backend-nosuch' to add it");
  });

  it("imports a target file through the backend that recognises it, as YAML that validates", () => {
    const d = workdir();
    const ir = run(["ir", "abalone.yaml"], { cwd: d }).out;
    writeFileSync(join(d, "abalone.echo.json"), ir);
    const r = run(["import", "abalone.echo.json", "--to", "yaml", "--out", "lifted.yaml"], { cwd: d });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const v = run(["validate", "lifted.yaml"], { cwd: d });
    expect(v.err).not.toContain(": error:");
    expect(v.code).toBe(0);
    expect(JSON.parse(run(["ir", "lifted.yaml"], { cwd: d }).out).steps).toEqual(JSON.parse(ir).steps);
  });

  it("import --name names the lifted pipeline (else the file's name is its name); a name no target takes is a usage error", () => {
    const d = workdir();
    expect(run(["compile", "churn.yaml", "--target", "stepfunctions", "--out", "out"], { cwd: d }).code).toBe(0);
    const asl = join("out", "stepfunctions", "state-machine.asl.json");
    const name = (extra: string[]) => {
      const r = run(["import", asl, ...extra], { cwd: d });
      expect(r.code).toBe(0);
      return /^pipeline: (.*)$/m.exec(r.out)?.[1];
    };
    expect(name([])).toBe("state-machine");
    expect(name(["--name", "churn-nightly"])).toBe("churn-nightly");
    const bad = run(["import", asl, "--name", "churn nightly"], { cwd: d });
    expect([bad.code, bad.err.split("\n")[0]]).toEqual([2, `switchyard: error: --name must be a pipeline name of letters, digits, '_', '.' and '-' (at most 250), not "churn nightly"`]);
  });

  it("prints a pipeline in the other front end's syntax: YAML keeps its comments, TypeScript reads back the same", () => {
    const d = workdir();
    const yaml = run(["import", "abalone.yaml", "--to", "yaml", "--out", "again.yaml"], { cwd: d });
    expect(yaml.code).toBe(0);
    const again = readFileSync(join(d, "again.yaml"), "utf8");
    expect(again.split("\n")[0]).toBe("# The canonical SageMaker example, written once for every orchestrator:");
    expect(again).toContain("artifacts: s3://example-ml-artifacts/abalone # where step outputs and uploaded code live");
    const ir = (f: string) => JSON.parse(run(["ir", f], { cwd: d }).out);
    const steps = ir("abalone.yaml").steps;
    expect(ir("again.yaml").steps).toEqual(steps);
    expect(run(["import", "abalone.ts", "--to", "yaml", "--out", "from-ts.yaml"], { cwd: d }).code).toBe(0);
    expect(ir("from-ts.yaml").steps).toEqual(steps);
    expect(run(["import", "churn.yaml", "--to", "ts", "--out", "churn-again.ts"], { cwd: d }).code).toBe(0);
    expect(ir("churn-again.ts").steps).toEqual(ir("churn.yaml").steps);
  });

  it("a reader that stops early (`| head`) ends nothing badly: no stack trace, the command's own exit code", async () => {
    const d = mkdtempSync(join(tmpdir(), "switchyard-cli-"));
    mkdirSync(join(d, "scripts"));
    writeFileSync(join(d, "scripts", "step.py"), "print('step')\n");
    // About 1.5 MB of IR: more than a pipe holds, so the CLI is still writing when the reader goes.
    writeFileSync(join(d, "big.yaml"), generate("random", 1000, 7));
    const child = spawn(process.execPath, [CLI, "ir", "big.yaml"], { cwd: d, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    let first = "";
    child.stdout.once("data", (b: Buffer) => {
      first = b.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(first.startsWith("{")).toBe(true);
    expect(err).toBe("");
    expect(code).toBe(0);
  });
});
