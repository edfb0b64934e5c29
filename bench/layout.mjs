// Layout quality of the Step Functions planner on random DAGs: the lowered critical path over the
// DAG's (in weighted time), per strategy and for the one kept, and how often each is kept.
// Two families: "thin" (each step reads up to 7 of the 50 steps before it, as bench/generate.mjs)
// and "wide" (up to 3 of any earlier steps; a quarter of the steps read none). Weights: 0 to 3,600 s.
// Usage: npm run build && node bench/layout.mjs [--sizes 100,300,1000] [--samples 20] [--seed 1]
import { join, resolve } from "node:path";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const { seriesParallel, STRATEGIES } = await import(join(ROOT, "dist", "backends", "stepfunctions", "structure.js"));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg("--sizes", "100,300,1000").split(",").map(Number);
const samples = Number(arg("--samples", "20"));
let state = Number(arg("--seed", "1"));
const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const FAMILIES = {
  thin: { window: 50, most: 7 },
  wide: { window: Infinity, most: 3 },
};

function dag(n, { window, most }) {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const deps = new Map();
  const weight = new Map();
  ids.forEach((id, i) => {
    const picks = new Set();
    const k = Math.floor(rand() * (most + 1));
    for (let j = 0; j < k && i > 0; j++) picks.add(ids[i - 1 - Math.floor(rand() * Math.min(window, i))]);
    deps.set(id, [...picks]);
    weight.set(id, Math.floor(rand() * 3601));
  });
  return { ids, deps, weight: (id) => weight.get(id) };
}

function criticalPath({ ids, deps, weight }) {
  const end = new Map();
  let max = 0;
  for (const id of ids) {
    let start = 0;
    for (const d of deps.get(id)) start = Math.max(start, end.get(d));
    end.set(id, start + weight(id));
    max = Math.max(max, end.get(id));
  }
  return max;
}

const fmt = (x) => x.toFixed(2);
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))], max: s[s.length - 1] };
};

console.log(`lowered / DAG critical path (weighted), ${samples} DAGs per row: median / 90th percentile / max\n`);
console.log(`| family | steps | ${STRATEGIES.join(" | ")} | kept | kept: ${STRATEGIES.join(" / ")} |`);
console.log(`|---|---:|${STRATEGIES.map(() => "---|").join("")}---|---|`);
for (const [family, shape] of Object.entries(FAMILIES)) {
  for (const n of sizes) {
    const ratios = Object.fromEntries([...STRATEGIES, "kept"].map((s) => [s, []]));
    const kept = Object.fromEntries(STRATEGIES.map((s) => [s, 0]));
    for (let i = 0; i < samples; i++) {
      const g = dag(n, shape);
      const cp = criticalPath(g) || 1;
      for (const s of STRATEGIES) ratios[s].push(seriesParallel(g.ids, g.deps, g.weight, s).length / cp);
      const best = seriesParallel(g.ids, g.deps, g.weight);
      ratios.kept.push(best.length / cp);
      kept[best.strategy]++;
    }
    const cell = (s) => {
      const { median, p90, max } = stats(ratios[s]);
      return `${fmt(median)} / ${fmt(p90)} / ${fmt(max)}`;
    };
    console.log(`| ${family} | ${n.toLocaleString("en-US")} | ${STRATEGIES.map(cell).join(" | ")} | ${cell("kept")} | ${STRATEGIES.map((s) => kept[s]).join(" / ")} |`);
  }
}
