/** Fixtures lowered for Airflow, and what the IR says their DAGs must contain. */
import { join } from "node:path";
import { loadPipelineFile } from "../../../../src/frontends/load.js";
import { dependencies } from "../../../../src/ir/graph.js";
import type { Pipeline } from "../../../../src/ir/types.js";
import airflow from "../../../../backends/airflow/index.js";
import { ROOT } from "../../../support/python-env.js";

export async function loadFixture(name: string): Promise<Pipeline> {
  const r = await loadPipelineFile(join(ROOT, "fixtures", `${name}.yaml`));
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

export function lowerFor(p: Pipeline, options: Record<string, string> = {}) {
  return airflow.lower(p, { baseDir: join(ROOT, "fixtures"), options });
}

export function dagText(p: Pipeline, options: Record<string, string> = {}): string {
  const r = lowerFor(p, options);
  const f = r.files.find((x) => x.kind === "dag");
  if (!f) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return f.contents;
}

/** Task id -> sorted upstream task ids, as the IR's dependency graph says (a foreach step is one task per item). */
export function expectedGraph(p: Pipeline): Record<string, string[]> {
  const ids = new Map(p.steps.map((s) => [s.id, s.foreach ? s.foreach.items.map((_, i) => `${s.id}_${i}`) : [s.id]]));
  const deps = dependencies(p);
  const out: Record<string, string[]> = {};
  for (const s of p.steps) for (const id of ids.get(s.id)!) out[id] = (deps.get(s.id) ?? []).flatMap((d) => ids.get(d)!).sort();
  return out;
}
