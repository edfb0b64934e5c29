/**
 * Name rules of each target, as data. The core refuses a name that no target
 * accepts; each backend enforces its own rule (and may map names) when lowering.
 */
/** The targets built into Switchyard. */
export const BUILTIN_TARGETS = ["sagemaker", "stepfunctions", "airflow"] as const;

export interface NameRule {
  target: string;
  what: "pipeline" | "step" | "parameter";
  pattern: RegExp;
  maxLength: number;
  source: string;
}

export const NAME_RULES: readonly NameRule[] = [
  { target: "sagemaker", what: "pipeline", pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, maxLength: 256, source: "CreatePipeline PipelineName" },
  { target: "sagemaker", what: "step", pattern: /^[A-Za-z0-9\-_]+$/, maxLength: 64, source: "Pipeline definition StepName" },
  { target: "sagemaker", what: "parameter", pattern: /^[A-Za-z0-9\-_]+$/, maxLength: 256, source: "Pipeline definition ParameterName" },
  { target: "stepfunctions", what: "pipeline", pattern: /^[A-Za-z0-9_-]+$/, maxLength: 80, source: "CreateStateMachine name" },
  { target: "stepfunctions", what: "step", pattern: /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]+$/, maxLength: 80, source: "ASL state name" },
  { target: "stepfunctions", what: "parameter", pattern: /^.+$/, maxLength: 10000, source: "execution input key" },
  { target: "airflow", what: "pipeline", pattern: /^[\w.-]+$/, maxLength: 250, source: "DAG id" },
  { target: "airflow", what: "step", pattern: /^[\w.-]+$/, maxLength: 250, source: "task id" },
  { target: "airflow", what: "parameter", pattern: /^[\w.-]+$/, maxLength: 250, source: "DAG param" },
];

/** Step ids and parameter names are also identifiers of the expression language. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A step id made from a name (a state's, a variable's) that no id in `taken` has: the name itself
 * when it is an identifier, else its runs of other characters as `_` (led by `s_` where it would not
 * start with a letter or `_`); `_2`, `_3`... after a taken one; at most `maxLength` long. Added to `taken`.
 */
export function freshStepId(name: string, taken: Set<string>, maxLength = Infinity): string {
  let base = IDENTIFIER.test(name) ? name : name.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "");
  if (!/^[A-Za-z_]/.test(base)) base = `s_${base}`;
  base = base.slice(0, maxLength);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, maxLength - String(n).length - 1)}_${n}`;
  taken.add(id);
  return id;
}

/**
 * The name of copy `index` of a foreach step on every target (SageMaker step,
 * Step Functions state, Airflow task): `<id>_<index>`, which every target's
 * step rule accepts. A step id that equals a copy's name is refused.
 */
export function copyName(id: string, index: number | undefined): string {
  return index === undefined ? id : `${id}_${index}`;
}

/** Targets whose rule accepts `name` as a `what`. */
export function targetsAccepting(what: NameRule["what"], name: string): string[] {
  return NAME_RULES.filter((r) => r.what === what && name.length <= r.maxLength && r.pattern.test(name)).map((r) => r.target);
}
