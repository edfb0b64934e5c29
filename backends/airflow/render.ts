/**
 * The DAG file from the plan, through the Handlebars templates in
 * `templates/airflow/`. `pyText` is the one way a value reaches the file (the
 * templates' `py` helper, and the tasks' statements printed here): it prints
 * a `Py` node (user text only as exact literals).
 */
import { bool, call, code, inline, list, print, str, LINE, type Py } from "./python/node.js";
import type { Link } from "./dependencies.js";
import type { DagPlan } from "./plan.js";
import { handlebars, loadTemplates, type Templates } from "./templates.js";
import { createHash } from "node:crypto";
import { HELPERS, MODULE_MODULES, MODULE_NAMES, helperModuleName } from "./helper-module.js";
import { PROFILES, type AirflowLine } from "./versions.js";

let compiled: Templates | undefined;

/** Where a statement goes: its indentation, the code before and after the value, a linter comment for its first line. */
interface Place {
  indent: number;
  lead: string;
  tail: string;
  comment?: string;
}

/**
 * A value as the statement that holds it (the `py` helper, and the tasks' blocks: the one way a
 * value reaches the file).
 */
function pyText(node: Py, { indent, lead, tail, comment }: Place): string {
  // A lead of several lines (an unpacking target written one name a line) ends where its last line does.
  const leadEnd = lead.lastIndexOf("\n");
  const text = lead + print(node, indent, leadEnd < 0 ? indent + lead.length : lead.length - leadEnd - 1, tail.length + (comment ?? "").length) + tail;
  if (!comment) return text;
  // A linter directive belongs on the statement's first line.
  const nl = text.indexOf("\n");
  return nl < 0 ? text + comment : text.slice(0, nl) + comment + text.slice(nl);
}

function templates() {
  if (compiled) return compiled;
  const hb = handlebars();
  hb.registerHelper("py", (node: Py, options: { hash: Place }) => pyText(node, options.hash));
  hb.registerHelper("spaces", (n: number) => " ".repeat(n));
  hb.registerHelper("concat", (...args: unknown[]) => args.slice(0, -1).join(""));
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
  // Each link's one-line text once: a chain is measured again for every link it may take.
  const inlines = links.map(inline);
  const text = (from: number, to: number) => inlines.slice(from, to + 1).join(" >> ");
  const out: string[] = [];
  let start = 0;
  while (start < links.length - 1) {
    let end = start + 1;
    while (end + 1 < links.length && indent + text(start, end + 1).length <= LINE) end++;
    const line = text(start, end);
    if (indent + line.length <= LINE) out.push(line);
    else if (links[end].t === "list") {
      const lead = `${inlines[start]} >> `;
      out.push(lead + print(links[end], indent, indent + lead.length, 0));
    } else if (links[start].t === "list") out.push(`${print(links[start], indent, indent, LINE)} >> ${inlines[end]}`);
    else out.push(`(\n${" ".repeat(indent + 4)}${inlines[start]}\n${" ".repeat(indent + 4)}>> ${inlines[end]}\n${" ".repeat(indent)})`);
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

/** Indentation by width, made once each. */
const pads: string[] = [];
const pad = (n: number) => (pads[n] ??= " ".repeat(n));

/** One statement of the DAG body on its lines (after a blank line when `blank`). */
function statement(node: Py, place: Place, blank = false): string {
  const text = (blank ? "\n" : "") + pad(place.indent) + pyText(node, place) + "\n";
  // Reading a character makes the printed pieces one string now, while they are new: every task's
  // text is kept until the file is joined, and as pieces it takes several times the memory.
  text.charCodeAt(0);
  return text;
}

/**
 * The tasks in file order, each statement's text, each group's tasks in a `with TaskGroup(...)` block, indented four more;
 * a map's tasks in a `@task_group` function that returns them, expanded over its items task's result
 * (the DAG's dependencies, written after all tasks, name them).
 */
function taskBlocks(plan: Pick<DagPlan, "tasks" | "groups" | "mapped">): string[] {
  const out: string[] = [];
  const open: number[] = [];
  let g = 0;
  let m = 0;
  let inMap: { fn: string; items: string; to: number; indent: number; variables: string[] } | undefined;
  const closeMap = () => {
    if (!inMap) return;
    const vars = { t: "tuple", items: inMap.variables.map((v) => code(v)) } as Py;
    out.push(statement(vars, { indent: inMap.indent + 4, lead: "return ", tail: "" }));
    // The names on one line where the call still starts on it, else one a line with a trailing comma (as ruff keeps them).
    const oneLine = `${inline(vars)} = `;
    const lead = inMap.indent + oneLine.length + `${inMap.fn}.expand(`.length <= LINE ? oneLine : `(\n${inMap.variables.map((v) => `${pad(inMap!.indent)}    ${v},\n`).join("")}${pad(inMap.indent)}) = `;
    out.push(statement(call(`${inMap.fn}.expand`, [], [["item", code(`${inMap.items}.output`)]]), { indent: inMap.indent, lead, tail: "" }, true));
    inMap = undefined;
  };
  plan.tasks.forEach((t, i) => {
    if (inMap && inMap.to <= i) closeMap();
    while (open.length && open[open.length - 1] <= i) open.pop();
    for (; g < plan.groups.length && plan.groups[g].from === i; g++) {
      out.push(statement(call("TaskGroup", [str(plan.groups[g].id)], [["prefix_group_id", bool(false)]]), { indent: 4 * (open.length + 1), lead: "with ", tail: ":" }));
      open.push(plan.groups[g].to);
    }
    const indent = 4 * (open.length + 1);
    if (m < plan.mapped.length && plan.mapped[m].from === i) {
      const mg = plan.mapped[m++];
      inMap = { fn: mg.fn, items: mg.items, to: mg.to, indent, variables: [] };
      out.push(statement(call("task_group", [], [["group_id", str(mg.id)], ["prefix_group_id", bool(false)]]), { indent, lead: "@", tail: "" }, true));
      out.push(statement(code(`${mg.fn}(item)`), { indent, lead: "def ", tail: ":" }));
    }
    if (inMap) inMap.variables.push(t.variable);
    const place = { indent: indent + (inMap ? 4 : 0), lead: `${t.variable} = `, tail: "", comment: t.noqa ? "  # noqa: AIR001" : "" };
    out.push(statement(call(t.cls, [], t.kwargs), place));
  });
  closeMap();
  return out;
}

/** Where the template puts the tasks' blocks: no generated text holds a NUL (user text is escaped). */
const TASKS_MARK = "\0tasks\0";

const NEWLINE = 10;
/** A run of newlines as written: more than three are three. */
const RUNS = ["", "\n", "\n\n", "\n\n\n"];

/** The newlines `s` starts with (from `from`), or ends with (back to `to`). */
function newlinesFrom(s: string, from: number): number {
  let i = from;
  while (i < s.length && s.charCodeAt(i) === NEWLINE) i++;
  return i - from;
}
function newlinesBefore(s: string, to: number): number {
  let i = to;
  while (i > 0 && s.charCodeAt(i - 1) === NEWLINE) i--;
  return to - i;
}

/**
 * The pieces written one after another, with PEP 8's blank lines: a run of more than three newlines (two blank lines)
 * becomes three, and the newlines the text ends with one. A run may span pieces. Inside a piece, runs are looked for
 * only where `scan` says so: the tasks' blocks hold none (each newline a printed value writes is followed by
 * indentation), and they are megabytes.
 */
function blankLines(pieces: readonly string[], scan: (i: number) => boolean): string {
  const out: string[] = [];
  let run = 0;
  pieces.forEach((p, i) => {
    const lead = newlinesFrom(p, 0);
    if (lead === p.length) {
      run += lead;
      return;
    }
    const trail = newlinesBefore(p, p.length);
    const body = lead === 0 && trail === 0 ? p : p.slice(lead, p.length - trail);
    out.push(RUNS[Math.min(run + lead, 3)], scan(i) ? body.replace(/\n{4,}/g, "\n\n\n") : body);
    run = trail;
  });
  if (run) out.push("\n");
  return out.join("");
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
    tasks: TASKS_MARK,
    dependencies: plan.dependencies.flatMap(dependencyStatements),
  });
  // Sections the plan leaves out leave blank lines behind; PEP 8 wants at most two, and the file ends in one newline.
  // (Every newline here is structure: user text is always escaped inside literals.) The tasks' text goes in as it was
  // printed, and the whole file is joined once.
  const [head, rest] = text.split(TASKS_MARK);
  const pieces = [head, ...taskBlocks(plan), rest];
  return blankLines(pieces, (i) => i === 0 || i === pieces.length - 1);
}

export function renderRequirements(view: { mwaa: string; airflow: string; constraintsUrl: string; requirements: ReadonlyArray<{ name: string; version: string }> }): string {
  return templates().requirements(view);
}

