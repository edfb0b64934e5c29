import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { deployCommand, runCommand } from "../../src/deploy/index.js";
import { startMoto, type Moto } from "../support/moto.js";
import { abaloneText, logger, lowered, useTestCredentials } from "./support.js";
import { startMwaaStub, type MwaaStub } from "./mwaa-stub.js";
import { helperModule } from "../../backends/airflow/render.js";

let moto: Moto;
let stub: MwaaStub;
const region = "us-east-1";
const ENV = {
  SourceBucketArn: "arn:aws:s3:::mwaa-env-bucket",
  DagS3Path: "dags",
  RequirementsS3Path: "requirements.txt",
  AirflowVersion: "2.11.2",
  Status: "AVAILABLE",
};
let s3: S3Client;

beforeAll(async () => {
  useTestCredentials();
  moto = await startMoto();
  stub = await startMwaaStub(moto.url, { "ml-prod": ENV }, (command) => {
    if (command.startsWith("dags trigger ")) return '[{"conf": {}, "dag_id": "abalone", "dag_run_id": "manual__2026-11-23T09:00:00+00:00", "state": "queued"}]\n';
    if (command.startsWith("dags list-runs ")) return '[{"dag_id": "abalone", "run_id": "manual__2026-11-23T09:00:00+00:00", "state": "success"}]\n';
    if (command.startsWith("tasks states-for-dag-run ")) return '[{"task_id": "preprocess", "state": "success"}, {"task_id": "train", "state": "success"}]\n';
    return "";
  });
  s3 = new S3Client({ region, endpoint: moto.url, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "example-ml-artifacts" }));
  await s3.send(new CreateBucketCommand({ Bucket: "mwaa-env-bucket" }));
});
afterAll(async () => {
  await stub?.stop();
  await moto?.stop();
});

/** MWAA calls are answered by the stand-in, which passes S3 calls on to moto. */
const opts = (dryRun = false, mwaaEnvironment = "ml-prod") => {
  const l = logger();
  return { l, o: { baseDir: "", dryRun, endpointUrl: stub.url, mwaaEnvironment, log: l.log } };
};

const object = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: "mwaa-env-bucket", Key: key }))).Body!.transformToString("utf8");

describe("deploy --target airflow (MWAA stand-in + moto S3)", () => {
  it("uploads the code, the helper module and the DAG into the environment's DAG folder, and requirements.txt", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText());
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "airflow", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.map((c) => [c.resource.replace(/\/code\/[0-9a-f]{16}\//, "/code/<hash>/"), c.action])).toEqual([
      ["s3://example-ml-artifacts/abalone/code/<hash>/evaluation.py", "created"],
      ["s3://example-ml-artifacts/abalone/code/<hash>/preprocessing.py", "created"],
      [`s3://mwaa-env-bucket/dags/${helperModule("2").name}.py`, "created"],
      ["s3://mwaa-env-bucket/dags/abalone.py", "created"],
      ["s3://mwaa-env-bucket/requirements.txt", "created"],
    ]);
    expect(await object("dags/abalone.py")).toBe(files.find((f) => f.kind === "dag")!.contents);
    expect(await object(`dags/${helperModule("2").name}.py`)).toBe(helperModule("2").text);
    expect(await object("requirements.txt")).toBe(files.find((f) => f.kind === "requirements")!.contents);
    expect(l.lines).toContain("MWAA environment 'ml-prod' picks up the DAG files within about 30 seconds");
    expect(l.lines.some((x) => x.includes("aws mwaa update-environment --name ml-prod"))).toBe(true);
  });

  it("changes nothing when deployed again", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText());
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "airflow", { ...o, baseDir });
    expect(r.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(l.lines).toEqual(["no changes: 0 created, 0 updated, 5 unchanged"]);
  });

  it("dry-run shows the DAG's changed default as a text diff and writes nothing; deploy writes it", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText().replace("default: 6.0", "default: 8.5"));
    const before = await object("dags/abalone.py");
    const dry = opts(true);
    const r = await deployCommand(pipeline, files, "airflow", { ...dry.o, baseDir });
    expect(r.diagnostics).toEqual([]);
    const dag = r.changes.find((c) => c.resource === "s3://mwaa-env-bucket/dags/abalone.py")!;
    expect(dag.action).toBe("updated");
    const removed = dag.diff!.split("\n").filter((x) => /^-[^-]/.test(x));
    const added = dag.diff!.split("\n").filter((x) => /^\+[^+]/.test(x));
    // The DAG's header names the IR's hash, which changes with it; the rest is the one default.
    const hash = (x: string) => x.slice(1).startsWith("# IR sha256:");
    expect(removed.filter(hash).length).toBe(1);
    expect(added.filter(hash).length).toBe(1);
    expect(removed.filter((x) => !hash(x))).toEqual([expect.stringMatching(/^-\s+"mse_threshold": Param\(6\.0, type="number"\),$/)]);
    expect(added.filter((x) => !hash(x))).toEqual([expect.stringMatching(/^\+\s+"mse_threshold": Param\(8\.5, type="number"\),$/)]);
    expect(dag.diff!.split("\n").slice(0, 2)).toEqual(["--- deployed s3://mwaa-env-bucket/dags/abalone.py", "+++ new s3://mwaa-env-bucket/dags/abalone.py"]);
    expect(r.changes.find((c) => c.resource.endsWith("requirements.txt"))?.action).toBe("unchanged");
    expect(await object("dags/abalone.py")).toBe(before);

    const { o } = opts();
    await deployCommand(pipeline, files, "airflow", { ...o, baseDir });
    expect(await object("dags/abalone.py")).toBe(files.find((f) => f.kind === "dag")!.contents);
  });

  it("reports an unknown environment as one line with the error code", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText());
    const { o } = opts(false, "no-such-env");
    const r = await deployCommand(pipeline, files, "airflow", { ...o, baseDir });
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "mwaa GetEnvironment: ResourceNotFoundException: Environment named no-such-env not found — the resource does not exist; run 'switchyard deploy' first or check the name and region",
    ]);
  });

  it("needs --mwaa-environment", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText());
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "airflow", { ...o, baseDir, mwaaEnvironment: undefined });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["the airflow target deploys to an Amazon MWAA environment: name it with --mwaa-environment NAME"]);
  });
});

describe("run --target airflow", () => {
  it("triggers the DAG with the typed parameters as conf through the CLI endpoint and follows the run", async () => {
    const { pipeline, files, baseDir } = await lowered("airflow", abaloneText());
    const { l, o } = opts();
    stub.cli.length = 0;
    const r = await runCommand(pipeline, files, "airflow", { ...o, baseDir, params: { mse_threshold: "5", input_data: "s3://b/it's here" }, wait: true, isTTY: false, pollMs: 10 });
    expect(r.diagnostics).toEqual([]);
    expect(r.status).toBe("success");
    expect(r.executionId).toBe("manual__2026-11-23T09:00:00+00:00");
    expect(stub.cli[0]).toEqual({
      authorization: "Bearer token-1",
      command: `dags trigger abalone --conf '{"input_data":"s3://b/it'"'"'s here","mse_threshold":5}' -o json`,
    });
    expect(stub.cli[1].command).toBe("dags list-runs -d abalone -o json");
    expect(stub.cli[2].command).toBe("tasks states-for-dag-run abalone 'manual__2026-11-23T09:00:00+00:00' -o json");
    expect(l.lines).toContain("  preprocess: success");
    expect(l.lines.at(-1)).toBe("abalone manual__2026-11-23T09:00:00+00:00: success");
  });
});
