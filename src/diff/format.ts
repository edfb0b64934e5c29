/** `switchyard diff` output: grouped by step, one line per difference. */
import type { Difference } from "./compare.js";

function side(v: string | undefined): string {
  return v === undefined ? "(none)" : v;
}

export function formatDiff(differences: readonly Difference[], nameA: string, nameB: string, stepCount: number): string {
  if (!differences.length) return `equal: ${stepCount} step${stepCount === 1 ? "" : "s"} with the same requests, dependencies, branches, retries and schedule\n`;
  const lines: string[] = [`--- ${nameA}`, `+++ ${nameB}`];
  let current: string | undefined | null = null;
  for (const d of differences) {
    if (d.path === "step") {
      lines.push(d.a !== undefined ? `step '${d.step}' (${d.a}) only in ${nameA}` : `step '${d.step}' (${d.b}) only in ${nameB}`);
      current = null;
      continue;
    }
    if (d.step !== current) {
      lines.push(d.step === undefined ? "pipeline:" : `step '${d.step}':`);
      current = d.step;
    }
    lines.push(`  ${d.path}: ${side(d.a)} -> ${side(d.b)}`);
  }
  const n = differences.length;
  lines.push(`${n} difference${n === 1 ? "" : "s"}`);
  return lines.join("\n") + "\n";
}
