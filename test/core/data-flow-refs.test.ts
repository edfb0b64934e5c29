/**
 * The run's input document and a step's response as references, a Lambda
 * payload that is one value, and aws steps that wait: the YAML and TypeScript
 * front ends give the same IR, both printers read back to it, and the checks
 * and SageMaker refuse what they must, at the place.
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { printTypeScript } from "../../src/frontends/typescript/print.js";
import { printYaml } from "../../src/frontends/yaml/print.js";
import sagemaker from "../../backends/sagemaker/index.js";
import { comparable, tempFiles } from "../frontends/typescript/support.js";

const HEAD = `version: 1
pipeline: flow
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://example-flow-artifacts/p
`;

const YAML = `${HEAD}steps:
  gen:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:gen
    payload: \${{ execution.input }}
  use:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:use
    payload:
      job: \${{ steps.gen.response.body.jobName }}
      whole: \${{ steps.gen.response }}
      region: \${{ execution.input.detail['aws-region'] }}
  query:
    type: aws
    service: athena
    action: StartQueryExecution
    wait: true
    request:
      QueryString: SELECT 1
      ClientRequestToken: \${{ steps.use.response.token }}
`;

const TS = `import { awsCall, execution, lambda, pipeline, runInput } from "switchyard";
const gen = lambda("gen", { function: "arn:aws:lambda:us-east-1:111122223333:function:gen", payload: execution.input });
const use = lambda("use", {
  function: "arn:aws:lambda:us-east-1:111122223333:function:use",
  payload: { job: gen.response("body.jobName"), whole: gen.response(), region: runInput("detail['aws-region']") },
});
const query = awsCall("query", {
  service: "athena",
  action: "StartQueryExecution",
  wait: true,
  request: { QueryString: "SELECT 1", ClientRequestToken: use.response("token") },
});
export default pipeline({
  name: "flow",
  role: "arn:aws:iam::111122223333:role/R",
  region: "us-east-1",
  artifacts: "s3://example-flow-artifacts/p",
  steps: [gen, use, query],
});
`;

const errors = (r: { diagnostics: Parameters<typeof formatDiagnostic>[0][] }) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));

describe("data-flow references", () => {
  test("YAML gives the IR written out by hand", async () => {
    const dir = tempFiles({ "p.yaml": YAML });
    const r = await loadPipelineFile(`${dir}/p.yaml`);
    expect(errors(r)).toEqual([]);
    const [gen, use, query] = r.pipeline!.steps as any[];
    expect(gen.payload).toEqual({});
    expect(gen.payload_value.ref).toEqual({ scope: "execution", name: "input", path: [] });
    expect(use.payload.job.ref).toEqual({ scope: "steps", step: "gen", attr: "response", path: ["body", "jobName"] });
    expect(use.payload.whole.ref).toEqual({ scope: "steps", step: "gen", attr: "response", path: [] });
    expect(use.payload.region.ref).toEqual({ scope: "execution", name: "input", path: ["detail", "aws-region"] });
    expect(query.wait).toBe(true);
    expect(query.request.ClientRequestToken.ref).toEqual({ scope: "steps", step: "use", attr: "response", path: ["token"] });
  });

  test("the TypeScript DSL gives the same IR as the YAML", async () => {
    const dir = tempFiles({ "p.yaml": YAML, "p.ts": TS });
    const y = await loadPipelineFile(`${dir}/p.yaml`);
    const t = await loadPipelineFile(`${dir}/p.ts`);
    expect(errors(t)).toEqual([]);
    expect(comparable(t.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("both printers write text that reads back to the same IR", async () => {
    const dir = tempFiles({ "p.yaml": YAML });
    const y = (await loadPipelineFile(`${dir}/p.yaml`)).pipeline!;
    const yaml = printYaml(y);
    expect(yaml).toContain("payload: ${{ execution.input }}");
    expect(yaml).toContain(`region: \${{ execution.input.detail['aws-region'] }}`);
    const ts = printTypeScript(y);
    expect(ts).toContain(`runInput("detail['aws-region']")`);
    expect(ts).toContain(`gen.response("body.jobName")`);
    const back = tempFiles({ "a.yaml": yaml, "b.ts": ts });
    for (const f of ["a.yaml", "b.ts"]) {
      const r = await loadPipelineFile(`${back}/${f}`);
      expect(errors(r), f).toEqual([]);
      expect(comparable(r.pipeline), f).toEqual(comparable(y));
    }
  });

  test("wait is refused, at the step, on an action that starts no known job", async () => {
    const dir = tempFiles({ "p.yaml": `${HEAD}steps:\n  pub:\n    type: aws\n    service: sns\n    action: Publish\n    wait: true\n    request:\n      TopicArn: arn:aws:sns:us-east-1:111122223333:t\n      Message: hi\n` });
    const r = await loadPipelineFile(`${dir}/p.yaml`);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]).toMatch(new RegExp(`^${dir}/p\\.yaml:7:3: error: step 'pub': sns:Publish starts no job Switchyard knows how to wait for\n  hint: 'wait: true' is for athena:StartQueryExecution`));
  });

  test("a kind that exposes no response is refused where it is read", async () => {
    const dir = tempFiles({ "p.yaml": `${HEAD}steps:\n  pause:\n    type: wait\n    seconds: 5\n  after:\n    type: fail\n    message: \${{ steps.pause.response.x }}\n` });
    const r = await loadPipelineFile(`${dir}/p.yaml`);
    expect(errors(r)).toEqual([`${dir}/p.yaml:12:18: error: a wait step has no 'response': steps.pause.response.x\n  hint: step 'pause' exposes nothing`]);
  });

  test("SageMaker refuses the run's input, naming the step; it reads a job's response as its property", async () => {
    const dir = tempFiles({
      "p.yaml": `${HEAD}steps:\n  train:\n    type: training\n    image: xgboost:1.7-1\n    instance: ml.m5.xlarge\n    inputs:\n      train: s3://example-flow-data/train/\n  note:\n    type: fail\n    message: \${{ steps.train.response.SecondaryStatusTransitions[0].StatusMessage }} \${{ execution.input.who }}\n`,
    });
    const p = (await loadPipelineFile(`${dir}/p.yaml`)).pipeline!;
    const out = sagemaker.lower(p, { region: p.region } as any);
    const errs = out.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join("\n")).toMatch(/run input|input document/);
  });
});

describe("negative zero", () => {
  test("is zero, spelled one way on every target", async () => {
    const dir = tempFiles({
      "p.yaml": `${HEAD}parameters:\n  floor:\n    type: float\n    default: -0.0\n    enum: [-0.0, 1.5]\nsteps:\n  f:\n    type: lambda\n    function: arn:aws:lambda:us-east-1:111122223333:function:f\n    payload:\n      z: -0.0\n      e: \${{ -0.0 }}\n`,
    });
    const p = (await loadPipelineFile(`${dir}/p.yaml`)).pipeline!;
    const f = p.steps[0] as any;
    for (const v of [p.parameters[0].default, p.parameters[0].enum![0], f.payload.z.value, f.payload.e.value]) expect(Object.is(v, -0)).toBe(false);
    const text = sagemaker.lower(p, { region: p.region } as any).files.map((x) => x.contents).join("");
    expect(text).not.toContain("-0");
  });
});
