/** The README's two fresh-machine commands exist, and the main job works on the bundled example. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("README", () => {
  const install = readme.split("\n").find((l) => l.startsWith("npm ci && "));

  it("shows the install-and-compile command and the test command", () => {
    expect(install).toBe("npm ci && node dist/bin/switchyard.js compile fixtures/abalone.yaml --target all --out out");
    expect(readme).toContain("\n```sh\nnpm test\n```\n");
    // CI installs without the `prepare` build and runs `npm test`, which builds once.
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test.startsWith("npm run build && ")).toBe(true);
    const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(ci.filter((l) => l.startsWith("npm ") || l.startsWith("npx "))).toEqual(["npm ci --no-audit --no-fund --ignore-scripts", "npm test"]);
    // Safe only while no locked package needs its install script. esbuild's only checks for its
    // platform binary, which npm installs as an optional dependency; `npm test` bundles with it first.
    const notNeeded = ["node_modules/esbuild"];
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(Object.entries(lock.packages).filter(([name, p]) => p.hasInstallScript && !notNeeded.includes(name)).map(([name]) => name)).toEqual([]);
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

/** The README's pipeline examples, each with the local files it names. */
function examples(): Array<{ lang: "yaml" | "ts"; code: string; line: number }> {
  const out: Array<{ lang: "yaml" | "ts"; code: string; line: number }> = [];
  const re = /^```(yaml|ts)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(readme); m; m = re.exec(readme)) {
    out.push({ lang: m[1] as "yaml" | "ts", code: m[2], line: readme.slice(0, m.index).split("\n").length });
  }
  return out;
}

describe("README examples", () => {
  const found = examples();

  it("are a YAML and a TypeScript pipeline", () => {
    expect(found.map((e) => e.lang)).toEqual(["yaml", "ts"]);
  });

  for (const ex of found) {
    it(`the ${ex.lang} example at README.md:${ex.line} validates and compiles for every target`, () => {
      const dir = mkdtempSync(join(tmpdir(), "switchyard-readme-"));
      const file = join(dir, `pipeline.${ex.lang}`);
      writeFileSync(file, ex.code);
      // The scripts an example names (`code: scripts/x.py`) exist beside it, as they would for a user.
      for (const m of ex.code.matchAll(/\bcode: "?([\w./-]+\.py)"?/g)) {
        mkdirSync(dirname(join(dir, m[1])), { recursive: true });
        writeFileSync(join(dir, m[1]), "print('ok')\n");
      }
      for (const cmd of [["validate", file], ["compile", file, "--target", "all", "--out", join(dir, "out")]]) {
        const r = spawnSync(process.execPath, [join(ROOT, "dist", "src", "cli.js"), ...cmd], { cwd: dir, encoding: "utf8" });
        expect(r.stderr.split("\n").filter((l) => l.includes(": error:")), cmd[0]).toEqual([]);
        expect(r.status, cmd[0]).toBe(0);
      }
      for (const f of ["sagemaker/pipeline.json", "stepfunctions/state-machine.asl.json"]) expect(existsSync(join(dir, "out", f)), f).toBe(true);
    });
  }
});
