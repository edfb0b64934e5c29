/**
 * `switchyard check --target T`: the target's capability table with the
 * features this pipeline uses marked, and every problem at once; it fails
 * when a used feature is in the named class or worse.
 */
import pc from "picocolors";
import { refusals } from "../backend/refusals.js";
import type { Backend, Support } from "../backend/types.js";
import { error, hasErrors, type Diagnostic } from "../diagnostics.js";
import { FEATURES } from "../ir/features.js";
import type { Pipeline } from "../ir/types.js";
import { dirname, resolve } from "node:path";
import { featureUses, SUPPORT_RANK, usedFeatures } from "./features.js";
import { placesText } from "../util/places.js";
import { renderTable, type Row } from "./format/table.js";
import { layeredGraph } from "./layout.js";

export function checkTarget(p: Pipeline, b: Backend, failOn: Exclude<Support, "native">, color: boolean): { output: string; failed: boolean; diagnostics: Diagnostic[] } {
  const c = pc.createColors(color);
  const uses = featureUses(p, layeredGraph(p).nodes);
  const where = new Map<string, string[]>(usedFeatures(uses).map((f) => [f.id, f.uses]));
  const paint = (s: Support) => (s === "native" ? c.green : s === "emulated" ? c.yellow : c.red);
  const rows: Row[] = FEATURES.map((f) => {
    const cap = b.capabilities[f.id] ?? { support: "unsupported" as const, note: "the backend does not declare this feature" };
    return [where.has(f.id) ? "*" : "", f.title, { text: cap.support, color: paint(cap.support) }, placesText(where.get(f.id) ?? []), cap.note];
  });
  // Every use the gate fails on is an error saying so; an unsupported feature the target
  // only warns about (the step runs without it) is reported once, as that error.
  const titles = new Map(FEATURES.map((f) => [f.id, f.title]));
  const gated = uses.filter((u) => SUPPORT_RANK[b.capabilities[u.feature]?.support ?? "unsupported"] >= SUPPORT_RANK[failOn]);
  const samePlace = (d: Diagnostic, u: (typeof uses)[number]) => d.pos?.line === u.pos?.line && d.pos?.col === u.pos?.col;
  const diagnostics: Diagnostic[] = refusals(b, p).filter((d) => !(d.severity === "warning" && d.code === "unsupported-feature" && gated.some((u) => samePlace(d, u))));
  const gateErrors = new Set<string>();
  for (const u of gated) {
    if (diagnostics.some((d) => d.severity === "error" && samePlace(d, u) && d.message.includes(titles.get(u.feature) ?? u.feature))) continue;
    const cap = b.capabilities[u.feature] ?? { support: "unsupported" as const, note: "the backend does not declare this feature" };
    const at = u.step ? `step '${u.step}': ` : "";
    const message = `${at}${titles.get(u.feature)} is ${cap.support === "emulated" ? "emulated" : "not supported"} by ${b.title}, which fails --fail-on ${failOn}: ${cap.note}`;
    const key = `${u.pos?.line}:${u.pos?.col}:${message}`;
    if (gateErrors.has(key)) continue;
    gateErrors.add(key);
    diagnostics.push(error(u.pos, message, { code: cap.support === "emulated" ? "emulated-feature" : "unsupported-feature" }));
  }
  if (!hasErrors(diagnostics)) {
    try {
      const lowered = b.lower(p, { baseDir: dirname(resolve(p.source.file)), options: {} });
      diagnostics.push(...lowered.diagnostics);
      if (!hasErrors(lowered.diagnostics)) diagnostics.push(...b.checkLimits(p, lowered.files));
    } catch (e) {
      diagnostics.push(error(undefined, `${b.name}: lowering failed: ${(e as Error).message}`, { code: "report-lower-failed" }));
    }
  }
  const worst = Math.max(-1, ...uses.map((u) => SUPPORT_RANK[b.capabilities[u.feature]?.support ?? "unsupported"]));
  const failed = worst >= SUPPORT_RANK[failOn];
  const counts = { native: 0, emulated: 0, unsupported: 0 };
  for (const f of where.keys()) counts[b.capabilities[f as keyof typeof b.capabilities]?.support ?? "unsupported"]++;
  const out = [
    c.bold(`${b.title} (${b.name}): capabilities for ${p.name}`),
    ...renderTable(["used", "feature", "support", "where", "how / why"], rows),
    "",
    `used features: ${counts.native} native, ${counts.emulated} emulated, ${counts.unsupported} unsupported; --fail-on ${failOn}: ${failed ? c.red("FAIL") : c.green("pass")}`,
  ];
  return { output: out.join("\n") + "\n", failed, diagnostics };
}
