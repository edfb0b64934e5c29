/** Walks over IR values: one place that knows where a step keeps its values. */
import type { DataInput, Instance, Step, Value } from "./types.js";

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

function mapValues(m: Record<string, Value>, field: string, f: Visit) {
  for (const [k, v] of Object.entries(m)) f(v, `${field}.${k}`);
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
      break;
    case "training":
    case "tuning":
      f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      mapValues(s.hyperparameters, "hyperparameters", f);
      inputValues(s.inputs, "inputs", f);
      break;
    case "transform":
      f(s.model, "model");
      instanceValues(s.instance, "instance", f);
      f(s.input.source, "input.source");
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
    case "fail":
      f(s.message, "message");
      break;
    case "lambda":
      f(s.function, "function");
      mapValues(s.payload, "payload", f);
      break;
    case "approval":
      f(s.queue, "queue");
      mapValues(s.message, "message", f);
      break;
    case "notebook":
      f(s.image, "image");
      instanceValues(s.instance, "instance", f);
      mapValues(s.parameters, "parameters", f);
      break;
    case "passthrough":
      break;
  }
}
