// Whole-process time of `switchyard validate --no-targets` on a TypeScript pipeline (goal: under 1.5 s),
// with the YAML twin as the baseline and an in-process breakdown of where the time goes.
// Usage: npx tsc -p . && node bench/ts-compile.mjs [runs]
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/bin/switchyard.js");
const runs = Number(process.argv[2] ?? 7);

function wall(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { min: times[0], median: times[Math.floor(times.length / 2)] };
}

/** One phase at a time, in a fresh process (module loading is part of the cost). */
function phases() {
  const probe = `
    const t = [performance.now()];
    const mark = (name) => { const now = performance.now(); console.log(name + "\\t" + (now - t[t.length - 1]).toFixed(0)); t.push(now); };
    const load = await import(${JSON.stringify(pathToFileURL(join(root, "dist/src/frontends/load.js")).href)});
    mark("core modules (load.js, ajv, yaml, checks)");
    const { ts } = await import("ts-morph");
    mark("import ts-morph (bundled TypeScript)");
    const project = await import(${JSON.stringify(pathToFileURL(join(root, "dist/src/frontends/typescript/project.js")).href)});
    const { Evaluator } = await import(${JSON.stringify(pathToFileURL(join(root, "dist/src/frontends/typescript/evaluate.js")).href)});
    const p = project.openProject("fixtures/abalone.ts");
    mark("parse file + DSL declarations + lib, build program");
    const diags = project.typeDiagnostics(p, (f) => f);
    mark("type check (" + diags.length + " errors)");
    const ev = new Evaluator({ sourceFile: (f) => p.program.getSourceFile(f), resolveImport: () => undefined, displayName: (f) => f });
    const tree = ev.evaluateFile(p.main);
    mark("static evaluation");
    const r = load.loadTree(tree, "fixtures/abalone.ts", "fixtures", "typescript");
    mark("schema check, build, IR checks (" + r.diagnostics.length + " diagnostics)");
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split("\n").map((l) => l.split("\t"));
}

const ts = wall(["validate", "--no-targets", "fixtures/abalone.ts"]);
const yaml = wall(["validate", "--no-targets", "fixtures/abalone.yaml"]);
const node = wall(["--version"]);
console.log(`runs: ${runs}`);
console.log(`validate fixtures/abalone.ts    min ${ts.min.toFixed(0)} ms  median ${ts.median.toFixed(0)} ms  (goal < 1500 ms)`);
console.log(`validate fixtures/abalone.yaml  min ${yaml.min.toFixed(0)} ms  median ${yaml.median.toFixed(0)} ms`);
console.log(`switchyard --version            min ${node.min.toFixed(0)} ms  median ${node.median.toFixed(0)} ms`);
console.log("\nwhere the TypeScript time goes (one fresh process):");
for (const [name, ms] of phases()) console.log(`  ${ms.padStart(5)} ms  ${name}`);
