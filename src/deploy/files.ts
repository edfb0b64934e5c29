/** Picking the lowered files a deploy needs, by their `kind`. */
import type { OutputFile } from "../backend/types.js";
import { fail } from "./errors.js";

export function fileOfKind(files: OutputFile[], kind: string, target: string): OutputFile {
  const f = files.find((x) => x.kind === kind);
  if (!f) fail(`the ${target} backend produced no '${kind}' file to deploy`);
  return f;
}
