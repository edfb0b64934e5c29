/** The terminal format: aligned tables, colour only when asked. */
import pc from "picocolors";
import type { Support } from "../../backend/types.js";
import type { Report } from "../model.js";
import { formatUsd } from "../money.js";
import { priceRef, quantityText, unitPriceText } from "./labels.js";
import { renderTable, type Cell, type Row } from "./table.js";

type Colors = ReturnType<typeof pc.createColors>;

function supportCell(s: Support | undefined, c: Colors): Cell {
  if (!s) return { text: "-" };
  const color = s === "native" ? c.green : s === "emulated" ? c.yellow : c.red;
  return { text: s, color };
}

export function renderText(r: Report, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [];
  const names = Object.keys(r.targets);
  out.push(c.bold(`Switchyard report: ${r.pipeline.name}`) + ` (${r.pipeline.file})`);
  out.push(`region ${r.pipeline.region}; prices ${r.prices.version} (${r.prices.origin}); ${r.runsPerMonth.note}`);
  if (r.missingTargets.length) out.push(c.yellow(`missing targets (not in this build): ${r.missingTargets.join(", ")}`));
  out.push("");

  out.push(c.bold("Features used"));
  const rows: Row[] = r.features.map((f) => [f.title, f.uses.join(", "), ...names.map((n) => supportCell(r.targets[n].features[f.id]?.support, c))]);
  out.push(...renderTable(["feature", "where", ...names], rows));
  const how: Row[] = [];
  for (const n of names) {
    for (const f of r.features) {
      const cell = r.targets[n].features[f.id];
      if (cell && cell.support !== "native") how.push([n, f.id, supportCell(cell.support, c), cell.note]);
    }
  }
  if (how.length) {
    out.push("");
    out.push(...renderTable(["target", "feature", "support", "how / why"], how));
  }
  out.push("");

  for (const n of names) {
    const t = r.targets[n];
    out.push(c.bold(`Cost: ${t.title} (${n})`));
    const lines: Row[] = t.cost.lines.map((l) => [
      l.component,
      l.step ?? "",
      { text: quantityText(l), align: "right" },
      { text: unitPriceText(l), align: "right" },
      `per ${l.period}`,
      { text: l.amountUsd === null ? "unknown" : formatUsd(l.amountUsd), align: "right" },
      priceRef(l),
    ]);
    for (const f of t.cost.freeTier) lines.push([f.component, "", { text: `${f.quantity} ${f.unit}s`, align: "right" }, "", "per month", { text: formatUsd(f.amountUsd), align: "right" }, f.source]);
    out.push(...renderTable(["component", "step", "quantity", "unit price", "period", "amount", "price source"], lines));
    out.push(`  per run ${c.bold(formatUsd(t.cost.perRunUsd))}; per month ${c.bold(formatUsd(t.cost.monthlyUsd))} at ${r.runsPerMonth.value} runs`);
    for (const l of t.cost.lines) if (l.note) out.push(c.dim(`  - ${l.component}${l.step ? ` (${l.step})` : ""}: ${l.note}`));
    for (const note of t.cost.notes) out.push(c.dim(`  - ${note}`));
    out.push("");
  }
  if (r.breakEven) {
    out.push(c.bold("Break-even"));
    out.push(`  ${r.breakEven.text}`);
    out.push("");
  }

  out.push(c.bold("Limits"));
  for (const n of names) {
    const ls = r.targets[n].limits;
    if (!ls.length) out.push(`  ${n}: no findings`);
    for (const l of ls) out.push(`  ${n}: ${(l.severity === "error" ? c.red : c.yellow)(l.severity)}: ${l.at ? `${l.at}: ` : ""}${l.message}`);
  }
  out.push("");

  out.push(c.bold("Recommendation"));
  for (const x of r.recommendation.ranking) out.push(`  ${x.rank}. ${x.target}: ${x.reasons.join("; ")}`);
  if (!r.recommendation.ranking.length) out.push(`  ${r.recommendation.summary}`);
  if (r.notes.length) {
    out.push("");
    for (const n of r.notes) out.push(c.dim(`note: ${n}`));
  }
  return out.join("\n") + "\n";
}
