/** Wording shared by the formats. */
import type { CostLine, Report, TargetCost } from "../model.js";
import { formatMicros, formatQuantity, formatUnitPrice } from "../money.js";

export const SUPPORT_MARK = { native: "native", emulated: "emulated", unsupported: "unsupported" } as const;

/** `[n]` (the footnote of the line's source), `*` when the figure is an estimate. */
export function sourceMark(r: Report, source: string, confirmed: boolean): string {
  const n = r.sources.find((s) => s.key === source)?.n;
  return `${n === undefined ? source : `[${n}]`}${confirmed ? "" : " *"}`;
}

export function priceRef(r: Report, l: CostLine): string {
  return `${sourceMark(r, l.price.source, l.price.confirmed)} ${l.price.date}`;
}

export function unitPriceText(l: CostLine): string {
  return `${formatUnitPrice(l.unitPriceUsd)}/${l.unit}${l.price.confirmed ? "" : " *"}`;
}

export function quantityText(l: CostLine): string {
  return l.quantity === null ? "unknown" : `${formatQuantity(l.quantity)} ${l.unit}${l.quantity === 1 ? "" : "s"}`;
}

/** Per-run cost: the sum, or a lower bound and what is unknown when a step has no estimate. */
export function perRunText(c: TargetCost): string {
  if (!c.noEstimate.length) return formatMicros(c.perRunMicros);
  return `at least ${formatMicros(c.perRunMicros)}; unknown (no estimate for: ${c.noEstimate.join(", ")})`;
}

export function monthlyText(c: TargetCost): string {
  return c.noEstimate.length ? `at least ${formatMicros(c.monthlyMicros)}` : formatMicros(c.monthlyMicros);
}

/** What the totals leave out, or "" when nothing is. */
export function leftOutText(c: TargetCost): string {
  return c.unpriced.length ? `not in the totals (quantity unknown before a run): ${c.unpriced.join(", ")}` : "";
}

export function sourceLine(s: Report["sources"][number]): string {
  return `[${s.n}] ${s.key}: ${s.url}: ${s.note}`;
}
