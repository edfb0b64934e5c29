/** The README's two fresh-machine commands exist, and the main job works on the bundled example. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("README", () => {
  const install = readme.split("\n").find((l) => l.startsWith("npm ci && "));

  it("shows the install-and-compile command and the test command", () => {
    expect(install).toBe("npm ci && node dist/src/cli.js compile fixtures/abalone.yaml --target all --out out");
    expect(readme).toContain("\n```sh\nnpm test\n```\n");
    // CI runs `npm test` without its build step, since `npm ci` has just built the package (`prepare`).
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toBe("npm run build");
    expect(scripts.test.startsWith("npm run build && ")).toBe(true);
    const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(ci.filter((l) => l.startsWith("npm ") || l.startsWith("npx "))).toEqual(["npm ci --no-audit --no-fund", `npx ${scripts.test.slice("npm run build && ".length)}`]);
  });

  it("its compile command writes every target's files for the bundled example", () => {
    const out = mkdtempSync(join(tmpdir(), "switchyard-readme-"));
    const args = install!.replace("npm ci && node ", "").replace("--out out", `--out ${out}`).split(" ");
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr.split("\n").filter((l) => l.includes(": error:"))).toEqual([]);
    expect(r.status).toBe(0);
    for (const f of ["sagemaker/pipeline.json", "stepfunctions/state-machine.asl.json", "airflow/dags/abalone.py"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });
});
