/**
 * default(execution.input.<path>, fallback) on Step Functions: the JSONata Pass state that starts
 * the machine works each value out once, beside the parameters, and the steps read it there.
 * Executed (the JSONata state evaluated by the jsonata library): a run started with the key gets
 * its value, one started without it the fallback (a value written out, a parameter, the run's
 * logical date); fallbacks the state cannot work out are refused at the step. A variable's
 * default: the state keeps the fallback, and a GetParameter Task after it replaces it by the
 * variable's value where the SSM parameter is set (its Catch of ParameterNotFound keeps it).
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import backend from "../../../backends/stepfunctions/index.js";
import { aslValidator, lower, run, yaml } from "./support.js";
import { RUN_VALUES_STATE } from "../../../backends/stepfunctions/logical-date.js";

const text = (extra = "", schedule = "") => `version: 1
pipeline: defaults
role: arn:aws:iam::111122223333:role/Pipelines
region: us-east-1
artifacts: s3://switchyard-artifacts
${schedule}parameters:
  topic: { type: string, default: "arn:aws:sns:us-east-1:111122223333:fallback" }
steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ default(execution.input.alert_topic, params.topic) }}
      Subject: \${{ default(execution.input.run_date, execution.logical_date) }}
      Message: "limit \${{ default(execution.input.limits['max rows'][1], 500) }} for \${{ default(execution.input.run_date, execution.logical_date) }}"
${extra}`;

describe("default() of the run's input on Step Functions", () => {
  const def = lower(yaml(text(), "defaults.yaml")).definition;

  test("one JSONata Pass after the parameters works each value out (one key a call); the steps read them beside the parameters", () => {
    const state = def.States[RUN_VALUES_STATE];
    expect(state.Type).toBe("Pass");
    expect(state.QueryLanguage).toBe("JSONata");
    // Three calls, two alike: three keys.
    const keys = [...state.Output.matchAll(/"(_input_or_[0-9a-f]{8})": /g)].map((m) => m[1]);
    expect(keys).toHaveLength(3);
    expect(state.Output).toContain("($exists($states.context.Execution.Input.`alert_topic`) ? $states.context.Execution.Input.`alert_topic` : $states.input.params.`topic`)");
    expect(state.Output).toContain("($exists($states.context.Execution.Input.`limits`.`max rows`[1]) ? $states.context.Execution.Input.`limits`.`max rows`[1] : 500)");
    expect(state.Output).toContain("($exists($states.context.Execution.Input.`run_date`) ? $states.context.Execution.Input.`run_date` : $date)");
    const params = def.States.tell.Parameters;
    expect(params["TopicArn.$"]).toMatch(/^\$\.params\._input_or_[0-9a-f]{8}$/);
    expect(params["Subject.$"]).toMatch(/^\$\.params\._input_or_[0-9a-f]{8}$/);
    expect(params["Message.$"]).toBe(`States.Format('limit {} for {}', ${params["Message.$"].match(/\$\.params\._input_or_[0-9a-f]{8}/g)!.join(", ")})`);
    // The same call is kept once: the subject and the message's date read one key.
    expect(params["Message.$"]).toContain(params["Subject.$"]);
    const v = aslValidator(def);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
  });

  const sent = async (input: unknown) => {
    const r = await run(def, input, { tell: () => ({ MessageId: "m-1" }) });
    expect(r.status, r.cause).toBe("SUCCEEDED");
    return r.inputs.tell[0];
  };

  test("executed with the keys: the input's values", async () => {
    expect(await sent({ alert_topic: "arn:aws:sns:us-east-1:111122223333:given", run_date: "2024-02-29", limits: { "max rows": [10, 20] } })).toEqual({
      TopicArn: "arn:aws:sns:us-east-1:111122223333:given",
      Subject: "2024-02-29",
      Message: "limit 20 for 2024-02-29",
    });
  });

  test("executed without them: the parameter's value, the number written out, the day the run started", async () => {
    // The harness starts each execution at 2026-01-05T06:00:00Z (the JSONata state reads that context).
    expect(await sent({ limits: { "max rows": [10] } })).toEqual({ TopicArn: "arn:aws:sns:us-east-1:111122223333:fallback", Subject: "2026-01-05", Message: "limit 500 for 2026-01-05" });
  });

  test("a parameter given at the start is the fallback; with intervals the fallback date is the interval's start", async () => {
    expect((await sent({ topic: "arn:aws:sns:us-east-1:111122223333:param" })).TopicArn).toBe("arn:aws:sns:us-east-1:111122223333:param");
    const dated = lower(yaml(text("", 'schedule:\n  cron: "30 2 * * *"\n  intervals: true\n'), "defaults.yaml")).definition;
    const r = await run(dated, { "scheduled time": "2024-03-01T02:30:00Z" }, { tell: () => ({ MessageId: "m-1" }) });
    expect(r.status, r.cause).toBe("SUCCEEDED");
    expect(r.inputs.tell[0]).toMatchObject({ Subject: "2024-02-29", Message: "limit 500 for 2024-02-29" });
    const given = await run(dated, { "scheduled time": "2024-03-01T02:30:00Z", run_date: "2023-12-31" }, { tell: () => ({ MessageId: "m-1" }) });
    expect(given.inputs.tell[0].Subject).toBe("2023-12-31");
  });

  test("the machine lifts back: each read is its default() call, the state is the parameters' (no step), and lowering again gives the same machine", () => {
    const r = backend.lift!({ file: "defaults.asl.json", text: JSON.stringify(def, null, 2), given: { region: "us-east-1", artifacts: "s3://switchyard-artifacts" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const p = r.pipeline!;
    expect(p.steps.map((x) => x.id)).toEqual(["tell"]);
    const req = (p.steps[0] as Extract<(typeof p.steps)[number], { kind: "aws" }>).request;
    expect(printExpr(req.TopicArn)).toBe("default(execution.input.alert_topic, params.topic)");
    expect(printExpr(req.Subject)).toBe("default(execution.input.run_date, execution.logical_date)");
    expect(printTemplate(req.Message)).toBe("limit ${{ default(execution.input.limits['max rows'][1], 500) }} for ${{ default(execution.input.run_date, execution.logical_date) }}");
    expect(lower(p).definition).toEqual(def);
  });

  test("refused, naming the step: a fallback worked out later, a variable's default, a parameter named as the kept values", () => {
    const bad = text(`  later:
    type: aws
    service: sns
    action: Publish
    depends_on: [tell]
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:x
      Message: \${{ default(execution.input.note, steps.tell.response.MessageId) }}
      Subject: \${{ default(variables.subject, steps.tell.response.MessageId) }}
`).replace("parameters:\n", "parameters:\n  _input_or_x: { type: string, default: a }\n  _variable_or_y: { type: string, default: b }\n");
    const r = backend.lower(yaml(bad, "defaults.yaml"), { baseDir: "." });
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(errors).toEqual([
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: step 'later': default\(\) of the run's input is worked out when the machine starts, and its fallback steps\.tell\.response\.MessageId is not known then: a fallback is a value written out, a parameter or execution\.logical_date$/),
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: step 'later': default\(\) of a variable is worked out when the machine starts, and its fallback steps\.tell\.response\.MessageId is not known then/),
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: parameter '_input_or_x': the machine keeps values a run reads under names starting '_input_or_' beside the parameters$/),
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: parameter '_variable_or_y': the machine keeps values a run reads under names starting '_variable_or_' beside the parameters$/),
    ]);
    expect(r.files).toEqual([]);
  });
});

const variables = `version: 1
pipeline: variable-defaults
region: us-east-1
artifacts: s3://switchyard-artifacts
parameters:
  mode: { type: string, default: incremental }
steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:events
      Subject: \${{ variables.subject }}
      Message: "bucket \${{ default(variables.data_bucket, 'acme-default-bucket') }} mode \${{ default(variables.mode, params.mode) }} again \${{ default(variables.data_bucket, 'acme-default-bucket') }}"
`;

describe("default() of a variable on Step Functions", () => {
  const def = lower(yaml(variables, "variables.yaml")).definition;
  const reads = (def: Record<string, any>) => Object.keys(def.States).filter((n) => n.startsWith("Read _variable_or_"));

  test("the starting state keeps each fallback ({Value}); a GetParameter Task a call replaces it where the parameter is set; a read without a fallback is still its own step", () => {
    const names = reads(def);
    expect(names).toHaveLength(2);
    expect(def.States[RUN_VALUES_STATE].Next).toBe(names[0]);
    expect(def.States[names[0]].Next).toBe(names[1]);
    expect(def.States[names[1]].Next).toBe("variable_subject");
    const byName = Object.fromEntries(names.map((n) => [def.States[n].Parameters.Name, def.States[n]]));
    const bucket = byName["/airflow/variables/data_bucket"];
    const key = bucket.ResultPath.slice("$.params.".length);
    expect(bucket).toEqual({
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:ssm:getParameter",
      Parameters: { Name: "/airflow/variables/data_bucket", WithDecryption: true },
      ResultSelector: { "Value.$": "$.Parameter.Value" },
      ResultPath: `$.params.${key}`,
      Catch: [{ ErrorEquals: ["Ssm.ParameterNotFoundException"], ResultPath: null, Next: bucket.Next }],
      Next: bucket.Next,
    });
    expect(def.States[RUN_VALUES_STATE].Output).toContain(`"${key}": {"Value": "acme-default-bucket"}`);
    expect(def.States[RUN_VALUES_STATE].Output).toContain('{"Value": $states.input.params.\`mode\`}');
    // The same call twice reads one key.
    expect(def.States.tell.Parameters["Message.$"]).toBe(`States.Format('bucket {} mode {} again {}', $.params.${key}.Value, ${byName["/airflow/variables/mode"].ResultPath}.Value, $.params.${key}.Value)`);
    expect(def.States.tell.Parameters["Subject.$"]).toBe("$.steps.variable_subject.response.Parameter.Value");
    const v = aslValidator(def);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
  });

  const notFound = () => {
    throw Object.assign(new Error("Parameter not found."), { name: "Ssm.ParameterNotFoundException" });
  };
  const runWith = async (given: Record<string, string>, input: unknown = {}) => {
    const handlers: Record<string, (i: any) => unknown> = { tell: () => ({ MessageId: "m-1" }) };
    for (const n of [...reads(def), "variable_subject"]) {
      handlers[n] = (i: { Name: string }) => {
        const name = i.Name.slice("/airflow/variables/".length);
        return name in given ? { Parameter: { Name: i.Name, Type: "String", Value: given[name] } } : notFound();
      };
    }
    return run(def, input, handlers);
  };

  test("executed with the parameters set: their values; without: the fallbacks (text written out, the run's parameter)", async () => {
    const set = await runWith({ subject: "s", data_bucket: "acme-prod", mode: "full" });
    expect(set.status, set.cause).toBe("SUCCEEDED");
    expect(set.inputs.tell[0].Message).toBe("bucket acme-prod mode full again acme-prod");
    const unset = await runWith({ subject: "s" }, { mode: "backfill" });
    expect(unset.status, unset.cause).toBe("SUCCEEDED");
    expect(unset.inputs.tell[0].Message).toBe("bucket acme-default-bucket mode backfill again acme-default-bucket");
  });

  test("a variable read without a fallback still fails the run when unset; another error of a read with one fails it too", async () => {
    const plain = await runWith({ data_bucket: "acme-prod", mode: "full" });
    expect([plain.status, plain.error]).toEqual(["FAILED", "Ssm.ParameterNotFoundException"]);
    const handlers: Record<string, (i: any) => unknown> = {
      tell: () => ({ MessageId: "m-1" }),
      variable_subject: () => ({ Parameter: { Value: "s" } }),
    };
    for (const n of reads(def))
      handlers[n] = () => {
        throw Object.assign(new Error("not allowed"), { name: "Ssm.AccessDeniedException" });
      };
    const denied = await run(def, {}, handlers);
    expect([denied.status, denied.error]).toEqual(["FAILED", "Ssm.AccessDeniedException"]);
  });

  test("the machine lifts back to the default() calls, and lowering again gives the same machine", () => {
    const r = backend.lift!({ file: "variables.asl.json", text: JSON.stringify(def, null, 2), given: { region: "us-east-1", artifacts: "s3://switchyard-artifacts" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const p = r.pipeline!;
    expect(p.steps.map((x) => x.id)).toEqual(["variable_subject", "tell"]);
    const req = (p.steps[1] as Extract<(typeof p.steps)[number], { kind: "aws" }>).request;
    expect(printTemplate(req.Message)).toBe("bucket ${{ default(variables.data_bucket, 'acme-default-bucket') }} mode ${{ default(variables.mode, params.mode) }} again ${{ default(variables.data_bucket, 'acme-default-bucket') }}");
    expect(lower(p).definition).toEqual(def);
    // A read state changed by hand (another parameter path) is not the lowering's: the machine is not read as Switchyard's.
    const edited = structuredClone(def);
    edited.States[reads(def)[0]].Parameters.Name = "/other/path";
    const again = backend.lift!({ file: "variables.asl.json", text: JSON.stringify(edited, null, 2), given: { region: "us-east-1", artifacts: "s3://switchyard-artifacts" } });
    expect(again.diagnostics.filter((d) => d.severity === "error").length).toBeGreaterThan(0);
  });
});
