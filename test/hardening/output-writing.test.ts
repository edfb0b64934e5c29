/**
 * Output files are written all or nothing: on any failure the output folder
 * is byte-identical to before, and the command says why in one line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFileOps, OutputError, writeFilesAtomically, type FileOps } from "../../src/cli/write-files.js";
import { HEADER, SCRIPT, tempFiles } from "./support.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");

/** Every file and folder under `dir` with its bytes: what "byte-identical" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[relative(dir, p) + "/"] = "";
        walk(p);
      } else out[relative(dir, p)] = readFileSync(p, "latin1");
    }
  };
  walk(dir);
  return out;
}

/** The real file system, failing with `code` at the `n`th call of `op` (after writing part of the file for writeFile). */
function failing(op: keyof FileOps, n: number, code: string): FileOps {
  let calls = 0;
  const fail = () => Object.assign(new Error(code), { code });
  return {
    ...nodeFileOps,
    [op]: (...args: string[]) => {
      if (++calls === n) {
        if (op === "writeFile") nodeFileOps.writeFile(args[0], args[1].slice(0, 3));
        throw fail();
      }
      return (nodeFileOps[op] as (...a: string[]) => unknown)(...args);
    },
  };
}

function existing(): string {
  const dir = tempFiles({ "out/a/one.txt": "old one", "out/b/two.txt": "old two", "out/keep.txt": "keep" });
  return join(dir, "out");
}

const files = (out: string) => [
  { path: join(out, "a", "one.txt"), contents: "new one" },
  { path: join(out, "b", "two.txt"), contents: "new two" },
  { path: join(out, "c", "d", "three.txt"), contents: "new three" },
];

describe("writeFilesAtomically", () => {
  it("replaces and adds files when everything works", () => {
    const out = existing();
    writeFilesAtomically(files(out));
    expect(snapshot(out)).toEqual({
      "a/": "", "a/one.txt": "new one", "b/": "", "b/two.txt": "new two", "c/": "", "c/d/": "", "c/d/three.txt": "new three", "keep.txt": "keep",
    });
  });

  it("a full disk while staging: no partial temporary file is left, nothing changes", () => {
    const out = existing();
    const before = snapshot(out);
    expect(() => writeFilesAtomically(files(out), failing("writeFile", 3, "ENOSPC"))).toThrow(
      new OutputError(`cannot write ${join(out, "c", "d", "three.txt")}: no space left on the device; no file was changed`),
    );
    expect(snapshot(out)).toEqual(before);
  });

  it("an unwritable folder: nothing changes", () => {
    const out = existing();
    const before = snapshot(out);
    expect(() => writeFilesAtomically(files(out), failing("writeFile", 1, "EACCES"))).toThrow(/^cannot write .*one\.txt: permission denied; no file was changed$/);
    expect(snapshot(out)).toEqual(before);
  });

  it("a rename failing part-way: the files already renamed are put back", () => {
    const out = existing();
    const before = snapshot(out);
    // Renames: one.txt aside, new one.txt in, two.txt aside, then the 4th (new two.txt in) fails.
    expect(() => writeFilesAtomically(files(out), failing("rename", 4, "EIO"))).toThrow(/^cannot write .*two\.txt: EIO; no file was changed$/);
    expect(snapshot(out)).toEqual(before);
  });

  it("a folder where a file goes: nothing changes", () => {
    const out = existing();
    rmSync(join(out, "b", "two.txt"));
    mkdirSync(join(out, "b", "two.txt"));
    const before = snapshot(out);
    expect(() => writeFilesAtomically([{ path: join(out, "a", "one.txt"), contents: "x" }, { path: join(out, "b", "two.txt"), contents: "y" }])).toThrow(
      /^cannot write .*two\.txt: a folder is in the way; no file was changed$/,
    );
    expect(snapshot(out)).toEqual(before);
  });
});

describe("compile --out", () => {
  const dir = tempFiles({ ...SCRIPT, "p.yaml": HEADER + "steps:\n  f: { type: fail, message: m }\n" });
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });

  it("naming a file is a usage error (exit 2), and the file is untouched", () => {
    writeFileSync(join(dir, "afile"), "mine");
    const r = run(["compile", "p.yaml", "--target", "all", "--out", "afile"]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("switchyard: error: --out 'afile' is a file; give a folder (it is created if missing)");
    expect(readFileSync(join(dir, "afile"), "utf8")).toBe("mine");
  });

  it("a path through a file is one line, exit 1", () => {
    const r = run(["compile", "p.yaml", "--target", "all", "--out", "afile/sub"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("switchyard: error: cannot write afile/sub/sagemaker/pipeline.json: a part of the path is a file, not a folder; no file was changed\n");
  });

  it("a folder in the way of a later target's file: the earlier targets' files are restored (EISDIR)", () => {
    expect(run(["compile", "p.yaml", "--target", "all", "--out", "out"]).status).toBe(0);
    const out = join(dir, "out");
    // Mark the earlier output so a replaced file would show, then block the Airflow DAG with a folder.
    for (const f of ["sagemaker/pipeline.json", "stepfunctions/state-machine.asl.json"]) writeFileSync(join(out, f), "earlier " + f);
    const dag = join(out, "airflow", "dags", "demo.py");
    rmSync(dag);
    mkdirSync(dag);
    const before = snapshot(out);
    const r = run(["compile", "p.yaml", "--target", "all", "--out", "out"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("switchyard: error: cannot write out/airflow/dags/demo.py: a folder is in the way; no file was changed\n");
    expect(snapshot(out)).toEqual(before);
  });
});

