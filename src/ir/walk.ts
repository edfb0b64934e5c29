/** Walks over IR values: one place that knows where a step keeps its values. */
import type { DataInput, DataOutput, Instance, JobKms, JobNetwork, Repeat, Step, Value } from "./types.js";

/** Visit `v` and every value inside it, depth first, parents before children. */
export function walkValue(v: Value, visit: (n: Value) => void): void {
  visit(v);
  switch (v.kind) {
    case "list":
      v.items.forEach((x) => walkValue(x, visit));
      break;
    case "map":
      Object.values(v.entries).forEach((x) => walkValue(x, visit));
      break;
    case "join":
      v.parts.forEach((x) => walkValue(x, visit));
      break;
    case "compare":
    case "arith":
      walkValue(v.left, visit);
      walkValue(v.right, visit);
      break;
    case "call":
      for (const a of v.args) walkValue(a, visit);
      break;
    case "in":
      walkValue(v.value, visit);
      walkValue(v.list, visit);
      break;
    case "logic":
      v.operands.forEach((x) => walkValue(x, visit));
      break;
    case "not":
      walkValue(v.operand, visit);
      break;
    default:
      break;
  }
}

/**
 * A copy of `v` with every reference replaced by what `f` gives for it (other nodes rebuilt around them);
 * a value `keep` holds is kept whole, the references in it too.
 */
export function mapRefs(v: Value, f: (ref: Extract<Value, { kind: "ref" }>) => Value, keep?: (x: Value) => boolean): Value {
  const rec = (x: Value): Value => {
    if (keep?.(x)) return x;
    switch (x.kind) {
      case "ref":
        return f(x);
      case "list":
        return { ...x, items: x.items.map(rec) };
      case "map":
        return { ...x, entries: Object.fromEntries(Object.entries(x.entries).map(([k, e]) => [k, rec(e)])) };
      case "join":
        return { ...x, parts: x.parts.map(rec) };
      case "compare":
      case "arith":
        return { ...x, left: rec(x.left), right: rec(x.right) } as Value;
      case "in":
        return { ...x, value: rec(x.value), list: rec(x.list) };
      case "call":
        return { ...x, args: x.args.map(rec) };
      case "logic":
        return { ...x, operands: x.operands.map(rec) };
      case "not":
        return { ...x, operand: rec(x.operand) };
      default:
        return x;
    }
  };
  return rec(v);
}

type Visit = (v: Value, field: string) => void;

function instanceValues(i: Instance | undefined, field: string, f: Visit) {
  if (!i) return;
  f(i.type, `${field}.type`);
  if (i.count) f(i.count, `${field}.count`);
  if (i.volume_gb) f(i.volume_gb, `${field}.volume_gb`);
}

function inputValues(inputs: Record<string, DataInput>, field: string, f: Visit) {
  for (const [k, inp] of Object.entries(inputs)) f(inp.source, `${field}.${k}.source`);
}

/** A repeat's condition, and its interval when an expression gives it. */
function repeatValues(r: Repeat, f: Visit) {
  f(r.until, "repeat.until");
  if (typeof r.interval !== "number") f(r.interval, "repeat.interval");
}

function mapValues(m: Record<string, Value>, field: string, f: Visit) {
  for (const [k, v] of Object.entries(m)) f(v, `${field}.${k}`);
}

function listValues(l: Value[] | undefined, field: string, f: Visit) {
  l?.forEach((v, i) => f(v, `${field}[${i}]`));
}

function outputValues(outputs: Record<string, DataOutput>, f: Visit) {
  for (const [k, o] of Object.entries(outputs)) if (o.destination) f(o.destination, `outputs.${k}.destination`);
}

/** The portable job request fields (network, KMS keys, members added as written). */
function jobValues(s: { network?: JobNetwork; kms?: JobKms; request?: Record<string, Value> }, f: Visit) {
  if (s.request) mapValues(s.request, "request", f);
  if (s.network?.vpc) {
    listValues(s.network.vpc.subnets, "network.vpc.subnets", f);
    listValues(s.network.vpc.security_groups, "network.vpc.security_groups", f);
  }
  if (s.kms?.volume) f(s.kms.volume, "kms.volume");
  if (s.kms?.output) f(s.kms.output, "kms.output");
}

/**
 * Call `f` with each top-level value of a step and the dotted field it sits in.
 * Every backend and every check goes through this, so a new field is added once.
 */
export function walkStepValues(s: Step, f: Visit): void {
  mapValues(s.environment, "environment", f);
  if (s.foreach) s.foreach.items.forEach((v, i) => f(v, `foreach[${i}]`));
  switch (s.kind) {
    case "processing":
      f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      s.arguments.forEach((v, i) => f(v, `arguments[${i}]`));
      inputValues(s.inputs, "inputs", f);
      outputValues(s.outputs, f);
      jobValues(s, f);
      break;
    case "training":
    case "tuning":
      f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      mapValues(s.hyperparameters, "hyperparameters", f);
      inputValues(s.inputs, "inputs", f);
      listValues(s.entrypoint, "entrypoint", f);
      listValues(s.container_arguments, "container_arguments", f);
      if (s.output_path) f(s.output_path, "output_path");
      jobValues(s, f);
      break;
    case "transform":
      f(s.model, "model");
      instanceValues(s.instance, "instance", f);
      f(s.input.source, "input.source");
      if (s.output.destination) f(s.output.destination, "output.destination");
      jobValues(s, f);
      break;
    case "model":
      f(s.image, "image");
      f(s.model, "model");
      break;
    case "register-model":
      f(s.model, "model");
      f(s.image, "image");
      f(s.package_group, "package_group");
      if (s.approval) f(s.approval, "approval");
      listValues(s.inference_instances, "inference_instances", f);
      listValues(s.transform_instances, "transform_instances", f);
      if (s.metrics) f(s.metrics, "metrics");
      break;
    case "endpoint":
      f(s.name, "name");
      f(s.model, "model");
      if (s.image) f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      break;
    case "condition":
      f(s.if, "if");
      break;
    case "map":
      if (s.items) f(s.items, "items");
      if (s.read) {
        f(s.read.bucket, "read.bucket");
        if (s.read.prefix) f(s.read.prefix, "read.prefix");
        if (s.read.key) f(s.read.key, "read.key");
      }
      if (s.results_to) {
        f(s.results_to.bucket, "results_to.bucket");
        if (s.results_to.prefix) f(s.results_to.prefix, "results_to.prefix");
      }
      if (s.result) f(s.result, "result");
      if (s.batch?.each) f(s.batch.each, "batch.each");
      break;
    case "fail":
      f(s.message, "message");
      if (s.error) f(s.error, "error");
      break;
    case "lambda":
      f(s.function, "function");
      mapValues(s.payload, "payload", f);
      if (s.payload_value) f(s.payload_value, "payload");
      if (s.repeat) repeatValues(s.repeat, f);
      break;
    case "approval":
      if (s.queue) f(s.queue, "queue");
      if (s.function) f(s.function, "function");
      mapValues(s.message, "message", f);
      break;
    case "notebook":
      f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      mapValues(s.parameters, "parameters", f);
      break;
    case "wait":
      f(s.seconds, "seconds");
      break;
    case "glue":
      f(s.job, "job");
      mapValues(s.arguments, "arguments", f);
      if (s.worker_type) f(s.worker_type, "worker_type");
      if (s.workers) f(s.workers, "workers");
      break;
    case "aws":
      mapValues(s.request, "request", f);
      if (s.repeat) repeatValues(s.repeat, f);
      break;
    case "emr":
      f(s.cluster_id, "cluster_id");
      if (s.name) f(s.name, "name");
      f(s.jar, "jar");
      listValues(s.args, "args", f);
      if (s.main_class) f(s.main_class, "main_class");
      mapValues(s.properties, "properties", f);
      break;
    case "passthrough":
      break;
  }
}
