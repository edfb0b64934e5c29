/**
 * The JSON format: the Report object as is (see model.ts for the stable
 * shape: `targets.<name>.features`, `.cost.perRunUsd`, `.cost.monthlyUsd`,
 * `.cost.lines`, `.limits`, `recommendation`, `weigh`, `sources`). Fractions are
 * written with at most 12 significant digits and 12 decimals, so float noise
 * (0.30000000000000004) never reaches a diff.
 */
import type { Report } from "../model.js";

export function renderJson(r: Report): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(Number(v.toPrecision(12)).toFixed(12)) : v), 2) + "\n";
}
