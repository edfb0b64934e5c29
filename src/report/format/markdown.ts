/** Markdown for a pull-request comment: GitHub tables, user text escaped. */
import type { Report } from "../model.js";
import { shownLines } from "../line-groups.js";
import { placesText } from "../../util/places.js";
import { formatQuantity, formatUsd } from "../money.js";
import { leftOutText, monthlyText, perRunText, priceRef, quantityText, sourceLine, sourceMark, unitPriceText } from "./labels.js";

/** A table cell: no pipes, newlines or HTML from user text. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/`/g, "\\`");
}

function table(header: string[], rows: string[][], right: number[] = []): string[] {
  const sep = header.map((_, i) => (right.includes(i) ? "---:" : "---"));
  return [`| ${header.map(mdCell).join(" | ")} |`, `| ${sep.join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

const MARK = { native: "✅ native", emulated: "⚠️ emulated", unsupported: "❌ unsupported" } as const;

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  const names = Object.keys(r.targets);
  out.push(`## Switchyard report: \`${r.pipeline.name.replace(/`/g, "")}\``);
  out.push("");
  out.push(`Region **${mdCell(r.pipeline.region)}**, prices ${mdCell(r.prices.version)} (${mdCell(r.prices.origin)}); ${mdCell(r.runsPerMonth.note)}.`);
  if (r.missingTargets.length) out.push(`\nMissing targets (not in this build): ${r.missingTargets.join(", ")}.`);
  out.push("");
  out.push("### Features");
  out.push("");
  out.push(
    ...table(
      ["feature", "where", ...names],
      r.features.map((f) => [mdCell(f.title), mdCell(placesText(f.uses)), ...names.map((n) => {
        const cell = r.targets[n].features[f.id];
        return cell ? `${MARK[cell.support]}${cell.support === "native" ? "" : `: ${mdCell(cell.note)}`}` : "-";
      })]),
    ),
  );
  out.push("");
  out.push("### Cost");
  out.push("");
  out.push(...table(["target", "per run", "per month"], names.map((n) => [`${mdCell(r.targets[n].title)} (${n})`, mdCell(perRunText(r.targets[n].cost)), mdCell(monthlyText(r.targets[n].cost))]), [1, 2]));
  for (const n of names) {
    const t = r.targets[n];
    out.push("");
    out.push(`<details><summary>${mdCell(t.title)}: every line</summary>`);
    out.push("");
    const rows = shownLines(t.cost.lines).map((l) => [
      mdCell(l.component),
      mdCell(l.step ?? ""),
      mdCell(quantityText(l)),
      mdCell(unitPriceText(l)),
      `per ${l.period}`,
      l.amountUsd === null ? "unknown" : formatUsd(l.amountUsd),
      mdCell(priceRef(r, l)),
      mdCell(l.note ?? ""),
    ]);
    for (const f of t.cost.freeTier) rows.push([mdCell(f.component), "", `${formatQuantity(f.quantity)} ${mdCell(f.unit)}s`, "", "per month", formatUsd(f.amountUsd), mdCell(sourceMark(r, f.source, f.confirmed)), mdCell(f.note)]);
    out.push(...table(["component", "step", "quantity", "unit price", "period", "amount", "source", "how"], rows, [2, 5]));
    const left = leftOutText(t.cost);
    if (left) out.push(`\n- ${mdCell(left)}`);
    for (const w of t.cost.capacity) out.push(`\n- capacity: ${mdCell(w)}`);
    for (const note of t.cost.notes) out.push(`\n- ${mdCell(note)}`);
    out.push("");
    out.push("</details>");
  }
  if (r.breakEven) out.push("", `**Break-even:** ${mdCell(r.breakEven.text)}.`);
  out.push("");
  out.push("### Limits");
  out.push("");
  for (const n of names) {
    const ls = r.targets[n].limits;
    if (!ls.length) out.push(`- **${n}**: no findings`);
    for (const l of ls) out.push(`- **${n}** ${l.severity}: ${mdCell(`${l.at ? `${l.at}: ` : ""}${l.message}`)}`);
  }
  out.push("");
  out.push("### What else to weigh");
  out.push("");
  out.push(...table(["", ...names], r.weigh.map((w) => [mdCell(w.aspect), ...names.map((n) => mdCell(w.cells[n] ?? "not stated"))])));
  out.push("");
  out.push("### Recommendation");
  out.push("");
  out.push(`By results, then monthly cost, then risk; ${mdCell(r.recommendation.tolerance)}.`);
  out.push("");
  // Ranks tied on everything share a number; the list keeps it (no Markdown renumbering).
  for (const x of r.recommendation.ranking) out.push(`- **${x.rank}. ${x.target}**: ${x.reasons.map(mdCell).join("; ")}`);
  if (!r.recommendation.ranking.length) out.push(mdCell(r.recommendation.summary));
  if (r.notes.length) out.push("", ...r.notes.map((n) => `> ${mdCell(n)}`));
  if (r.sources.length) {
    out.push("", "### Sources", "", "\\* marks an estimate.", "");
    for (const s of r.sources) out.push(`- ${mdCell(sourceLine(s))}`);
  }
  return out.join("\n") + "\n";
}
