/**
 * MIGRATION.md: what a migration carried over exactly, what the new target
 * emulates and how, what it refuses and why, what lifting kept only
 * approximately, cost before and after, and the semantic diff of the old and
 * new requests. Built from capability data and the diff, never hand-written
 * per target; deterministic (no dates, no absolute paths).
 */
import { groupAlike } from "../diagnostic-groups.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { placesText } from "../util/places.js";
import type { Backend } from "../backend/types.js";
import type { Difference } from "../diff/compare.js";
import { formatDiff } from "../diff/format.js";
import { FEATURES, featuresUsed, type FeatureId } from "../ir/features.js";
import type { Pipeline } from "../ir/types.js";

export interface CostSide {
  target: string;
  title: string;
  perRunUsd?: number | null;
  monthlyUsd?: number | null;
  /** Steps priced at nothing because they have no `estimate`: the figures are lower bounds. */
  noEstimate?: string[];
}

export interface MigrationFacts {
  source: string;
  /** The target the source file was written for; undefined for a Switchyard pipeline. */
  from?: Backend;
  to: Backend;
  pipeline: Pipeline;
  pipelineFile: string;
  /** Files written for the new target (relative to the output folder); empty when refused. */
  targetFiles: string[];
  liftDiagnostics: Diagnostic[];
  compileDiagnostics: Diagnostic[];
  /** Old vs new requests: the compiled file lifted back, compared with the lifted source. */
  roundTrip?: { differences: Difference[]; file: string } | { unavailable: string };
  cost?: { runsPerMonth: number; basis: string; sides: CostSide[] };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const money = (n: number | null | undefined) => (typeof n === "number" && Number.isFinite(n) ? `$${n.toFixed(2)}` : "unknown");
const diag = (d: Diagnostic) => formatDiagnostic(d).split("\n").join(" — ");

export function migrationDocument(f: MigrationFacts): string {
  const { to, pipeline: p } = f;
  const errors = f.compileDiagnostics.filter((d) => d.severity === "error");
  const warnings = f.compileDiagnostics.filter((d) => d.severity === "warning");
  const titles = new Map(FEATURES.map((x) => [x.id, x.title]));
  const uses = featuresUsed(p).filter((u) => u.target === undefined || u.target === to.name);
  // Where each feature is used, each step once (a step may use one many times: a copy of the list a use was quadratic).
  const byFeature = new Map<FeatureId, Set<string>>();
  for (const u of uses) {
    const where = byFeature.get(u.feature);
    if (where) where.add(u.step ?? "pipeline");
    else byFeature.set(u.feature, new Set([u.step ?? "pipeline"]));
  }
  const rows = [...byFeature.entries()].map(([id, where]) => ({ id, where: [...where], cap: to.capabilities[id] }));
  const native = rows.filter((r) => r.cap?.support === "native");
  const emulated = rows.filter((r) => r.cap?.support === "emulated");
  const unsupported = rows.filter((r) => !r.cap || r.cap.support === "unsupported");

  const out: string[] = [];
  const fromTitle = f.from ? f.from.title : "a Switchyard pipeline";
  out.push(`# Migration of \`${f.source}\` to ${to.title}`, "");
  out.push(`- Read from: ${fromTitle}; ${p.steps.length} step${p.steps.length === 1 ? "" : "s"}, ${p.parameters.length} parameter${p.parameters.length === 1 ? "" : "s"}${p.schedule ? ", a schedule" : ""}.`);
  out.push(`- Neutral pipeline: \`${f.pipelineFile}\`.`);
  out.push(f.targetFiles.length ? `- ${to.title}: ${f.targetFiles.map((x) => `\`${x}\``).join(", ")}.` : `- ${to.title}: nothing written: the pipeline cannot be compiled without losing what is listed under "Refused".`);
  out.push(
    `- Outcome: ${errors.length ? `**refused** (${errors.length} problem${errors.length === 1 ? "" : "s"})` : "compiled"}; ${native.length} feature${native.length === 1 ? "" : "s"} carried over natively, ${emulated.length} emulated, ${unsupported.length} unsupported; ${f.liftDiagnostics.filter((d) => d.severity === "warning").length} lifting warning(s).`,
    "",
  );

  out.push("## Features", "", `| feature | where | on ${cell(to.title)} | how |`, "|---|---|---|---|");
  for (const r of [...unsupported, ...emulated, ...native]) {
    out.push(`| ${cell(titles.get(r.id) ?? r.id)} | ${cell(placesText(r.where))} | ${r.cap?.support ?? "unsupported"} | ${cell(r.cap?.note ?? "the backend does not declare this feature")} |`);
  }
  out.push("");

  out.push("## Refused", "");
  // Alike but for their step, at one place (a loop's tasks): one line, as on the terminal.
  if (errors.length) for (const d of groupAlike(errors)) out.push(`- ${diag(d)}`);
  else out.push("Nothing: every step and setting compiles for the new target.");
  out.push("");

  out.push("## Kept approximately or left out", "");
  const approx = [...f.liftDiagnostics.filter((d) => d.severity === "warning"), ...warnings];
  if (approx.length) for (const d of groupAlike(approx)) out.push(`- ${diag(d)}`);
  else out.push("Nothing: lifting held every construct exactly, and the new target applies every setting.");
  out.push("");

  if (f.cost) {
    out.push("## Cost", "", `At ${f.cost.runsPerMonth} run${f.cost.runsPerMonth === 1 ? "" : "s"} a month (${f.cost.basis}); prices from the built-in table (\`switchyard report\` shows every line and its source).`, "");
    out.push("| target | per run | per month |", "|---|---|---|");
    for (const s of f.cost.sides) {
      const floor = s.noEstimate?.length ? "at least " : "";
      out.push(`| ${cell(s.title)} | ${floor}${money(s.perRunUsd)} | ${floor}${money(s.monthlyUsd)} |`);
    }
    const unknown = [...new Set(f.cost.sides.flatMap((s) => s.noEstimate ?? []))];
    if (unknown.length) out.push("", `Steps without an \`estimate\` are not priced: ${unknown.join(", ")}. Add \`estimate:\` to \`${f.pipelineFile}\` for full figures.`);
    out.push("");
  }

  out.push("## Old and new requests", "");
  if (!f.roundTrip) out.push("Not compared: nothing was compiled.");
  else if ("unavailable" in f.roundTrip) out.push(`Not compared: ${f.roundTrip.unavailable}.`);
  else if (!f.roundTrip.differences.length) {
    out.push(`\`${f.roundTrip.file}\` read back gives the same pipeline: the same steps, requests, dependencies, branches, retries and schedule.`);
  } else {
    out.push(`\`${f.roundTrip.file}\` read back differs from the source in ${f.roundTrip.differences.length} place(s):`, "", "```diff");
    out.push(formatDiff(f.roundTrip.differences, "source", "new", p.steps.length).trimEnd(), "```");
  }
  return out.join("\n") + "\n";
}
