/**
 * default(execution.input.<path>, fallback) on Step Functions: the JSONata Pass state that starts
 * the machine works each value out once, beside the parameters, and the steps read it there.
 * Executed (the JSONata state evaluated by the jsonata library): a run started with the key gets
 * its value, one started without it the fallback (a value written out, a parameter, the run's
 * logical date); fallbacks the state cannot work out, and variables, are refused at the step.
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
      Subject: \${{ default(variables.subject, "none") }}
`).replace("parameters:\n", "parameters:\n  _input_or_x: { type: string, default: a }\n");
    const r = backend.lower(yaml(bad, "defaults.yaml"), { baseDir: "." });
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(errors).toEqual([
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: step 'later': default\(\) of the run's input is worked out when the machine starts, and its fallback steps\.tell\.response\.MessageId is not known then: a fallback is a value written out, a parameter or execution\.logical_date$/),
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: step 'later': default\(\) of a variable: Step Functions reads it with GetParameter, which fails the run when the SSM parameter is not set/),
      expect.stringMatching(/^defaults\.yaml:\d+:\d+: error: parameter '_input_or_x': the machine keeps values a run reads under names starting '_input_or_' beside the parameters$/),
    ]);
    expect(r.files).toEqual([]);
  });
});
