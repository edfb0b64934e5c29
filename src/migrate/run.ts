/**
 * `switchyard migrate`: lift a target's file, write the neutral pipeline,
 * compile it for the new target, and write MIGRATION.md beside them. Nothing
 * here touches the disk: the caller writes the files it returns, atomically.
 */
import { basename, join } from "node:path";
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import type { Backend, OutputFile } from "../backend/types.js";
import { diffPipelines } from "../diff/compare.js";
import type { Pipeline } from "../ir/types.js";
import { migrationDocument, type CostSide, type MigrationFacts } from "./document.js";

export interface MigrateInput {
  source: string;
  pipeline: Pipeline;
  from?: Backend;
  to: Backend;
  liftDiagnostics: Diagnostic[];
  /** The new target's compile result. */
  compiled: { files: OutputFile[]; diagnostics: Diagnostic[] };
  /** The neutral pipeline as text, and its file name. */
  printed: { name: string; text: string };
  /** Code the lifted pipeline's steps run, written beside it (paths relative to it). */
  code?: Array<{ path: string; contents: string }>;
  /** Per-target cost from the report, when it could be computed. */
  cost?: MigrationFacts["cost"];
}

export interface MigrateOutput {
  files: Array<{ path: string; contents: string }>;
  /** Something would be lost: exit 1. */
  refused: boolean;
}

/** The file of a target's output that its lifter reads back (the definition or the DAG). */
export function mainFile(files: OutputFile[]): OutputFile | undefined {
  return files.find((f) => f.kind === "definition") ?? files.find((f) => f.kind === "dag");
}

export function planMigration(m: MigrateInput, out: string): MigrateOutput {
  const refused = hasErrors(m.compiled.diagnostics);
  const targetFiles = refused ? [] : m.compiled.files.map((f) => join(m.to.name, f.path));
  let roundTrip: MigrationFacts["roundTrip"];
  const main = refused ? undefined : mainFile(m.compiled.files);
  if (main && m.to.lift) {
    // What a target's file does not say (a state machine of Lambda calls names no region, role or bucket) is the
    // pipeline's: read back with it, so that only what the file does differently is listed.
    const p = m.pipeline;
    const given = { ...(p.region ? { region: p.region } : {}), ...(p.role ? { role: p.role } : {}), ...(p.artifacts ? { artifacts: p.artifacts } : {}) };
    const back = m.to.lift({ file: join(m.to.name, main.path), text: main.contents, given });
    roundTrip = back.pipeline
      ? { differences: diffPipelines(m.pipeline, back.pipeline), file: join(m.to.name, main.path) }
      : { unavailable: `${m.to.title} could not read its own file back (${back.diagnostics.filter((d) => d.severity === "error").length} problem(s))` };
  } else if (main) roundTrip = { unavailable: `${m.to.title} has no reader for its files` };
  const doc = migrationDocument({
    source: basename(m.source),
    from: m.from,
    to: m.to,
    pipeline: m.pipeline,
    pipelineFile: m.printed.name,
    targetFiles,
    liftDiagnostics: m.liftDiagnostics,
    compileDiagnostics: m.compiled.diagnostics,
    roundTrip,
    cost: m.cost,
  });
  const files = [
    { path: join(out, m.printed.name), contents: m.printed.text },
    ...(m.code ?? []).map((f) => ({ path: join(out, f.path), contents: f.contents })),
    ...(refused ? [] : m.compiled.files.map((f) => ({ path: join(out, m.to.name, f.path), contents: f.contents }))),
    { path: join(out, "MIGRATION.md"), contents: doc },
  ];
  return { files, refused };
}

/** Cost per run and per month of each side, from the report's JSON (a stable shape). */
export function costSides(reportJson: string, names: string[]): MigrationFacts["cost"] | undefined {
  try {
    const r = JSON.parse(reportJson) as {
      runsPerMonth?: { value: number; note?: string };
      targets?: Record<string, { title?: string; cost?: { perRunUsd?: number | null; monthlyUsd?: number | null; noEstimate?: string[] } }>;
    };
    if (!r.targets || !r.runsPerMonth) return undefined;
    const sides: CostSide[] = names
      .filter((n) => r.targets![n])
      .map((n) => {
        const c = r.targets![n].cost;
        return { target: n, title: r.targets![n].title ?? n, perRunUsd: c?.perRunUsd, monthlyUsd: c?.monthlyUsd, noEstimate: c?.noEstimate };
      });
    return { runsPerMonth: r.runsPerMonth.value, basis: r.runsPerMonth.note ?? "", sides };
  } catch {
    return undefined;
  }
}
