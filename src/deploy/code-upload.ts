/**
 * Uploads the pipeline's local code (the IR's code manifest) to its
 * content-addressed S3 keys. A key that exists already holds these bytes
 * (its name carries their hash), so it is skipped after a HeadObject.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { codeManifest, splitS3 } from "../ir/dataflow.js";
import type { Pipeline } from "../ir/types.js";
import { s3Client } from "./aws.js";
import { call, callOrMissing, fail } from "./errors.js";
import type { Change, DeployOpts } from "./types.js";

export async function uploadCode(p: Pipeline, o: DeployOpts, changes: Change[]): Promise<void> {
  const manifest = codeManifest(p);
  if (!manifest.length) return;
  const { HeadObjectCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
  const s3 = await s3Client(p, o);
  for (const entry of manifest) {
    const file = resolve(o.baseDir, entry.path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      fail(`cannot read ${entry.path} (used by ${entry.steps.join(", ")}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const sha = createHash("sha256").update(bytes).digest("hex");
    if (sha !== entry.sha256) fail(`${entry.path} changed while deploying (its hash is not the one compiled in); run the command again`);
    const { bucket, key } = splitS3(entry.s3);
    const head = await callOrMissing("s3", "HeadObject", ["NotFound", "NoSuchKey"], () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    if (head) {
      changes.push({ resource: entry.s3, action: "unchanged" });
      continue;
    }
    if (!o.dryRun) {
      o.log(`uploading ${entry.path} -> ${entry.s3}`);
      await call("s3", "PutObject", () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ChecksumSHA256: Buffer.from(sha, "hex").toString("base64") })));
    }
    changes.push({ resource: entry.s3, action: "created" });
  }
}
