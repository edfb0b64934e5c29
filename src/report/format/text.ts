/** The terminal format: aligned tables, colour only when asked. */
import pc from "picocolors";
import { shownLines } from "../line-groups.js";
import { placesText } from "../../util/places.js";
import type { Support } from "../../backend/types.js";
import type { Report } from "../model.js";
import { formatQuantity, formatUsd } from "../money.js";
import { leftOutText, monthlyText, perRunText, priceRef, quantityText, sourceLine, sourceMark, unitPriceText } from "./labels.js";
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
  const rows: Row[] = r.features.map((f) => [f.title, placesText(f.uses), ...names.map((n) => supportCell(r.targets[n].features[f.id]?.support, c))]);
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
    const shown = shownLines(t.cost.lines);
    const lines: Row[] = shown.map((l) => [
      l.component,
      l.step ?? "",
      { text: quantityText(l), align: "right" },
      { text: unitPriceText(l), align: "right" },
      `per ${l.period}`,
      { text: l.amountUsd === null ? "unknown" : formatUsd(l.amountUsd), align: "right" },
      priceRef(r, l),
    ]);
    for (const f of t.cost.freeTier) lines.push([f.component, "", { text: `${formatQuantity(f.quantity)} ${f.unit}s`, align: "right" }, "", "per month", { text: formatUsd(f.amountUsd), align: "right" }, sourceMark(r, f.source, f.confirmed)]);
    out.push(...renderTable(["component", "step", "quantity", "unit price", "period", "amount", "source"], lines));
    out.push(`  per run ${c.bold(perRunText(t.cost))}; per month ${c.bold(monthlyText(t.cost))} at ${r.runsPerMonth.value} run${r.runsPerMonth.value === 1 ? "" : "s"} a month`);
    const left = leftOutText(t.cost);
    if (left) out.push(`  ${left}`);
    for (const l of shown) if (l.note) out.push(c.dim(`  - ${l.component}${l.step ? ` (${l.step})` : ""}: ${l.note}`));
    for (const f of t.cost.freeTier) out.push(c.dim(`  - ${f.component}: ${f.note}`));
    for (const w of t.cost.capacity) out.push(c.yellow(`  - capacity: ${w}`));
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

  out.push(c.bold("What else to weigh"));
  out.push(...renderTable(["", ...names], r.weigh.map((w) => [w.aspect, ...names.map((n) => w.cells[n] ?? "not stated")])));
  out.push("");

  out.push(c.bold("Recommendation") + ` (by results, then monthly cost, then risk; ${r.recommendation.tolerance})`);
  for (const x of r.recommendation.ranking) {
    out.push(`  ${x.rank}. ${x.target}`);
    for (const why of x.reasons) out.push(`     - ${why}`);
  }
  if (!r.recommendation.ranking.length) out.push(`  ${r.recommendation.summary}`);
  if (r.notes.length) {
    out.push("");
    for (const n of r.notes) out.push(c.dim(`note: ${n}`));
  }
  if (r.sources.length) {
    out.push("");
    out.push(c.bold("Sources") + " (* marks an estimate)");
    for (const s of r.sources) out.push(`  ${sourceLine(s)}`);
  }
  return out.join("\n") + "\n";
}
