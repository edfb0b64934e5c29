/**
 * Positioned tree (schema-valid) -> IR. Shared by the YAML and TypeScript front
 * ends: both produce the same tree shape, so both produce the same IR.
 */
import { resolve } from "node:path";
import { error, type Diagnostic } from "../diagnostics.js";
import { parseDuration } from "../ir/duration.js";
import { ExprSyntaxError } from "../ir/expr/lexer.js";
import { parseTemplate } from "../ir/expr/template.js";
import { withoutNegativeZero } from "../ir/values.js";
import type {
  MapBatch,
  MapDistributed,
  MapRead,
  MapTolerate,
  CodeFile,
  DataInput,
  DataOutput,
  Defaults,
  ErrorClass,
  FailureHandler,
  ForEach,
  Instance,
  JobKms,
  JobNetwork,
  MetricDefinition,
  Parameter,
  ParameterRange,
  Pipeline,
  Repeat,
  Pos,
  Report,
  RetryPolicy,
  ScalarType,
  Schedule,
  Step,
  StepCommon,
  TargetBag,
  Value,
} from "../ir/types.js";
import { hashLocalFile, type LocalFile } from "./local-file.js";
import { get, toJSON, type PMap, type PNode, type PScalar } from "./pnode.js";
import { FUNCTION_COMMAND, FUNCTION_RESULT, FUNCTION_RESULT_DIR, FUNCTION_RESULT_FILE, functionArguments } from "../aws/function-step.js";

export interface BuildContext {
  /** Path of the pipeline file as the user gave it (used in positions). */
  file: string;
  /** Folder local `code` paths are relative to. */
  baseDir: string;
  format: Pipeline["source"]["format"];
}

export function buildPipeline(root: PMap, ctx: BuildContext): { pipeline: Pipeline; diagnostics: Diagnostic[] } {
  return new Builder(ctx).pipeline(root);
}

class Builder {
  readonly diagnostics: Diagnostic[] = [];
  /** sha256 by absolute path: many steps often share one script. */
  private hashes = new Map<string, LocalFile>();
  /** The same by path as written, which spares resolving it again at every step. */
  private hashesByPath = new Map<string, LocalFile>();
  constructor(private ctx: BuildContext) {}

  private err(pos: Pos, message: string, code: string, hint?: string) {
    this.diagnostics.push(error(pos, message, { code, hint }));
  }

  // --- a map's items from S3, batches, tolerated failures, child runs ------

  private mapRead(n: PNode | undefined): MapRead | undefined {
    if (!n || n.t !== "map") return undefined;
    const opt = (k: string) => {
      const x = get(n, k);
      return x ? this.value(x) : undefined;
    };
    const bucket = get(n, "bucket");
    const prefix = opt("prefix");
    const key = opt("key");
    const format = this.str(get(n, "format")) as MapRead["format"];
    const columns = get(n, "columns");
    const max = this.num(get(n, "max_items"));
    return {
      bucket: bucket ? this.value(bucket) : { kind: "literal", value: "", type: "string", pos: n.pos },
      ...(prefix ? { prefix } : {}),
      ...(key ? { key } : {}),
      ...(format ? { format } : {}),
      ...(columns ? { columns: this.strList(columns) } : {}),
      ...(max !== undefined ? { max_items: max } : {}),
      pos: n.pos,
    };
  }
  private mapBatch(n: PNode | undefined): MapBatch | undefined {
    if (!n || n.t !== "map") return undefined;
    const items = this.num(get(n, "max_items"));
    const bytes = this.num(get(n, "max_bytes"));
    const each = get(n, "each");
    const shaped = each?.t === "map" ? (this.value(each) as Extract<Value, { kind: "map" }>) : undefined;
    return { ...(items !== undefined ? { max_items: items } : {}), ...(bytes !== undefined ? { max_bytes: bytes } : {}), ...(shaped ? { each: shaped } : {}), pos: n.pos };
  }
  private mapTolerate(n: PNode | undefined): MapTolerate | undefined {
    if (!n || n.t !== "map") return undefined;
    const count = this.num(get(n, "count"));
    const percent = this.num(get(n, "percent"));
    return { ...(count !== undefined ? { count } : {}), ...(percent !== undefined ? { percent } : {}), pos: n.pos };
  }
  private mapDistributed(n: PNode | undefined): MapDistributed | undefined {
    if (!n) return undefined;
    if (n.t === "scalar") return n.value === true ? { runs: "standard", pos: n.pos } : undefined;
    if (n.t !== "map") return undefined;
    const label = this.str(get(n, "label"));
    return { runs: this.str(get(n, "runs")) === "express" ? "express" : "standard", ...(label ? { label } : {}), pos: n.pos };
  }

  // --- scalars ------------------------------------------------------------

  private str(n: PNode | undefined): string | undefined {
    return n && n.t === "scalar" && n.value !== null ? String(n.value) : undefined;
  }
  private bool(n: PNode | undefined): boolean | undefined {
    return n && n.t === "scalar" && typeof n.value === "boolean" ? n.value : undefined;
  }
  private num(n: PNode | undefined): number | undefined {
    return n && n.t === "scalar" && typeof n.value === "number" ? n.value : undefined;
  }
  private strList(n: PNode | undefined): string[] {
    return n && n.t === "seq" ? n.items.map((i) => this.str(i) ?? "") : [];
  }
  private stringMap(n: PNode | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (n && n.t === "map") for (const [k, v] of n.entries) out[k] = this.str(v) ?? "";
    return out;
  }
  /** `repeat: { until, interval, max_calls?, error?, message? }` (the schema check has reported a malformed one). */
  private repeat(n: PNode | undefined): { repeat?: Repeat } {
    if (n?.t !== "map") return {};
    const until = get(n, "until");
    // A duration, or an expression of whole seconds.
    const given = get(n, "interval");
    const interval = given?.t === "scalar" && (given.ir !== undefined || (typeof given.value === "string" && given.value.includes("${{"))) ? this.value(given) : this.duration(given);
    if (!until || interval === undefined) return {};
    const max = this.num(get(n, "max_calls"));
    const error = this.str(get(n, "error"));
    const message = this.str(get(n, "message"));
    return { repeat: { until: this.value(until), interval, ...(max !== undefined ? { max_calls: max } : {}), ...(error !== undefined ? { error } : {}), ...(message !== undefined ? { message } : {}), pos: n.pos } };
  }
  private duration(n: PNode | undefined): number | undefined {
    if (!n || n.t !== "scalar") return undefined;
    // A malformed duration was already reported by the schema check.
    return parseDuration(n.value as string | number);
  }

  // --- values -------------------------------------------------------------

  value(n: PNode): Value {
    switch (n.t) {
      case "map":
        return { kind: "map", entries: Object.fromEntries(n.entries.map(([k, v]) => [k, this.value(v)])), pos: n.pos };
      case "seq":
        return { kind: "list", items: n.items.map((i) => this.value(i)), pos: n.pos };
      case "scalar":
        return this.scalarValue(n);
    }
  }

  private scalarValue(n: PScalar): Value {
    if (n.ir) return n.ir as Value;
    const v = n.value;
    if (typeof v === "number") return { kind: "literal", value: withoutNegativeZero(v), type: n.float ? "float" : "integer", pos: n.pos };
    if (typeof v === "boolean") return { kind: "literal", value: v, type: "boolean", pos: n.pos };
    if (v === null) return { kind: "literal", value: null, pos: n.pos };
    const posAt = n.posAt ?? (() => n.pos);
    try {
      return parseTemplate(v, posAt);
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      this.err(posAt(e.offset), `invalid expression: ${e.message}`, "expr-syntax");
      return { kind: "literal", value: v, type: "string", pos: n.pos };
    }
  }

  private valueMap(n: PNode | undefined): Record<string, Value> {
    const out: Record<string, Value> = {};
    if (n && n.t === "map") for (const [k, v] of n.entries) out[k] = this.value(v);
    return out;
  }

  // --- structures ---------------------------------------------------------

  private targets(n: PNode | undefined): TargetBag {
    const out: TargetBag = {};
    if (n && n.t === "map") {
      for (const [k, v] of n.entries) out[k] = { settings: (toJSON(v) ?? {}) as Record<string, unknown>, pos: v.keyPos ?? v.pos };
    }
    return out;
  }

  /** One rule (a map) or rules in order (a list of maps). */
  private retry(n: PNode | undefined): RetryPolicy[] | undefined {
    if (!n) return undefined;
    const rules = (n.t === "seq" ? n.items : [n]).flatMap((r) => {
      const rule = this.retryRule(r);
      return rule ? [rule] : [];
    });
    return rules.length ? rules : undefined;
  }

  private retryRule(n: PNode): RetryPolicy | undefined {
    if (n.t !== "map") return undefined;
    const on = this.strList(get(n, "on")) as ErrorClass[];
    const errors = this.strList(get(n, "errors"));
    const rule: RetryPolicy = {
      attempts: this.num(get(n, "attempts")) ?? 3,
      interval: this.duration(get(n, "interval")) ?? 1,
      backoff: this.num(get(n, "backoff")) ?? 2,
      on: on.length || errors.length ? on : ["any"],
      ...(errors.length ? { errors } : {}),
      pos: n.pos,
    };
    const maxDelay = this.duration(get(n, "max_delay"));
    if (maxDelay !== undefined) rule.max_delay = maxDelay;
    const jitter = get(n, "jitter");
    if (jitter && jitter.t === "scalar" && typeof jitter.value === "boolean") rule.jitter = jitter.value;
    return rule;
  }

  /** `on_failure`: a list of steps, a map with `steps`, `on` and `ends`, or a list of such maps (tried in order). */
  private failureHandlers(n: PNode): FailureHandler[] | undefined {
    if (n.t === "seq" && n.items.some((i) => i.t === "map")) {
      const hs = n.items.map((i) => this.failureHandler(i));
      return hs.every((h) => h !== undefined) ? (hs as FailureHandler[]) : undefined;
    }
    const h = this.failureHandler(n);
    return h && [h];
  }

  private failureHandler(n: PNode): FailureHandler | undefined {
    if (n.t === "seq") return { steps: this.strList(n), pos: n.pos };
    if (n.t !== "map") return undefined;
    const on = this.strList(get(n, "on")) as ErrorClass[];
    const errors = this.strList(get(n, "errors"));
    const ends = this.str(get(n, "ends"));
    return {
      steps: this.strList(get(n, "steps")),
      ...(on.length && !on.includes("any") ? { on } : {}),
      ...(errors.length ? { errors } : {}),
      ...(ends === "succeeded" || ends === "continues" ? { ends } : {}),
      pos: n.pos,
    };
  }

  private values(n: PNode | undefined): Value[] | undefined {
    return n && n.t === "seq" ? n.items.map((i) => this.value(i)) : undefined;
  }

  private network(n: PNode | undefined): JobNetwork | undefined {
    if (!n || n.t !== "map") return undefined;
    const out: JobNetwork = { pos: n.pos };
    const bool = (k: string) => {
      const b = get(n, k);
      return b && b.t === "scalar" && typeof b.value === "boolean" ? b.value : undefined;
    };
    const iso = bool("isolation");
    if (iso !== undefined) out.isolation = iso;
    const enc = bool("encrypt_traffic");
    if (enc !== undefined) out.encrypt_traffic = enc;
    const vpc = get(n, "vpc");
    if (vpc && vpc.t === "map") out.vpc = { subnets: this.values(get(vpc, "subnets")) ?? [], security_groups: this.values(get(vpc, "security_groups")) ?? [], pos: vpc.pos };
    return out;
  }

  private kms(n: PNode | undefined): JobKms | undefined {
    if (!n || n.t !== "map") return undefined;
    const out: JobKms = { pos: n.pos };
    const vol = get(n, "volume");
    if (vol) out.volume = this.value(vol);
    const o = get(n, "output");
    if (o) out.output = this.value(o);
    return out;
  }

  /** The portable job request fields, present only when written. */
  private jobFields(n: PMap): { network?: JobNetwork; kms?: JobKms; request?: Record<string, Value> } {
    const network = this.network(get(n, "network"));
    const kms = this.kms(get(n, "kms"));
    const request = get(n, "request") ? this.valueMap(get(n, "request")) : undefined;
    return { ...(network ? { network } : {}), ...(kms ? { kms } : {}), ...(request ? { request } : {}) };
  }

  private instance(n: PNode | undefined): Instance | undefined {
    if (!n) return undefined;
    if (n.t === "scalar") return { type: this.value(n), pos: n.pos };
    if (n.t !== "map") return undefined;
    const count = get(n, "count");
    const vol = get(n, "volume_gb");
    return {
      type: this.value(get(n, "type")!),
      ...(count ? { count: this.value(count) } : {}),
      ...(vol ? { volume_gb: this.value(vol) } : {}),
      pos: n.pos,
    };
  }

  private code(n: PNode | undefined, what: string): CodeFile | undefined {
    const path = this.str(n);
    if (!n || path === undefined) return undefined;
    const found = this.hashesByPath.get(path) ?? this.hashLocal(path);
    if ("problem" in found) {
      this.err(n.pos, `${what} '${path}' ${found.problem}`, found.code, found.hint);
      return { path, sha256: "0".repeat(64), pos: n.pos };
    }
    return { path, sha256: found.sha256, pos: n.pos };
  }

  private hashLocal(path: string): LocalFile {
    const abs = resolve(this.ctx.baseDir, path);
    if (!this.hashes.has(abs)) this.hashes.set(abs, hashLocalFile(this.ctx.baseDir, path));
    const found = this.hashes.get(abs)!;
    this.hashesByPath.set(path, found);
    return found;
  }

  private input(n: PNode, withDest: boolean): DataInput {
    if (n.t !== "map") return { source: this.value(n), pos: n.pos };
    const out: DataInput = { source: this.value(get(n, "source")!), pos: n.pos };
    const dest = this.str(get(n, "destination"));
    if (withDest && dest !== undefined) out.destination = dest;
    const ct = this.str(get(n, "content_type"));
    if (ct !== undefined) out.content_type = ct;
    const mode = this.str(get(n, "mode"));
    if (mode) out.mode = mode as DataInput["mode"];
    const dist = this.str(get(n, "distribution"));
    if (dist) out.distribution = dist as DataInput["distribution"];
    const comp = this.str(get(n, "compression"));
    if (comp) out.compression = comp as DataInput["compression"];
    const dt = this.str(get(n, "data_type"));
    if (dt) out.data_type = dt as DataInput["data_type"];
    return out;
  }

  private inputs(n: PNode | undefined, withDest: boolean): Record<string, DataInput> {
    const out: Record<string, DataInput> = {};
    if (n && n.t === "map") for (const [k, v] of n.entries) out[k] = this.input(v, withDest);
    return out;
  }

  private outputs(n: PNode | undefined): Record<string, DataOutput> {
    const out: Record<string, DataOutput> = {};
    if (!n || n.t !== "map") return out;
    for (const [k, v] of n.entries) {
      if (v.t === "scalar") out[k] = { path: String(v.value), pos: v.pos };
      else if (v.t === "map") {
        const o: DataOutput = { path: this.str(get(v, "path")) ?? "", pos: v.pos };
        const up = this.str(get(v, "upload"));
        if (up) o.upload = up as DataOutput["upload"];
        const dest = get(v, "destination");
        if (dest) o.destination = this.value(dest);
        out[k] = o;
      }
    }
    return out;
  }

  private reports(n: PNode | undefined): Record<string, Report> {
    const out: Record<string, Report> = {};
    if (n && n.t === "map") {
      for (const [k, v] of n.entries) {
        if (v.t === "map") out[k] = { output: this.str(get(v, "output")) ?? "", file: this.str(get(v, "file")) ?? "", pos: v.pos };
      }
    }
    return out;
  }

  private outputTypes(n: PNode | undefined): Record<string, ScalarType> {
    return this.stringMap(n) as Record<string, ScalarType>;
  }

  // --- pipeline -----------------------------------------------------------

  pipeline(root: PMap): { pipeline: Pipeline; diagnostics: Diagnostic[] } {
    const parameters: Parameter[] = [];
    const params = get(root, "parameters");
    if (params && params.t === "map") {
      for (const [name, n] of params.entries) {
        if (n.t !== "map") continue;
        const p: Parameter = { name, type: (this.str(get(n, "type")) ?? "string") as ScalarType, pos: n.keyPos ?? n.pos };
        const d = get(n, "default");
        if (d && d.t === "scalar" && d.value !== null) {
          p.default = withoutNegativeZero(d.value);
          p.default_pos = d.pos;
        }
        const e = get(n, "enum");
        if (e && e.t === "seq") p.enum = e.items.map((i) => (i.t === "scalar" ? withoutNegativeZero(i.value as string | number | boolean) : ""));
        const desc = this.str(get(n, "description"));
        if (desc !== undefined) p.description = desc;
        parameters.push(p);
      }
    }

    const defaults: Defaults = {};
    const dn = get(root, "defaults");
    if (dn && dn.t === "map") {
      defaults.pos = dn.pos;
      const r = this.retry(get(dn, "retry"));
      if (r) defaults.retry = r;
      const t = this.duration(get(dn, "timeout"));
      if (t !== undefined) defaults.timeout = t;
      if (get(dn, "tags")) defaults.tags = this.stringMap(get(dn, "tags"));
      const i = this.instance(get(dn, "instance"));
      if (i) defaults.instance = i;
    }

    let schedule: Schedule | undefined;
    const sn = get(root, "schedule");
    if (sn && sn.t === "map") {
      const cronNode = get(sn, "cron");
      schedule = { cron: this.str(cronNode) ?? "", pos: cronNode?.pos ?? get(sn, "every")?.pos ?? sn.pos };
      const tz = this.str(get(sn, "timezone"));
      if (tz !== undefined) schedule.timezone = tz;
      const every = this.duration(get(sn, "every"));
      if (every !== undefined) {
        delete schedule.cron;
        schedule.every = every;
      }
      const en = get(sn, "enabled");
      if (en && en.t === "scalar" && typeof en.value === "boolean") schedule.enabled = en.value;
      const iv = get(sn, "intervals");
      if (iv && iv.t === "scalar" && typeof iv.value === "boolean") schedule.intervals = iv.value;
    }

    const steps: Step[] = [];
    const sm = get(root, "steps");
    if (sm && sm.t === "map") {
      for (const [id, n] of sm.entries) {
        if (n.t !== "map") continue;
        const { id: sid, kind, ...rest } = this.step(id, n);
        // id and kind first: the IR reads top-down like the file.
        steps.push({ id: sid, kind, ...rest } as Step);
      }
    }

    const pipeline: Pipeline = {
      version: 1,
      name: this.str(get(root, "pipeline")) ?? "",
      ...(get(root, "description") ? { description: this.str(get(root, "description")) } : {}),
      ...(get(root, "role") ? { role: this.str(get(root, "role")) } : {}),
      region: this.str(get(root, "region")) ?? "",
      artifacts: (this.str(get(root, "artifacts")) ?? "").replace(/\/+$/, ""),
      parameters,
      defaults,
      ...(schedule ? { schedule } : {}),
      steps,
      targets: this.targets(get(root, "targets")),
      source: { file: this.ctx.file, format: this.ctx.format },
      pos: root.pos,
    };
    return { pipeline, diagnostics: this.diagnostics };
  }

  private step(id: string, n: PMap): Step {
    const pos = n.keyPos ?? n.pos;
    const fe = get(n, "foreach");
    const foreach: ForEach | undefined = fe && fe.t === "seq" ? { items: fe.items.map((i) => this.value(i)), pos: fe.pos } : undefined;
    const common: StepCommon = {
      id,
      depends_on: this.strList(get(n, "depends_on")),
      tags: this.stringMap(get(n, "tags")),
      environment: this.valueMap(get(n, "environment")),
      targets: this.targets(get(n, "targets")),
      pos,
    };
    const dname = this.str(get(n, "display_name"));
    if (dname !== undefined) common.display_name = dname;
    const desc = this.str(get(n, "description"));
    if (desc !== undefined) common.description = desc;
    const retry = this.retry(get(n, "retry"));
    if (retry) common.retry = retry;
    const onFailure = get(n, "on_failure");
    if (onFailure) {
      const handlers = this.failureHandlers(onFailure);
      if (handlers) common.on_failure = handlers;
    }
    const timeout = this.duration(get(n, "timeout"));
    if (timeout !== undefined) common.timeout = timeout;
    const cache = this.duration(get(n, "cache"));
    if (cache !== undefined) common.cache = cache;
    const estimate = this.duration(get(n, "estimate"));
    if (estimate !== undefined) common.estimate = estimate;
    if (foreach) common.foreach = foreach;

    const v = (key: string) => this.value(get(n, key)!);
    const optV = (key: string) => (get(n, key) ? this.value(get(n, key)!) : undefined);
    const inst = this.instance(get(n, "instance"));
    const kind = this.str(get(n, "type"));
    switch (kind) {
      case "processing": {
        const code = this.code(get(n, "code"), "script");
        const args = get(n, "arguments");
        const cmd = get(n, "command");
        return {
          ...common,
          kind,
          image: v("image"),
          ...(inst ? { instance: inst } : {}),
          ...(code ? { code } : {}),
          ...(cmd ? { command: this.strList(cmd) } : {}),
          arguments: args && args.t === "seq" ? args.items.map((i) => this.value(i)) : [],
          inputs: this.inputs(get(n, "inputs"), true),
          outputs: this.outputs(get(n, "outputs")),
          reports: this.reports(get(n, "reports")),
          ...this.jobFields(n),
        };
      }
      case "function": {
        // A function step is a processing job that calls the function (src/aws/function-step.ts).
        const code = this.code(get(n, "code"), "script");
        return {
          ...common,
          kind: "processing",
          image: v("image"),
          ...(inst ? { instance: inst } : {}),
          ...(code ? { code } : {}),
          command: [...FUNCTION_COMMAND],
          arguments: functionArguments(this.str(get(n, "function")) ?? "", this.valueMap(get(n, "arguments")), get(n, "function")?.pos ?? pos),
          inputs: this.inputs(get(n, "inputs"), true),
          outputs: { [FUNCTION_RESULT]: { path: FUNCTION_RESULT_DIR, pos } },
          reports: { [FUNCTION_RESULT]: { output: FUNCTION_RESULT, file: FUNCTION_RESULT_FILE, pos } },
          ...this.jobFields(n),
        };
      }
      case "training":
      case "tuning": {
        const code = this.code(get(n, "code"), "script");
        const md = get(n, "metric_definitions");
        const metric_definitions: MetricDefinition[] =
          md && md.t === "seq"
            ? md.items.map((i) => ({ name: this.str(i.t === "map" ? get(i, "name") : undefined) ?? "", regex: this.str(i.t === "map" ? get(i, "regex") : undefined) ?? "", pos: i.pos }))
            : [];
        const im = this.str(get(n, "input_mode"));
        const spotN = get(n, "spot");
        const base = {
          ...common,
          image: v("image"),
          ...(inst ? { instance: inst } : {}),
          ...(code ? { code } : {}),
          hyperparameters: this.valueMap(get(n, "hyperparameters")),
          inputs: this.inputs(get(n, "inputs"), false),
          metric_definitions,
          ...(im ? { input_mode: im as "File" } : {}),
          ...(spotN && spotN.t === "map" ? { spot: { max_wait: this.duration(get(spotN, "max_wait")) ?? 0, pos: spotN.pos } } : {}),
          ...(get(n, "entrypoint") ? { entrypoint: this.values(get(n, "entrypoint")) } : {}),
          ...(get(n, "container_arguments") ? { container_arguments: this.values(get(n, "container_arguments")) } : {}),
          ...(optV("output_path") ? { output_path: optV("output_path") } : {}),
          ...this.jobFields(n),
        };
        if (kind === "training") return { ...base, kind };
        const ranges: Record<string, ParameterRange> = {};
        const rn = get(n, "ranges");
        if (rn && rn.t === "map") {
          for (const [k, r] of rn.entries) {
            if (r.t !== "map") continue;
            const range: ParameterRange = { type: this.str(get(r, "type")) as ParameterRange["type"], pos: r.pos };
            const min = this.num(get(r, "min"));
            const max = this.num(get(r, "max"));
            if (min !== undefined) range.min = min;
            if (max !== undefined) range.max = max;
            const vals = get(r, "values");
            if (vals && vals.t === "seq") range.values = vals.items.map((i) => (i.t === "scalar" ? (i.value as string | number) : ""));
            const sc = this.str(get(r, "scaling"));
            if (sc) range.scaling = sc as ParameterRange["scaling"];
            ranges[k] = range;
          }
        }
        const on = get(n, "objective") as PMap;
        const otype = this.str(get(on, "type")) ?? "Minimize";
        const es = this.str(get(n, "early_stopping"));
        return {
          ...base,
          kind,
          ranges,
          objective: { metric: this.str(get(on, "metric")) ?? "", type: (otype[0].toUpperCase() + otype.slice(1).toLowerCase()) as "Minimize", pos: on.pos },
          strategy: (this.str(get(n, "strategy")) ?? "Bayesian") as "Bayesian",
          max_jobs: this.num(get(n, "max_jobs")) ?? 10,
          parallel_jobs: this.num(get(n, "parallel_jobs")) ?? 1,
          ...(es ? { early_stopping: es as "Off" } : {}),
        };
      }
      case "transform": {
        const inN = get(n, "input") as PMap;
        const input = this.input(inN, false) as Extract<Step, { kind: "transform" }>["input"];
        const st = this.str(get(inN, "split_type"));
        if (st) input.split_type = st as "Line";
        const outN = get(n, "output");
        const output: Extract<Step, { kind: "transform" }>["output"] = {};
        if (outN && outN.t === "map") {
          output.pos = outN.pos;
          const acc = this.str(get(outN, "accept"));
          if (acc) output.accept = acc;
          const aw = this.str(get(outN, "assemble_with"));
          if (aw) output.assemble_with = aw as "Line";
          const dest = get(outN, "destination");
          if (dest) output.destination = this.value(dest);
        }
        const strategy = this.str(get(n, "strategy"));
        const mp = this.num(get(n, "max_payload_mb"));
        const mc = this.num(get(n, "max_concurrent"));
        const inFilter = this.str(get(n, "input_filter"));
        const join = this.str(get(n, "join_source"));
        const outFilter = this.str(get(n, "output_filter"));
        return {
          ...common,
          kind,
          model: v("model"),
          ...(inst ? { instance: inst } : {}),
          input,
          output,
          ...(strategy ? { strategy: strategy as "MultiRecord" } : {}),
          ...(mp !== undefined ? { max_payload_mb: mp } : {}),
          ...(mc !== undefined ? { max_concurrent: mc } : {}),
          ...(inFilter ? { input_filter: inFilter } : {}),
          ...(join ? { join_source: join as "Input" } : {}),
          ...(outFilter ? { output_filter: outFilter } : {}),
          ...(this.kms(get(n, "kms")) ? { kms: this.kms(get(n, "kms")) } : {}),
          ...(get(n, "request") ? { request: this.valueMap(get(n, "request")) } : {}),
        };
      }
      case "model":
        return { ...common, kind, image: v("image"), model: v("model") };
      case "register-model": {
        const approval = optV("approval");
        const metrics = optV("metrics");
        return {
          ...common,
          kind,
          model: v("model"),
          image: v("image"),
          package_group: v("package_group"),
          ...(approval ? { approval } : {}),
          content_types: this.strList(get(n, "content_types")),
          response_types: this.strList(get(n, "response_types")),
          inference_instances: this.values(get(n, "inference_instances")) ?? [],
          transform_instances: this.values(get(n, "transform_instances")) ?? [],
          ...(metrics ? { metrics } : {}),
        };
      }
      case "endpoint": {
        const image = optV("image");
        return { ...common, kind, name: v("name"), model: v("model"), ...(image ? { image } : {}), ...(inst ? { instance: inst } : {}) };
      }
      case "condition":
        return { ...common, kind, if: v("if"), then: this.strList(get(n, "then")), else: this.strList(get(n, "else")) };
      case "map": {
        const conc = this.num(get(n, "concurrency"));
        const result = get(n, "result");
        const items = optV("items");
        const read = this.mapRead(get(n, "read"));
        const batch = this.mapBatch(get(n, "batch"));
        const tolerate = this.mapTolerate(get(n, "tolerate"));
        const distributed = this.mapDistributed(get(n, "distributed"));
        const rtNode = get(n, "results_to");
        const rt = rtNode?.t === "map" ? rtNode : undefined;
        const rtBucket = rt && get(rt, "bucket");
        const rtPrefix = rt && get(rt, "prefix");
        const resultsTo = rt ? { bucket: rtBucket ? this.value(rtBucket) : ({ kind: "literal", value: "", type: "string", pos: rt.pos } as const), ...(rtPrefix ? { prefix: this.value(rtPrefix) } : {}), pos: rt.pos } : undefined;
        return {
          ...common,
          kind,
          ...(items ? { items } : {}),
          ...(read ? { read } : {}),
          ...(batch ? { batch } : {}),
          ...(tolerate ? { tolerate } : {}),
          ...(distributed ? { distributed } : {}),
          ...(resultsTo ? { results_to: resultsTo } : {}),
          steps: this.strList(get(n, "steps")),
          ...(conc !== undefined ? { concurrency: conc } : {}),
          ...(result ? { result: this.value(result) } : {}),
        };
      }
      case "fail": {
        const err = optV("error");
        return { ...common, kind, message: v("message"), ...(err ? { error: err } : {}) };
      }
      case "lambda": {
        // `payload` is named fields, or one expression that is the whole payload.
        const pl = get(n, "payload");
        const whole = pl && pl.t === "scalar" ? this.value(pl) : undefined;
        return { ...common, kind, function: v("function"), payload: whole ? {} : this.valueMap(pl), ...(whole ? { payload_value: whole } : {}), outputs: this.outputTypes(get(n, "outputs")), ...this.repeat(get(n, "repeat")) };
      }
      case "approval": {
        // The request goes to a queue or to a function: exactly one of them.
        const queue = optV("queue");
        const fn = optV("function");
        const tokenField = this.str(get(n, "token_field"));
        return {
          ...common,
          kind,
          ...(queue ? { queue } : {}),
          ...(fn ? { function: fn } : {}),
          ...(tokenField ? { token_field: tokenField } : {}),
          message: this.valueMap(get(n, "message")),
          outputs: this.outputTypes(get(n, "outputs")),
        };
      }
      case "notebook": {
        const nb = this.code(get(n, "notebook"), "notebook")!;
        return {
          ...common,
          kind,
          notebook: nb,
          image: v("image"),
          ...(inst ? { instance: inst } : {}),
          kernel: this.str(get(n, "kernel")) ?? "python3",
          parameters: this.valueMap(get(n, "parameters")),
        };
      }
      case "wait":
        return { ...common, kind, seconds: v("seconds") };
      case "aws":
        return {
          ...common,
          kind,
          service: this.str(get(n, "service")) ?? "",
          action: this.str(get(n, "action")) ?? "",
          request: this.valueMap(get(n, "request")),
          outputs: this.outputTypes(get(n, "outputs")),
          ...(this.bool(get(n, "wait")) ? { wait: true } : {}),
          ...(this.bool(get(n, "callback")) ? { callback: true } : {}),
          ...this.repeat(get(n, "repeat")),
        };
      case "glue": {
        const wt = optV("worker_type");
        const workers = optV("workers");
        return { ...common, kind, job: v("job"), arguments: this.valueMap(get(n, "arguments")), ...(wt ? { worker_type: wt } : {}), ...(workers ? { workers } : {}) };
      }
      case "emr": {
        const mc = optV("main_class");
        const aof = this.str(get(n, "action_on_failure"));
        const name = optV("name");
        return {
          ...common,
          kind,
          cluster_id: v("cluster_id"),
          ...(name ? { name } : {}),
          jar: v("jar"),
          args: this.values(get(n, "args")) ?? [],
          ...(mc ? { main_class: mc } : {}),
          properties: this.valueMap(get(n, "properties")),
          ...(aof ? { action_on_failure: aof as "CONTINUE" } : {}),
        };
      }
      case "passthrough":
        return {
          ...common,
          kind,
          target: this.str(get(n, "target")) ?? "",
          type: this.str(get(n, "step_type")) ?? "",
          body: (toJSON(get(n, "body")!) ?? {}) as Record<string, unknown>,
        };
      default:
        // The schema has already refused unknown kinds; keep the step so later checks can run.
        return { ...common, kind: "fail", message: { kind: "literal", value: "", type: "string", pos } };
    }
  }
}
