/**
 * Local files (`code:`, `notebook:`) are uploaded by `deploy`: they must be
 * regular files inside the pipeline file's folder, after symbolic links.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { HEADER, tempFiles } from "./support.js";

const LINE = "  a: { type: processing, image: x, instance: ml.m5.large, code: ";

/** A folder `pipe/` with the pipeline and a script, and `secret/creds.txt` beside it. */
function layout() {
  return tempFiles({ "secret/creds.txt": "aws_secret_access_key=XYZ\n", "pipe/scripts/prep.py": "print('prep')\n" });
}

async function errorsFor(dir: string, code: string, line = LINE): Promise<string[]> {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(dir, "pipe", "p.yaml"), `${HEADER}steps:\n${line}${JSON.stringify(code)} }\n`);
  const r = await loadPipelineFile(join(dir, "pipe", "p.yaml"));
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0].replace(dir + "/pipe/", ""));
}

const COL = LINE.length + 1;

describe("local files stay inside the pipeline file's folder", () => {
  it("refuses a path that climbs out of the folder", async () => {
    expect(await errorsFor(layout(), "../secret/creds.txt")).toEqual([`p.yaml:6:${COL}: error: script '../secret/creds.txt' is outside the pipeline file's folder`]);
    expect(await errorsFor(layout(), "scripts/../../secret/creds.txt")).toEqual([
      `p.yaml:6:${COL}: error: script 'scripts/../../secret/creds.txt' is outside the pipeline file's folder`,
    ]);
  });

  it("refuses absolute paths, /proc and /etc included", async () => {
    for (const p of ["/etc/passwd", "/proc/self/environ"]) {
      expect(await errorsFor(layout(), p)).toEqual([`p.yaml:6:${COL}: error: script '${p}' is not a relative path`]);
    }
  });

  it("follows symbolic links and checks where they lead", async () => {
    const dir = layout();
    symlinkSync(join(dir, "secret", "creds.txt"), join(dir, "pipe", "scripts", "creds.py"));
    symlinkSync(join(dir, "secret"), join(dir, "pipe", "linked"));
    expect(await errorsFor(dir, "scripts/creds.py")).toEqual([`p.yaml:6:${COL}: error: script 'scripts/creds.py' leads (through a symbolic link) outside the pipeline file's folder`]);
    expect(await errorsFor(dir, "linked/creds.txt")).toEqual([`p.yaml:6:${COL}: error: script 'linked/creds.txt' leads (through a symbolic link) outside the pipeline file's folder`]);
  });

  it("accepts a link that stays inside, hashing the file it names", async () => {
    const dir = layout();
    symlinkSync("prep.py", join(dir, "pipe", "scripts", "alias.py"));
    expect(await errorsFor(dir, "scripts/alias.py")).toEqual([]);
    const r = await loadPipelineFile(join(dir, "pipe", "p.yaml"));
    const step = r.pipeline!.steps[0];
    expect(step.kind === "processing" && step.code?.sha256).toBe(createHash("sha256").update("print('prep')\n").digest("hex"));
  });

  it("refuses what is not a regular file: a folder, a FIFO (without blocking on it)", async () => {
    const dir = layout();
    mkdirSync(join(dir, "pipe", "scripts", "folder.py"));
    execFileSync("mkfifo", [join(dir, "pipe", "scripts", "fifo.py")]);
    expect(await errorsFor(dir, "scripts/folder.py")).toEqual([`p.yaml:6:${COL}: error: script 'scripts/folder.py' is not a regular file`]);
    expect(await errorsFor(dir, "scripts/fifo.py")).toEqual([`p.yaml:6:${COL}: error: script 'scripts/fifo.py' is not a regular file`]);
  });

  it("says a missing file does not exist, as before", async () => {
    expect(await errorsFor(layout(), "scripts/missing.py")).toEqual([`p.yaml:6:${COL}: error: script 'scripts/missing.py' does not exist`]);
  });

  it("applies the same rule to notebooks", async () => {
    const line = "  nb: { type: notebook, image: x, instance: ml.m5.large, kernel: python3, notebook: ";
    expect(await errorsFor(layout(), "../secret/creds.txt", line)).toEqual([
      `p.yaml:6:${line.length + 1}: error: notebook '../secret/creds.txt' is outside the pipeline file's folder`,
    ]);
  });
});
