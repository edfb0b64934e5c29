/**
 * The bundled command (dist/bin/switchyard.js) against the modules it is built from:
 * the same files out (its Airflow templates are precompiled at build time), and a
 * YAML compile that loads only what it uses.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { loadBackend, BUILTIN_TARGETS } from "../../src/backend/registry.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");

function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe("the bundled command", () => {
  it("writes, for every target, the files the modules it is built from lower to", async () => {
    for (const fixture of ["abalone.yaml", "churn.yaml"]) {
      const file = join(ROOT, "fixtures", fixture);
      const out = mkdtempSync(join(tmpdir(), "switchyard-bundle-"));
      const r = spawnSync(process.execPath, [CLI, "compile", file, "--target", "all", "--out", out], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const loaded = await loadPipelineFile(file);
      for (const target of BUILTIN_TARGETS) {
        const lowered = (await loadBackend(target)).lower(loaded.pipeline!, { baseDir: dirname(file), options: { airflow: "2", "check-interval": "60" } });
        const written = filesUnder(join(out, target)).sort();
        const definitions = lowered.files.filter((f) => written.includes(f.path));
        expect(definitions.length, `${fixture} ${target}`).toBeGreaterThan(0);
        for (const f of definitions) expect(readFileSync(join(out, target, f.path), "utf8"), `${fixture} ${target} ${f.path}`).toBe(f.contents);
      }
    }
  });

  it("installed without the optional AWS SDK clients: compile works; deploy and run say what to install", () => {
    // The package as `npm install --omit=optional` lays it out: every dependency but @aws-sdk/*.
    const dir = mkdtempSync(join(tmpdir(), "sy-nosdk-"));
    cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
    mkdirSync(join(dir, "node_modules"));
    for (const e of readdirSync(join(ROOT, "node_modules"))) if (e !== "@aws-sdk") symlinkSync(join(ROOT, "node_modules", e), join(dir, "node_modules", e));
    const cli = join(dir, "dist", "bin", "switchyard.js");
    const env = { PATH: process.env.PATH ?? "", HOME: "/nonexistent" };
    const compiled = spawnSync(process.execPath, [cli, "compile", join(ROOT, "fixtures", "abalone.yaml"), "--target", "all", "--out", join(dir, "out")], { encoding: "utf8", env });
    expect(compiled.status).toBe(0);
    expect(readFileSync(join(dir, "out", "stepfunctions", "state-machine.asl.json"), "utf8").length).toBeGreaterThan(1000);
    const pins = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).optionalDependencies as Record<string, string>;
    const install = Object.entries(pins).map(([name, version]) => `${name}@${version}`).join(" ");
    for (const args of [["deploy", "--target", "stepfunctions", "--dry-run"], ["run", "--target", "sagemaker"]]) {
      const r = spawnSync(process.execPath, [cli, args[0], join(ROOT, "fixtures", "abalone.yaml"), ...args.slice(1)], { encoding: "utf8", env });
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(/^switchyard: error: deploy and run need the AWS SDK package @aws-sdk\/[a-z0-9-]+, which this install left out \(the AWS SDK clients are optional dependencies\)\n  hint: install them: npm install (.*)$/m);
      expect(r.stderr).toContain(`hint: install them: npm install ${install}\n`);
    }
    expect(Object.keys(pins).every((name) => name.startsWith("@aws-sdk/"))).toBe(true);
  });

  it("reaches AWS for every target's deploy: each deploy module and what it loads are in the bundle", () => {
    // No credentials and no endpoint that answers: the run must get as far as asking AWS, and no further.
    for (const target of BUILTIN_TARGETS) {
      const extra = target === "airflow" ? ["--mwaa-environment", "ml"] : [];
      const r = spawnSync(process.execPath, [CLI, "deploy", join(ROOT, "fixtures", "abalone.yaml"), "--target", target, "--dry-run", "--endpoint-url", "http://127.0.0.1:9", ...extra], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" },
      });
      expect(r.stderr, target).not.toMatch(/MODULE_NOT_FOUND|Cannot find module/);
      // A dry run that cannot reach AWS says so and shows what it would send.
      expect(r.stderr, target).toMatch(/^offline: .*no AWS credentials found/m);
      expect(r.status, target).toBe(0);
    }
  });

  it("compiles a YAML pipeline for every target without loading ts-morph, the AWS SDK, cron-parser or the Handlebars compiler", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-loads-"));
    const log = join(dir, "loaded.txt");
    // Every module file loaded, from ES imports (a loader hook) and from require() (a patched resolver).
    const hook = join(dir, "hook.mjs");
    writeFileSync(hook, `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }\n`);
    const esm = join(dir, "register.mjs");
    writeFileSync(esm, `import { register } from "node:module";\nimport { pathToFileURL } from "node:url";\nregister(pathToFileURL(${JSON.stringify(hook)}).href);\n`);
    const cjs = join(dir, "require.cjs");
    writeFileSync(cjs, `const M = require("node:module"); const fs = require("node:fs"); const resolve = M._resolveFilename;\nM._resolveFilename = function (...args) { const f = resolve.apply(this, args); fs.appendFileSync(${JSON.stringify(log)}, f + "\\n"); return f; };\n`);
    const r = spawnSync(process.execPath, ["--require", cjs, "--import", esm, CLI, "compile", join(ROOT, "fixtures", "abalone.yaml"), "--target", "all", "--out", join(dir, "out")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
    // The check can see what loads: the bundle itself and the Node modules it uses.
    expect(loaded.some((f) => f.endsWith("/dist/bin/switchyard.js"))).toBe(true);
    expect(loaded.some((f) => f.startsWith("node:"))).toBe(true);
    for (const pkg of ["ts-morph", "typescript", "@aws-sdk", "cron-parser", "luxon", "handlebars", "ajv", "yaml"]) {
      expect(loaded.filter((f) => f.includes(`/node_modules/${pkg}/`)), pkg).toEqual([]);
    }
    // Nothing from the unbundled build either: the bundle holds every module a compile needs.
    expect(loaded.filter((f) => f.includes("/dist/src/") || f.includes("/dist/backends/"))).toEqual([]);
  });
});
