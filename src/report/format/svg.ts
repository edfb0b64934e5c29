/** Inline SVG drawings for the HTML report: the step graph per target and the monthly cost chart. */
import type { Support } from "../../backend/types.js";
import { SUPPORT_RANK } from "../features.js";
import type { Report, TargetReport } from "../model.js";
import { formatUsd } from "../money.js";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export const SUPPORT_FILL: Record<Support, string> = { native: "#d7f0d7", emulated: "#fff0b8", unsupported: "#f7cccc" };

const NODE_W = 160;
const NODE_H = 40;
const COL = 210;
const ROW = 60;
const PAD = 16;

/** The worst support among the features a step uses on this target. */
export function stepSupport(r: Report, t: TargetReport, step: string): Support {
  let worst: Support = "native";
  for (const f of r.features) {
    if (!f.uses.includes(step)) continue;
    const s = t.features[f.id]?.support ?? "unsupported";
    if (SUPPORT_RANK[s] > SUPPORT_RANK[worst]) worst = s;
  }
  return worst;
}

/** The step graph coloured as on `target`; `shared` names every target it stands for (same colouring). */
export function graphSvg(r: Report, target: string, shared: string[] = [target]): string {
  const t = r.targets[target];
  const { nodes, edges } = r.graph;
  const layers = Math.max(1, ...nodes.map((n) => n.layer + 1));
  const rows = Math.max(1, ...nodes.map((n) => n.slot + 1));
  const w = PAD * 2 + (layers - 1) * COL + NODE_W;
  const h = PAD * 2 + (rows - 1) * ROW + NODE_H;
  const at = new Map(nodes.map((n) => [n.id, { x: PAD + n.layer * COL, y: PAD + n.slot * ROW }]));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" data-target="${esc(target)}" data-targets="${esc(shared.join(" "))}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`step graph for ${shared.map((n) => r.targets[n].title).join(", ")}`)}">`,
  );
  parts.push(`<defs><marker id="arrow-${esc(target)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>`);
  for (const [from, to] of edges) {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    parts.push(`<path class="edge" data-from="${esc(from)}" data-to="${esc(to)}" d="M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}" fill="none" stroke="#555" stroke-width="1.4" marker-end="url(#arrow-${esc(target)})"/>`);
  }
  for (const n of nodes) {
    const p = at.get(n.id)!;
    const s = stepSupport(r, t, n.id);
    const label = n.copies > 1 ? `${n.id} ×${n.copies}` : n.id;
    const dash = n.branch?.endsWith("/else") ? ` stroke-dasharray="5 3"` : "";
    parts.push(
      `<g class="node" data-step="${esc(n.id)}" data-support="${s}"><title>${esc(`${n.id}: ${n.kind} step, ${s} on ${t.title}${n.branch ? `, branch ${n.branch}` : ""}`)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${SUPPORT_FILL[s]}" stroke="#444"${dash}/>` +
        `<text x="${p.x + 8}" y="${p.y + 16}" font-size="13" font-family="sans-serif">${esc(clip(label, 22))}</text>` +
        `<text x="${p.x + 8}" y="${p.y + 32}" font-size="11" font-family="sans-serif" fill="#555">${esc(n.kind)}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

// No red or pink: red means "unsupported" in the feature colours.
const PALETTE = ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f", "#bab0ac", "#86bcb6", "#a0cbe8"];

/** Monthly cost per target as horizontal stacked bars, one segment per component. */
export function costChartSvg(r: Report): string {
  const names = Object.keys(r.targets);
  const segs = names.map((n) => {
    const t = r.targets[n];
    const m = new Map<string, number>();
    for (const l of t.cost.lines) {
      const v = (l.amountUsd ?? 0) * (l.period === "run" ? r.runsPerMonth.value : 1);
      if (v > 0) m.set(l.component, (m.get(l.component) ?? 0) + v);
    }
    return { name: n, parts: [...m.entries()], total: t.cost.monthlyUsd };
  });
  const components = [...new Set(segs.flatMap((s) => s.parts.map(([c]) => c)))];
  const color = new Map(components.map((c, i) => [c, PALETTE[i % PALETTE.length]]));
  const max = Math.max(1e-9, ...segs.map((s) => s.parts.reduce((a, [, v]) => a + v, 0)));
  const labelW = 130;
  const barW = 520;
  const rowH = 34;
  const legendH = 20 * components.length;
  const h = 20 + rowH * names.length + 16 + legendH;
  const w = labelW + barW + 120;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="cost-chart" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="monthly cost per target">`);
  segs.forEach((s, i) => {
    const y = 10 + i * rowH;
    out.push(`<text x="0" y="${y + 17}" font-size="13" font-family="sans-serif">${esc(s.name)}</text>`);
    let x = labelW;
    for (const [c, v] of s.parts) {
      const bw = (v / max) * barW;
      out.push(`<rect class="bar" data-target="${esc(s.name)}" data-component="${esc(c)}" x="${x.toFixed(2)}" y="${y}" width="${bw.toFixed(2)}" height="24" fill="${color.get(c)}"><title>${esc(`${s.name}: ${c} ${formatUsd(v)} a month`)}</title></rect>`);
      x += bw;
    }
    out.push(`<text class="total" x="${(x + 6).toFixed(2)}" y="${y + 17}" font-size="13" font-family="sans-serif">${esc(formatUsd(s.total))}</text>`);
  });
  components.forEach((c, i) => {
    const y = 20 + rowH * names.length + 4 + i * 20;
    out.push(`<rect x="${labelW}" y="${y}" width="12" height="12" fill="${color.get(c)}"/><text x="${labelW + 18}" y="${y + 11}" font-size="12" font-family="sans-serif">${esc(c)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
