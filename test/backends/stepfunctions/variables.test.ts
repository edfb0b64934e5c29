/**
 * Variables on Step Functions: each variable the pipeline reads is an SSM GetParameter state
 * (`/airflow/variables/<name>`, decrypted), before the steps that read it; the reads are of that
 * state's response. The machine passes asl-validator and runs in aws-local-stepfunctions with its
 * SSM calls answered by a real SSM API (moto): the values reach the Glue job, the condition and
 * the message; an unset variable fails the run at its read, and the step that reads it never starts.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMoto, type Moto } from "../../support/moto.js";
import { PARAMETER_PREFIX, VARIABLE_VALUES, VARIABLES_YAML } from "../variables-pipeline.js";
import { aslValidator, awsError, lower, run, yaml, type Handler } from "./support.js";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
}, 120_000);
afterAll(async () => {
  await moto?.stop();
});

/** One call of the SSM JSON API on the moto server, as the SDK integration makes it. */
async function ssm(action: string, request: unknown): Promise<{ ok: boolean; body: any }> {
  const r = await fetch(moto.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AmazonSSM.${action}`,
      Authorization: "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/ssm/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify(request),
  });
  return { ok: r.ok, body: await r.json() };
}

/** The GetParameter state's call, sent to moto: its response, or its error as Step Functions names an aws-sdk one. */
const getParameter: Handler = async (i) => {
  const r = await ssm("GetParameter", i);
  if (!r.ok) throw awsError(`Ssm.${String(r.body.__type).split("#").pop()}`, String(r.body.message ?? r.body.Message));
  return r.body;
};

async function store(values: Record<string, string>): Promise<void> {
  await moto.reset();
  for (const [name, value] of Object.entries(values)) {
    const r = await ssm("PutParameter", { Name: PARAMETER_PREFIX + name, Value: value, Type: name === "acme_bucket" ? "SecureString" : "String" });
    expect(r.ok, JSON.stringify(r.body)).toBe(true);
  }
}

const def = lower(yaml(VARIABLES_YAML, "variables.yaml")).definition;
const READS = ["variable_acme_bucket", "variable_run-mode", "variable_get"];
const handlers: Record<string, Handler> = {
  ...Object.fromEntries(READS.map((n) => [n, getParameter])),
  curate: (i) => ({ Id: "jr_0001", JobName: i.JobName, JobRunState: "SUCCEEDED" }),
  announce: () => ({ MessageId: "m-1" }),
};

/** Every state of the machine, Parallel branches' included, by name. */
function states(d: any, out: Record<string, any> = {}): Record<string, any> {
  for (const [name, st] of Object.entries<any>(d.States)) {
    out[name] = st;
    for (const b of st.Branches ?? []) states(b, out);
  }
  return out;
}

describe("variables on Step Functions", () => {
  test("one decrypted GetParameter state a variable, read where the steps read it; valid ASL", () => {
    const all = states(def);
    for (const [name, variable] of [["variable_acme_bucket", "acme_bucket"], ["variable_run-mode", "run-mode"], ["variable_get", "get"]]) {
      expect(all[name].Resource).toBe("arn:aws:states:::aws-sdk:ssm:getParameter");
      expect(all[name].Parameters).toEqual({ Name: `/airflow/variables/${variable}`, WithDecryption: true });
    }
    expect(all.curate.Parameters.Arguments).toEqual({
      "--source.$": "States.Format('s3://{}/raw/', $.steps.variable_acme_bucket.response.Parameter.Value)",
      // A Glue argument is text: a response's member is made text (it is already).
      "--mode.$": "States.Format('{}', $.steps.variable_run-mode.response.Parameter.Value)",
    });
    expect(aslValidator(def).isValid).toBe(true);
  });

  test("executed against SSM: the values reach the job, the condition and the message", async () => {
    await store(VARIABLE_VALUES);
    const r = await run(def, {}, handlers);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.inputs.curate[0].Arguments).toEqual({ "--source": "s3://acme-lake-eu/raw/", "--mode": "full" });
    expect(r.inputs.announce.map((x) => x.Message)).toEqual(["curated s3://acme-lake-eu/raw/ (full)"]);
    // Each variable is read once, before the first step that reads it.
    for (const n of READS) expect(r.started.filter((x) => x === n)).toHaveLength(1);
    expect(r.started.indexOf("variable_acme_bucket")).toBeLessThan(r.started.indexOf("curate"));
    expect(r.started.indexOf("variable_get")).toBeLessThan(r.started.indexOf("announce"));
  });

  test("the condition reads its variable: another value takes the other way", async () => {
    await store({ ...VARIABLE_VALUES, get: "off" });
    const r = await run(def, {}, handlers);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.inputs.announce).toBeUndefined();
  });

  test("an unset variable fails the run at its read, with SSM's error", async () => {
    const { "run-mode": _, ...rest } = VARIABLE_VALUES;
    await store(rest);
    const r = await run(def, {}, handlers);
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Ssm.ParameterNotFound");
    expect(r.inputs.curate).toBeUndefined();
  });

  test("a map's steps read a variable read before the map; target settings, the user's JSON, are not values", async () => {
    const m = lower(
      yaml(
        `version: 1
pipeline: variables-map
role: arn:aws:iam::111122223333:role/Pipelines
region: eu-west-1
artifacts: s3://variables-artifacts/runs
steps:
  fan:
    type: map
    items: [a, b]
    steps: [each]
  each:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:score
    payload: { item: "\${{ item }}", bucket: "\${{ variables.acme_bucket }}", targets: ["\${{ variables.acme_bucket }}"] }
    targets: { stepfunctions: { Comment: "\${{ variables.acme_bucket }} stays text here" } }
`,
        "map.yaml",
      ),
    ).definition;
    expect(aslValidator(m).isValid).toBe(true);
    expect(states(m).fan.ItemProcessor.States.each.Comment).toBe("${{ variables.acme_bucket }} stays text here");
    await store(VARIABLE_VALUES);
    const r = await run(m, {}, { variable_acme_bucket: getParameter, each: (i) => ({ Payload: { ok: true }, StatusCode: 200, echo: i }) });
    expect(r.status).toBe("SUCCEEDED");
    // A payload member named like a step's own field is a value like any other.
    expect(r.inputs.each.map((x) => x.Payload)).toEqual([
      { item: "a", bucket: "acme-lake-eu", targets: ["acme-lake-eu"] },
      { item: "b", bucket: "acme-lake-eu", targets: ["acme-lake-eu"] },
    ]);
    expect(r.started[0]).toBe("variable_acme_bucket");
  });
});
