/**
 * The JSON format: the Report object as is (see model.ts for the stable
 * shape: `targets.<name>.features`, `.cost.perRunUsd`, `.cost.monthlyUsd`,
 * `.cost.lines`, `.limits`, `recommendation`). Fractions are written with 12
 * significant digits so float noise (0.30000000000000004) never reaches a diff.
 */
import type { Report } from "../model.js";

export function renderJson(r: Report): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v), 2) + "\n";
}
