/**
 * Uploads the pipeline's local code (the IR's code manifest) to its
 * content-addressed S3 keys. An object already at its key is kept only when its
 * checksum (the SHA-256 sent with every upload, or the ETag S3 computes) is the
 * file's: the key's name alone proves nothing about what someone put there.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { codeManifest, splitS3 } from "../ir/dataflow.js";
import type { Pipeline } from "../ir/types.js";
import { s3Client } from "./aws.js";
import { call, callOrMissing, fail } from "./errors.js";
import type { Change, DeployOpts } from "./types.js";
import { sdk } from "./sdk.js";

export async function uploadCode(p: Pipeline, o: DeployOpts, changes: Change[]): Promise<void> {
  const manifest = codeManifest(p);
  if (!manifest.length) return;
  const { HeadObjectCommand, PutObjectCommand } = await sdk("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"));
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
    const checksum = Buffer.from(sha, "hex").toString("base64");
    const head = await callOrMissing("s3", "HeadObject", ["NotFound", "NoSuchKey"], () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" })));
    // S3 gives the SHA-256 it stored with the upload; where it keeps none (an object put without one,
    // or a store that does not return checksums), a single-part upload's ETag is its content's MD5.
    const md5 = createHash("md5").update(bytes).digest("hex");
    if (head && (head.ChecksumSHA256 === checksum || head.ETag === `"${md5}"`)) {
      changes.push({ resource: entry.s3, action: "unchanged" });
      continue;
    }
    if (!o.dryRun) {
      o.log(head ? `replacing ${entry.s3}: what is there is not ${entry.path} (another checksum)` : `uploading ${entry.path} -> ${entry.s3}`);
      await call("s3", "PutObject", () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ChecksumSHA256: checksum })));
    }
    changes.push({ resource: entry.s3, action: head ? "updated" : "created" });
  }
}
