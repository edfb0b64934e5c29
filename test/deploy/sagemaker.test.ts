import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DescribePipelineCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { deployCommand, runCommand } from "../../src/deploy/index.js";
import { minifyJson } from "../../src/backend/wire.js";
import { startMoto, type Moto } from "../support/moto.js";
import { abaloneText, logger, lowered, useTestCredentials } from "./support.js";

let moto: Moto;
const region = "us-east-1";

beforeAll(async () => {
  useTestCredentials();
  moto = await startMoto();
  const s3 = new S3Client({ region, endpoint: moto.url, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "example-ml-artifacts" }));
});
afterAll(async () => {
  await moto?.stop();
});

const opts = (dryRun = false) => {
  const l = logger();
  return { l, o: { baseDir: "", dryRun, endpointUrl: moto.url, log: l.log } };
};

async function deployed(name: string) {
  const sm = new SageMakerClient({ region, endpoint: moto.url });
  const d = await sm.send(new DescribePipelineCommand({ PipelineName: name }));
  return { role: d.RoleArn, text: d.PipelineDefinition!, definition: JSON.parse(d.PipelineDefinition!) as { Parameters: Array<{ Name: string; DefaultValue?: unknown }> } };
}

describe("deploy --target sagemaker (moto)", () => {
  it("creates the pipeline, uploads the code and creates the schedule", async () => {
    const { pipeline, files, baseDir } = await lowered("sagemaker", abaloneText());
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    const byResource = Object.fromEntries(r.changes.map((c) => [c.resource, c.action]));
    expect(byResource["sagemaker pipeline abalone"]).toBe("created");
    // Two scripts in the fixture, each at its content-addressed key.
    const code = r.changes.filter((c) => c.resource.startsWith("s3://example-ml-artifacts/abalone/code/"));
    expect(code.map((c) => c.resource.split("/").pop()).sort()).toEqual(["evaluation.py", "preprocessing.py"]);
    expect(code.every((c) => c.action === "created")).toBe(true);
    const s3 = new S3Client({ region, endpoint: moto.url, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "example-ml-artifacts", Prefix: "abalone/code/" }));
    expect(listed.KeyCount).toBe(2);
    const d = await deployed("abalone");
    expect(d.role).toBe("arn:aws:iam::111122223333:role/SageMakerPipelineExecution");
    expect(JSON.parse(files.find((f) => f.kind === "definition")!.contents)).toEqual(d.definition);
    // The written file is indented; what is sent is the --compact (SDK) text minified, whichever layout was written.
    const written = files.find((f) => f.kind === "definition")!.contents;
    const compact = (await lowered("sagemaker", abaloneText(), undefined, { compact: "true" })).files.find((f) => f.kind === "definition")!.contents;
    expect(written).toContain("\n  ");
    expect(d.text).toBe(minifyJson(compact));
    const scheduleChange = r.changes.find((c) => c.resource.startsWith("schedule "));
    expect(scheduleChange?.action).toBe("created");
    const sch = await new SchedulerClient({ region, endpoint: moto.url }).send(new GetScheduleCommand({ Name: scheduleChange!.resource.split("/").pop()! }));
    expect(sch.ScheduleExpression).toBe("cron(0 6 ? * MON *)");
    expect(l.lines.at(-1)).toMatch(/created/);
  });

  it("changes nothing when deployed again", async () => {
    const { pipeline, files, baseDir } = await lowered("sagemaker", abaloneText());
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.length).toBe(4);
    expect(r.changes.filter((c) => c.action !== "unchanged")).toEqual([]);
    expect(l.lines.at(-1)).toBe("no changes: 0 created, 0 updated, 4 unchanged");
  });

  it("replaces a code object whose content is not the file's, though its key is the file's", async () => {
    const { pipeline, files, baseDir } = await lowered("sagemaker", abaloneText());
    const s3 = new S3Client({ region, endpoint: moto.url, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "example-ml-artifacts", Prefix: "abalone/code/" }));
    const key = listed.Contents!.map((c) => c.Key!).find((k) => k.endsWith("/preprocessing.py"))!;
    await s3.send(new PutObjectCommand({ Bucket: "example-ml-artifacts", Key: key, Body: "import os; os.system('exfiltrate')\n" }));
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.filter((c) => c.action !== "unchanged")).toEqual([{ resource: `s3://example-ml-artifacts/${key}`, action: "updated" }]);
    expect(l.lines.some((x) => x.startsWith(`replacing s3://example-ml-artifacts/${key}: what is there is not`))).toBe(true);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: "example-ml-artifacts", Key: key }))).Body!.transformToString();
    expect(body).toBe(readFileSync(join(baseDir, "scripts", "preprocessing.py"), "utf8"));
  });

  it("dry-run shows the diff of a changed default and writes nothing; deploy then updates it", async () => {
    const changed = abaloneText().replace("default: 6.0", "default: 4.5");
    const { pipeline, files, baseDir } = await lowered("sagemaker", changed);
    const dry = opts(true);
    const r1 = await deployCommand(pipeline, files, "sagemaker", { ...dry.o, baseDir });
    expect(r1.diagnostics).toEqual([]);
    const upd = r1.changes.find((c) => c.resource === "sagemaker pipeline abalone")!;
    expect(upd.action).toBe("updated");
    expect(upd.diff).toMatch(/^--- deployed sagemaker pipeline abalone\n\+\+\+ new sagemaker pipeline abalone\n@@ /);
    const minus = upd.diff!.split("\n").filter((x) => x.startsWith("-") && !x.startsWith("---"));
    const plus = upd.diff!.split("\n").filter((x) => x.startsWith("+") && !x.startsWith("+++"));
    expect(minus.map((x) => x.replace(/\s+/g, ""))).toEqual(['-"DefaultValue":6,']);
    expect(plus.map((x) => x.replace(/\s+/g, ""))).toEqual(['+"DefaultValue":4.5,']);
    expect(dry.l.lines.at(-1)).toMatch(/^dry run: would change 1 of 4 resources/);
    const threshold = (d: Awaited<ReturnType<typeof deployed>>) => d.definition.Parameters.find((x) => x.Name === "mse_threshold")?.DefaultValue;
    expect(threshold(await deployed("abalone"))).toBe(6);

    const { o } = opts();
    const r2 = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    expect(r2.changes.find((c) => c.resource === "sagemaker pipeline abalone")?.action).toBe("updated");
    expect(threshold(await deployed("abalone"))).toBe(4.5);
  });

  it("updates the schedule when its cron changes", async () => {
    const { pipeline, files, baseDir } = await lowered("sagemaker", abaloneText().replace('cron: "0 6 * * 1"', 'cron: "30 4 * * 1-5"'));
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    const c = r.changes.find((x) => x.resource.startsWith("schedule "))!;
    expect(c.action).toBe("updated");
    expect(c.diff!.split("\n").filter((x) => /^[-+][^-+]/.test(x))).toEqual([
      `-  "Description": "Starts the SageMaker pipeline abalone on cron '0 6 * * 1'",`,
      `+  "Description": "Starts the SageMaker pipeline abalone on cron '30 4 * * 1-5'",`,
      '-  "ScheduleExpression": "cron(0 6 ? * MON *)",',
      '+  "ScheduleExpression": "cron(30 4 ? * MON-FRI *)",',
    ]);
    const sch = await new SchedulerClient({ region, endpoint: moto.url }).send(new GetScheduleCommand({ Name: c.resource.split("/").pop()! }));
    expect(sch.ScheduleExpression).toBe("cron(30 4 ? * MON-FRI *)");
  });

  it("run --wait starts an execution with parameters and follows it to the end", async () => {
    const { pipeline, files, baseDir } = await lowered("sagemaker", abaloneText());
    const { l, o } = opts();
    const r = await runCommand(pipeline, files, "sagemaker", { ...o, baseDir, params: { mse_threshold: "3.5" }, wait: true, isTTY: false, pollMs: 50 });
    expect(r.diagnostics).toEqual([]);
    expect(r.status).toBe("Succeeded");
    expect(r.executionId).toMatch(/^arn:aws:sagemaker:us-east-1:[0-9]{12}:pipeline\/abalone\/execution\//);
    expect(l.lines.at(-1)).toBe(`${r.executionId}: Succeeded`);
  });

  it("reports a missing bucket as one line with the error code and what to do", async () => {
    const text = abaloneText().replace("s3://example-ml-artifacts/abalone", "s3://no-such-bucket-here/abalone");
    const { pipeline, files, baseDir } = await lowered("sagemaker", text);
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "sagemaker", { ...o, baseDir });
    expect(r.changes).toEqual([]);
    expect(r.diagnostics.length).toBe(1);
    expect(r.diagnostics[0].pos).toBeUndefined();
    expect(r.diagnostics[0].message).toMatch(/^s3 PutObject: NoSuchBucket: .* — create the bucket named in the pipeline's 'artifacts'/);
  });
});
