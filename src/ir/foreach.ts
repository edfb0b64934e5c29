/** Static fan-out: a `foreach` step stands for one copy per item, `item.*` replaced. */
import type { DataOutput, JobKms, JobNetwork, PathSegment, Repeat, Step, Value } from "./types.js";
import { mapRefs, walkValue } from "./walk.js";

/** The part of an item a path selects, or undefined. */
export function selectPath(item: Value, path: PathSegment[]): Value | undefined {
  let cur: Value | undefined = item;
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === "number") cur = cur.kind === "list" ? cur.items[seg] : undefined;
    else cur = cur.kind === "map" ? cur.entries[seg] : undefined;
  }
  return cur;
}

/** `v` with every `item.*` reference replaced by the item's value. */
export function substituteItem(v: Value, item: Value): Value {
  return mapRefs(v, (x) => {
    if (x.ref.scope !== "item") return x;
    const sel = selectPath(item, x.ref.path);
    if (!sel) throw new Error(`item has no ${x.ref.path.join(".")}`);
    return { ...sel, pos: x.pos };
  });
}

/** Whether a value uses `item`. */
export function usesItem(v: Value): boolean {
  let hit = false;
  walkValue(v, (n) => {
    if (n.kind === "ref" && n.ref.scope === "item") hit = true;
  });
  return hit;
}

/**
 * The copies of a foreach step, in item order, each with `item.*` substituted
 * and `foreach` removed. A step without `foreach` is its own single copy.
 * Ids are not changed; each backend names copies by its own rules
 * (e.g. `sweep-0`), via `index`.
 */
export function expandForeach(s: Step): Array<{ index: number | undefined; step: Step }> {
  if (!s.foreach) return [{ index: undefined, step: s }];
  return s.foreach.items.map((item, index) => ({ index, step: mapStepValues({ ...s, foreach: undefined }, (v) => substituteItem(v, item)) }));
}

/** A copy of the step with `f` applied to each top-level value (the fields `walkStepValues` visits). */
export function mapStepValues(s: Step, f: (v: Value) => Value): Step {
  const mapRec = (m: Record<string, Value>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
  const inst = <T extends { type: Value; count?: Value; volume_gb?: Value } | undefined>(i: T): T =>
    (i ? { ...i, type: f(i.type), count: i.count && f(i.count), volume_gb: i.volume_gb && f(i.volume_gb) } : i) as T;
  const inputs = <T extends { source: Value }>(m: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(m).map(([k, x]) => [k, { ...x, source: f(x.source) }]));
  const opt = (v: Value | undefined) => v && f(v);
  const optList = (l: Value[] | undefined) => l && l.map(f);
  const outputs = (m: Record<string, DataOutput>) =>
    Object.fromEntries(Object.entries(m).map(([k, o]) => [k, o.destination ? { ...o, destination: f(o.destination) } : o]));
  const job = <T extends { network?: JobNetwork; kms?: JobKms; request?: Record<string, Value> }>(x: T): T => ({
    ...x,
    ...(x.request ? { request: mapRec(x.request) } : {}),
    ...(x.network ? { network: { ...x.network, ...(x.network.vpc ? { vpc: { ...x.network.vpc, subnets: x.network.vpc.subnets.map(f), security_groups: x.network.vpc.security_groups.map(f) } } : {}) } } : {}),
    ...(x.kms ? { kms: { ...x.kms, ...(x.kms.volume ? { volume: f(x.kms.volume) } : {}), ...(x.kms.output ? { output: f(x.kms.output) } : {}) } } : {}),
  });
  const repeat = (r: Repeat | undefined) => (r ? { repeat: { ...r, until: f(r.until), interval: typeof r.interval === "number" ? r.interval : f(r.interval) } } : {});
  const base = { ...s, environment: mapRec(s.environment) } as Step;
  switch (base.kind) {
    case "processing":
      return job({ ...base, image: f(base.image), instance: inst(base.instance), arguments: base.arguments.map(f), inputs: inputs(base.inputs), outputs: outputs(base.outputs) });
    case "training":
    case "tuning":
      return job({
        ...base,
        image: f(base.image),
        instance: inst(base.instance),
        hyperparameters: mapRec(base.hyperparameters),
        inputs: inputs(base.inputs),
        entrypoint: optList(base.entrypoint),
        container_arguments: optList(base.container_arguments),
        output_path: opt(base.output_path),
      }) as Step;
    case "transform":
      return job({ ...base, model: f(base.model), instance: inst(base.instance), input: { ...base.input, source: f(base.input.source) }, output: { ...base.output, destination: opt(base.output.destination) } });
    case "model":
      return { ...base, image: f(base.image), model: f(base.model) };
    case "register-model":
      return {
        ...base,
        model: f(base.model),
        image: f(base.image),
        package_group: f(base.package_group),
        approval: base.approval && f(base.approval),
        metrics: base.metrics && f(base.metrics),
      };
    case "endpoint":
      return { ...base, name: f(base.name), model: f(base.model), image: base.image && f(base.image), instance: inst(base.instance) };
    case "condition":
      return { ...base, if: f(base.if) };
    case "map":
      return {
        ...base,
        ...(base.items ? { items: f(base.items) } : {}),
        ...(base.results_to ? { results_to: { ...base.results_to, bucket: f(base.results_to.bucket), ...(base.results_to.prefix ? { prefix: f(base.results_to.prefix) } : {}) } } : {}),
        ...(base.read ? { read: { ...base.read, bucket: f(base.read.bucket), ...(base.read.prefix ? { prefix: f(base.read.prefix) } : {}), ...(base.read.key ? { key: f(base.read.key) } : {}) } } : {}),
      };
    case "fail":
      return { ...base, message: f(base.message), ...(base.error ? { error: f(base.error) } : {}) };
    case "lambda":
      return { ...base, function: f(base.function), payload: mapRec(base.payload), ...(base.payload_value ? { payload_value: f(base.payload_value) } : {}), ...repeat(base.repeat) };
    case "approval":
      return { ...base, ...(base.queue ? { queue: f(base.queue) } : {}), ...(base.function ? { function: f(base.function) } : {}), message: mapRec(base.message) };
    case "notebook":
      return { ...base, image: f(base.image), instance: inst(base.instance), parameters: mapRec(base.parameters) };
    case "wait":
      return { ...base, seconds: f(base.seconds) };
    case "glue":
      return { ...base, job: f(base.job), arguments: mapRec(base.arguments), worker_type: opt(base.worker_type), workers: opt(base.workers) };
    case "aws":
      return { ...base, request: mapRec(base.request), ...repeat(base.repeat) };
    case "emr":
      return { ...base, cluster_id: f(base.cluster_id), jar: f(base.jar), args: base.args.map(f), main_class: opt(base.main_class), properties: mapRec(base.properties) };
    case "passthrough":
      return base;
  }
}
