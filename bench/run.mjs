// Whole-process timings of `switchyard validate` and `compile --target all` on the bundled example
// (every target's checks included), and of the front end alone (`validate --no-targets`: parse + schema + build + checks)
// on synthetic pipelines of 100, 1,000 and 10,000 steps, which are over the targets' size limits.
// Usage: npm run build && node bench/run.mjs [--runs N] [--only random] [--cli other/dist/bin/switchyard.js]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generate } from "./generate.mjs";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
/** `--cli <file>`: time another build of the command (an older one, to compare). */
const CLI = process.argv.includes("--cli") ? resolve(process.argv[process.argv.indexOf("--cli") + 1]) : join(ROOT, "dist", "bin", "switchyard.js");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function once(args, cwd) {
  const start = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ["-f", "%M %U %S", process.execPath, CLI, ...args], { cwd, encoding: "utf8" })
    : spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  const [rssKb, user, sys] = TIME ? r.stderr.trim().split("\n").pop().split(" ").map(Number) : [NaN, NaN, NaN];
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : "n/a").padStart(6);

function measure(label, args, cwd) {
  const samples = Array.from({ length: runs }, () => once(args, cwd));
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssMb);
  console.log(
    `| ${label.padEnd(32)} | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${fmt(median(samples.map((s) => s.cpuMs)))} | ${fmt(median(rss))} | ${fmt(Math.max(...rss))} |`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

console.log(`node ${process.version}, ${runs} runs each, whole process (node start-up included); CPU is user + system\n`);
console.log("| run | wall ms (median) | wall ms (min) | CPU ms (median) | peak RSS MB (median) | peak RSS MB (max) |");
console.log("|---|---:|---:|---:|---:|---:|");
measure("switchyard --version (start-up)", ["--version"], ROOT);
measure("validate fixtures/abalone.yaml", ["validate", "fixtures/abalone.yaml"], ROOT);
measure("compile fixtures/abalone.yaml --target all", ["compile", "fixtures/abalone.yaml", "--target", "all", "--out", join(dir, "out")], ROOT);
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
for (const shape of ["chain", "fanout", "random"].filter((s) => !only || s === only)) {
  for (const n of [100, 1000, 10000]) {
    const file = join(dir, `${shape}-${n}.yaml`);
    writeFileSync(file, generate(shape, n, 42));
    measure(`validate ${shape} ${n} steps`, ["validate", "--no-targets", file], dir);
  }
}
