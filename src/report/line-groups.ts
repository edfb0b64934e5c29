/**
 * Cost lines as the tables show them. Lines alike in all but their step
 * (component, unit price, period, price record and note) are one line when
 * there are more than eight of them: its steps named as a feature's places
 * are, quantities and amounts added up. A pipeline of thousands of steps so
 * shows a few lines a target, not thousands; fewer keep a line a step. The
 * JSON report keeps every line.
 */
import type { CostLine } from "./model.js";
import { PLACES_NAMED, placesText } from "../util/places.js";

const alike = (l: CostLine): string =>
  JSON.stringify([l.component, l.period, l.unit, l.unitPriceUsd, l.price.service, l.price.item, l.price.region, l.price.source, l.price.date, l.note ?? null]);

export function shownLines(lines: readonly CostLine[]): CostLine[] {
  const groups = new Map<string, CostLine[]>();
  for (const l of lines) {
    if (l.step === undefined) continue;
    const key = alike(l);
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  const out: CostLine[] = [];
  const shown = new Set<string>();
  for (const l of lines) {
    const key = l.step === undefined ? undefined : alike(l);
    const g = key === undefined ? undefined : groups.get(key)!;
    if (!g || g.length <= PLACES_NAMED) {
      out.push(l);
      continue;
    }
    // The group stands where its first line stood.
    if (shown.has(key!)) continue;
    shown.add(key!);
    const sum = (xs: Array<number | null>): number | null => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + x!, 0));
    out.push({
      ...l,
      step: placesText(g.map((x) => x.step!)),
      quantity: sum(g.map((x) => x.quantity)),
      amountUsd: sum(g.map((x) => x.amountUsd)),
      // The note says how one step's quantity was worked out.
      ...(l.note ? { note: `each step: ${l.note}` } : {}),
    });
  }
  return out;
}
