/**
 * IR -> Switchyard YAML, the inverse of the YAML front end: reading the output
 * back gives the same IR (positions aside). Comments kept from a YAML source
 * are put back where they were.
 */
import { Document, isMap, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { functionCallOf } from "../../aws/function-step.js";
import { formatDuration } from "../../ir/duration.js";
import { printTemplate } from "../../ir/expr/print.js";
import type { DataInput, DataOutput, FailureHandler, Instance, JobKms, JobNetwork, Pipeline, Repeat, RetryPolicy, Step, Value } from "../../ir/types.js";

type Plain = string | number | boolean | null | Node | Plain[] | { [k: string]: Plain | undefined };

/** One handler for every error: its steps as a list; otherwise a map, or a list of maps for several (tried in order). */
function failureHandlers(hs: FailureHandler[] | undefined): Plain | undefined {
  if (!hs) return undefined;
  // A failure let pass runs no steps: `{ ends: continues }` says it all.
  const full = (h: FailureHandler): Plain => ({ steps: h.ends === "continues" && !h.steps.length ? undefined : h.steps, on: h.on, errors: h.errors, ends: h.ends });
  if (hs.length > 1) return hs.map(full);
  const h = hs[0];
  return h.on || h.errors || h.ends ? full(h) : h.steps;
}

function scalar(v: string | number | boolean | null, float = false): Scalar {
  const s = new Scalar(v);
  // Block scalars cannot keep every whitespace pattern (leading blank lines, trailing
  // spaces); multi-line text is double-quoted so it reads back exactly.
  if (typeof v === "string" && /[\n\r\t]/.test(v)) s.type = Scalar.QUOTE_DOUBLE;
  if (float && typeof v === "number" && Number.isInteger(v)) s.minFractionDigits = 1;
  return s;
}

/** An IR value as YAML: literals as themselves, expressions as `${{ }}` text. */
function valueNode(v: Value): Node {
  switch (v.kind) {
    case "literal":
      if (typeof v.value === "string") return scalar(printTemplate(v));
      return scalar(v.value, v.type === "float");
    case "list": {
      const seq = new YAMLSeq();
      for (const i of v.items) seq.items.push(valueNode(i));
      return seq;
    }
    case "map": {
      const m = new YAMLMap();
      for (const [k, x] of Object.entries(v.entries)) m.items.push(new Pair(scalar(k), valueNode(x)));
      return m;
    }
    default:
      return scalar(printTemplate(v));
  }
}

function build(x: Plain | undefined): Node | undefined {
  if (x === undefined) return undefined;
  if (x === null || typeof x !== "object") return scalar(x);
  if ("toJSON" in x && (isScalar(x) || isMap(x) || x instanceof YAMLSeq)) return x as Node;
  if (Array.isArray(x)) {
    const seq = new YAMLSeq();
    for (const i of x) seq.items.push(build(i) ?? scalar(null));
    return seq;
  }
  const m = new YAMLMap();
  for (const [k, v] of Object.entries(x)) {
    const n = build(v);
    if (n !== undefined) m.items.push(new Pair(scalar(k), n));
  }
  return m;
}

const values = (m: Record<string, Value>): Node | undefined => {
  if (!Object.keys(m).length) return undefined;
  const out = new YAMLMap();
  for (const [k, v] of Object.entries(m)) out.items.push(new Pair(scalar(k), valueNode(v)));
  return out;
};
const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length ? xs : undefined);
const repeat = (r: Repeat | undefined) => r && { until: valueNode(r.until), interval: typeof r.interval === "number" ? formatDuration(r.interval) : valueNode(r.interval), max_calls: r.max_calls, error: r.error, message: r.message };
const nonEmptyMap = <T>(m: Record<string, T>): Record<string, T> | undefined => (Object.keys(m).length ? m : undefined);

function retryRule(r: RetryPolicy): Plain {
  return {
    attempts: r.attempts,
    interval: formatDuration(r.interval),
    backoff: scalar(r.backoff, true),
    on: (r.on.length === 1 && r.on[0] === "any") || !r.on.length ? undefined : r.on,
    errors: r.errors,
    max_delay: r.max_delay !== undefined ? formatDuration(r.max_delay) : undefined,
    jitter: r.jitter,
  };
}

/** One rule as a map (the common case), several as a list. */
function retry(r: RetryPolicy[] | undefined): Plain | undefined {
  if (!r?.length) return undefined;
  return r.length === 1 ? retryRule(r[0]) : r.map(retryRule);
}

const valueList = (l: Value[] | undefined): Plain | undefined => l && l.map(valueNode);

function network(n: JobNetwork | undefined): Plain | undefined {
  if (!n) return undefined;
  return {
    isolation: n.isolation,
    encrypt_traffic: n.encrypt_traffic,
    vpc: n.vpc ? { subnets: n.vpc.subnets.map(valueNode), security_groups: n.vpc.security_groups.map(valueNode) } : undefined,
  };
}

function kms(k: JobKms | undefined): Plain | undefined {
  return k && { volume: k.volume && valueNode(k.volume), output: k.output && valueNode(k.output) };
}

function output(o: DataOutput): Plain {
  return o.upload || o.destination ? { path: o.path, upload: o.upload, destination: o.destination && valueNode(o.destination) } : o.path;
}

function instance(i: Instance | undefined): Plain | undefined {
  if (!i) return undefined;
  if (!i.count && !i.volume_gb) return { type: valueNode(i.type) };
  return { type: valueNode(i.type), count: i.count && valueNode(i.count), volume_gb: i.volume_gb && valueNode(i.volume_gb) };
}

function input(x: DataInput & { split_type?: string }): Plain {
  return {
    source: valueNode(x.source),
    destination: x.destination,
    content_type: x.content_type,
    mode: x.mode,
    distribution: x.distribution,
    compression: x.compression,
    split_type: x.split_type,
    data_type: x.data_type,
  };
}

function inputs(m: Record<string, DataInput>): Plain | undefined {
  return nonEmptyMap(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, input(v)])));
}

function targets(t: Pipeline["targets"]): Plain | undefined {
  return nonEmptyMap(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.settings as Plain])));
}

/** A processing step that is exactly what `type: function` builds, written that way. */
function functionBody(s: Step): Record<string, Plain | undefined> | undefined {
  const call = s.kind === "processing" ? functionCallOf(s) : undefined;
  if (!call || s.kind !== "processing") return undefined;
  return {
    image: valueNode(s.image),
    instance: instance(s.instance),
    code: s.code!.path,
    function: call.function,
    arguments: values(call.arguments),
    inputs: inputs(s.inputs),
    network: network(s.network),
    kms: kms(s.kms),
  };
}

function stepBody(s: Step): Record<string, Plain | undefined> {
  switch (s.kind) {
    case "processing":
      return {
        image: valueNode(s.image),
        instance: instance(s.instance),
        code: s.code?.path,
        command: s.command,
        arguments: nonEmpty(s.arguments.map(valueNode)),
        inputs: inputs(s.inputs),
        outputs: nonEmptyMap(Object.fromEntries(Object.entries(s.outputs).map(([k, o]) => [k, output(o)]))),
        reports: nonEmptyMap(Object.fromEntries(Object.entries(s.reports).map(([k, r]) => [k, { output: r.output, file: r.file }]))),
        network: network(s.network),
        kms: kms(s.kms),
        request: s.request && values(s.request),
      };
    case "training":
    case "tuning": {
      const base: Record<string, Plain | undefined> = {
        image: valueNode(s.image),
        instance: instance(s.instance),
        code: s.code?.path,
        hyperparameters: values(s.hyperparameters),
        inputs: inputs(s.inputs),
        metric_definitions: nonEmpty(s.metric_definitions.map((m) => ({ name: m.name, regex: m.regex }))),
        input_mode: s.input_mode,
        spot: s.spot ? { max_wait: formatDuration(s.spot.max_wait) } : undefined,
        entrypoint: valueList(s.entrypoint),
        container_arguments: valueList(s.container_arguments),
        output_path: s.output_path && valueNode(s.output_path),
        network: network(s.network),
        kms: kms(s.kms),
        request: s.request && values(s.request),
      };
      if (s.kind === "training") return base;
      return {
        ...base,
        ranges: Object.fromEntries(
          Object.entries(s.ranges).map(([k, r]) => [k, { type: r.type, min: r.min, max: r.max, values: r.values, scaling: r.scaling }]),
        ),
        objective: { metric: s.objective.metric, type: s.objective.type },
        strategy: s.strategy,
        max_jobs: s.max_jobs,
        parallel_jobs: s.parallel_jobs,
        early_stopping: s.early_stopping,
      };
    }
    case "transform":
      return {
        model: valueNode(s.model),
        instance: instance(s.instance),
        input: input(s.input),
        output:
          s.output.accept || s.output.assemble_with || s.output.destination
            ? { accept: s.output.accept, assemble_with: s.output.assemble_with, destination: s.output.destination && valueNode(s.output.destination) }
            : undefined,
        strategy: s.strategy,
        max_payload_mb: s.max_payload_mb,
        max_concurrent: s.max_concurrent,
        input_filter: s.input_filter,
        join_source: s.join_source,
        output_filter: s.output_filter,
        kms: kms(s.kms),
        request: s.request && values(s.request),
      };
    case "model":
      return { image: valueNode(s.image), model: valueNode(s.model) };
    case "register-model":
      return {
        model: valueNode(s.model),
        image: valueNode(s.image),
        package_group: valueNode(s.package_group),
        approval: s.approval && valueNode(s.approval),
        content_types: nonEmpty(s.content_types),
        response_types: nonEmpty(s.response_types),
        inference_instances: s.inference_instances.length ? valueList(s.inference_instances) : undefined,
        transform_instances: s.transform_instances.length ? valueList(s.transform_instances) : undefined,
        metrics: s.metrics && valueNode(s.metrics),
      };
    case "endpoint":
      return { name: valueNode(s.name), model: valueNode(s.model), image: s.image && valueNode(s.image), instance: instance(s.instance) };
    case "condition":
      return { if: valueNode(s.if), then: nonEmpty(s.then), else: nonEmpty(s.else) };
    case "map":
      return {
        items: s.items && valueNode(s.items),
        read: s.read && {
          bucket: valueNode(s.read.bucket),
          prefix: s.read.prefix && valueNode(s.read.prefix),
          key: s.read.key && valueNode(s.read.key),
          format: s.read.format,
          columns: s.read.columns,
          max_items: s.read.max_items,
        },
        batch: s.batch && { max_items: s.batch.max_items, max_bytes: s.batch.max_bytes, each: s.batch.each && valueNode(s.batch.each) },
        tolerate: s.tolerate && { count: s.tolerate.count, percent: s.tolerate.percent },
        distributed: s.distributed && (s.distributed.runs === "standard" && !s.distributed.label ? true : { runs: s.distributed.runs, label: s.distributed.label }),
        results_to: s.results_to && { bucket: valueNode(s.results_to.bucket), prefix: s.results_to.prefix && valueNode(s.results_to.prefix) },
        steps: s.steps,
        concurrency: s.concurrency,
        result: s.result && valueNode(s.result),
      };
    case "fail":
      return { message: valueNode(s.message), error: s.error && valueNode(s.error) };
    case "lambda":
      return { function: valueNode(s.function), payload: s.payload_value ? valueNode(s.payload_value) : values(s.payload), outputs: nonEmptyMap(s.outputs), repeat: repeat(s.repeat) };
    case "approval":
      return { queue: s.queue && valueNode(s.queue), function: s.function && valueNode(s.function), token_field: s.token_field, message: values(s.message), outputs: nonEmptyMap(s.outputs) };
    case "notebook":
      return { notebook: s.notebook.path, image: valueNode(s.image), instance: instance(s.instance), kernel: s.kernel === "python3" ? undefined : s.kernel, parameters: values(s.parameters) };
    case "wait":
      return { seconds: valueNode(s.seconds) };
    case "aws":
      return {
        service: s.service,
        action: s.action,
        request: values(s.request),
        outputs: nonEmptyMap(s.outputs),
        wait: s.wait || undefined,
        callback: s.callback || undefined,
        repeat: repeat(s.repeat),
      };
    case "glue":
      return { job: valueNode(s.job), arguments: values(s.arguments), worker_type: s.worker_type && valueNode(s.worker_type), workers: s.workers && valueNode(s.workers) };
    case "emr":
      return {
        cluster_id: valueNode(s.cluster_id),
        name: s.name && valueNode(s.name),
        jar: valueNode(s.jar),
        args: nonEmpty(s.args.map(valueNode)),
        main_class: s.main_class && valueNode(s.main_class),
        properties: values(s.properties),
        action_on_failure: s.action_on_failure,
      };
    case "passthrough":
      return { target: s.target, step_type: s.type, body: s.body as Plain };
  }
}

function step(s: Step): Plain {
  const fn = functionBody(s);
  return {
    type: fn ? "function" : s.kind,
    display_name: s.display_name,
    description: s.description,
    foreach: s.foreach ? s.foreach.items.map(valueNode) : undefined,
    depends_on: nonEmpty(s.depends_on),
    ...(fn ?? stepBody(s)),
    environment: values(s.environment),
    retry: retry(s.retry),
    on_failure: failureHandlers(s.on_failure),
    timeout: s.timeout !== undefined ? formatDuration(s.timeout) : undefined,
    cache: s.cache !== undefined ? formatDuration(s.cache) : undefined,
    tags: nonEmptyMap(s.tags),
    estimate: s.estimate !== undefined ? formatDuration(s.estimate) : undefined,
    targets: targets(s.targets),
  };
}

/** Print a pipeline as YAML; `comments` (from the YAML loader) are put back by path. */
export function printYaml(p: Pipeline, comments?: Map<string, string>): string {
  const d = p.defaults;
  const tree: Record<string, Plain | undefined> = {
    version: 1,
    pipeline: p.name,
    description: p.description,
    role: p.role,
    region: p.region,
    artifacts: p.artifacts,
    parameters: nonEmptyMap(
      Object.fromEntries(
        p.parameters.map((x) => [
          x.name,
          {
            type: x.type,
            default: x.default === undefined ? undefined : scalar(x.default, x.type === "float"),
            enum: x.enum,
            description: x.description,
          },
        ]),
      ),
    ),
    defaults:
      d.retry || d.timeout !== undefined || d.tags || d.instance
        ? { retry: retry(d.retry), timeout: d.timeout !== undefined ? formatDuration(d.timeout) : undefined, tags: d.tags, instance: instance(d.instance) }
        : undefined,
    schedule: p.schedule
      ? { cron: p.schedule.cron, every: p.schedule.every !== undefined ? formatDuration(p.schedule.every) : undefined, timezone: p.schedule.timezone, enabled: p.schedule.enabled, intervals: p.schedule.intervals }
      : undefined,
    targets: targets(p.targets),
    steps: Object.fromEntries(p.steps.map((s) => [s.id, step(s)])),
  };
  const doc = new Document();
  doc.contents = build(tree) as YAMLMap;
  if (comments) attachComments(doc, comments);
  // Double-quoted text is written as JSON: the library's own escapes fold whitespace-only lines in ways that do not read back.
  return doc.toString({ lineWidth: 0, indentSeq: true, doubleQuotedAsJSON: true });
}

function attachComments(doc: Document, comments: Map<string, string>): void {
  if (comments.has("")) doc.commentBefore = comments.get("")!;
  const visit = (node: Node | null | undefined, path: string) => {
    if (!node || !isMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key as Scalar;
      const childPath = path ? `${path}.${String(key.value)}` : String(key.value);
      const before = comments.get(childPath);
      if (before) key.commentBefore = before;
      const trailing = comments.get(childPath + "#");
      const value = pair.value as Node | null;
      if (trailing && value && (isScalar(value) || isMap(value) || value instanceof YAMLSeq)) value.comment = trailing;
      visit(value, childPath);
    }
  };
  visit(doc.contents as Node, "");
}
