/**
 * Monthly cost against runs per month, one line per target, both axes
 * logarithmic (runs from 1 to past the break-even, costs from cents to
 * thousands): where two lines cross is a break-even. Lines are drawn before
 * free tiers (the free tier is a small, account-wide credit).
 */
import type { Report } from "../model.js";
import { formatQuantity, formatUsd } from "../money.js";
import { ORCHESTRATORS } from "../orchestrators.js";
import { esc } from "./svg.js";

/** Line colours: none of them red, which means "unsupported" elsewhere in the page. */
export const TARGET_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#9c755f", "#edc948", "#bab0ac"];
/** Dashes too, so lines that lie on each other (equal costs) stay visible. */
const DASHES = ["", "8 4", "2 3", "12 3 2 3"];

const W = 640;
const H = 320;
const L = 64; // room for the y labels
const R = 16;
const T = 16;
const B = 44; // room for the x labels and title

export interface RunsLine {
  target: string;
  /** Monthly cost that does not depend on runs (always-on parts), USD. */
  fixedUsd: number;
  /** Known cost of one run, USD. */
  perRunUsd: number;
}

export function runsLines(r: Report): RunsLine[] {
  return Object.keys(r.targets).map((n) => {
    const c = r.targets[n].cost;
    const fixed = c.lines.filter((l) => l.period === "month").reduce((a, l) => a + (l.amountUsd ?? 0), 0);
    return { target: n, fixedUsd: fixed, perRunUsd: c.perRunMicros / 1e6 };
  });
}

const tickText = (x: number) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));
const usdTick = (x: number) => (x >= 1e6 ? `$${x / 1e6}M` : x >= 1e3 ? `$${x / 1e3}k` : `$${x}`);

export function runsChartSvg(r: Report): string {
  const lines = runsLines(r);
  const runs = Math.max(1, r.runsPerMonth.value);
  const be = r.breakEven?.runsPerMonth;
  const xMaxExp = Math.min(8, Math.max(2, Math.ceil(Math.log10(Math.max(runs * 10, be ? be * 3 : 1)))));
  const xMax = 10 ** xMaxExp;
  const cost = (l: RunsLine, n: number) => l.fixedUsd + l.perRunUsd * n;
  const all = lines.flatMap((l) => [cost(l, 1), cost(l, xMax)]).filter((v) => v > 0);
  const yMinExp = Math.floor(Math.log10(Math.max(0.01, Math.min(...all, 1))));
  const yMaxExp = Math.max(yMinExp + 1, Math.ceil(Math.log10(Math.max(...all, 1))));
  const px = (n: number) => L + (Math.log10(n) / xMaxExp) * (W - L - R);
  const py = (usd: number) => {
    const v = Math.log10(Math.max(usd, 10 ** yMinExp));
    return T + (1 - (v - yMinExp) / (yMaxExp - yMinExp)) * (H - T - B);
  };
  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="runs-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="monthly cost against runs per month, per target">`,
  );
  // Grid and ticks.
  for (let e = 0; e <= xMaxExp; e++) {
    const x = px(10 ** e).toFixed(1);
    o.push(`<line class="grid" x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" stroke="#e4e4e4"/>`);
    o.push(`<text class="x-tick" x="${x}" y="${H - B + 14}" font-size="11" text-anchor="middle" font-family="sans-serif">${tickText(10 ** e)}</text>`);
  }
  for (let e = yMinExp; e <= yMaxExp; e++) {
    const y = py(10 ** e).toFixed(1);
    o.push(`<line class="grid" x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="#e4e4e4"/>`);
    o.push(`<text class="y-tick" x="${L - 6}" y="${y}" dy="4" font-size="11" text-anchor="end" font-family="sans-serif">${usdTick(Number((10 ** e).toPrecision(1)))}</text>`);
  }
  o.push(`<line class="axis" x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line class="axis" x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`);
  o.push(`<text class="x-title" x="${(L + W - R) / 2}" y="${H - 8}" font-size="12" text-anchor="middle" font-family="sans-serif">runs per month (log scale)</text>`);
  o.push(`<text class="y-title" transform="translate(12 ${(T + H - B) / 2}) rotate(-90)" font-size="12" text-anchor="middle" font-family="sans-serif">USD a month (log)</text>`);
  // This report's run rate.
  const xr = px(runs).toFixed(1);
  o.push(`<line class="now" x1="${xr}" y1="${T}" x2="${xr}" y2="${H - B}" stroke="#333" stroke-dasharray="3 3"><title>${esc(`${formatQuantity(runs)} runs a month (this report)`)}</title></line>`);
  // One line per target, sampled on the log axis.
  lines.forEach((l, i) => {
    const pts: string[] = [];
    for (let k = 0; k <= 60; k++) {
      const n = 10 ** ((xMaxExp * k) / 60);
      pts.push(`${px(n).toFixed(1)},${py(cost(l, n)).toFixed(1)}`);
    }
    const color = TARGET_COLORS[i % TARGET_COLORS.length];
    const dash = DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : "";
    o.push(
      `<polyline class="line" data-target="${esc(l.target)}" points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"${dash}><title>${esc(`${l.target}: ${formatUsd(l.fixedUsd)} a month + ${formatUsd(l.perRunUsd)} a run`)}</title></polyline>`,
    );
  });
  if (be && be <= xMax) {
    const mw = lines.find((l) => ORCHESTRATORS[l.target]?.model === "environment");
    if (mw) {
      o.push(
        `<circle class="break-even" cx="${px(be).toFixed(1)}" cy="${py(cost(mw, be)).toFixed(1)}" r="4" fill="none" stroke="#333" stroke-width="1.5"><title>${esc(`break-even: ${formatQuantity(be)} runs a month`)}</title></circle>`,
      );
    }
  }
  o.push("</svg>");
  return o.join("\n");
}

/** The legend, as HTML so it wraps on a narrow screen. */
export function runsLegendHtml(r: Report): string {
  return (
    `<ul class="legend">` +
    Object.keys(r.targets)
      .map(
        (n, i) =>
          `<li><svg class="swatch" width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="${TARGET_COLORS[i % TARGET_COLORS.length]}" stroke-width="2"${DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : ""}/></svg>${esc(r.targets[n].title)} (${esc(n)})</li>`,
      )
      .join("") +
    `</ul>`
  );
}
