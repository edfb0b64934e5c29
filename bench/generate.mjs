// Seeded generator of synthetic pipelines: chains, wide fan-outs, random
// DAGs with conditions and parameters, and one foreach step of many copies. Usage: node bench/generate.mjs <shape> <steps> [seed] > file.yaml
// (processing steps refer to scripts/step.py beside the output file).

/** mulberry32: a small seeded PRNG, so the same seed gives the same pipeline. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const header = (name, params) => {
  const lines = [
    "version: 1",
    `pipeline: ${name}`,
    "region: us-east-1",
    "role: arn:aws:iam::111122223333:role/Bench",
    "artifacts: s3://bench-artifacts/p",
    "defaults:",
    "  retry: { attempts: 3, interval: 30s, backoff: 2.0 }",
    "  timeout: 2h",
    "  instance: ml.m5.xlarge",
    "parameters:",
  ];
  for (let i = 0; i < params; i++) lines.push(`  p${i}: { type: ${i % 2 ? "float" : "string"}, default: ${i % 2 ? "1.5" : `v${i}`} }`);
  lines.push("steps:");
  return lines;
};

function processing(id, inputs) {
  const lines = [`  ${id}:`, "    type: processing", "    image: sklearn:1.2-1", "    code: scripts/step.py", "    estimate: 5m"];
  if (inputs.length) {
    lines.push("    inputs:");
    inputs.forEach((src, k) => lines.push(`      in${k}: { source: "\${{ steps.${src}.outputs.out }}", destination: /opt/ml/processing/in${k} }`));
  }
  lines.push("    outputs: { out: /opt/ml/processing/out }", "    reports: { metrics: { output: out, file: m.json } }");
  return lines;
}

export function generate(shape, n, seed = 1) {
  const rand = rng(seed);
  const lines = header(`bench-${shape}-${n}`, shape === "random" ? 20 : 2);
  if (shape === "chain") {
    for (let i = 0; i < n; i++) lines.push(...processing(`s${i}`, i ? [`s${i - 1}`] : []));
  } else if (shape === "fanout") {
    lines.push(...processing("root", []));
    for (let i = 1; i < n - 1; i++) lines.push(...processing(`s${i}`, ["root"]));
    lines.push("  join:", "    type: fail", "    message: done", `    depends_on: [${Array.from({ length: n - 2 }, (_, i) => `s${i + 1}`).join(", ")}]`);
  } else if (shape === "random") {
    // Conditions guard the next few steps, which depend only on steps outside any branch or in the same branch.
    const branchOf = new Map();
    const conditions = new Set();
    let i = 0;
    while (i < n) {
      const id = `s${i}`;
      const eligible = [];
      for (let j = Math.max(0, i - 50); j < i; j++) {
        const b = branchOf.get(`s${j}`);
        if ((b === undefined || b === branchOf.get(id)) && !conditions.has(`s${j}`)) eligible.push(`s${j}`);
      }
      const inputs = [];
      for (let k = 0; k < 3 && eligible.length; k++) {
        const pick = eligible[Math.floor(rand() * eligible.length)];
        if (!inputs.includes(pick) && !(branchOf.get(pick) ?? "").length) inputs.push(pick);
      }
      if (rand() < 0.05 && i + 3 < n && i > 0 && !branchOf.has(id)) {
        const then = [`s${i + 1}`, `s${i + 2}`];
        then.forEach((t) => branchOf.set(t, id));
        conditions.add(id);
        const src = inputs[0] ?? "s0";
        lines.push(`  ${id}:`, "    type: condition", `    if: \${{ steps.${src}.reports.metrics.score.value >= params.p1 and params.p0 != 'off' }}`, `    then: [${then.join(", ")}]`);
      } else {
        lines.push(...processing(id, inputs));
      }
      i++;
    }
  } else if (shape === "foreach") {
    // One step unrolled over n - 2 items (regions, say), between a step it reads and one reading every copy's output.
    lines.push("  prep:", "    type: processing", "    image: sklearn:1.2-1", "    code: scripts/step.py", "    outputs: { out: /opt/ml/processing/out }");
    lines.push("  each:", "    type: processing", "    image: sklearn:1.2-1", "    code: scripts/step.py");
    lines.push(`    foreach: [${Array.from({ length: Math.max(1, n - 2) }, (_, i) => `"r${i}"`).join(", ")}]`);
    lines.push('    environment: { REGION: "${{ item }}" }', '    inputs: { data: { source: "${{ steps.prep.outputs.out }}", destination: /opt/ml/processing/in } }', "    outputs: { out: /opt/ml/processing/out }");
    lines.push("  last:", "    type: processing", "    image: sklearn:1.2-1", "    code: scripts/step.py", '    inputs: { data: { source: "${{ steps.each.outputs.out }}", destination: /opt/ml/processing/in } }');
  } else throw new Error(`unknown shape ${shape}`);
  return lines.join("\n") + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [shape = "random", n = "100", seed = "1"] = process.argv.slice(2);
  process.stdout.write(generate(shape, Number(n), Number(seed)));
}
