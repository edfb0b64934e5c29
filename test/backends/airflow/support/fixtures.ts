/** Fixtures lowered for Airflow, and what the IR says their DAGs must contain. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { loadPipelineFile, loadYamlText } from "../../../../src/frontends/load.js";
import { dependencies } from "../../../../src/ir/graph.js";
import type { Pipeline } from "../../../../src/ir/types.js";
import airflow from "../../../../backends/airflow/index.js";
import { DEFAULT_CHECK_INTERVAL, planDag } from "../../../../backends/airflow/plan.js";
import { PROFILES } from "../../../../backends/airflow/versions.js";
import { helperModule } from "../../../../backends/airflow/render.js";
import { ROOT } from "../../../support/python-env.js";

export async function loadFixture(name: string): Promise<Pipeline> {
  const r = await loadPipelineFile(join(ROOT, "fixtures", `${name}.yaml`));
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

export function lowerFor(p: Pipeline, options: Record<string, string> = {}) {
  return airflow.lower(p, { baseDir: join(ROOT, "fixtures"), options });
}

/** A DAG's text without layout (whitespace and the trailing commas ruff's line breaking adds), to find code in it. */
export const tight = (text: string) => text.replace(/\s+/g, "").replace(/,\)/g, ")").replace(/,\}/g, "}");

export function dagText(p: Pipeline, options: Record<string, string> = {}): string {
  const r = lowerFor(p, options);
  const f = r.files.find((x) => x.kind === "dag");
  if (!f) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return f.contents;
}

/**
 * Python that defines the helper module's functions by name, then binds them as the DAG does
 * (its `name = partial(name, region=REGION)` lines): for scripts that run a DAG's callables
 * in plain Python, with the DAG's constants (REGION, DAG_ID) defined before it.
 */
export function helperDefs(dag: string, names: string[], line: "2" | "3" = "2"): string {
  const module = helperModule(line).text;
  const defs = names.map((n) => {
    const at = module.indexOf(`\ndef ${n}(`);
    if (at < 0) throw new Error(`no ${n} in the helper module`);
    const end = module.indexOf("\n\n\n", at + 1);
    return module.slice(at + 1, end < 0 ? undefined : end);
  });
  const bindings = dag.split("\n").filter((l) => /^(sy_[a-z_]+) = partial\(\1, /.test(l) && names.includes(l.split(" ")[0]));
  return ["from functools import partial", ...defs, ...bindings].join("\n\n\n");
}

/** Writes the DAG and its helper module into a folder, as `compile` lays them out in `dags/`. */
export function writeDagFolder(dir: string, p: Pipeline, options: Record<string, string> = {}): void {
  const r = lowerFor(p, options);
  const files = r.files.filter((x) => x.kind === "dag" || x.kind === "helpers");
  if (!files.length) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, basename(f.path)), f.contents);
}

/**
 * Task id -> sorted upstream task ids the DAG file declares: the plan's
 * dependency chains, read back as edges (each link to the next, lists to every member).
 */
export function expectedGraph(p: Pipeline, line: "2" | "3" = "2"): Record<string, string[]> {
  const { plan } = planDag(p, PROFILES[line], { checkInterval: DEFAULT_CHECK_INTERVAL });
  if (!plan) throw new Error(`${p.name} does not plan`);
  const idOf = new Map(plan.tasks.map((t) => [t.variable, t.taskId]));
  const out: Record<string, string[]> = Object.fromEntries(plan.tasks.map((t) => [t.taskId, []]));
  const members = (l: string | string[]) => (typeof l === "string" ? [l] : l);
  for (const chain of plan.dependencies) {
    for (let i = 0; i + 1 < chain.length; i++) for (const a of members(chain[i])) for (const b of members(chain[i + 1])) out[idOf.get(b)!].push(idOf.get(a)!);
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

/** Task id -> sorted ids of every task before it (the transitive closure of an upstream graph). */
export function ancestorsOf(graph: Record<string, string[]>): Record<string, string[]> {
  const memo = new Map<string, Set<string>>();
  const of = (id: string): Set<string> => {
    let s = memo.get(id);
    if (s) return s;
    s = new Set<string>();
    for (const u of graph[id] ?? []) {
      s.add(u);
      for (const a of of(u)) s.add(a);
    }
    memo.set(id, s);
    return s;
  };
  return Object.fromEntries(Object.keys(graph).map((id) => [id, [...of(id)].sort()]));
}

/** Task id -> sorted ids of every task the IR orders before it (a foreach step is one task per item). */
export function expectedOrder(p: Pipeline): Record<string, string[]> {
  const ids = new Map(p.steps.map((s) => [s.id, s.foreach ? s.foreach.items.map((_, i) => `${s.id}_${i}`) : [s.id]]));
  const deps = dependencies(p);
  const direct: Record<string, string[]> = {};
  for (const s of p.steps) for (const id of ids.get(s.id)!) direct[id] = (deps.get(s.id) ?? []).flatMap((d) => ids.get(d)!);
  return ancestorsOf(direct);
}

/** A DAG's text without its IR digest line (a lifted pipeline's IR differs in positions and comments). */
export const withoutHash = (s: string) => s.replace(/^# IR sha256:.*$/m, "");

/** A pipeline from YAML text, as if read from `/p/<file>`; its problems thrown. */
export function yamlPipeline(text: string, file: string): Pipeline {
  const r = loadYamlText(text, `/p/${file}`, "/p");
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

/** One top-level function of a DAG's text, from its `def` line to the blank lines after it. */
export function pythonFunction(dag: string, name: string): string {
  const at = dag.indexOf(`def ${name}(`);
  return dag.slice(at, dag.indexOf("\n\n\n", at));
}

/** Each `<task>_call`'s returned call: the helper's name and its arguments (Python literals read with ast, others as source). */
export function taskCalls(dag: string): Record<string, { fn: string; args: unknown[] }> {
  const dir = mkdtempSync(join(tmpdir(), "sy-af-calls-"));
  const file = join(dir, "dag.py");
  writeFileSync(file, dag, "utf8");
  const script = [
    "import ast, json, sys",
    "tree = ast.parse(open(sys.argv[1], encoding='utf8').read())",
    "out = {}",
    "for f in tree.body:",
    "    if isinstance(f, ast.FunctionDef) and f.name.endswith('_call'):",
    "        (ret,) = f.body",
    "        lit = lambda a: ast.literal_eval(a) if not any(isinstance(n, (ast.Name, ast.Call)) for n in ast.walk(a)) else ast.unparse(a)",
    "        out[f.name] = {'fn': ret.value.func.id, 'args': [lit(a) for a in ret.value.args]}",
    "print(json.dumps(out))",
  ].join("\n");
  try {
    return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
