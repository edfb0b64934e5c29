// Compile time and layout figures for random DAGs of 100 / 300 / 1,000 / 10,000 steps.
// Times are whole-process (node start-up included), median of N runs, with the peak RSS
// of those runs; a compile that stops at a limit check (exit 1) is timed all the same and
// marked. Sizes and layout figures come from one in-process lowering per target.
// Usage: npm run build && node bench/scale.mjs [--runs N] [--sizes 100,300] [--targets sagemaker,stepfunctions]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generate } from "./generate.mjs";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const CLI = join(ROOT, "dist", "src", "cli.js");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "5"));
const sizes = arg("--sizes", "100,300,1000,10000").split(",").map(Number);
const targets = arg("--targets", "sagemaker,stepfunctions,airflow,all").split(",");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/** A run that takes longer than this is stopped and reported as such. */
const TIMEOUT_MS = Number(arg("--timeout", "300")) * 1000;

const { loadPipelineFile } = await import(join(ROOT, "dist", "src", "frontends", "load.js"));
const { loadBackend } = await import(join(ROOT, "dist", "src", "backend", "registry.js"));
const { minifyJson } = await import(join(ROOT, "dist", "src", "backend", "wire.js"));

function once(args, cwd) {
  const start = process.hrtime.bigint();
  const cmd = TIME ? [TIME, ["-f", "%M", process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const r = spawnSync(cmd[0], cmd[1], { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error?.code === "ETIMEDOUT" || r.signal) return { ms, rssMb: NaN, status: "timeout" };
  const rssKb = TIME ? Number(r.stderr.trim().split("\n").pop()) : NaN;
  const status = r.status === 0 ? "ok" : r.status === 1 ? "limit" : `exit ${r.status}`;
  return { ms, rssMb: rssKb / 1024, status };
}

function measure(args, cwd) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = once(args, cwd);
    samples.push(s);
    if (s.status === "timeout") break;
  }
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    median: ms[Math.floor(ms.length / 2)],
    rss: Math.max(...samples.map((s) => s.rssMb)),
    status: [...new Set(samples.map((s) => s.status))].join("/"),
  };
}

const dir = mkdtempSync(join(tmpdir(), "switchyard-scale-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
console.log(`node ${process.version}; whole process, median of ${runs}; random DAGs (bench/generate.mjs, seed 42)\n`);
console.log("| steps | target | median ms | peak RSS MB | exit | definition bytes written / sent |");
console.log("|---:|---|---:|---:|---|---|");
const layout = [];
for (const n of sizes) {
  const file = join(dir, `random-${n}.yaml`);
  writeFileSync(file, generate("random", n, 42));
  const loaded = await loadPipelineFile(file);
  const sizesOf = {};
  for (const t of ["sagemaker", "stepfunctions", "airflow"]) {
    const b = await loadBackend(t);
    const out = b.lower(loaded.pipeline, { baseDir: dir, options: {} });
    const def = out.files.find((f) => f.kind === "definition" || f.kind === "dag");
    if (def) sizesOf[t] = `${Buffer.byteLength(def.contents)} / ${t === "airflow" ? Buffer.byteLength(def.contents) : Buffer.byteLength(minifyJson(def.contents))}`;
    if (t === "stepfunctions") layout.push({ n, s: out.summary });
  }
  for (const t of targets) {
    const m = measure(["compile", file, "--target", t, "--out", join(dir, `out-${n}-${t}`)], dir);
    console.log(`| ${n} | ${t} | ${fmt(m.median)} | ${fmt(m.rss)} | ${m.status} | ${sizesOf[t] ?? ""} |`);
  }
}
console.log("\nStep Functions layout (in-process lowering):\n");
console.log("| steps | added orderings (edges) | added pairs | layout per scope | critical path DAG → lowered (s) | ratio | steps DAG → lowered | history events (no retries / all retries) |");
console.log("|---:|---:|---:|---|---|---:|---|---|");
for (const { n, s } of layout) {
  const cp = s.criticalPath;
  const strategies = Object.values(s.layout).reduce((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  console.log(
    `| ${n} | ${s.addedOrderings.length} | ${s.addedPairs} | ${Object.entries(strategies).map(([k, v]) => `${k} ${v}`).join(", ")} | ${cp.ir.seconds} → ${cp.lowered.seconds} | ${fmt(cp.lowered.seconds / cp.ir.seconds, 2)} | ${cp.ir.steps} → ${cp.lowered.steps} | ${s.historyEvents.events} / ${s.historyEvents.withRetries} |`,
  );
}
