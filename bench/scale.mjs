// Compile time and layout figures for random DAGs of 100 / 300 / 1,000 / 10,000 steps (or chains, or
// fan-outs: one step, all the others after it at once, and a last one after them all).
// Times are whole-process (node start-up included), median of N runs: wall clock and CPU
// (user + system, steadier on a loaded machine), with the peak RSS of those runs; a compile that stops at a limit check (exit 1) is timed all the same and
// marked. Sizes and layout figures come from one lowering per target in a child process; for Step Functions,
// the child machines of a split machine are counted and their sent bytes summed.
// Usage: npm run build && node bench/scale.mjs [--runs N] [--sizes 100,300] [--targets sagemaker,all] [--shape random|chain|fanout|foreach] [--timeout s]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { generate } from "./generate.mjs";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "5"));
const sizes = arg("--sizes", "100,300,1000,10000").split(",").map(Number);
const targets = arg("--targets", "sagemaker,stepfunctions,airflow,all").split(",");
const shape = arg("--shape", "random");
if (!["random", "chain", "fanout", "foreach"].includes(shape)) throw new Error(`--shape: random, chain, fanout or foreach, not ${shape}`);
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/** A run that takes longer than this is stopped and reported as such. */
const TIMEOUT_MS = Number(arg("--timeout", "300")) * 1000;

// `--figures <file> <target>`: lower once in this process and print the sizes and the summary as JSON.
if (process.argv[2] === "--figures") {
  const { loadPipelineFile } = await import(join(ROOT, "dist", "src", "frontends", "load.js"));
  const { loadBackend } = await import(join(ROOT, "dist", "src", "backend", "registry.js"));
  const { minifyJson } = await import(join(ROOT, "dist", "src", "backend", "wire.js"));
  const [, , , file, target] = process.argv;
  const loaded = await loadPipelineFile(file);
  const out = (await loadBackend(target)).lower(loaded.pipeline, { baseDir: dirname(file), options: {} });
  const def = out.files.find((f) => f.kind === "definition" || f.kind === "dag");
  const written = def ? Buffer.byteLength(def.contents) : 0;
  const sent = def ? (target === "airflow" ? written : Buffer.byteLength(minifyJson(def.contents))) : 0;
  // Step Functions child machines (a split machine): their count and the bytes deploy sends for each.
  const children = out.files.filter((f) => f.kind === "child-definition").map((f) => Buffer.byteLength(minifyJson(f.contents)));
  // Exit once the pipe has taken the whole text (a 10,000-step summary is several megabytes).
  process.stdout.write(JSON.stringify({ written, sent, children, summary: out.summary }), () => process.exit(0));
  await new Promise(() => {});
}

function figures(file, target) {
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--figures", file, target], { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 30 });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

function once(args, cwd) {
  const start = process.hrtime.bigint();
  const cmd = TIME ? [TIME, ["-f", "%M %U %S", process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const r = spawnSync(cmd[0], cmd[1], { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error?.code === "ETIMEDOUT" || r.signal) return { ms, cpuMs: NaN, rssMb: NaN, status: "timeout" };
  const [rssKb, user, sys] = TIME ? r.stderr.trim().split("\n").pop().split(" ").map(Number) : [NaN, NaN, NaN];
  const status = r.status === 0 ? "ok" : r.status === 1 ? "limit" : `exit ${r.status}`;
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, status };
}

function measure(args, cwd) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = once(args, cwd);
    samples.push(s);
    if (s.status === "timeout") break;
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { median: median(samples.map((s) => s.ms)), cpu: median(samples.map((s) => s.cpuMs)), rss: Math.max(...samples.map((s) => s.rssMb)), status: [...new Set(samples.map((s) => s.status))].join("/") };
}

const dir = mkdtempSync(join(tmpdir(), "switchyard-scale-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
console.log(`node ${process.version}; whole process, median of ${runs}; ${{ random: "random DAGs", chain: "chains", fanout: "fan-outs", foreach: "a foreach step of steps − 2 copies between two steps" }[shape]} (bench/generate.mjs, seed 42)\n`);
console.log("| steps | target | wall ms | CPU ms | peak RSS MB | exit | definition bytes written / sent |");
console.log("|---:|---|---:|---:|---:|---|---|");
const layout = [];
for (const n of sizes) {
  const file = join(dir, `${shape}-${n}.yaml`);
  writeFileSync(file, generate(shape, n, 42));
  const sizesOf = {};
  for (const t of ["sagemaker", "stepfunctions", "airflow"].filter((t) => targets.includes(t) || targets.includes("all"))) {
    const f = figures(file, t);
    sizesOf[t] = f ? `${f.written} / ${f.sent}` : "(lowering did not finish)";
    if (t === "stepfunctions" && f) layout.push({ n, s: f.summary, children: f.children });
  }
  for (const t of targets) {
    const m = measure(["compile", file, "--target", t, "--out", join(dir, `out-${n}-${t}`)], dir);
    console.log(`| ${n} | ${t} | ${fmt(m.median)} | ${fmt(m.cpu)} | ${fmt(m.rss)} | ${m.status} | ${sizesOf[t] ?? ""} |`);
  }
}
console.log("\nStep Functions machines (a machine over 1 MB sent or 25,000 history events is split into a parent and child machines):\n");
console.log("| steps | one machine: bytes sent / history events | child machines | parent bytes sent | largest child bytes sent | all machines bytes sent | values passed |");
console.log("|---:|---|---:|---:|---:|---:|---:|");
for (const { n, s, children } of layout) {
  const one = s.split?.unsplit ?? { sentBytes: s.definitionSize.sent, historyEvents: s.historyEvents.events };
  const total = s.definitionSize.sent + children.reduce((a, b) => a + b, 0);
  console.log(`| ${n} | ${one.sentBytes} / ${one.historyEvents} | ${children.length} | ${s.definitionSize.sent} | ${children.length ? Math.max(...children) : ""} | ${total} | ${s.split?.valuesPassed ?? 0} |`);
}
console.log("\nStep Functions layout:\n");
console.log("| steps | added orderings (edges) | added pairs | layout per scope | critical path DAG → lowered (s) | ratio | steps DAG → lowered | history events (no retries / all retries) |");
console.log("|---:|---:|---:|---|---|---:|---|---|");
for (const { n, s } of layout) {
  const cp = s.criticalPath;
  const strategies = Object.values(s.layout).reduce((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  console.log(
    `| ${n} | ${s.addedOrderings.length} | ${s.addedPairs} | ${Object.entries(strategies).map(([k, v]) => `${k} ${v}`).join(", ")} | ${cp.ir.seconds} → ${cp.lowered.seconds} | ${fmt(cp.lowered.seconds / cp.ir.seconds, 2)} | ${cp.ir.steps} → ${cp.lowered.steps} | ${s.historyEvents.events} / ${s.historyEvents.withRetries} |`,
  );
}
