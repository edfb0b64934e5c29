/**
 * One self-contained HTML file: inline CSS and SVG only, and a content
 * security policy that forbids every fetch, so opening it never reaches a network.
 */
import type { Report } from "../model.js";
import { shownLines } from "../line-groups.js";
import { placesText } from "../../util/places.js";
import { formatQuantity, formatUsd } from "../money.js";
import { leftOutText, monthlyText, perRunText, priceRef, quantityText, sourceMark, unitPriceText } from "./labels.js";
import { runsChartSvg, runsLegendHtml } from "./runs-chart.js";
import { costChartSvg, esc, graphSvg, stepSupport, SUPPORT_FILL } from "./svg.js";
import { structureSvg } from "./structure-svg.js";

const CSS = `
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;overflow-wrap:anywhere}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.native{background:${SUPPORT_FILL.native}}td.emulated{background:${SUPPORT_FILL.emulated}}td.unsupported{background:${SUPPORT_FILL.unsupported}}
.note{color:#555;font-size:12px}.graphs{display:flex;flex-wrap:wrap;gap:24px}.graphs figure{margin:0;max-width:100%;overflow-x:auto}
figure{margin:8px 0;max-width:100%}figcaption{font-weight:600;margin-bottom:4px}
.scroll{overflow-x:auto;max-width:100%}svg.runs-chart,svg.cost-chart{max-width:100%;height:auto}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
.swatch{margin-right:6px;vertical-align:0}
li{overflow-wrap:anywhere}
@media (max-width:600px){body{margin:8px}table{font-size:12px}}
`;

/** Past this many steps the page draws no graph: too large to read, and megabytes of page (10,000 steps drew 25 MB). */
export const DRAWN_STEPS = 2000;

export function renderHtml(r: Report): string {
  const names = Object.keys(r.targets);
  const o: string[] = [];
  o.push("<!DOCTYPE html>");
  o.push(`<html lang="en"><head><meta charset="utf-8">`);
  o.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  o.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  o.push(`<title>${esc(`Switchyard report: ${r.pipeline.name}`)}</title><style>${CSS}</style></head><body>`);
  o.push(`<h1>Switchyard report: ${esc(r.pipeline.name)}</h1>`);
  o.push(`<p id="summary">Region ${esc(r.pipeline.region)}; prices ${esc(r.prices.version)} (${esc(r.prices.origin)}); ${esc(r.runsPerMonth.note)}.</p>`);
  if (r.missingTargets.length) o.push(`<p id="missing">Missing targets (not in this build): ${esc(r.missingTargets.join(", "))}.</p>`);

  o.push(`<h2>Recommendation</h2><p class="note">By results, then monthly cost, then risk; ${esc(r.recommendation.tolerance)}.</p><ol id="recommendation">`);
  for (const x of r.recommendation.ranking) {
    o.push(`<li value="${x.rank}" data-target="${esc(x.target)}"><strong>${esc(r.targets[x.target].title)}</strong> (${esc(x.target)})<ul>${x.reasons.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></li>`);
  }
  o.push("</ol>");

  if (r.graph.nodes.length > DRAWN_STEPS) {
    o.push(`<h2>Pipeline graph</h2><p class="note" id="not-drawn">The graph of ${r.graph.nodes.length} steps is not drawn (more than ${DRAWN_STEPS}); <code>switchyard graph</code> prints it as Mermaid or DOT.</p>`);
  } else drawings(r, names, o);

  o.push(`<h2>Features</h2><div class="scroll"><table id="features"><thead><tr><th>feature</th><th>where</th>${names.map((n) => `<th>${esc(n)}</th>`).join("")}</tr></thead><tbody>`);
  for (const f of r.features) {
    const cells = names.map((n) => {
      const c = r.targets[n].features[f.id];
      return c ? `<td class="${c.support}" title="${esc(c.note)}">${c.support}${c.support === "native" ? "" : `<div class="note">${esc(c.note)}</div>`}</td>` : "<td>-</td>";
    });
    o.push(`<tr data-feature="${esc(f.id)}"><td>${esc(f.title)}</td><td>${esc(placesText(f.uses))}</td>${cells.join("")}</tr>`);
  }
  o.push("</tbody></table></div>");

  o.push(`<h2>Cost</h2>`);
  o.push(`<table id="cost-summary"><thead><tr><th>target</th><th>per run</th><th>per month</th></tr></thead><tbody>`);
  for (const n of names) o.push(`<tr data-target="${esc(n)}"><td>${esc(r.targets[n].title)}</td><td class="num">${esc(perRunText(r.targets[n].cost))}</td><td class="num">${esc(monthlyText(r.targets[n].cost))}</td></tr>`);
  o.push("</tbody></table>");
  o.push(`<figure><figcaption>Monthly cost by component</figcaption>${costChartSvg(r)}</figure>`);
  o.push(`<figure id="runs"><figcaption>Monthly cost against runs per month (before free tiers)</figcaption>${runsChartSvg(r)}${runsLegendHtml(r)}</figure>`);
  o.push(`<p class="note">Dashed line: ${esc(r.runsPerMonth.note)}. Where two lines cross, the two targets cost the same${r.breakEven ? "; the circle marks the break-even below" : ""}.</p>`);
  if (r.breakEven) o.push(`<p id="break-even"><strong>Break-even:</strong> ${esc(r.breakEven.text)}.</p>`);
  for (const n of names) {
    const t = r.targets[n];
    o.push(`<h3>${esc(t.title)}</h3><div class="scroll"><table class="cost-lines" data-target="${esc(n)}"><thead><tr><th>component</th><th>step</th><th>quantity</th><th>unit price</th><th>period</th><th>amount</th><th>source</th><th>how</th></tr></thead><tbody>`);
    for (const l of shownLines(t.cost.lines)) {
      o.push(
        `<tr><td>${esc(l.component)}</td><td>${esc(l.step ?? "")}</td><td class="num">${esc(quantityText(l))}</td><td class="num">${esc(unitPriceText(l))}</td>` +
          `<td>per ${l.period}</td><td class="num">${l.amountUsd === null ? "unknown" : formatUsd(l.amountUsd)}</td><td>${esc(priceRef(r, l))}</td><td class="note">${esc(l.note ?? "")}</td></tr>`,
      );
    }
    for (const f of t.cost.freeTier) {
      o.push(`<tr><td>${esc(f.component)}</td><td></td><td class="num">${esc(formatQuantity(f.quantity))} ${esc(f.unit)}s</td><td></td><td>per month</td><td class="num">${formatUsd(f.amountUsd)}</td><td>${esc(sourceMark(r, f.source, f.confirmed))}</td><td class="note">${esc(f.note)}</td></tr>`);
    }
    o.push("</tbody></table></div>");
    const left = leftOutText(t.cost);
    if (left) o.push(`<p class="note">${esc(left)}</p>`);
    for (const w of t.cost.capacity) o.push(`<p class="note">capacity: ${esc(w)}</p>`);
    for (const note of t.cost.notes) o.push(`<p class="note">${esc(note)}</p>`);
  }

  o.push(`<h2>Limits</h2><ul id="limits">`);
  for (const n of names) {
    const ls = r.targets[n].limits;
    if (!ls.length) o.push(`<li>${esc(n)}: no findings</li>`);
    for (const l of ls) o.push(`<li>${esc(n)} ${l.severity}: ${esc(`${l.at ? `${l.at}: ` : ""}${l.message}`)}</li>`);
  }
  o.push("</ul>");
  o.push(`<h2>What else to weigh</h2><div class="scroll"><table id="weigh"><thead><tr><th></th>${names.map((n) => `<th>${esc(n)}</th>`).join("")}</tr></thead><tbody>`);
  for (const w of r.weigh) o.push(`<tr><td>${esc(w.aspect)}</td>${names.map((n) => `<td>${esc(w.cells[n] ?? "not stated")}</td>`).join("")}</tr>`);
  o.push("</tbody></table></div>");
  if (r.notes.length) o.push(`<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`);
  if (r.sources.length) {
    o.push(`<h2>Sources</h2><p class="note">* marks an estimate.</p><ol id="sources">`);
    // URLs are shown as text, not links: the page makes no request and invites none by accident.
    for (const s of r.sources) o.push(`<li value="${s.n}" id="source-${s.n}"><code>${esc(s.key)}</code>: ${esc(s.url)}<div class="note">${esc(s.note)}</div></li>`);
    o.push("</ol>");
  }
  o.push("</body></html>");
  return o.join("\n") + "\n";
}

/** The pipeline's graph coloured per target, and how each target arranges the steps. */
function drawings(r: Report, names: string[], o: string[]): void {
  // One graph per distinct colouring: targets whose steps all have the same support share a drawing.
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const sig = r.graph.nodes.map((g) => stepSupport(r, r.targets[n], g.id)).join(",");
    groups.set(sig, [...(groups.get(sig) ?? []), n]);
  }
  o.push(`<h2>${groups.size === 1 && names.length > 1 ? "Pipeline graph (the same support on every target)" : "Pipeline graph per target"}</h2><div class="graphs">`);
  for (const ts of groups.values()) o.push(`<figure><figcaption>${esc(ts.map((n) => r.targets[n].title).join(", "))}</figcaption>${graphSvg(r, ts[0], ts)}</figure>`);
  o.push(`</div><p class="note">Colour: the worst support among the features a step uses (green native, yellow emulated, red unsupported); dashed: an else branch.</p>`);

  const arranged = names.filter((n) => r.targets[n].structure);
  if (arranged.length) {
    o.push(`<h2>How each target arranges the steps</h2><div class="graphs" id="structures">`);
    for (const n of arranged) o.push(`<figure><figcaption>${esc(r.targets[n].title)}</figcaption>${structureSvg(r, n)}</figure>`);
    o.push(`</div><p class="note">Blue frames run their branches at the same time; grey frames list what the engine schedules by data dependencies; a condition's branches sit under it.</p>`);
  }
}
