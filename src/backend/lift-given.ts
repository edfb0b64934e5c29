/**
 * The region, role and artifacts location a lifted pipeline needs, when the file
 * does not hold them (a DAG of TaskFlow functions and Lambda calls names none) or
 * the user wants others: `switchyard import --region --role --artifacts`; and
 * `--name`, the pipeline's name (else the file's: a DAG id, a schedule's target,
 * the file name). A value
 * given wins over the file's, with a warning when they differ; a value neither
 * gives is one error naming each missing fact and the option that gives it.
 */
import { error, warning, type Diagnostic } from "../diagnostics.js";
import { ROLE_ARN } from "../aws/role.js";
import type { Pos } from "../ir/types.js";
import type { LiftGiven } from "./types.js";

export type GivenKey = keyof LiftGiven;

/** Each fact: its option, how messages name it, an example value, and the form a value must have. */
export const LIFT_GIVEN: Record<GivenKey, { option: string; what: string; example: string; form: RegExp; formText: string }> = {
  region: { option: "--region", what: "AWS region", example: "<region>", form: /^[a-z]{2}(-[a-z]+)+-\d$/, formText: "a Region name such as us-east-1" },
  role: { option: "--role", what: "IAM role", example: "arn:aws:iam::<account>:role/<name>", form: ROLE_ARN, formText: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)" },
  name: {
    option: "--name",
    what: "name",
    example: "<name>",
    // Letters, digits, '_', '.', '-': a name some target takes (each maps or checks it when compiling).
    form: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,249}$/,
    formText: "a pipeline name of letters, digits, '_', '.' and '-' (at most 250)",
  },
  machine: {
    option: "--machine",
    what: "state machine",
    example: "<logical-id>",
    // A CloudFormation logical id: letters and digits.
    form: /^[A-Za-z0-9]{1,255}$/,
    formText: "a CloudFormation logical id (letters and digits)",
  },
  artifacts: {
    option: "--artifacts",
    what: "artifacts location",
    example: "s3://<bucket>/<prefix>",
    form: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/,
    formText: "an S3 location (s3://<bucket>/<prefix>)",
  },
};

const KEYS: GivenKey[] = ["name", "region", "role", "artifacts", "machine"];

/** Options as typed, checked: an ill-formed value is a message for a usage error. */
export function checkGiven(opts: Partial<Record<GivenKey, string>>): { given: LiftGiven } | { problem: string } {
  const given: LiftGiven = {};
  for (const k of KEYS) {
    const v = opts[k];
    if (v === undefined) continue;
    const g = LIFT_GIVEN[k];
    if (!g.form.test(v)) return { problem: `${g.option} must be ${g.formText}, not ${JSON.stringify(v)}` };
    given[k] = k === "artifacts" ? v.replace(/\/+$/, "") : v;
  }
  return { given };
}

/**
 * The pipeline's value for one fact: the one given, else the file's. When both are there
 * and differ, a warning at `at` says which the pipeline takes (`where`: where the file says it).
 */
export function takeGiven(key: GivenKey, given: LiftGiven | undefined, inFile: string | undefined, at: Pos | undefined, where: string, diags: Diagnostic[]): string | undefined {
  const g = given?.[key];
  if (g === undefined) return inFile;
  const { option, what } = LIFT_GIVEN[key];
  if (inFile !== undefined && inFile !== g) diags.push(warning(at, `the pipeline's ${what} is ${g} (${option}); the file gives ${inFile} (${where})`, { code: `lift-${key}` }));
  return g;
}

/** One error for the facts neither the file nor the options give, naming each and its option. */
export function missingGiven(missing: GivenKey[], at: Pos | undefined, source: string): Diagnostic {
  const keys = KEYS.filter((k) => missing.includes(k));
  const list = (xs: string[], and: string) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} ${and} ${xs.at(-1)}`);
  return error(at, `${source} gives no ${list(keys.map((k) => LIFT_GIVEN[k].what), "or")}: give ${list(keys.map((k) => LIFT_GIVEN[k].option), "and")}`, {
    code: "lift-missing",
    hint: `add ${keys.map((k) => `${LIFT_GIVEN[k].option} ${LIFT_GIVEN[k].example}`).join(" ")} to the command`,
  });
}
