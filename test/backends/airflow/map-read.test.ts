/**
 * Maps over items read from S3 on Airflow: the items task lists the objects
 * under a prefix, or reads one object's records (JSON, JSON Lines, CSV, an S3
 * Inventory manifest's reports), giving each item as Step Functions' ItemReader
 * does; the DAG lifts back to the same `read`. In real Airflow 2 and 3,
 * dag.test() reads objects put in moto's S3 and publishes one SNS message an
 * item; the items are checked against values worked out here by hand, and one
 * map's results are written to S3 as Step Functions' ResultWriter lays them out.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText, pythonFunction, withoutHash, yamlPipeline } from "./support/fixtures.js";
import { expectLintClean, ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();
const BUCKET = "example-reads-landing";

/** One map per way of reading; each iteration publishes its item, and each map's result is its item. */
function readsYaml(): string {
  const map = (id: string, read: string, extra = "") => `  ${id}:
    type: map
    read: ${read}${extra}
    steps: [${id}_item]
    result: \${{ item }}
  ${id}_item:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:reads", Subject: ${id}, Message: "\${{ json(item) }}" }
`;
  return `version: 1
pipeline: object-reads
region: eu-west-1
artifacts: s3://example-reads-artifacts/runs
parameters:
  prefix: { type: string, default: in/ }
steps:
${map("objects", `{ bucket: ${BUCKET}, prefix: "\${{ params.prefix }}", max_items: 3 }`, "\n    batch: { max_items: 2 }")}${map("ratings", `{ bucket: ${BUCKET}, key: tables/ratings.csv, format: csv }`)}${map("plain", `{ bucket: ${BUCKET}, key: tables/plain.csv.gz, format: csv, columns: [user, score] }`)}${map("facts", `{ bucket: ${BUCKET}, key: tables/facts.json, format: json }`, `\n    results_to: { bucket: ${BUCKET}, prefix: results/facts/ }`)}${map("lines", `{ bucket: ${BUCKET}, key: tables/facts.jsonl, format: jsonl, max_items: 2 }`)}${map("inventory", `{ bucket: example-reads-inventory, key: reports/manifest.json, format: manifest }`)}`;
}

const pipeline = (text = readsYaml()): Pipeline => yamlPipeline(text, "object-reads.yaml");

describe("maps over items read from S3, lowered for Airflow", () => {
  const p = pipeline();
  const text = dagText(p);

  test("each items task reads through sy_read_items with the map's bucket, prefix or key, format, columns and cap; the DAG is lint-clean", () => {
    const fnOf = (name: string) => pythonFunction(text, name);
    expect(fnOf("objects_items")).toBe(`def objects_items(params):
    return sy_items(
        sy_read_items(
            "${BUCKET}",
            "objects",
            prefix=params["prefix"],
            max_items=3,
        ),
        "objects",
        batch=2,
    )`);
    expect(fnOf("plain_items")).toBe(`def plain_items():
    return sy_items(
        sy_read_items(
            "${BUCKET}",
            "plain",
            key="tables/plain.csv.gz",
            format="csv",
            columns=["user", "score"],
        ),
        "plain",
    )`);
    expect(text).toContain("sy_read_items = partial(sy_read_items, region=REGION)");
    for (const line of ["2", "3"] as const) expectLintClean(ruff, dagText(p, { airflow: line }), line);
  });

  test("the capability table says the read is emulated, and how", () => {
    const row = airflow.capabilities["map.read"];
    expect(row.support).toBe("emulated");
    expect(row.note).toContain("Etag, Key, LastModified in epoch seconds, Size, StorageClass");
  });

  test("the DAG lifts back to the same reads, and the lift lowers to the same DAG", () => {
    const r = airflow.lift!({ file: "object-reads.py", text, given: { artifacts: p.artifacts } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const reads = Object.fromEntries(r.pipeline!.steps.filter((s) => s.kind === "map").map((s) => [s.id, stripPositions((s as { read?: unknown }).read)]));
    const lit = (value: string) => ({ kind: "literal", type: "string", value });
    expect(reads).toEqual({
      objects: { bucket: lit(BUCKET), prefix: { kind: "ref", ref: { scope: "params", name: "prefix" } }, max_items: 3 },
      ratings: { bucket: lit(BUCKET), key: lit("tables/ratings.csv"), format: "csv" },
      plain: { bucket: lit(BUCKET), key: lit("tables/plain.csv.gz"), format: "csv", columns: ["user", "score"] },
      facts: { bucket: lit(BUCKET), key: lit("tables/facts.json"), format: "json" },
      lines: { bucket: lit(BUCKET), key: lit("tables/facts.jsonl"), format: "jsonl", max_items: 2 },
      inventory: { bucket: lit("example-reads-inventory"), key: lit("reports/manifest.json"), format: "manifest" },
    });
    // The same DAG but for the digest of the IR it came from (the lift's positions are the DAG's).
    const facts = r.pipeline!.steps.find((s) => s.id === "facts") as { results_to?: unknown; result?: unknown };
    expect(stripPositions(facts.results_to)).toEqual({ bucket: lit(BUCKET), prefix: lit("results/facts/") });
    expect(stripPositions(facts.result)).toEqual({ kind: "ref", ref: { scope: "item", path: [] } });
    expect(withoutHash(dagText(r.pipeline!))).toBe(withoutHash(text));
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The objects in moto's S3, and the items each map must give for them (worked out by hand from the files). */
const OBJECTS: Array<{ uri: string; body: string; gzip?: boolean }> = [
  { uri: `s3://${BUCKET}/in/a.csv`, body: "alpha" },
  { uri: `s3://${BUCKET}/in/b.csv`, body: "beta!" },
  { uri: `s3://${BUCKET}/in/c/d.csv`, body: "gamma, delta" },
  { uri: `s3://${BUCKET}/in/e.csv`, body: "past the cap" },
  { uri: `s3://${BUCKET}/out/x.csv`, body: "not under the prefix" },
  { uri: `s3://${BUCKET}/tables/ratings.csv`, body: 'movie,rating,note\n307,3.5,"good, really"\n481,4\n1091,1.5,"said ""meh""",extra\n\n"12\n34",5,back\\\\slash\n' },
  { uri: `s3://${BUCKET}/tables/plain.csv.gz`, body: "u1,0.5\nu2,0.75\n", gzip: true },
  { uri: `s3://${BUCKET}/tables/facts.json`, body: '[{"verdict": "true", "n": 1}, {"verdict": "false", "n": [2, 3]}, "a bare string"]' },
  { uri: `s3://${BUCKET}/tables/facts.jsonl`, body: '{"verdict": "true"}\n\n{"verdict": "mostly-true", "n": 2}\n{"verdict": "past the cap"}\n' },
  {
    uri: "s3://example-reads-inventory/reports/manifest.json",
    body: JSON.stringify({
      sourceBucket: BUCKET,
      destinationBucket: "arn:aws:s3:::example-reads-inventory",
      version: "2016-11-30",
      fileFormat: "CSV",
      fileSchema: "Bucket, Key, Size, LastModifiedDate",
      files: [{ key: "reports/data/part-1.csv.gz", size: 1, MD5checksum: "0" }, { key: "reports/data/part-2.csv.gz", size: 1, MD5checksum: "0" }],
    }),
  },
  { uri: "s3://example-reads-inventory/reports/data/part-1.csv.gz", body: `"${BUCKET}","in/a.csv","5","2026-11-16T00:27:19.000Z"\n`, gzip: true },
  { uri: "s3://example-reads-inventory/reports/data/part-2.csv.gz", body: `"${BUCKET}","in/b.csv","5","2026-11-16T00:29:32.000Z"\n"${BUCKET}","tables/","0","2026-11-15T20:00:44.000Z"\n`, gzip: true },
];

const EXPECTED = {
  ratings: [
    { movie: "307", rating: "3.5", note: "good, really" },
    { movie: "481", rating: "4", note: "" },
    { movie: "1091", rating: "1.5", note: 'said "meh"' },
    { movie: "12\n34", rating: "5", note: "back\\slash" },
  ],
  plain: [
    { user: "u1", score: "0.5" },
    { user: "u2", score: "0.75" },
  ],
  facts: [{ verdict: "true", n: 1 }, { verdict: "false", n: [2, 3] }, "a bare string"],
  lines: [{ verdict: "true" }, { verdict: "mostly-true", n: 2 }],
  inventory: [
    { Bucket: BUCKET, Key: "in/a.csv", Size: "5", LastModifiedDate: "2026-11-16T00:27:19.000Z" },
    { Bucket: BUCKET, Key: "in/b.csv", Size: "5", LastModifiedDate: "2026-11-16T00:29:32.000Z" },
    { Bucket: BUCKET, Key: "tables/", Size: "0", LastModifiedDate: "2026-11-15T20:00:44.000Z" },
  ],
};

describe.each(["2", "3"] as const)("Airflow %s: maps over items read from moto's S3", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test(): each map's items are the objects' listings or the file's records, as Step Functions gives them; one message an item (a batch of two listings an iteration)",
    async () => {
      const before = Math.floor(Date.now() / 1000) - 5;
      const r = runDag(env, p, line, { objects: OBJECTS, topics: [{ name: "reads", queue: "reads-seen" }] });
      const after = Math.floor(Date.now() / 1000) + 5;
      expect(r.state).toBe("success");
      // The listing: keys in order under the prefix, at most three, cut into batches of two.
      const listed = r.xcom.objects as Array<Array<Record<string, unknown>>>;
      expect(listed.map((b) => b.map((o) => o.Key))).toEqual([["in/a.csv", "in/b.csv"], ["in/c/d.csv"]]);
      for (const o of listed.flat()) {
        expect(Object.keys(o)).toEqual(["Etag", "Key", "LastModified", "Size", "StorageClass"]);
        const body = OBJECTS.find((x) => x.uri === `s3://${BUCKET}/${o.Key}`)!.body;
        expect(o).toEqual({ Etag: `"${md5(body)}"`, Key: o.Key, LastModified: o.LastModified, Size: body.length, StorageClass: "STANDARD" });
        expect(o.LastModified).toBeGreaterThanOrEqual(before);
        expect(o.LastModified).toBeLessThanOrEqual(after);
      }
      for (const [id, items] of Object.entries(EXPECTED)) {
        expect(r.xcom[id], id).toEqual(items);
        if (id !== "facts") expect(r.xcom[`${id}_results`], id).toEqual(items);
      }
      // The facts map's results are written to S3 as Step Functions' ResultWriter lays them out, not kept in the run.
      const base = `results/facts/${r.run_id.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
      expect(r.xcom.facts_results).toEqual({ ResultWriterDetails: { Bucket: BUCKET, Key: `${base}/manifest.json` } });
      const s3 = new S3Client({ region: p.region, endpoint: env.moto.url, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
      const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
      const records = JSON.parse(await text(`${base}/SUCCEEDED_0.json`)) as Array<{ Input: string; Output: string; Name: string; Status: string }>;
      expect(records.map((x) => ({ ...x, Input: JSON.parse(x.Input), Output: JSON.parse(x.Output) }))).toEqual(EXPECTED.facts.map((item, i) => ({ Input: item, Output: item, Name: String(i), Status: "SUCCEEDED" })));
      const size = Buffer.byteLength(await text(`${base}/SUCCEEDED_0.json`));
      expect(JSON.parse(await text(`${base}/manifest.json`))).toEqual({ DestinationBucket: BUCKET, MapRunArn: null, ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: size }] } });
      const published = r.published.reads as Array<{ Subject: string; Message: string }>;
      const bySubject = (s: string) => published.filter((m) => m.Subject === s).map((m) => JSON.parse(m.Message));
      expect(bySubject("objects")).toEqual(expect.arrayContaining(listed));
      expect(bySubject("objects")).toHaveLength(2);
      for (const [id, items] of Object.entries(EXPECTED)) {
        expect(bySubject(id)).toHaveLength(items.length);
        expect(bySubject(id)).toEqual(expect.arrayContaining(items));
      }
    },
    DAG_RUN_TIMEOUT,
  );
});
