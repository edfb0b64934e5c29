/**
 * IR -> TypeScript written with the DSL, the inverse of the TypeScript front
 * end: reading the output back gives the same IR (positions aside). Step
 * variables are named after the steps; code is laid out with ts-morph's code
 * writer and formatted by TypeScript's formatter.
 */
import { CodeBlockWriter, Project, ts } from "ts-morph";
import { formatDuration } from "../../ir/duration.js";
import { dataDependencies, mapsAround } from "../../ir/graph.js";
import { printExpr, printPath, printTemplate } from "../../ir/expr/print.js";
import type { DataInput, DataOutput, FailureHandler, Instance, JobKms, JobNetwork, Pipeline, Repeat, RetryPolicy, Step, Value, ValueOf } from "../../ir/types.js";
import { functionCallOf } from "../../aws/function-step.js";
import { COMPARE_NAMES, DSL_MODULE, FUNCTION_BUILDER, KIND_BUILDERS } from "./dsl-names.js";
import { stepVariableNames } from "./names.js";

/** Code: an expression's text, an object (ordered, undefined entries left out) or an array. */
type Code = { code: string } | { obj: Array<[string, Code | undefined]> } | { arr: Code[] };

const code = (s: string): Code => ({ code: s });
const str = (s: string): Code => code(JSON.stringify(s));
const num = (n: number, float = false): Code => code(float && Number.isInteger(n) ? `${n}.0` : String(n));
const obj = (entries: Array<[string, Code | undefined]>): Code => ({ obj: entries });
const optStr = (s: string | undefined): Code | undefined => (s === undefined ? undefined : str(s));
const optArr = (xs: string[]): Code | undefined => (xs.length ? { arr: xs.map(str) } : undefined);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propKey = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));
const member = (k: string): string => (IDENT.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** Plain JSON (target settings, passthrough bodies): verbatim, no expressions. */
function json(x: unknown): Code {
  if (Array.isArray(x)) return { arr: x.map(json) };
  if (x !== null && typeof x === "object") return obj(Object.entries(x).map(([k, v]) => [k, json(v)]));
  return code(x === undefined ? "null" : JSON.stringify(x));
}

/** Whether the DSL's functions cannot spell `v` (arithmetic; `in` over something other than a list literal). */
function needsExpr(v: Value): boolean {
  switch (v.kind) {
    case "arith":
    case "call":
      return true;
    case "compare":
      return needsExpr(v.left) || needsExpr(v.right);
    case "logic":
      return v.operands.some(needsExpr);
    case "not":
      return needsExpr(v.operand);
    case "in":
      return v.list.kind !== "list" || needsExpr(v.value) || needsExpr(v.list);
    case "join":
    case "list":
      return (v.kind === "join" ? v.parts : v.items).some(needsExpr);
    case "map":
      return Object.values(v.entries).some(needsExpr);
    default:
      return false;
  }
}

/** Escape text for a template literal; control characters as escapes, so no line break reaches the writer's indentation. */
const templateText = (s: string): string =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$\{/g, "\\${")
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

class Printer {
  readonly imports = new Set<string>(["pipeline"]);
  /** Steps whose variables are declared so far. */
  readonly declared = new Set<string>();
  /** The step being printed: its own values refer to it by id (its variable is not declared yet). */
  private current?: string;
  /** Steps inside a map (their item is `mapItem`). */
  readonly mapMembers = new Set<string>();
  /** Printing a map step's own values that read its item (its result, its batch's each): the item is `mapItem`. */
  private mapOwn = false;
  constructor(
    private vars: Map<string, string>,
    private paramsVar: string,
  ) {}

  private use(name: string): string {
    this.imports.add(name);
    return name;
  }

  value(v: Value, boolean = false): Code {
    if (needsExpr(v) && v.kind !== "list" && v.kind !== "map" && v.kind !== "join") {
      // Arithmetic and functions have no DSL form: the file format's own syntax, typed as what it gives.
      return code(`${this.use("expr")}${boolean ? '<"boolean">' : ""}(${JSON.stringify(printExpr(v))})`);
    }
    switch (v.kind) {
      case "literal":
        if (typeof v.value === "string") return str(printTemplate(v));
        if (typeof v.value === "number") return num(v.value, v.type === "float");
        return code(String(v.value));
      case "list":
        return { arr: v.items.map((i) => this.value(i)) };
      case "map":
        return obj(Object.entries(v.entries).map(([k, x]) => [k, this.value(x)]));
      case "ref":
        return code(this.ref(v));
      case "join": {
        let s = "";
        for (const part of v.parts) {
          if (part.kind === "literal" && typeof part.value === "string") s += templateText(part.value);
          else s += "${" + this.inline(this.value(part)) + "}";
        }
        return code(`${this.use("fmt")}\`${s}\``);
      }
      case "compare":
        return code(`${this.use(COMPARE_NAMES[v.op])}(${this.operand(v.left)}, ${this.operand(v.right)})`);
      case "logic":
        return code(`${this.use(v.op)}(${v.operands.map((o) => this.operand(o)).join(", ")})`);
      case "not":
        return code(`${this.use("not")}(${this.operand(v.operand)})`);
      case "in":
        return code(`${this.use("isIn")}(${this.operand(v.value)}, [${(v.list as ValueOf<"list">).items.map((i) => this.operand(i)).join(", ")}]${v.negated ? ", true" : ""})`);
      case "arith":
      case "call":
        throw new Error("unreachable: arithmetic and functions are printed above");
    }
  }

  /**
   * An operand of a comparison or logic function: strings there are plain
   * literals (as the DSL's functions take them), not `${{ }}` text.
   */
  private operand(v: Value): string {
    if (v.kind === "literal" && typeof v.value === "string") return JSON.stringify(v.value);
    return this.inline(this.value(v));
  }

  private ref(v: Extract<Value, { kind: "ref" }>): string {
    const r = v.ref;
    switch (r.scope) {
      case "params":
        return `${this.paramsVar}${member(r.name)}`;
      case "item":
        // Inside a map's steps the item is the DSL's `mapItem`; in a foreach step, the function's parameter.
        return (this.mapOwn || this.mapMembers.has(this.current ?? "") ? this.use("mapItem") : "item") + r.path.map((s) => (typeof s === "number" ? `[${s}]` : member(s))).join("");
      case "failure":
        return `${this.use("failure")}.${r.path.length ? String(r.path[0]) : "whole"}`;
      case "task":
        return `${this.use("expr")}("task.token")`;
      case "iteration":
        return `${this.use("expr")}("iteration.id")`;
      case "variables":
        return `${this.use("variable")}(${JSON.stringify(r.name)})`;
      case "execution":
        if (r.name === "input") return r.path.length ? `${this.use("runInput")}(${JSON.stringify(printPath(r.path).replace(/^\./, ""))})` : `${this.use("execution")}.input`;
        return `${this.use("execution")}.${r.name}`;
      case "steps": {
        if (r.step === this.current && r.attr === "response") return `${this.use("responseOf")}(${JSON.stringify(r.step)}${r.path.length ? `, ${JSON.stringify(printPath(r.path).replace(/^\./, ""))}` : ""})`;
        if (r.step === this.current && r.attr === "outputs") return `${this.use("outputOf")}(${JSON.stringify(r.step)}, ${JSON.stringify(r.name)})`;
        const s = this.vars.get(r.step) ?? r.step;
        if (r.attr === "outputs") return `${s}.outputs${member(r.name)}`;
        if (r.attr === "reports") return `${s}.reports${member(r.report)}.get(${JSON.stringify(printPath(r.path).replace(/^\./, ""))})`;
        // An enclosing map's item: the map is written after its steps, so it is named by id.
        if (r.attr === "item") return `${this.use("itemOf")}(${JSON.stringify(r.step)}${r.path.length ? `, ${JSON.stringify(printPath(r.path).replace(/^\./, ""))}` : ""})`;
        if (r.attr === "response" || r.attr === "results") return `${s}.${r.attr}(${r.path.length ? JSON.stringify(printPath(r.path).replace(/^\./, "")) : ""})`;
        return `${s}.${r.attr}`;
      }
    }
  }

  /** Code on one line (for arguments). */
  inline(c: Code): string {
    if ("code" in c) return c.code;
    if ("arr" in c) return `[${c.arr.map((x) => this.inline(x)).join(", ")}]`;
    const es = c.obj.filter((e): e is [string, Code] => e[1] !== undefined);
    return es.length ? `{ ${es.map(([k, x]) => `${propKey(k)}: ${this.inline(x)}`).join(", ")} }` : "{}";
  }

  write(w: CodeBlockWriter, c: Code): void {
    const flat = this.inline(c);
    if ("code" in c || flat.length <= 80) {
      w.write(flat);
      return;
    }
    if ("arr" in c) {
      w.write("[").newLine();
      w.indent(() => c.arr.forEach((x) => (this.write(w, x), w.write(",").newLine())));
      w.write("]");
      return;
    }
    w.write("{").newLine();
    w.indent(() => {
      for (const [k, x] of c.obj) {
        if (x === undefined) continue;
        w.write(`${propKey(k)}: `);
        this.write(w, x);
        w.write(",").newLine();
      }
    });
    w.write("}");
  }

  // --- structures ---------------------------------------------------------------

  private retryRule(r: RetryPolicy): Code {
    return obj([
      ["attempts", num(r.attempts)],
      ["interval", str(formatDuration(r.interval))],
      ["backoff", num(r.backoff, true)],
      ["on", (r.on.length === 1 && r.on[0] === "any") || !r.on.length ? undefined : { arr: r.on.map(str) }],
      ["errors", r.errors && { arr: r.errors.map(str) }],
      ["max_delay", r.max_delay === undefined ? undefined : str(formatDuration(r.max_delay))],
      ["jitter", r.jitter === undefined ? undefined : code(String(r.jitter))],
    ]);
  }

  /** One rule as an object, several as an array. */
  retry(r: RetryPolicy[] | undefined): Code | undefined {
    if (!r?.length) return undefined;
    return r.length === 1 ? this.retryRule(r[0]) : { arr: r.map((x) => this.retryRule(x)) };
  }

  /** A map step's own value read where its item is known (`mapItem`). */
  private ofMap(v: Value): Code {
    this.mapOwn = true;
    try {
      return this.value(v);
    } finally {
      this.mapOwn = false;
    }
  }

  private valueList(l: Value[] | undefined): Code | undefined {
    return l && { arr: l.map((v) => this.value(v)) };
  }

  network(n: JobNetwork | undefined): Code | undefined {
    if (!n) return undefined;
    return obj([
      ["isolation", n.isolation === undefined ? undefined : code(String(n.isolation))],
      ["encrypt_traffic", n.encrypt_traffic === undefined ? undefined : code(String(n.encrypt_traffic))],
      ["vpc", n.vpc && obj([["subnets", this.valueList(n.vpc.subnets)], ["security_groups", this.valueList(n.vpc.security_groups)]])],
    ]);
  }

  kms(k: JobKms | undefined): Code | undefined {
    return k && obj([["volume", k.volume && this.value(k.volume)], ["output", k.output && this.value(k.output)]]);
  }

  output(o: DataOutput): Code {
    if (!o.upload && !o.destination) return str(o.path);
    return obj([["path", str(o.path)], ["upload", optStr(o.upload)], ["destination", o.destination && this.value(o.destination)]]);
  }

  repeat(r: Repeat | undefined): Code | undefined {
    return r && obj([["until", this.value(r.until, true)], ["interval", typeof r.interval === "number" ? str(formatDuration(r.interval)) : this.value(r.interval)], ["max_calls", r.max_calls === undefined ? undefined : num(r.max_calls)], ["error", optStr(r.error)], ["message", optStr(r.message)]]);
  }

  instance(i: Instance | undefined): Code | undefined {
    if (!i) return undefined;
    return obj([
      ["type", this.value(i.type)],
      ["count", i.count && this.value(i.count)],
      ["volume_gb", i.volume_gb && this.value(i.volume_gb)],
    ]);
  }

  input(x: DataInput & { split_type?: string }): Code {
    return obj([
      ["source", this.value(x.source)],
      ["destination", optStr(x.destination)],
      ["content_type", optStr(x.content_type)],
      ["mode", optStr(x.mode)],
      ["distribution", optStr(x.distribution)],
      ["compression", optStr(x.compression)],
      ["split_type", optStr(x.split_type)],
      ["data_type", optStr(x.data_type)],
    ]);
  }

  values(m: Record<string, Value>): Code | undefined {
    const es = Object.entries(m);
    return es.length ? obj(es.map(([k, v]) => [k, this.value(v)])) : undefined;
  }

  targets(t: Pipeline["targets"]): Code | undefined {
    const es = Object.entries(t);
    return es.length ? obj(es.map(([k, v]) => [k, json(v.settings)])) : undefined;
  }

  stepBody(s: Step): Array<[string, Code | undefined]> {
    const inputs = (m: Record<string, DataInput>) => (Object.keys(m).length ? obj(Object.entries(m).map(([k, v]) => [k, this.input(v)])) : undefined);
    const ids = (xs: string[]) => (xs.length ? { arr: xs.map((x) => code(this.vars.get(x) ?? JSON.stringify(x))) } : undefined);
    const fn = s.kind === "processing" ? functionCallOf(s) : undefined;
    if (fn && s.kind === "processing")
      return [
        ["image", this.value(s.image)],
        ["instance", this.instance(s.instance)],
        ["code", str(s.code!.path)],
        ["function", str(fn.function)],
        ["arguments", this.values(fn.arguments)],
        ["inputs", inputs(s.inputs)],
        ["network", this.network(s.network)],
        ["kms", this.kms(s.kms)],
      ];
    switch (s.kind) {
      case "processing":
        return [
          ["image", this.value(s.image)],
          ["instance", this.instance(s.instance)],
          ["code", optStr(s.code?.path)],
          ["command", s.command && { arr: s.command.map(str) }],
          ["arguments", s.arguments.length ? { arr: s.arguments.map((a) => this.value(a)) } : undefined],
          ["inputs", inputs(s.inputs)],
          ["outputs", Object.keys(s.outputs).length ? obj(Object.entries(s.outputs).map(([k, o]) => [k, this.output(o)])) : undefined],
          ["reports", Object.keys(s.reports).length ? obj(Object.entries(s.reports).map(([k, r]) => [k, obj([["output", str(r.output)], ["file", str(r.file)]])])) : undefined],
          ["network", this.network(s.network)],
          ["kms", this.kms(s.kms)],
          ["request", s.request && this.values(s.request)],
        ];
      case "training":
      case "tuning": {
        const base: Array<[string, Code | undefined]> = [
          ["image", this.value(s.image)],
          ["instance", this.instance(s.instance)],
          ["code", optStr(s.code?.path)],
          ["hyperparameters", this.values(s.hyperparameters)],
          ["inputs", inputs(s.inputs)],
          ["metric_definitions", s.metric_definitions.length ? { arr: s.metric_definitions.map((m) => obj([["name", str(m.name)], ["regex", str(m.regex)]])) } : undefined],
          ["input_mode", optStr(s.input_mode)],
          ["spot", s.spot && obj([["max_wait", str(formatDuration(s.spot.max_wait))]])],
          ["entrypoint", this.valueList(s.entrypoint)],
          ["container_arguments", this.valueList(s.container_arguments)],
          ["output_path", s.output_path && this.value(s.output_path)],
          ["network", this.network(s.network)],
          ["kms", this.kms(s.kms)],
          ["request", s.request && this.values(s.request)],
        ];
        if (s.kind === "training") return base;
        return [
          ...base,
          [
            "ranges",
            obj(
              Object.entries(s.ranges).map(([k, r]) => [
                k,
                obj([
                  ["type", str(r.type)],
                  ["min", r.min === undefined ? undefined : num(r.min)],
                  ["max", r.max === undefined ? undefined : num(r.max)],
                  ["values", r.values && { arr: r.values.map((x) => (typeof x === "string" ? str(x) : num(x))) }],
                  ["scaling", optStr(r.scaling)],
                ]),
              ]),
            ),
          ],
          ["objective", obj([["metric", str(s.objective.metric)], ["type", str(s.objective.type)]])],
          ["strategy", str(s.strategy)],
          ["max_jobs", num(s.max_jobs)],
          ["parallel_jobs", num(s.parallel_jobs)],
          ["early_stopping", optStr(s.early_stopping)],
        ];
      }
      case "transform":
        return [
          ["model", this.value(s.model)],
          ["instance", this.instance(s.instance)],
          ["input", this.input(s.input)],
          [
            "output",
            s.output.accept || s.output.assemble_with || s.output.destination
              ? obj([["accept", optStr(s.output.accept)], ["assemble_with", optStr(s.output.assemble_with)], ["destination", s.output.destination && this.value(s.output.destination)]])
              : undefined,
          ],
          ["strategy", optStr(s.strategy)],
          ["max_payload_mb", s.max_payload_mb === undefined ? undefined : num(s.max_payload_mb)],
          ["max_concurrent", s.max_concurrent === undefined ? undefined : num(s.max_concurrent)],
          ["input_filter", optStr(s.input_filter)],
          ["join_source", optStr(s.join_source)],
          ["output_filter", optStr(s.output_filter)],
          ["kms", this.kms(s.kms)],
          ["request", s.request && this.values(s.request)],
        ];
      case "model":
        return [
          ["image", this.value(s.image)],
          ["model", this.value(s.model)],
        ];
      case "register-model":
        return [
          ["model", this.value(s.model)],
          ["image", this.value(s.image)],
          ["package_group", this.value(s.package_group)],
          ["approval", s.approval && this.value(s.approval)],
          ["content_types", optArr(s.content_types)],
          ["response_types", optArr(s.response_types)],
          ["inference_instances", s.inference_instances.length ? this.valueList(s.inference_instances) : undefined],
          ["transform_instances", s.transform_instances.length ? this.valueList(s.transform_instances) : undefined],
          ["metrics", s.metrics && this.value(s.metrics)],
        ];
      case "endpoint":
        return [
          ["name", this.value(s.name)],
          ["model", this.value(s.model)],
          ["image", s.image && this.value(s.image)],
          ["instance", this.instance(s.instance)],
        ];
      case "condition":
        return [
          ["if", this.value(s.if, true)],
          ["then", ids(s.then)],
          ["else", ids(s.else)],
        ];
      case "map":
        return [
          ["items", s.items && this.value(s.items, true)],
          [
            "read",
            s.read &&
              obj([
                ["bucket", this.value(s.read.bucket)],
                ["prefix", s.read.prefix && this.value(s.read.prefix)],
                ["key", s.read.key && this.value(s.read.key)],
                ["format", s.read.format && str(s.read.format)],
                ["columns", s.read.columns && { arr: s.read.columns.map(str) }],
                ["max_items", s.read.max_items === undefined ? undefined : num(s.read.max_items)],
              ]),
          ],
          ["batch", s.batch && obj([["max_items", s.batch.max_items === undefined ? undefined : num(s.batch.max_items)], ["max_bytes", s.batch.max_bytes === undefined ? undefined : num(s.batch.max_bytes)], ["each", s.batch.each && this.ofMap(s.batch.each)]])],
          ["tolerate", s.tolerate && obj([["count", s.tolerate.count === undefined ? undefined : num(s.tolerate.count)], ["percent", s.tolerate.percent === undefined ? undefined : num(s.tolerate.percent)]])],
          ["results_to", s.results_to && obj([["bucket", this.value(s.results_to.bucket)], ["prefix", s.results_to.prefix && this.value(s.results_to.prefix)]])],
          ["distributed", s.distributed && (s.distributed.runs === "standard" && !s.distributed.label ? code("true") : obj([["runs", str(s.distributed.runs)], ["label", s.distributed.label === undefined ? undefined : str(s.distributed.label)]]))],
          ["steps", ids(s.steps)],
          ["concurrency", s.concurrency === undefined ? undefined : code(String(s.concurrency))],
          ["result", s.result && this.ofMap(s.result)],
        ];
      case "fail":
        return [
          ["message", this.value(s.message)],
          ["error", s.error && this.value(s.error)],
        ];
      case "lambda":
        return [
          ["function", this.value(s.function)],
          ["payload", s.payload_value ? this.value(s.payload_value) : this.values(s.payload)],
          ["outputs", Object.keys(s.outputs).length ? json(s.outputs) : undefined],
          ["repeat", this.repeat(s.repeat)],
        ];
      case "approval":
        return [
          ["queue", s.queue && this.value(s.queue)],
          ["function", s.function && this.value(s.function)],
          ["token_field", optStr(s.token_field)],
          ["message", this.values(s.message)],
          ["outputs", Object.keys(s.outputs).length ? json(s.outputs) : undefined],
        ];
      case "notebook":
        return [
          ["notebook", str(s.notebook.path)],
          ["image", this.value(s.image)],
          ["instance", this.instance(s.instance)],
          ["kernel", s.kernel === "python3" ? undefined : str(s.kernel)],
          ["parameters", this.values(s.parameters)],
        ];
      case "wait":
        return [["seconds", this.value(s.seconds)]];
      case "aws":
        return [
          ["service", str(s.service)],
          ["action", str(s.action)],
          ["request", this.values(s.request)],
          ["outputs", Object.keys(s.outputs).length ? json(s.outputs) : undefined],
          ["wait", s.wait ? code("true") : undefined],
          ["callback", s.callback ? code("true") : undefined],
          ["repeat", this.repeat(s.repeat)],
        ];
      case "glue":
        return [
          ["job", this.value(s.job)],
          ["arguments", this.values(s.arguments)],
          ["worker_type", s.worker_type && this.value(s.worker_type)],
          ["workers", s.workers && this.value(s.workers)],
        ];
      case "emr":
        return [
          ["cluster_id", this.value(s.cluster_id)],
          ["name", s.name && this.value(s.name)],
          ["jar", this.value(s.jar)],
          ["args", s.args.length ? this.valueList(s.args) : undefined],
          ["main_class", s.main_class && this.value(s.main_class)],
          ["properties", this.values(s.properties)],
          ["action_on_failure", optStr(s.action_on_failure)],
        ];
      case "passthrough":
        return [
          ["target", str(s.target)],
          ["step_type", str(s.type)],
          ["body", json(s.body)],
        ];
    }
  }

  /** A list of handler steps, or with `on` or `ends` the map form. */
  /** Several handlers (tried in order) are a list of objects; one for every error, its steps. */
  failureHandlers(hs: FailureHandler[], dep: (d: string) => Code): Code {
    return hs.length > 1 ? { arr: hs.map((h) => this.failureHandler(h, dep, true)) } : this.failureHandler(hs[0], dep, false);
  }

  failureHandler(h: FailureHandler, dep: (d: string) => Code, full: boolean): Code {
    const steps = { arr: h.steps.map(dep) };
    if (!full && !h.on && !h.errors && !h.ends) return steps;
    return obj([
      // A failure let pass runs no steps: `{ ends: "continues" }` says it all.
      ["steps", h.ends === "continues" && !h.steps.length ? undefined : steps],
      ["on", h.on && json(h.on)],
      ["errors", h.errors && json(h.errors)],
      ["ends", optStr(h.ends)],
    ]);
  }

  step(s: Step): Code {
    const dur = (n: number | undefined) => (n === undefined ? undefined : str(formatDuration(n)));
    // A step may depend on the condition whose branch it is in; the condition's
    // variable refers to the step, so that dependency is written as the id.
    const dep = (d: string) => code(this.declared.has(d) ? this.vars.get(d)! : JSON.stringify(d));
    const deps = s.depends_on.length ? { arr: s.depends_on.map(dep) } : undefined;
    this.current = s.id;
    return obj([
      ["display_name", optStr(s.display_name)],
      ["description", optStr(s.description)],
      ["depends_on", deps],
      ...this.stepBody(s),
      ["environment", this.values(s.environment)],
      ["retry", this.retry(s.retry)],
      ["on_failure", s.on_failure && this.failureHandlers(s.on_failure, dep)],
      ["timeout", dur(s.timeout)],
      ["cache", dur(s.cache)],
      ["tags", Object.keys(s.tags).length ? json(s.tags) : undefined],
      ["estimate", dur(s.estimate)],
      ["targets", this.targets(s.targets)],
    ]);
  }
}

/** Declaration order: every step after the steps it refers to (branches and depends_on included). */
function declarationOrder(p: Pipeline): Step[] {
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const out: Step[] = [];
  const state = new Map<string, "busy" | "done">();
  const refsOf = (s: Step): string[] => {
    const ids: string[] = [...s.depends_on, ...dataDependencies(s)];
    if (s.kind === "condition") ids.push(...s.then, ...s.else);
    if (s.kind === "map") ids.push(...s.steps);
    return ids;
  };
  const visit = (s: Step) => {
    if (state.get(s.id)) return;
    state.set(s.id, "busy");
    for (const d of refsOf(s)) {
      const t = byId.get(d);
      if (t && !state.get(d)) visit(t);
    }
    state.set(s.id, "done");
    out.push(s);
  };
  p.steps.forEach(visit);
  return out;
}

export function printTypeScript(p: Pipeline): string {
  const inBranch = new Set(p.steps.flatMap((s) => (s.kind === "condition" ? [...s.then, ...s.else] : s.kind === "map" ? s.steps : [])));
  const { vars, params: paramsVar } = stepVariableNames(p.steps.map((s) => s.id));
  const pr = new Printer(vars, paramsVar);
  for (const id of mapsAround(p).keys()) pr.mapMembers.add(id);
  const w = new CodeBlockWriter({ indentNumberOfSpaces: 2, useTabs: false });
  const body = new CodeBlockWriter({ indentNumberOfSpaces: 2, useTabs: false });

  if (p.parameters.length) {
    pr.imports.add("params");
    const spec = obj(
      p.parameters.map((x) => [
        x.name,
        obj([
          ["type", str(x.type)],
          ["default", x.default === undefined ? undefined : typeof x.default === "number" ? num(x.default, x.type === "float") : json(x.default)],
          ["enum", x.enum && { arr: x.enum.map((e) => (typeof e === "number" ? num(e, x.type === "float") : json(e))) }],
          ["description", optStr(x.description)],
        ]),
      ]),
    );
    body.write(`const ${paramsVar} = params(`);
    pr.write(body, spec);
    body.write(");").blankLine();
  }

  for (const s of declarationOrder(p)) {
    // A processing step that is exactly what pythonFunction() builds is written with it.
    const builder = s.kind === "processing" && functionCallOf(s) ? FUNCTION_BUILDER : KIND_BUILDERS[s.kind]!;
    pr.imports.add(builder);
    const call = (wr: CodeBlockWriter) => {
      wr.write(`${builder}(${JSON.stringify(s.id)}, `);
      pr.write(wr, pr.step(s));
      wr.write(")");
    };
    body.write(`const ${vars.get(s.id)} = `);
    if (s.foreach) {
      pr.imports.add("foreach");
      body.write("foreach(");
      pr.write(body, { arr: s.foreach.items.map((i) => pr.value(i)) });
      body.write(", (item) => ");
      call(body);
      body.write(")");
    } else call(body);
    body.write(";").blankLine();
    pr.declared.add(s.id);
  }

  const d = p.defaults;
  const defaults =
    d.retry || d.timeout !== undefined || d.tags || d.instance
      ? obj([
          ["retry", pr.retry(d.retry)],
          ["timeout", d.timeout === undefined ? undefined : str(formatDuration(d.timeout))],
          ["tags", d.tags && json(d.tags)],
          ["instance", pr.instance(d.instance)],
        ])
      : undefined;
  const top = obj([
    ["name", str(p.name)],
    ["description", optStr(p.description)],
    ["role", optStr(p.role)],
    ["region", str(p.region)],
    ["artifacts", str(p.artifacts)],
    ["parameters", p.parameters.length ? code(paramsVar) : undefined],
    ["defaults", defaults],
    ["schedule", p.schedule && obj([["cron", optStr(p.schedule.cron)], ["every", p.schedule.every === undefined ? undefined : str(formatDuration(p.schedule.every))], ["timezone", optStr(p.schedule.timezone)], ["enabled", p.schedule.enabled === undefined ? undefined : code(String(p.schedule.enabled))], ["intervals", p.schedule.intervals === undefined ? undefined : code(String(p.schedule.intervals))]])],
    ["targets", pr.targets(p.targets)],
    ["steps", { arr: p.steps.filter((s) => !inBranch.has(s.id)).map((s) => code(vars.get(s.id)!)) }],
  ]);
  body.write("export default pipeline(");
  pr.write(body, top);
  body.write(");").newLine();

  const names = [...pr.imports].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  w.write(`import { ${names.join(", ")} } from ${JSON.stringify(DSL_MODULE)};`).blankLine();
  w.write(body.toString());
  return format(w.toString());
}

/** TypeScript's formatter over the generated text (spacing, line breaks inside long calls). */
function format(text: string): string {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const sf = project.createSourceFile("/pipeline.ts", text);
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Insert });
  return sf.getFullText();
}
