/**
 * The DAG file from the plan, through the Handlebars templates in
 * `templates/airflow/`. The `py` helper is the one way a value reaches the
 * file: it prints a `Py` node (user text only as exact literals).
 */
import { bool, call, code, inline, list, print, str, LINE, type Py } from "./python/node.js";
import type { Link } from "./dependencies.js";
import type { DagPlan } from "./plan.js";
import { handlebars, loadTemplates, type Templates } from "./templates.js";
import { createHash } from "node:crypto";
import { HELPERS, MODULE_MODULES, MODULE_NAMES, helperModuleName } from "./helper-module.js";
import { PROFILES, type AirflowLine } from "./versions.js";

let compiled: Templates | undefined;

function templates() {
  if (compiled) return compiled;
  const hb = handlebars();
  hb.registerHelper("py", (node: Py, options: { hash: { indent: number; lead: string; tail: string; comment?: string } }) => {
    const { indent, lead, tail, comment } = options.hash;
    // A lead of several lines (an unpacking target written one name a line) ends where its last line does.
    const leadEnd = lead.lastIndexOf("\n");
    const text = lead + print(node, indent, leadEnd < 0 ? indent + lead.length : lead.length - leadEnd - 1, tail.length + (comment ?? "").length) + tail;
    if (!comment) return text;
    // A linter directive belongs on the statement's first line.
    const nl = text.indexOf("\n");
    return nl < 0 ? text + comment : text.slice(0, nl) + comment + text.slice(nl);
  });
  hb.registerHelper("spaces", (n: number) => " ".repeat(n));
  hb.registerHelper("concat", (...args: unknown[]) => args.slice(0, -1).join(""));
  hb.registerHelper("noqaComment", (noqa: boolean) => (noqa ? "  # noqa: AIR001" : ""));
  compiled = loadTemplates(hb);
  return compiled;
}

function importLines(plan: Pick<DagPlan, "imports">): string[] {
  return plan.imports.map(({ module, names }) => {
    const one = `from ${module} import ${names.join(", ")}`;
    if (one.length <= 88) return one;
    return `from ${module} import (\n${names.map((n) => `    ${n},\n`).join("")})`;
  });
}

/**
 * One chain as the statements `ruff format` keeps: one line while it fits
 * (in the DAG body, four spaces in); otherwise cut into statements that each
 * fit, every one starting again from the task or list the last one ended at.
 * A statement of two links still too long has a list (task names fit a line):
 * the list is opened one item a line, as the formatter would.
 */
export function dependencyStatements(chain: readonly Link[]): string[] {
  const indent = 4;
  const links: Py[] = chain.map((l) => (typeof l === "string" ? code(l) : list(l.map((x) => code(x)))));
  const text = (from: number, to: number) => links.slice(from, to + 1).map(inline).join(" >> ");
  const out: string[] = [];
  let start = 0;
  while (start < links.length - 1) {
    let end = start + 1;
    while (end + 1 < links.length && indent + text(start, end + 1).length <= LINE) end++;
    const line = text(start, end);
    if (indent + line.length <= LINE) out.push(line);
    else if (links[end].t === "list") {
      const lead = `${inline(links[start])} >> `;
      out.push(lead + print(links[end], indent, indent + lead.length, 0));
    } else if (links[start].t === "list") out.push(`${print(links[start], indent, indent, LINE)} >> ${inline(links[end])}`);
    else out.push(`(\n${" ".repeat(indent + 4)}${inline(links[start])}\n${" ".repeat(indent + 4)}>> ${inline(links[end])}\n${" ".repeat(indent)})`);
    start = end;
  }
  return out;
}

const helperModules = new Map<AirflowLine, { name: string; text: string }>();

/** The helper module of an Airflow line: its name (with the digest of its text) and its text. */
export function helperModule(line: AirflowLine): { name: string; text: string } {
  const known = helperModules.get(line);
  if (known) return known;
  const profile = PROFILES[line];
  const byModule = new Map<string, string[]>();
  for (const n of MODULE_NAMES) byModule.set(profile.imports[n], [...(byModule.get(profile.imports[n]) ?? []), n]);
  const imports = [...byModule.keys()].sort().map((m) => ({ module: m, names: byModule.get(m)!.sort() }));
  const text = templates()
    .helpers({ line, af3: line === "3", modules: MODULE_MODULES, importLines: importLines({ imports }) })
    .replace(/\n{4,}/g, "\n\n\n")
    .replace(/\n+$/, "\n");
  const made = { name: helperModuleName(createHash("sha256").update(text).digest("hex")), text };
  helperModules.set(line, made);
  return made;
}

/**
 * The tasks in file order, each group's tasks in a `with TaskGroup(...)` block, indented four more;
 * a map's tasks in a `@task_group` function that returns them, expanded over its items task's result
 * (the DAG's dependencies, written after all tasks, name them).
 */
function taskBlocks(plan: Pick<DagPlan, "tasks" | "groups" | "mapped">) {
  type Block = { indent: number; group: Py } | { indent: number; variable: string; noqa: boolean; call: Py } | { indent: number; raw: Py; lead: string; tail: string; blank: boolean };
  const out: Block[] = [];
  const open: number[] = [];
  let g = 0;
  let m = 0;
  let inMap: { fn: string; items: string; to: number; indent: number; variables: string[] } | undefined;
  const closeMap = () => {
    if (!inMap) return;
    const vars = { t: "tuple", items: inMap.variables.map((v) => code(v)) } as Py;
    out.push({ indent: inMap.indent + 4, raw: vars, lead: "return ", tail: "", blank: false });
    // The names on one line where the call still starts on it, else one a line with a trailing comma (as ruff keeps them).
    const oneLine = `${inline(vars)} = `;
    const pad = " ".repeat(inMap.indent);
    const lead = inMap.indent + oneLine.length + `${inMap.fn}.expand(`.length <= LINE ? oneLine : `(\n${inMap.variables.map((v) => `${pad}    ${v},\n`).join("")}${pad}) = `;
    out.push({ indent: inMap.indent, raw: call(`${inMap.fn}.expand`, [], [["item", code(`${inMap.items}.output`)]]), lead, tail: "", blank: true });
    inMap = undefined;
  };
  plan.tasks.forEach((t, i) => {
    if (inMap && inMap.to <= i) closeMap();
    while (open.length && open[open.length - 1] <= i) open.pop();
    for (; g < plan.groups.length && plan.groups[g].from === i; g++) {
      out.push({ indent: 4 * (open.length + 1), group: call("TaskGroup", [str(plan.groups[g].id)], [["prefix_group_id", bool(false)]]) });
      open.push(plan.groups[g].to);
    }
    const indent = 4 * (open.length + 1);
    if (m < plan.mapped.length && plan.mapped[m].from === i) {
      const mg = plan.mapped[m++];
      inMap = { fn: mg.fn, items: mg.items, to: mg.to, indent, variables: [] };
      out.push({ indent, raw: call("task_group", [], [["group_id", str(mg.id)], ["prefix_group_id", bool(false)]]), lead: "@", tail: "", blank: true });
      out.push({ indent, raw: code(`${mg.fn}(item)`), lead: "def ", tail: ":", blank: false });
    }
    if (inMap) inMap.variables.push(t.variable);
    out.push({ indent: indent + (inMap ? 4 : 0), variable: t.variable, noqa: t.noqa, call: call(t.cls, [], t.kwargs) });
  });
  closeMap();
  return out;
}

export function renderDag(plan: DagPlan): string {
  const module = helperModule(plan.line).name;
  const imports = plan.helpers.length ? [...plan.imports, { module, names: [...plan.helpers] }] : plan.imports;
  // Helpers that need the DAG's id or Region get them once, here.
  const bindings = plan.helpers
    .filter((h) => HELPERS[h].length)
    .map((h) => `${h} = partial(${h}, ${HELPERS[h].map(([k, v]) => `${k}=${v}`).join(", ")})`);
  const text = templates().dag({
    irHash: plan.irHash,
    modules: plan.modules,
    partial: bindings.length > 0,
    importLines: importLines({ imports }),
    constants: plan.constants,
    bindings,
    functions: plan.functions,
    dagCall: call("DAG", [], plan.dagKwargs),
    tasks: taskBlocks(plan),
    dependencies: plan.dependencies.flatMap(dependencyStatements),
  });
  // Sections the plan leaves out leave blank lines behind; PEP 8 wants at most two, and the file ends in one newline.
  // (Every newline here is structure: user text is always escaped inside literals.) One pass over a text of megabytes.
  return text.replace(/\n{4,}|\n+$/g, (run, at: number) => (at + run.length === text.length ? "\n" : "\n\n\n"));
}

export function renderRequirements(view: { mwaa: string; airflow: string; constraintsUrl: string; requirements: ReadonlyArray<{ name: string; version: string }> }): string {
  return templates().requirements(view);
}

