/**
 * A CloudFormation or SAM template that deploys a state machine is lifted as
 * that machine: inline (`Definition`), as a JSON string (`DefinitionString`,
 * `Fn::Sub`, CDK's `Fn::Join`) or from the file SAM's `DefinitionUri` names;
 * literal `DefinitionSubstitutions` filled in, those a CloudFormation function
 * gives kept as placeholders with a warning. Each lifts to the same pipeline as
 * the machine written on its own.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { ROOT } from "../../support/python-env.js";

const FN = "arn:aws:lambda:us-east-1:111122223333:function:train";
const TOPIC = "arn:aws:sns:us-east-1:111122223333:done";
/** The machine on its own, as the reference each template form must lift to. */
const MACHINE = {
  Comment: "Train, then notify",
  StartAt: "Train",
  States: {
    Train: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN, "Payload.$": "$" }, Next: "Notify" },
    Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: TOPIC, Message: "trained" }, End: true },
  },
};
const reference = backend.lift!({ file: "train.asl.json", text: JSON.stringify(MACHINE, null, 2) }).pipeline!;

const SAM = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  TrainFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
  TrainStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: train
      DefinitionSubstitutions:
        TrainFunctionArn: !GetAtt TrainFunction.Arn
        TopicArn: ${TOPIC}
      Definition:
        Comment: Train, then notify
        StartAt: Train
        States:
          Train:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: \${TrainFunctionArn}
              Payload.$: $
            Next: Notify
          Notify:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters:
              TopicArn: \${TopicArn}
              Message: trained
            End: true
`;

const errors = (r: ReturnType<NonNullable<typeof backend.lift>>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));

describe("a state machine in a CloudFormation or SAM template", () => {
  test("inline in a SAM template: literal substitutions filled in, one a function gives kept as a placeholder and said once; named after the machine", () => {
    const r = backend.lift!({ file: "template.yaml", text: SAM });
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toContain(
      "template.yaml:17:9: warning: substitution 'TrainFunctionArn' is given by a CloudFormation function, known only at deployment: kept as a ${...} placeholder\n  hint: give its value with --substitute TrainFunctionArn=... (or in a --substitutions file)",
    );
    expect(r.pipeline!.name).toBe("train");
    const train = r.pipeline!.steps[0];
    expect(train.kind === "lambda" && train.function).toMatchObject({ kind: "literal", value: "${TrainFunctionArn}" });
    // Given its value, the template lifts to the machine written on its own.
    const given = backend.lift!({ file: "template.yaml", text: SAM.replace("${TrainFunctionArn}", FN) });
    expect(given.diagnostics.some((d) => d.message.includes("CloudFormation function"))).toBe(false);
    expect(diffPipelines(reference, given.pipeline!)).toEqual([]);
  });

  test("messages point into the template, at the machine's states", () => {
    const r = backend.lift!({ file: "template.yaml", text: SAM.replace("arn:aws:states:::sns:publish", "arn:aws:states:::sns:publishBatch") });
    expect(errors(r)).toEqual([expect.stringMatching(/^template\.yaml:29:23: error: \$\.States\.Notify\.Resource: resource 'arn:aws:states:::sns:publishBatch' has no IR step kind/)]);
    expect(SAM.split("\n")[28].slice(22)).toBe("arn:aws:states:::sns:publish");
  });

  test("a DefinitionString: JSON text, Fn::Sub with its variables, CDK's Fn::Join of text and names; each the same pipeline", () => {
    const text = JSON.stringify(MACHINE).replace(FN, "${TrainArn}").replace(TOPIC, "${Topic}");
    const forms: unknown[] = [
      JSON.stringify(MACHINE),
      { "Fn::Sub": [text, { TrainArn: FN, Topic: TOPIC }] },
      { "Fn::Join": ["", [text.split("${TrainArn}")[0], FN, text.split("${TrainArn}")[1].replace("${Topic}", TOPIC)]] },
    ];
    for (const form of forms) {
      const template = { Resources: { Machine: { Type: "AWS::StepFunctions::StateMachine", Properties: { RoleArn: "arn:aws:iam::111122223333:role/sfn", DefinitionString: form } } } };
      const r = backend.lift!({ file: "stack.json", text: JSON.stringify(template, null, 2) });
      expect(errors(r)).toEqual([]);
      expect(r.pipeline!.name).toBe("Machine");
      expect(diffPipelines(reference, r.pipeline!)).toEqual([]);
    }
    // A name or attribute joined in (CDK's role and function ARNs) stays a placeholder.
    const cdk = { Resources: { M: { Type: "AWS::StepFunctions::StateMachine", Properties: { DefinitionString: { "Fn::Join": ["", [text.split("${TrainArn}")[0], { "Fn::GetAtt": ["TrainFn", "Arn"] }, text.split("${TrainArn}")[1].replace("${Topic}", TOPIC)]] } } } } };
    const r = backend.lift!({ file: "stack.json", text: JSON.stringify(cdk) });
    const train = r.pipeline!.steps[0];
    expect(train.kind === "lambda" && train.function).toMatchObject({ kind: "literal", value: "${TrainFn.Arn}" });
    // Any other function joined in is refused at the DefinitionString.
    const other = { Resources: { M: { Type: "AWS::StepFunctions::StateMachine", Properties: { DefinitionString: { "Fn::Join": ["", ["{", { "Fn::ImportValue": "x" }, "}"]] } } } } };
    expect(errors(backend.lift!({ file: "stack.json", text: JSON.stringify(other, null, 2) }))).toEqual([
      'stack.json:6:29: error: DefinitionString joins {"Fn::ImportValue":"x"}, a value known only at deployment that is neither a name (Ref) nor an attribute (Fn::GetAtt)',
    ]);
  });

  test("SAM's DefinitionUri: the file beside the template, filled in; one outside the template's folder or in S3 is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-template-"));
    mkdirSync(join(dir, "statemachine"));
    writeFileSync(join(dir, "statemachine", "train.asl.json"), JSON.stringify(MACHINE, null, 2).replace(TOPIC, "${TopicArn}"));
    const template = (uri: unknown) => `Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: ${JSON.stringify(uri)}\n      DefinitionSubstitutions:\n        TopicArn: ${TOPIC}\n`;
    const file = join(dir, "template.yaml");
    const r = backend.lift!({ file, text: template("statemachine/train.asl.json") });
    expect(errors(r)).toEqual([]);
    expect(diffPipelines(reference, r.pipeline!)).toEqual([]);
    // Messages about the machine point into its own file.
    expect(r.diagnostics.every((d) => d.pos.file === join(dir, "statemachine", "train.asl.json"))).toBe(true);
    expect(errors(backend.lift!({ file, text: template("../secret.json") }))).toEqual([
      `${file}:5:22: error: DefinitionUri '../secret.json' is outside the template's folder\n  hint: local files are relative to the folder of the file that names them and stay inside it`,
    ]);
    expect(errors(backend.lift!({ file, text: template({ Bucket: "b", Key: "k.json" }) }))).toEqual([
      `${file}:5:22: error: DefinitionUri names an S3 object, which is read only at deployment\n  hint: download it and import that file, with --substitute for its placeholders`,
    ]);
  });

  test("several machines: --machine picks one; none given, or one the template lacks, is an error listing them", () => {
    const two = SAM + SAM.slice(SAM.indexOf("  TrainStateMachine:")).replace("  TrainStateMachine:", "  OtherStateMachine:").replace("Name: train", "Name: other");
    expect(errors(backend.lift!({ file: "template.yaml", text: two }))).toEqual([
      "template.yaml:4:3: error: the template has 2 state machines (TrainStateMachine, OtherStateMachine): say which with --machine\n  hint: switchyard import template.yaml --machine TrainStateMachine",
    ]);
    expect(backend.lift!({ file: "template.yaml", text: two, given: { machine: "OtherStateMachine" } }).pipeline!.name).toBe("other");
    expect(errors(backend.lift!({ file: "template.yaml", text: two, given: { machine: "TrainStatemachine" } }))).toEqual([
      "template.yaml:4:3: error: the template has no state machine 'TrainStatemachine' (it has TrainStateMachine, OtherStateMachine); did you mean 'TrainStateMachine'?",
    ]);
  });

  test("CloudFormation functions inside an inline definition are the text they give; values given fill in their placeholders; others are refused where written", () => {
    const inline = `Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Train
        States:
          Train:
            Type: Task
            Resource: !Sub arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:lambda:invoke
            Parameters:
              FunctionName: !GetAtt TrainFunction.Arn
              Payload.$: $
            Next: Notify
          Notify:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters:
              TopicArn: !Join [":", [arn, aws, sns, us-east-1, "111122223333", done]]
              Message: trained
            End: true
`;
    const values = new Map(
      Object.entries({ "AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "111122223333", "TrainFunction.Arn": FN }).map(([k, v]) => [k, { value: v, from: "--substitute" }]),
    );
    const r = backend.lift!({ file: "template.yaml", text: inline, values });
    expect(errors(r)).toEqual([]);
    expect([...(r.used ?? [])].sort()).toEqual(["AWS::AccountId", "AWS::Partition", "AWS::Region", "TrainFunction.Arn"]);
    // The Region and account in the resource are read as the usual form, with a word.
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "$.States.Train.Resource: this Task's resource names the Region and account of the service integration; read as, and written back as, 'arn:aws:states:::...', which Step Functions reads alike",
    );
    expect(diffPipelines({ ...reference, description: undefined }, { ...r.pipeline!, description: undefined })).toEqual([]);
    // A part of a literal split is that part; a part of an attribute is a placeholder named after the functions, filled in like any.
    const literal = backend.lift!({ file: "template.yaml", text: inline.replace("FunctionName: !GetAtt TrainFunction.Arn", `FunctionName: !Select [1, !Split ['|', "x|${FN}"]]`), values });
    expect(errors(literal)).toEqual([]);
    expect(diffPipelines({ ...reference, description: undefined }, { ...literal.pipeline!, description: undefined })).toEqual([]);
    const part = "Select(0, Split('|', TrainFunction.Arn))";
    const attribute = backend.lift!({
      file: "template.yaml",
      text: inline.replace("FunctionName: !GetAtt TrainFunction.Arn", "FunctionName: !Select [0, !Split ['|', !GetAtt TrainFunction.Arn]]"),
      values: new Map([...values, [part, { value: FN, from: "--substitute" }]]),
    });
    expect(errors(attribute)).toEqual([]);
    expect(attribute.used).toContain(part);
    expect(diffPipelines({ ...reference, description: undefined }, { ...attribute.pipeline!, description: undefined })).toEqual([]);
    const selected = inline.replace("FunctionName: !GetAtt TrainFunction.Arn", "FunctionName: !Select [0, !GetAZs '']");
    expect(errors(backend.lift!({ file: "template.yaml", text: selected, values }))).toEqual([
      "template.yaml:12:29: error: Fn::Select is a CloudFormation function evaluated at deployment; inside a definition only Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::Select of Fn::Split are read (as ${...} placeholders)\n  hint: write the value it gives, or a ${Name} placeholder given with --substitute",
    ]);
  });

  test("the CLI finds the template's importer by itself; --machine outside a template is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-template-cli-"));
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "dist", "bin", "switchyard.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    writeFileSync(join(dir, "template.yaml"), SAM);
    writeFileSync(join(dir, "train.asl.json"), JSON.stringify(MACHINE, null, 2));
    const d = cli("diff", "template.yaml", "train.asl.json", "--substitute", `TrainFunctionArn=${FN}`);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout).toBe("equal: 2 steps with the same requests, dependencies, branches, retries and schedule\n");
    // A template with two machines: diff's --machine picks one there, and the other file is read as it is.
    const two = SAM + SAM.slice(SAM.indexOf("  TrainStateMachine:")).replace("  TrainStateMachine:", "  OtherStateMachine:").replace("Message: trained", "Message: other");
    writeFileSync(join(dir, "two.yaml"), two);
    const picked = cli("diff", "train.asl.json", "two.yaml", "--machine", "TrainStateMachine", "--substitute", `TrainFunctionArn=${FN}`);
    expect(picked.status, picked.stderr).toBe(0);
    const other = cli("diff", "train.asl.json", "two.yaml", "--machine", "OtherStateMachine", "--substitute", `TrainFunctionArn=${FN}`);
    expect(other.status, other.stderr).toBe(1);
    expect(other.stdout).toContain("Message");
    const neither = cli("diff", "train.asl.json", "train.asl.json", "--machine", "TrainStateMachine");
    expect([neither.status, neither.stderr.trim()]).toEqual([2, "switchyard: error: --machine picks a state machine in a CloudFormation or SAM template; neither train.asl.json nor train.asl.json is one\n(run with --help for usage)"]);
    const wrong = cli("import", "train.asl.json", "--machine", "TrainStateMachine");
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("train.asl.json:1:1: error: --machine picks a state machine in a CloudFormation or SAM template, and this file is not one");
  });
});
