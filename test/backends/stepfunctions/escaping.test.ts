/** User text reaches the machine as data: quotes, braces, backslashes, newlines and `$.` survive exactly. */
import { expect, test } from "vitest";
import { lambdaInvoke } from "./services.js";
import { aslValidator, languageService, lower, run, yaml } from "./support.js";
import { ESCAPING as source, INLINE, TEXT } from "./pipelines.js";

test("text with quotes, braces, backslashes and newlines is passed through exactly", async () => {
  const p = yaml(source);
  const out = lower(p);
  expect(out.diagnostics).toEqual([]);
  const text = out.files.find((f) => f.kind === "definition")!.contents;
  expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
  expect(await languageService(text)).toEqual([]);
  // The backslash text is plain JSON, referred to by path; the intrinsic holds no user text.
  const readInput = out.definition.States["Read input"].Parameters;
  expect(Object.values(readInput.const)).toEqual([`${TEXT} `]);
  expect(out.definition.States.call.Parameters.Payload["consts.$"]).toBe("States.Format('{}{}', $.const.c0, $.params.p)");
  expect(out.definition.States.call.Parameters.Payload["joined.$"]).toBe(
    "States.Format('It\\'s \\{odd\\} \"quoted\" $.params.p States.Format(\\'x\\') \\} \\{\\} {} It\\'s \\{odd\\} \"quoted\" $.params.p States.Format(\\'x\\') \\} \\{\\}', $.params.p)",
  );
  const ok = await run(out.definition, {}, { call: lambdaInvoke(() => ({ ok: true })) });
  expect(ok.status).toBe("SUCCEEDED");
  const payload = ok.inputs.call[0].Payload;
  expect(payload.plain).toBe(TEXT);
  expect(payload["$.key"]).toBe(TEXT);
  expect(payload.joined).toBe(`${INLINE} it's {p} ${INLINE}`);
  // aws-local-stepfunctions deletes every backslash from intrinsic results (a defect of that executor;
  // Step Functions substitutes arguments verbatim), so only the rest of the text is compared here.
  expect(payload.consts).toBe(`${TEXT} it's {p}`.replaceAll("\\", ""));

  const failed = await run(out.definition, { p: "{}'" }, { call: lambdaInvoke(() => ({ ok: false })) });
  expect(failed.status).toBe("FAILED");
  expect(failed.error).toBe("stop");
  expect(failed.cause).toBe(`${INLINE} {}'`);
});

test("a key ending in '.$' is refused instead of being read as a path", () => {
  const p = yaml(`
version: 1
pipeline: keys
region: us-east-1
artifacts: s3://bucket/prefix
steps:
  call:
    type: lambda
    function: fn
    payload:
      "x.$": "$.secret"
`);
  const out = lower(p);
  expect(out.files).toEqual([]);
  expect(out.diagnostics.map((d) => [d.severity, d.message])).toEqual([["error", "key 'x.$' ends in '.$', which Step Functions would read as a path"]]);
  expect(out.diagnostics[0].pos?.line).toBe(11);
});

test("environment on a step without a container is refused, not dropped", () => {
  const p = yaml(`version: 1
pipeline: env
region: us-east-1
artifacts: s3://bucket/prefix
steps:
  call:
    type: lambda
    function: fn
    environment: { MODE: fast }
`);
  const out = lower(p);
  expect(out.files).toEqual([]);
  expect(out.diagnostics.map((d) => [d.pos?.line, d.message])).toEqual([[9, "step 'call': a lambda step runs no container, so its environment cannot be set in AWS Step Functions"]]);
});

test("array items that asl-validator would misread (empty, multi-line, opening with '{% ') become States.Array, to the same values", async () => {
  const odd = ["", "two\nlines", "{% x %}", "plain"];
  const p = yaml(`
version: 1
pipeline: arrays
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/arrays
steps:
  call:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload:
      list: ${JSON.stringify(odd)}
      nested: { deeper: [${JSON.stringify(odd)}, ["ok"]] }
      fine: ["a", "b"]
  emr:
    type: emr
    depends_on: [call]
    cluster_id: j-ABC123
    jar: command-runner.jar
    args: ${JSON.stringify(odd)}
`);
  const out = lower(p);
  expect(out.diagnostics).toEqual([]);
  expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
  const payload = out.definition.States.call.Parameters.Payload;
  expect(payload["list.$"]).toBe("States.Array('', $.const.c0, '\\{% x %\\}', 'plain')");
  expect(payload.fine).toEqual(["a", "b"]);
  expect(out.definition.States.emr.Parameters.Step.HadoopJarStep["Args.$"]).toBe("States.Array('', $.const.c0, '\\{% x %\\}', 'plain')");
  const ok = await run(out.definition, {}, { call: lambdaInvoke(() => ({})), emr: () => ({}) });
  expect(ok.status).toBe("SUCCEEDED");
  // aws-local-stepfunctions keeps the escapes of a string argument of States.Array (a defect of that
  // executor; Step Functions removes them, as it does in States.Format), so they are put back here.
  const local = odd.map((x) => x.replace(/[{}]/g, "\\$&"));
  const sent = ok.inputs.call[0].Payload;
  expect([sent.list, sent.nested, sent.fine]).toEqual([local, { deeper: [local, ["ok"]] }, ["a", "b"]]);
  expect(ok.inputs.emr[0].Step.HadoopJarStep.Args).toEqual(local);
});
