/**
 * State machines written in YAML (the AWS Toolkit's and SAM projects'
 * `*.asl.yaml`): the same machine lifts to the same pipeline, with the same
 * warnings and refusals, as its JSON; every message points into the YAML
 * file; and YAML's own constructs are read as a pipeline file's are (bounded
 * aliases, no merge keys, no tags, CloudFormation's `!GetAtt` named as such).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import backend from "../../../backends/stepfunctions/index.js";
import { checkSubstitutions, fillIn } from "../../../src/backend/substitute.js";
import { formatDiagnostic, type Diagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { CORPUS } from "../../support/corpus.js";
import { ROOT } from "../../support/python-env.js";

const DIR = `${CORPUS}/stepfunctions`;
const JSON_FILES = readdirSync(DIR).filter((f) => f.endsWith(".asl.json")).sort();
const lift = (file: string, text: string) => backend.lift!({ file, text });
/** What a diagnostic says, wherever it is said. */
const said = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`);
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));

/** A corpus machine as deployed, its placeholders filled in from its sidecar. */
function filled(f: string): string {
  const text = readFileSync(`${DIR}/${f}`, "utf8");
  const sidecar = `${DIR}/${f.replace(/\.asl\.json$/, ".substitutions.json")}`;
  if (!existsSync(sidecar)) return text;
  const r = checkSubstitutions([], sidecar);
  if ("problem" in r) throw new Error(r.problem);
  return fillIn(text, r.values).text;
}

/** The machines that are JSON once filled in (one corpus file was published broken: it has no YAML form). */
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("a state machine written in YAML", () => {
  test("every corpus machine but the one published broken is JSON once filled in", () => {
    expect(JSON_FILES.filter((f) => !isJson(filled(f)))).toEqual(["sfn-collection-iot-data-analytics-dataset.asl.json"]);
  });

  test.each(JSON_FILES.filter((f) => isJson(filled(f))))("%s, written as YAML, lifts as its JSON does", (f) => {
    const json = filled(f);
    const fromJson = lift(f, json);
    const yamlFile = f.replace(/\.json$/, ".yaml");
    const fromYaml = lift(yamlFile, stringify(JSON.parse(json)));
    expect(said(fromYaml.diagnostics)).toEqual(said(fromJson.diagnostics));
    expect(fromYaml.pipeline === undefined).toBe(fromJson.pipeline === undefined);
    if (fromJson.pipeline) expect(diffPipelines(fromJson.pipeline, fromYaml.pipeline!)).toEqual([]);
    // Every message points into the YAML file.
    for (const d of fromYaml.diagnostics) expect(d.pos.file).toBe(yamlFile);
  });

  const machine = [
    "Comment: Train, then notify",
    "StartAt: Train",
    "States:",
    "  Train:",
    "    Type: Task",
    "    Resource: arn:aws:states:::lambda:invoke",
    "    Parameters:",
    "      FunctionName: arn:aws:lambda:us-east-1:111122223333:function:train",
    "      Payload.$: $",
    "    Next: Notify",
    "  Notify:",
    "    Type: Task",
    "    Resource: arn:aws:states:::sns:publish",
    "    Parameters:",
    "      TopicArn: arn:aws:sns:us-east-1:111122223333:done",
    "      Message: trained",
    "    End: true",
    "",
  ];

  test("messages give the line and column in the YAML file", () => {
    const text = machine.join("\n").replace("Resource: arn:aws:states:::sns:publish", "Resource: arn:aws:states:::sns:publishBatch");
    const r = lift("m.asl.yaml", text);
    expect(r.pipeline).toBeUndefined();
    const [e] = errors(r.diagnostics);
    // Line 13, column 15: the value of Notify's Resource.
    expect(e).toMatch(/^m\.asl\.yaml:13:15: error: \$\.States\.Notify\.Resource: /);
    expect(text.split("\n")[12].slice(14)).toBe("arn:aws:states:::sns:publishBatch");
  });

  test("CloudFormation's short-form functions are refused where they are written, with what to do instead", () => {
    const text = machine.join("\n").replace("FunctionName: arn:aws:lambda:us-east-1:111122223333:function:train", "FunctionName: !GetAtt TrainFunction.Arn");
    const r = lift("m.asl.yaml", text);
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "m.asl.yaml:8:21: error: the YAML tag '!GetAtt' is not supported: a state machine holds plain strings, numbers, booleans, lists and maps\n" +
        "  hint: a CloudFormation function is filled in when the template is deployed: write the value it gives, or a ${Name} placeholder and its value with --substitute",
    ]);
  });

  test("YAML's own constructs are read as in a pipeline file: bounded aliases, no merge keys, no prototype keys", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "StartAt: A", "States: {A: {Type: Succeed}}"].join("\n");
    expect(errors(lift("bomb.asl.yaml", bomb).diagnostics)).toEqual([expect.stringMatching(/^bomb\.asl\.yaml:\d+:\d+: error: aliases expand to more than 100000 values/)]);
    const merged = machine.join("\n").replace("  Notify:\n    Type: Task", "  Notify:\n    <<: {Type: Task}");
    expect(errors(lift("m.asl.yaml", merged).diagnostics)).toEqual(["m.asl.yaml:12:5: error: merge keys ('<<') are not supported\n  hint: write the keys out, or use an alias (*name) for a whole value"]);
    const proto = machine.join("\n").replace("      Message: trained", "      __proto__: {Message: trained}");
    expect(errors(lift("m.asl.yaml", proto).diagnostics)).toEqual(["m.asl.yaml:16:7: error: the key '__proto__' is not allowed\n  hint: it would change the prototype of an object, not add a key"]);
  });

  test("the CLI finds the importer for a YAML machine by itself, lifts it, and diff finds it equal to its JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-yaml-asl-"));
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "dist", "bin", "switchyard.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    writeFileSync(join(dir, "train.asl.yaml"), machine.join("\n"));
    writeFileSync(join(dir, "train.asl.json"), JSON.stringify(parse(machine.join("\n")), null, 2));
    // No extension that says YAML: StartAt and States at the top say it is a state machine.
    writeFileSync(join(dir, "definition"), machine.join("\n"));
    const imported = cli("import", "train.asl.yaml");
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(
      [
        "version: 1",
        "pipeline: train",
        "description: Train, then notify",
        "region: us-east-1",
        "artifacts: s3://switchyard-artifacts",
        "steps:",
        "  Train:",
        "    type: lambda",
        "    function: arn:aws:lambda:us-east-1:111122223333:function:train",
        "    payload: ${{ execution.input }}",
        "  Notify:",
        "    type: aws",
        "    depends_on:",
        "      - Train",
        "    service: sns",
        "    action: Publish",
        "    request:",
        "      TopicArn: arn:aws:sns:us-east-1:111122223333:done",
        "      Message: trained",
        "",
      ].join("\n"),
    );
    for (const other of ["train.asl.json", "definition"]) {
      const d = cli("diff", "train.asl.yaml", other);
      expect(d.status, d.stderr).toBe(0);
      expect(d.stdout).toBe("equal: 2 steps with the same requests, dependencies, branches, retries and schedule\n");
    }
  });
});
