// Whole-process timings of `switchyard validate` on the bundled example (every target's checks
// included), and of the front end alone (`validate --no-targets`: parse + schema + build + checks)
// on synthetic pipelines of 100, 1,000 and 10,000 steps, which are over the targets' size limits.
// Usage: npm run build && node bench/run.mjs [--runs N]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generate } from "./generate.mjs";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function once(args, cwd) {
  const start = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ["-f", "%M", process.execPath, CLI, ...args], { cwd, encoding: "utf8" })
    : spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  const rssKb = TIME ? Number(r.stderr.trim().split("\n").pop()) : NaN;
  return { ms, rssMb: rssKb / 1024 };
}

function measure(label, args, cwd) {
  const samples = Array.from({ length: runs }, () => once(args, cwd));
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const rss = Math.max(...samples.map((s) => s.rssMb));
  console.log(`${label.padEnd(34)} median ${median.toFixed(0).padStart(6)} ms   min ${ms[0].toFixed(0).padStart(6)} ms   max RSS ${Number.isNaN(rss) ? "  n/a" : rss.toFixed(0).padStart(5)} MB`);
}

const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

console.log(`node ${process.version}, ${runs} runs each, whole process (node start-up included)\n`);
measure("switchyard --version (start-up)", ["--version"], ROOT);
measure("validate fixtures/abalone.yaml", ["validate", "fixtures/abalone.yaml"], ROOT);
for (const shape of ["chain", "fanout", "random"]) {
  for (const n of [100, 1000, 10000]) {
    const file = join(dir, `${shape}-${n}.yaml`);
    writeFileSync(file, generate(shape, n, 42));
    measure(`validate ${shape} ${n} steps`, ["validate", "--no-targets", file], dir);
  }
}
