/** The code manifest every target writes: each local file and the S3 URI it is uploaded to. */
import { codeManifest } from "../ir/dataflow.js";
import type { Pipeline } from "../ir/types.js";
import type { OutputFile } from "./types.js";

export const MANIFEST_FILE = "code-manifest.json";

/** `{ "files": [{ path, s3, sha256, steps }] }`, sorted by S3 URI (an empty list when nothing is uploaded). */
export function codeManifestFile(p: Pipeline): OutputFile {
  const files = codeManifest(p);
  return { path: MANIFEST_FILE, kind: "manifest", contents: JSON.stringify({ files }, null, 2) + "\n" };
}
