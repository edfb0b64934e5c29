/**
 * Property: whichever file system call fails, at whichever point, the output
 * folder is byte-identical to before; when none fails, it holds exactly the
 * new files plus what was there and not replaced.
 */
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeFileOps, OutputError, writeFilesAtomically, type FileOps } from "../../src/cli/write-files.js";

const root = mkdtempSync(join(tmpdir(), "sy-write-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[relative(dir, p) + "/"] = "";
        walk(p);
      } else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

const OPS: Array<keyof FileOps> = ["kind", "mkdir", "writeFile", "rename"];
const PATHS = ["a.txt", "b/c.txt", "b/d.txt", "e/f/g.txt", "e/h.txt"];

describe("writeFilesAtomically under failures", () => {
  it("leaves the folder as it was, or writes exactly the new files", () => {
    fc.assert(
      fc.property(
        fc.subarray(PATHS, { minLength: 0 }),
        fc.subarray(PATHS, { minLength: 1 }),
        fc.constantFrom(...OPS),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("ENOSPC", "EACCES", "EIO"),
        (existingPaths, newPaths, op, n, code) => {
          const out = join(root, String(made++));
          mkdirSync(out);
          for (const p of existingPaths) {
            mkdirSync(dirname(join(out, p)), { recursive: true });
            writeFileSync(join(out, p), `old ${p}`);
          }
          const before = snapshot(out);
          let calls = 0;
          const ops: FileOps = {
            ...nodeFileOps,
            [op]: (...args: string[]) => {
              if (++calls === n) throw Object.assign(new Error(code), { code });
              return (nodeFileOps[op] as (...a: string[]) => unknown)(...args);
            },
          };
          let failed = false;
          try {
            writeFilesAtomically(newPaths.map((p) => ({ path: join(out, p), contents: `new ${p}` })), ops);
          } catch (e) {
            expect(e).toBeInstanceOf(OutputError);
            expect((e as Error).message).toMatch(/; no file was changed$/);
            failed = true;
          }
          if (failed) expect(snapshot(out)).toEqual(before);
          else {
            const files = Object.fromEntries(Object.entries(snapshot(out)).filter(([k]) => !k.endsWith("/")));
            const expected: Record<string, string> = {};
            for (const p of existingPaths) expected[p] = `old ${p}`;
            for (const p of newPaths) expected[p] = `new ${p}`;
            expect(files).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
