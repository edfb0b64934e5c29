/**
 * `--substitute NAME=VALUE` and `--substitutions FILE`: a template's `${NAME}`
 * placeholders filled in as SAM and Terraform do (in the text, before it is read),
 * with every position the lifter reports still a place in the file as written.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import stepfunctions from "../../backends/stepfunctions/index.js";
import { checkSubstitutions, fillIn, liftFilledIn, unusedSubstitutions, type Substitutions } from "../../src/backend/substitute.js";
import { liftFile } from "../../src/cli/sources.js";
import { diffPipelines } from "../../src/diff/compare.js";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics.js";
import type { Pos } from "../../src/ir/types.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const CORPUS = join(ROOT, "fixtures", "corpus");
const SFN = join(CORPUS, "stepfunctions");
const TF = "sm-terraform-train-deploy-endpoint-tf";
const BATCH = "sfn-collection-batch-lambda";

const given = (o: Record<string, string>): Substitutions => new Map(Object.entries(o).map(([k, value]) => [k, { value, from: "--substitute" }]));
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
/** The 1-based line and column of the first `needle` in `text` (after `from`). */
function at(text: string, needle: string, from = 0): { line: number; col: number } {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, col: before.at(-1)!.length + 1 };
}
const offset = (text: string, p: Pos) => text.split("\n").slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.col - 1;

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("filling in", () => {
  it("replaces only the names given, wherever they stand, and says which it used", () => {
    const f = fillIn('{"a": "${A}/x/${A}", "n": ${B}, "k": "${Kept}", "p": "arn:${AWS::Partition}:s3:::b"}', given({ A: "one", B: "30", Unused: "u", "AWS::Partition": "aws" }));
    expect(f.text).toBe('{"a": "one/x/one", "n": 30, "k": "${Kept}", "p": "arn:aws:s3:::b"}');
    expect([...f.used].sort()).toEqual(["A", "AWS::Partition", "B"]);
  });

  it("maps a place after a longer or a shorter value on its line, or on later lines after a value with line breaks, back to the text as written", () => {
    const text = 'x ${Long} Y ${S} Z\nw ${VeryLongName} END';
    const f = fillIn(text, given({ Long: "a much longer value", S: "s", VeryLongName: "1\n2" }));
    expect(f.text).toBe("x a much longer value Y s Z\nw 1\n2 END");
    const back = (needle: string) => f.original({ file: "t", ...at(f.text, needle) });
    expect(back("Y")).toEqual({ file: "t", ...at(text, "Y") });
    expect(back("Z")).toEqual({ file: "t", ...at(text, "Z") });
    expect(back("END")).toEqual({ file: "t", ...at(text, "END") });
    // Inside a value: the placeholder it replaced.
    expect(back("longer")).toEqual({ file: "t", ...at(text, "${Long}") });
    expect(back("2")).toEqual({ file: "t", ...at(text, "${VeryLongName}") });
  });

  it("keeps every position of a lift in the file as written: refusals and the pipeline's steps, after values longer and shorter than their placeholders", () => {
    // One line, as CDK and the SDKs write machines: every place after a placeholder moves.
    // (A Fail state follows the Map, so it is refused rather than read as shaping only the output.)
    const template = (resource: string) =>
      `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${resource}","Next":"B"},"B":{"Type":"Task","Resource":"${resource}","Next":"C"},"C":{"Type":"Map","Iterator":{"StartAt":"D","States":{"D":{"Type":"Succeed"}}},"Next":"E"},"E":{"Type":"Fail","Error":"Done"}}}`;
    for (const [placeholder, value] of [
      ["Fn", "arn:aws:lambda:us-east-1:111122223333:function:generate-input"],
      ["TheLambdaFunctionThatGeneratesTheInputOfTheBatchJobArn", "arn:aws:lambda:us-east-1:111122223333:function:g"],
    ]) {
      const text = template(`\${${placeholder}}`);
      const r = liftFilledIn(stepfunctions, { file: "m.asl.json", text }, fillIn(text, given({ [placeholder]: value })));
      expect(errors(r.diagnostics)).toEqual([`m.asl.json:${at(text, '{"Type":"Map"').line}:${at(text, '{"Type":"Map"').col}: error: $.States.C: its iterations run no step (only Pass, Choice, Succeed or Fail states), and a map step runs at least one`]);
      // Without the Map state it lifts: each step is where its state is in the template.
      const ok = text.replace(/,"Next":"C"\},"C":.*$/, ',"End":true}}}');
      const lifted = liftFilledIn(stepfunctions, { file: "m.asl.json", text: ok }, fillIn(ok, given({ [placeholder]: value })));
      expect(errors(lifted.diagnostics)).toEqual([]);
      const b = lifted.pipeline!.steps.find((s) => s.id === "B")!;
      expect(b.pos).toEqual({ file: "m.asl.json", ...at(ok, '{"Type":"Task"', ok.indexOf('"B":{')) });
      expect(JSON.stringify(b)).toContain(JSON.stringify(value));
    }
  });

  it("fills in a placeholder outside a string (Terraform), which makes the file JSON; a value that breaks it is reported at its placeholder", () => {
    const text = readFileSync(join(SFN, `${TF}.asl.json`), "utf8");
    const where = at(text, "${var.volume_size_sagemaker}");
    expect(where).toEqual({ line: 23, col: 27 });
    // Not given: not JSON, and the hint names the option.
    expect(errors(stepfunctions.lift!({ file: TF, text }).diagnostics)).toEqual([
      `${TF}:23:27: error: not JSON: '\${var.volume_size_sagemaker}' is a deployment-time substitution outside a string; the file is JSON only once it is filled in\n  hint: give its value with --substitute var.volume_size_sagemaker=... (or in a --substitutions file)`,
    ]);
    // Given alone: JSON now; the next placeholder the lifter cannot do without is named with its option.
    const some = liftFilledIn(stepfunctions, { file: TF, text }, fillIn(text, given({ "var.volume_size_sagemaker": "30" })));
    expect(errors(some.diagnostics)).toEqual([
      `${TF}:7:17: error: $.States['Configuration Lambda'].Resource: resource '\${aws_lambda_function.lambda_function.arn}' is a deployment-time substitution, so which service it calls is unknown\n  hint: give its value with --substitute aws_lambda_function.lambda_function.arn=... (or in a --substitutions file)`,
    ]);
    // A value that is not JSON where it stands: the error is at the placeholder, line and column of the file as written.
    const bad = liftFilledIn(stepfunctions, { file: TF, text }, fillIn(text, given({ "var.volume_size_sagemaker": "30 GB" })));
    expect(bad.diagnostics.map((d) => [d.pos?.line, d.pos?.col, d.message.startsWith("not JSON")])).toEqual([[23, 27, true]]);
  });

  it("lifts a SageMaker definition through the same place as a state machine", async () => {
    const file = join(CORPUS, "sagemaker", "sagemaker-examples-abalone-condition-register-transform-fail.json");
    const original = readFileSync(file, "utf8");
    const template = original.split("sagemaker-us-west-2-000000000000").join("${Bucket}");
    const values = given({ Bucket: "sagemaker-us-west-2-000000000000" });
    const a = await liftFile({ file: "abalone.json", text: template }, undefined, { values, strict: true });
    const b = await liftFile({ file: "abalone.json", text: original }, undefined);
    expect(a.liftedFrom).toBe("sagemaker");
    expect([...a.substituted!]).toEqual(["Bucket"]);
    expect(a.diagnostics.filter((d) => d.code === "lift-substitute-unused")).toEqual([]);
    expect(diffPipelines(a.pipeline!, b.pipeline!)).toEqual([]);
    // Each step is where it is in the template: the same text starts there as in the filled-in file.
    for (const [s, t] of a.pipeline!.steps.map((s, i) => [s, b.pipeline!.steps[i]] as const)) {
      expect(template.slice(offset(template, s.pos!), offset(template, s.pos!) + 40)).toBe(original.slice(offset(original, t.pos!), offset(original, t.pos!) + 40));
    }
  });

  it("warns of a name given that the file never uses", async () => {
    const text = readFileSync(join(SFN, `${BATCH}.asl.json`), "utf8");
    const values = new Map([
      ...given({ GenerateBatchJobArn: "arn:aws:lambda:us-east-1:111122223333:function:g", partition: "aws", jobQueueArn: "q", jobDefinitionArn: "d" }),
      ["JobQueueArn", { value: "q", from: "subs.json" }],
    ]);
    const r = await liftFile({ file: BATCH, text }, undefined, { values, strict: true });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-substitute-unused").map((d) => formatDiagnostic(d))).toEqual([
      `${BATCH}:1:1: warning: JobQueueArn is given (subs.json) but ${BATCH} never uses \${JobQueueArn}: it is not applied\n  hint: check the name's spelling against the file's placeholders`,
    ]);
    expect(unusedSubstitutions(values, new Set(values.keys()), undefined, BATCH)).toEqual([]);
  });

  it("names the option beside every placeholder left unfilled", () => {
    const text = readFileSync(join(SFN, `${BATCH}.asl.json`), "utf8");
    const r = liftFilledIn(stepfunctions, { file: BATCH, text }, fillIn(text, given({ partition: "aws" })));
    expect(errors(r.diagnostics)).toEqual([
      `${BATCH}:8:21: error: $.States['Generate batch job input'].Resource: resource '\${GenerateBatchJobArn}' is a deployment-time substitution, so which service it calls is unknown\n  hint: give its value with --substitute GenerateBatchJobArn=... (or in a --substitutions file)`,
    ]);
  });
});

describe("the options as typed", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-subst-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it("take a file first and the command line over it; a name given twice alike is one", () => {
    const f = file("ok.json", '{"A": "from file", "B": "b", "AWS::Partition": "aws"}');
    const r = checkSubstitutions(["A=x=y", "C=", "C="], f);
    expect("values" in r && [...r.values]).toEqual([
      ["A", { value: "x=y", from: "--substitute" }],
      ["B", { value: "b", from: f }],
      ["AWS::Partition", { value: "aws", from: f }],
      ["C", { value: "", from: "--substitute" }],
    ]);
  });

  it("are refused with one message each when malformed", () => {
    const problem = (pairs: string[], f?: string) => {
      const r = checkSubstitutions(pairs, f);
      return "problem" in r ? r.problem : undefined;
    };
    expect(problem(["A"])).toBe(`--substitute must be NAME=VALUE, NAME the text between \${ and } (no spaces, braces, '$' or '='), not "A"`);
    expect(problem(["=1"])).toMatch(/^--substitute must be NAME=VALUE/);
    expect(problem(["${A}=1"])).toMatch(/^--substitute must be NAME=VALUE/);
    expect(problem(["A=1", "A=2"])).toBe('--substitute gives A twice, as "1" and "2"');
    expect(problem([], join(dir, "missing.json"))).toBe(`--substitutions ${join(dir, "missing.json")} cannot be read (ENOENT): it must be a JSON object of names and their string values`);
    expect(problem([], file("bad.json", "{"))).toMatch(/ is not JSON: it must be a JSON object/);
    expect(problem([], file("list.json", '["A"]'))).toMatch(/ must hold a JSON object of names and their string values$/);
    expect(problem([], file("num.json", '{"A": 30}'))).toMatch(/: the value of A must be a string, not 30$/);
    expect(problem([], file("name.json", '{"a b": "x"}'))).toMatch(/: "a b" is not a placeholder name/);
  });
});

describe("switchyard import, migrate and diff with --substitute and --substitutions", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-subst-cli-"));
  const sidecar = join(SFN, `${TF}.substitutions.json`);
  const machine = join(SFN, `${TF}.asl.json`);

  it("import fills in a Terraform template and lifts it; a name the file never uses is a warning", () => {
    const r = run(["import", machine, "--substitutions", sidecar, "--substitute", "var.training_instance_type=ml.c5.2xlarge", "--substitute", "var.volume_sise_sagemaker=40"]);
    expect(r.err).not.toContain(": error:");
    expect(r.code).toBe(0);
    expect(r.out).toContain("ml.c5.2xlarge");
    expect(r.out).toContain("s3://ml-pipeline-training-data-111122223333");
    expect(r.out).toMatch(/volume_gb: 30\n/);
    expect(r.err).toContain(`${machine}:1:1: warning: var.volume_sise_sagemaker is given (--substitute) but ${machine} never uses \${var.volume_sise_sagemaker}: it is not applied`);
  });

  it("import without the values says where a placeholder keeps the file from being JSON, and which value to give (a .asl.json is a state machine)", () => {
    const r = run(["import", machine]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${machine}:23:27: error: not JSON: '\${var.volume_size_sagemaker}' is a deployment-time substitution outside a string; the file is JSON only once it is filled in\n  hint: give its value with --substitute var.volume_size_sagemaker=... (or in a --substitutions file)`);
  });

  it("import of a template whose values break it says where, with or without --from", () => {
    const broken = ["--substitutions", sidecar, "--substitute", "var.volume_size_sagemaker=30 GB"];
    const r = run(["import", machine, ...broken]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${machine.replace(/[.*+?^$()|[\]\\]/g, "\\$&")}:23:27: error: not JSON: `, "m"));
    const where = run(["import", machine, "--from", "stepfunctions", ...broken]);
    expect(where.code).toBe(1);
    expect(where.err).toMatch(new RegExp(`^${machine.replace(/[.*+?^$()|[\]\\]/g, "\\$&")}:23:27: error: not JSON: `, "m"));
  });

  it("migrate lifts with the values, and diff with the same values finds the migrated machine equal to the template", () => {
    const out = join(dir, "migrated");
    const m = run(["migrate", machine, "--to", "stepfunctions", "--out", out, "--substitutions", sidecar]);
    expect(m.err).not.toContain(": error:");
    expect(m.code).toBe(0);
    const migrated = join(out, "stepfunctions", readdirSync(join(out, "stepfunctions")).find((f) => f.endsWith(".asl.json"))!);
    const d = run(["diff", machine, migrated, "--substitutions", sidecar]);
    expect(d.out).toMatch(/^equal: 4 steps/);
    expect(d.code).toBe(0);
    // Another value is another pipeline.
    const other = run(["diff", machine, migrated, "--substitutions", sidecar, "--substitute", "var.inference_instance_type=ml.m5.4xlarge"]);
    expect(other.code).toBe(1);
    expect(other.out).toContain("ml.m5.4xlarge");
  });

  it("usage errors exit 2 with the message on one line", () => {
    const bad = join(dir, "list.json");
    writeFileSync(bad, "[]");
    const dag = join(CORPUS, "airflow", "dags", readdirSync(join(CORPUS, "airflow", "dags")).find((f) => f.endsWith(".py"))!);
    for (const [args, message] of [
      [["import", machine, "--substitute", "var.project_name"], `--substitute must be NAME=VALUE`],
      [["migrate", machine, "--to", "airflow", "--out", join(dir, "x"), "--substitutions", join(dir, "none.json")], "cannot be read (ENOENT)"],
      [["diff", machine, machine, "--substitutions", bad], "must hold a JSON object"],
      [["import", dag, "--substitute", "A=1"], "is read by the airflow importer, whose files are not templates"],
      [["import", join(ROOT, "fixtures", "churn.yaml"), "--substitute", "A=1"], "is a Switchyard pipeline"],
      [["diff", join(ROOT, "fixtures", "churn.yaml"), join(ROOT, "fixtures", "churn.yaml"), "--substitute", "A=1"], "neither"],
    ] as const) {
      const r = run([...args]);
      expect(r.code, args.join(" ")).toBe(2);
      const lines = r.err.split("\n").filter((l) => l && !l.startsWith("(run with --help"));
      expect(lines.length, r.err).toBe(1);
      expect(lines[0]).toMatch(/^switchyard: error: /);
      expect(lines[0]).toContain(message);
    }
  });
});
