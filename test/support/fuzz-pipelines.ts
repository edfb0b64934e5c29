/**
 * Random valid pipelines, written as YAML text (so the whole path from the
 * reader to each backend is exercised): nested conditions, foreach, every
 * step kind, retries, timeouts, parameters of every type, and user text
 * chosen to break quoting in JSON, JSONPath, intrinsic functions, Jinja,
 * Python and YAML.
 *
 * Two tiers. `portable` pipelines use only what every built-in target
 * compiles, so any error is a bug. `extended` pipelines add what some
 * targets refuse by design (wait, glue and aws steps, failure handlers,
 * arithmetic, several retry rules, jitter, the run's input document,
 * polling loops (`repeat` on aws steps), named errors on fail steps, and
 * the expression functions exists, split, item, uuid and json).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { printPathText } from "../../src/ir/expr/path-text.js";

/** Local files the generated pipelines name (`code:`, `notebook:`). */
export const FUZZ_FILES: Record<string, string> = {
  "scripts/prep.py": "print('prep')\n",
  "scripts/train.py": "print('train')\n",
  "scripts/fn.py": "def run(**kwargs):\n    return {'ok': 1}\n",
  "notebooks/explore.ipynb": JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
};

/** Pieces of text that each mean something to one of the output languages. */
const NASTY = [
  '"', "'", "''", '"""', "\\", "\\\\", "\\n", "\n", "\r\n", "\t", "${{", "$${{", "}}", "{{ }}", "{{ 7*7 }}", "{{", "{% ", "%}", "{% raw %}", "{#",
  ".$", "$.", "$.steps", "$$.Execution.Id", "States.", "States.Format('{}', 1)", "{}", "\\{", "'{}'", "%", "%s", "%(x)s", "#", ": ", "- ", "&a", "*a", "!!str",
  "? ", "|", ">", "@", "`", "é", "ünï", "日本", "\ud83d\ude00", "\u2028", "\u00a0", "\u0007", "\x7f", " ", "", "true", "null", "0x10", "1e3", "-", "~",
  "__import__('os')", "\"); import os; (\"", "</script>", "${x}", "$x", "{0}",
];

/** Text of any kind, biased towards the pieces above. */
export const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((a) => a.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant("") },
);

/** Text placed where `${{ }}` is read: `$${{` writes a literal `${{`. */
export const asText = (s: string): string => s.replaceAll("${{", () => "$${{");
/** Text right before an expression: a trailing `$` would make its `${{` the escape `$${{`, so those are written as an expression. */
const asTextBefore = (s: string): string => asText(s).replace(/\$+$/, (d) => `\${{ '${d}' }}`);
/** A string literal of the expression language. */
export const exprString = (s: string): string => `'${s.replaceAll("\\", () => "\\\\").replaceAll("'", () => "''")}'`;

export type Tier = "portable" | "extended";

export interface FuzzPipeline {
  yaml: string;
  /** Step kinds used, for coverage. */
  kinds: string[];
  /** Constructs used (repeat, fail.error, function, exists), for coverage. */
  features: string[];
}

type ScalarT = "string" | "integer" | "float" | "boolean";

interface Param {
  name: string;
  type: ScalarT;
}

/** What a visible step offers to later steps' expressions. */
interface Visible {
  id: string;
  kind: string;
  foreach: boolean;
  strings: string[];
  numbers: string[];
  booleans: string[];
  /** Values of unknown type (report fields, responses), usable in comparisons with numbers and in exists(). */
  anys: string[];
  /** Strings a condition may compare with text on every target (a declared output, not computed text). */
  condStrings: string[];
}

type G = fc.GeneratorValue;

const IMAGES = ["sklearn:1.2-1", "xgboost:1.7-1", "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:latest"];
const INSTANCES = ["ml.m5.xlarge", "ml.m5.large", "ml.c5.2xlarge", "ml.g4dn.xlarge"];
const SCALAR_TYPES: ScalarT[] = ["string", "integer", "float", "boolean"];

/**
 * AWS calls an aws step makes (extended tier): the request's members (each given a generated value,
 * `fixed` ones kept), and paths into the response that conditions may read, some of them with
 * member names that need quoting in every target's path syntax.
 */
/** Error names a function or service reports itself. */
const OWN_ERRORS = ["ResourcePending", "ResourceFailed", "Glue.CrawlerRunningException", "Lambda.Unknown", "it's \"odd\" {{ x }}"];

const AWS_CALLS: ReadonlyArray<{ service: string; action: string; fixed: Record<string, unknown>; members: string[]; response: string[] }> = [
  { service: "sns", action: "Publish", fixed: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t" }, members: ["Message", "Subject"], response: ["MessageId", "['Message Id']"] },
  {
    service: "sqs",
    action: "ReceiveMessage",
    fixed: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q", MaxNumberOfMessages: 1 },
    members: ["ReceiveRequestAttemptId"],
    response: ["Messages", "Messages[0].Body", "Messages[0]['MessageAttributes']['a.b']", "Messages[1]"],
  },
  { service: "glue", action: "GetJobRun", fixed: { JobName: "nightly" }, members: ["RunId"], response: ["JobRun.JobRunState", "JobRun.Attempt", "JobRun['ErrorMessage']", "['$.x']", "['it''s']"] },
  { service: "dynamodb", action: "GetItem", fixed: { TableName: "runs" }, members: ["ConsistentRead"], response: ["Item.status.S", "Item['a b'].N", "Item"] },
];

class Builder {
  private n = 0;
  private readonly params: Param[] = [];
  readonly steps: Array<[string, Record<string, unknown>]> = [];
  readonly kinds = new Set<string>();
  readonly features = new Set<string>();
  /**
   * Half the extended pipelines leave out what Step Functions or Airflow refuse (arithmetic, comparing
   * constants or computed text, jitter, several retry rules, member names JSONPath cannot hold, a wait step's
   * failure handler, environment names SageMaker refuses), so their new constructs reach those targets' validators, not only their refusals.
   */
  private readonly sparing: boolean;

  constructor(
    private readonly g: G,
    private readonly tier: Tier,
  ) {
    this.sparing = tier === "portable" || this.chance(0.5);
  }

  /** Sometimes a bound on a repeat's calls, with (or without) the error and message it fails with. */
  private repeatLimit(): Record<string, unknown> {
    if (!this.chance(0.4)) return {};
    this.features.add("repeat.max_calls");
    const out: Record<string, unknown> = { max_calls: this.int(1, 20) };
    if (this.chance(0.5)) out.error = this.pick(["StillRunning", "Poll.Exhausted", "MaxRetriesExceeded"]);
    if (this.chance(0.5)) out.message = this.text();
    return out;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.g(fc.integer, { min: 0, max: xs.length - 1 })];
  }
  private int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  private chance(p: number): boolean {
    return this.g(fc.integer, { min: 0, max: 999 }) < p * 1000;
  }
  private text(): string {
    return this.g(() => hostile);
  }
  private id(prefix = "s"): string {
    // Ids are identifiers of the expression language; some use '-' to check that targets map them.
    const base = `${prefix}${this.n++}`;
    return this.chance(0.2) ? `${base}-x` : this.chance(0.2) ? `_${base}_y` : base;
  }

  // ---- parameters ----

  /** `scheduled`: runs start without values, so every parameter has a default. */
  buildParameters(scheduled: boolean): Record<string, unknown> | undefined {
    const count = this.int(0, 5);
    if (!count) return undefined;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const type = this.pick(SCALAR_TYPES);
      const name = this.chance(0.2) ? `p${i}-${type[0]}` : `p${i}_${type}`;
      const spec: Record<string, unknown> = { type };
      const value = (): string | number | boolean =>
        type === "string" ? this.text() : type === "integer" ? this.int(-1000, 1000) : type === "float" ? this.int(-1000, 1000) / 8 : this.chance(0.5);
      if (scheduled || this.chance(0.8)) {
        const d = value();
        spec.default = d;
        // SageMaker has enums on String parameters only (a documented refusal): others in the extended tier.
        if ((type === "string" || this.tier === "extended") && this.chance(0.3)) spec.enum = [...new Set([d, value(), value()])];
      }
      if (this.chance(0.3)) spec.description = this.text();
      out[name] = spec;
      this.params.push({ name, type });
    }
    return out;
  }

  private paramsOf(type: ScalarT): Param[] {
    return this.params.filter((p) => p.type === type);
  }

  // ---- values ----

  /** A string-valued field: literal text, a reference, or text joined with references. */
  private stringValue(vis: Visible[], foreachKeys: string[] = []): string {
    const refs = [
      ...this.paramsOf("string").map((p) => `params.${p.name}`),
      ...vis.filter((v) => !v.foreach).flatMap((v) => v.strings),
      ...foreachKeys.filter((k) => k === "tag").map((k) => `item.${k}`),
      "execution.id",
      "execution.start_time",
      "execution.pipeline_name",
    ];
    const r = this.int(0, 9);
    if (r < 5 || !refs.length) return asText(this.text());
    if (r < 7) return `\${{ ${this.pick(refs)} }}`;
    return `${asTextBefore(this.text())}\${{ ${this.pick(refs)} }}${asText(this.text())}`;
  }

  /**
   * A value known only at run time (a reference), for members whose written-out text the API constrains (S3 URIs, names).
   * `names`: a resource name, which an output location (an S3 URI, written out when the output has its own destination) never is.
   */
  private refValue(vis: Visible[], names = false): string {
    const outputs = (v: Visible) => v.strings.filter((x) => !names || !x.includes(".outputs."));
    const refs = [...this.paramsOf("string").map((p) => `params.${p.name}`), ...vis.filter((v) => !v.foreach).flatMap(outputs), "execution.id"];
    return `\${{ ${this.pick(refs)} }}`;
  }

  /** A value in a free-form map (environment, hyperparameters, payloads); `fns`: it may call functions. */
  private anyValue(vis: Visible[], foreachKeys: string[], wide: boolean, fns = false): unknown {
    if (fns && this.chance(0.3)) return this.fnValue(vis, foreachKeys);
    const r = this.int(0, 9);
    if (r < 5) return this.stringValue(vis, foreachKeys);
    if (r < 7) return this.chance(0.5) ? this.int(-5, 100000) : this.int(-1000, 1000) / 4;
    if (r < 8) return this.chance(0.5);
    const nums = [...this.paramsOf("integer"), ...this.paramsOf("float")].map((p) => `params.${p.name}`);
    const fe = foreachKeys.filter((k) => k !== "tag").map((k) => `item.${k}`);
    // A job's response (its Properties): extended tier, as SageMaker reads only some of them.
    const responses = wide && this.tier === "extended" ? vis.filter((v) => !v.foreach && ["processing", "training", "transform", "lambda"].includes(v.kind)).map((v) => `steps.${v.id}.response.${this.pick(["TrainingJobStatus", "ProcessingJobArn", "Payload.x", "ModelArtifacts.S3ModelArtifacts"])}`) : [];
    const pool = [...nums, ...fe, ...(wide ? vis.flatMap((v) => [...v.strings, ...v.numbers]) : []), ...responses];
    return pool.length ? `\${{ ${this.pick(pool)} }}` : this.text().length;
  }

  private map(vis: Visible[], foreachKeys: string[], wide: boolean, max = 4, key = () => this.key(), fns = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = this.int(0, max);
    for (let i = 0; i < n; i++) out[key()] = this.anyValue(vis, foreachKeys, wide, fns);
    return out;
  }

  // ---- functions (extended tier: SageMaker has none) ----

  /** Text operands: a text literal of the language, or a reference to text. */
  private textArg(vis: Visible[], foreachKeys: string[]): string {
    const refs = [
      ...this.paramsOf("string").map((p) => `params.${p.name}`),
      ...vis.filter((v) => !v.foreach).flatMap((v) => v.strings),
      ...foreachKeys.filter((k) => k === "tag").map((k) => `item.${k}`),
      "execution.id",
    ];
    return refs.length && this.chance(0.6) ? this.pick(refs) : exprString(this.text());
  }

  /** A separator for split(): never empty (what an empty one means differs between targets). */
  private separator(): string {
    return exprString(this.pick([",", "/", " ", "::", "'", '"', "\\", "$.", "{}", "é", "\n"]));
  }

  /** A list-valued expression. */
  private listExpr(vis: Visible[], foreachKeys: string[], depth: number): string {
    const inner = depth < 2 && this.chance(0.3) ? this.pick([() => `item(${this.listExpr(vis, foreachKeys, depth + 1)}, ${this.int(0, 2)})`, () => `json(${this.textArg(vis, foreachKeys)})`])() : this.textArg(vis, foreachKeys);
    return `split(${inner}, ${this.separator()})`;
  }

  /** A text-valued expression calling functions, nested now and then. */
  private fnExpr(vis: Visible[], foreachKeys: string[], depth = 0): string {
    this.features.add("function");
    const r = this.int(0, 8);
    if (r === 0) return "uuid()";
    // A part of a function's result read by get(): the key JSONPath can write (Step Functions reads it below a Pass).
    if (r === 8) {
      const key = this.pick(["k", "a b", "é"]);
      // Below parse(), the document is known only at run time: Step Functions computes it in a Pass first.
      const doc = `object(${exprString(key)}, ${this.textArg(vis, foreachKeys)})`;
      return `json(get(${this.chance(0.5) ? `parse(json(${doc}))` : doc}, ${exprString(printPathText([key]))}))`;
    }
    if (r <= 2) return `item(${this.listExpr(vis, foreachKeys, depth)}, ${this.int(0, 2)})`;
    // An object of one key, and JSON text read back: written as JSON text (the field takes text).
    if (r === 6) return `json(object(${exprString(this.pick(["k", "a b", "x'y", "{}", "é"]))}, ${this.textArg(vis, foreachKeys)}))`;
    if (r === 7) return `json(set(object('v', parse(json(${this.textArg(vis, foreachKeys)}))), 'k', 1))`;
    const arg = depth < 2 && this.chance(0.5) ? this.pick([() => this.listExpr(vis, foreachKeys, depth + 1), () => this.fnExpr(vis, foreachKeys, depth + 1)])() : this.textArg(vis, foreachKeys);
    return `json(${arg})`;
  }

  /** A field's value calling functions: the whole value, or inside text. */
  private fnValue(vis: Visible[], foreachKeys: string[]): string {
    const e = this.fnExpr(vis, foreachKeys);
    return this.chance(0.6) ? `\${{ ${e} }}` : `${asTextBefore(this.text())}\${{ ${e} }}${asText(this.text())}`;
  }

  /** A text field in the extended tier: now and then with functions. */
  private textValue(vis: Visible[], foreachKeys: string[] = []): string {
    return this.tier === "extended" && this.chance(0.3) ? this.fnValue(vis, foreachKeys) : this.stringValue(vis, foreachKeys);
  }

  private key(): string {
    return this.pick(["KEY", "lr", "SY_TEXT", "a.b", "x-y", "with space", "é", "$.k", "${k}", "{{k}}", "States", "_", "k'q", 'k"q', "k\\b"]) + this.int(0, 99);
  }

  /** Tags take letters, digits, spaces and `_.:/=+-@` (TagKey, TagValue); others only in the extended tier, where they are refused. */
  private tagKey(): string {
    if (!this.sparing && this.chance(0.1)) return this.key();
    return this.pick(["team", "cost-center", "owner@corp", "a.b:c/d=e+f", "with space", "é", "Projekt_Ω"]) + this.int(0, 99);
  }

  private tagValue(): string {
    if (!this.sparing && this.chance(0.1)) return this.text();
    return this.pick(["", "ml", "x y", "a/b", "é ünï", "-@+=.:_", "42"]);
  }

  /** EMR text is XmlString (no control characters but tab and line breaks); others only in the extended tier, where they are refused. */
  private xmlText<T>(v: T): T {
    return this.sparing && typeof v === "string" ? (v.replace(/[^\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]/gu, "") as T) : v;
  }

  private envKey(): string {
    // SageMaker takes only identifier-like names (every target refuses others): extended tier only.
    if (!this.sparing && this.chance(0.1)) return this.key();
    return this.pick(["FOO", "PYTHONUNBUFFERED", "MY_VAR", "A1", "LONG_NAME_WITH_UNDERSCORES"]) + this.int(0, 99);
  }

  private instance(): unknown {
    const r = this.int(0, 3);
    if (r === 0) return this.pick(INSTANCES);
    if (r === 1) {
      const out: Record<string, unknown> = { type: this.pick(INSTANCES) };
      if (this.chance(0.5)) out.count = this.int(1, 4);
      if (this.chance(0.5)) out.volume_gb = this.int(1, 500);
      const ints = this.paramsOf("integer");
      if (ints.length && this.chance(0.2)) out.count = `\${{ params.${this.pick(ints).name} }}`;
      return out;
    }
    return undefined;
  }

  /** Options of a job's data input (a processing input takes File or Pipe, S3Prefix or ManifestFile, and Gzip only in Pipe mode). */
  private inputOptions(processing = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.chance(0.3)) out.mode = this.pick(processing ? ["File", "Pipe"] : ["File", "Pipe", "FastFile"]);
    if (this.chance(0.3)) out.distribution = this.pick(["FullyReplicated", "ShardedByS3Key"]);
    if (this.chance(0.3)) out.compression = processing && out.mode !== "Pipe" ? "None" : this.pick(["None", "Gzip"]);
    if (this.chance(0.3)) out.data_type = this.pick(processing ? ["S3Prefix", "ManifestFile"] : ["S3Prefix", "ManifestFile", "AugmentedManifestFile"]);
    return out;
  }

  /** Network and KMS settings of a job. */
  private jobSecurity(body: Record<string, unknown>): void {
    if (this.chance(0.2)) {
      body.network = {
        ...(this.chance(0.5) ? { isolation: this.chance(0.5) } : {}),
        ...(this.chance(0.5) ? { encrypt_traffic: this.chance(0.5) } : {}),
        ...(this.chance(0.5) ? { vpc: { subnets: [`subnet-${this.int(0, 9)}`, `subnet-a${this.int(0, 9)}`], security_groups: [`sg-${this.int(0, 9)}`] } } : {}),
      };
    }
    if (this.chance(0.2)) body.kms = { volume: `arn:aws:kms:us-east-1:111122223333:key/v${this.int(0, 9)}`, output: `arn:aws:kms:us-east-1:111122223333:key/o${this.int(0, 9)}` };
  }

  /**
   * Members a job adds to its request as written (`request`), text with references among them. SageMaker
   * Pipelines takes some only (a training job's debugger and profiler settings, a transform's client
   * settings), and ExperimentConfig in none: extended tier only.
   */
  private addedMembers(body: Record<string, unknown>, kind: string, vis: Visible[]): void {
    if (!this.chance(0.15)) return;
    if (this.tier === "extended" && this.chance(0.5)) {
      body.request = { ExperimentConfig: { ExperimentName: `exp-${this.int(0, 9)}`, ...(this.chance(0.5) ? { TrialComponentDisplayName: this.stringValue(vis) } : {}) } };
    } else if (kind === "training") {
      body.request = { DebugHookConfig: { S3OutputPath: this.stringValue(vis), CollectionConfigurations: [] }, ...(this.chance(0.5) ? { ProfilerConfig: { DisableProfiler: this.chance(0.5) } } : {}) };
    } else if (kind === "transform") {
      body.request = { ModelClientConfig: { InvocationsTimeoutInSeconds: this.int(1, 3600), InvocationsMaxRetries: this.int(0, 3) } };
    }
  }

  /** Settings for one target only (the others warn that they do not apply). */
  private targetSettings(pipeline: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.chance(0.5)) out.stepfunctions = pipeline ? { Comment: this.text(), TimeoutSeconds: this.int(60, 86400) } : { Comment: this.text() };
    if (this.chance(0.5)) out.airflow = pipeline ? { max_active_runs: this.int(1, 5), description: this.text() } : { owner: this.text(), pool: this.text() || "default_pool" };
    return out;
  }

  private duration(): string | number {
    return this.pick(["30s", "10m", "2h", "1d", "1h30m", "90s", "1w", 600, 3600, 1.5] as const);
  }

  private retry(): unknown {
    const one = () => {
      const r: Record<string, unknown> = { attempts: this.int(1, 10) };
      if (this.chance(0.6)) r.interval = this.pick(["1s", "30s", "2m", 5]);
      if (this.chance(0.5)) r.backoff = this.pick([1, 1.5, 2, 3]);
      if (this.chance(0.4)) r.on = [...new Set([this.pick(["throttling", "capacity", "service", "job", "timeout", "any"]), this.pick(["throttling", "capacity", "service", "job", "timeout"])])];
      // SageMaker refuses a max_delay its retries would exceed (it has no cap): extended tier only.
      if (this.tier === "extended" && this.chance(0.3)) r.max_delay = this.pick(["5m", "1h", 120]);
      if (!this.sparing && this.chance(0.05)) r.jitter = true;
      // Errors a function or service names itself: SageMaker refuses them, extended tier only.
      if (this.tier === "extended" && !(r.on as string[] | undefined)?.includes("any") && this.chance(0.15)) r.errors = [...new Set([this.pick(OWN_ERRORS), this.pick(OWN_ERRORS)])];
      return r;
    };
    return !this.sparing && this.chance(0.1) ? [one(), one()] : one();
  }

  // ---- conditions ----

  private comparison(vis: Visible[]): string {
    const opts: Array<() => string> = [];
    // Step Functions refuses comparing two constants (a Choice rule needs a path): extended tier only.
    if (!this.sparing) {
      opts.push(() => `${this.int(-5, 5)} ${this.pick(["<", "<=", ">", ">=", "==", "!="])} ${this.int(-5, 5) / 2}`);
      opts.push(() => `${exprString(this.text())} == ${exprString(this.text())}`);
    }
    for (const p of this.params) {
      if (p.type === "integer" || p.type === "float") opts.push(() => `params.${p.name} ${this.pick(["<", "<=", ">", ">=", "==", "!="])} ${this.int(-100, 100) / (p.type === "float" ? 4 : 1)}`);
      if (p.type === "integer") opts.push(() => `params.${p.name} ${this.pick(["in", "not in"])} [${this.int(-3, 3)}, ${this.int(4, 9)}]`);
      if (p.type === "string") {
        opts.push(() => `params.${p.name} ${this.pick(["==", "!="])} ${exprString(this.text())}`);
        opts.push(() => `params.${p.name} ${this.pick(["in", "not in"])} [${[this.text(), this.text()].map(exprString).join(", ")}]`);
      }
      if (p.type === "boolean") opts.push(() => (this.chance(0.5) ? `params.${p.name}` : `params.${p.name} == ${this.chance(0.5)}`));
    }
    for (const v of vis.filter((x) => !x.foreach)) {
      for (const n of [...v.numbers, ...v.anys]) opts.push(() => `${n} ${this.pick(["<", "<=", ">", ">="])} ${this.int(0, 100) / 10}`);
      // Step Functions compares paths only, not computed text (job names, S3 locations): extended tier only.
      for (const s of this.sparing ? v.condStrings : v.strings) opts.push(() => `${s} != ${exprString(this.text())}`);
      for (const b of v.booleans) opts.push(() => b);
      const nums = [...this.paramsOf("float"), ...this.paramsOf("integer")];
      for (const n of v.numbers) if (nums.length) opts.push(() => `${n} >= params.${this.pick(nums).name}`);
    }
    opts.push(() => `execution.id != ${exprString(this.text())}`);
    if (this.tier === "extended") {
      // exists() on what may be absent: the run's input, a response, a report.
      const paths = [...vis.filter((x) => !x.foreach).flatMap((v) => v.anys), `execution.input${this.pick([".k", "['a b']", ".x[0].y", ...(this.sparing ? [] : ["['$.k']", "['it''s']"])])}`];
      opts.push(() => {
        this.features.add("exists");
        return `exists(${this.pick(paths)})`;
      });
      // Step Functions compares paths only, not computed text (stepfunctions-condition).
      if (!this.sparing) opts.push(() => `${this.fnExpr(vis, [])} ${this.pick(["==", "!="])} ${exprString(this.text())}`);
    }
    return this.pick(opts)();
  }

  /** Paths into a call's response; member names JSONPath cannot hold only when not sparing. */
  private responsePaths(call: (typeof AWS_CALLS)[number]): string[] {
    return this.sparing ? call.response.filter((p) => !/\$|''/.test(p)) : call.response;
  }

  /**
   * The condition ending a polling loop: it reads the step's own response (or outputs), alone or with others.
   * On one line: the schema's pattern for `repeat.until` (EXPR in src/schema/pipeline-schema.ts, `.*`) does not
   * match a line break, so a string literal holding one, or an expression written over several lines in a block
   * scalar, is refused there while `if:` takes it.
   */
  private until(id: string, call: (typeof AWS_CALLS)[number], outputs: string[], vis: Visible[]): string {
    this.features.add("repeat");
    return this.untilLines(id, call, outputs, vis).replace(/[\n\r\u2028\u2029]/g, "~");
  }

  private untilLines(id: string, call: (typeof AWS_CALLS)[number], outputs: string[], vis: Visible[]): string {
    const own = (): string => {
      const at = `steps.${id}.response${this.pick(this.responsePaths(call)).replace(/^(?=[A-Za-z])/, ".")}`;
      const r = this.int(0, 5);
      if (r <= 1) return `exists(${at})`;
      if (r === 2) return `not exists(${at})`;
      if (r === 3) return `${at} ${this.pick(["in", "not in"])} [${[this.text(), this.text()].map(exprString).join(", ")}]`;
      if (r === 4 && outputs.length) return `steps.${id}.outputs.${this.pick(outputs)} != ${exprString(this.text())}`;
      return `${at} ${this.pick(["==", "!=", ">=", "<"])} ${this.chance(0.5) ? this.int(0, 9) : exprString(this.text())}`;
    };
    const r = this.int(0, 4);
    if (r <= 2) return own();
    if (r === 3) return `(${own()}) ${this.pick(["and", "or"])} (${this.chance(0.5) ? own() : this.condition(vis, 1)})`;
    return `not (${own()})`;
  }

  private condition(vis: Visible[], depth: number): string {
    const r = depth > 2 ? 0 : this.int(0, 5);
    if (r <= 2) return this.comparison(vis);
    if (r === 3) return `not (${this.condition(vis, depth + 1)})`;
    const parts = Array.from({ length: this.int(2, 3) }, () => `(${this.condition(vis, depth + 1)})`);
    return parts.join(r === 4 ? " and " : " or ");
  }

  // ---- steps ----

  /**
   * A scope (the pipeline, or a branch) of `count` steps. `outer` is what
   * the enclosing scopes have made visible; steps see earlier steps of
   * their own scope and of enclosing ones, never those inside a branch.
   */
  scope(outer: Visible[], depth: number, count: number): string[] {
    const ids: string[] = [];
    const vis = [...outer];
    for (let i = 0; i < count; i++) {
      const isCondition = depth < 3 && this.chance(0.2);
      const id = this.id(isCondition ? "gate" : "s");
      ids.push(id);
      if (isCondition) {
        const body: Record<string, unknown> = { type: "condition", if: `\${{ ${this.condition(vis, 0)} }}` };
        this.kinds.add("condition");
        this.common(body, vis, false);
        // Placed now, so the file lists the condition before its branches.
        this.steps.push([id, body]);
        const thenIds = this.scope(vis, depth + 1, this.int(0, 3));
        const elseIds = this.scope(vis, depth + 1, this.int(0, 2));
        if (thenIds.length || this.chance(0.7)) body.then = thenIds;
        if (elseIds.length) body.else = elseIds;
        continue;
      }
      const made = this.step(id, vis, depth > 0);
      if (made) vis.push(made);
    }
    return ids;
  }

  private common(body: Record<string, unknown>, vis: Visible[], job: boolean): void {
    if (this.chance(0.3)) body.display_name = this.text();
    if (this.chance(0.3)) body.description = this.text();
    const deps = vis.filter((v) => v.kind !== "fail" && v.kind !== "condition");
    if (deps.length && this.chance(0.3)) body.depends_on = [...new Set([this.pick(deps).id, this.pick(deps).id])];
    if (job && this.chance(0.4)) body.tags = Object.fromEntries(Array.from({ length: this.int(1, 3) }, () => [this.tagKey(), this.tagValue()]));
    if (this.chance(0.15)) body.targets = this.targetSettings(false);
  }

  private step(id: string, vis: Visible[], inBranch: boolean): Visible | undefined {
    const portable = ["processing", "training", "tuning", "transform", "model", "register-model", "endpoint", "fail", "lambda", "approval", "notebook", "emr", "function"];
    // aws and fail steps carry the most constructs (polling loops, functions, named errors): more likely.
    const kinds = this.tier === "extended" ? [...portable, "wait", "glue", "aws", "aws", "aws", "fail"] : portable;
    // Branches often end the run: a fail step there is common, and its own case in each target.
    const kind = inBranch && this.chance(0.25) ? "fail" : this.pick(kinds);
    this.kinds.add(kind);
    const body: Record<string, unknown> = { type: kind };
    const out: Visible = { id, kind, foreach: false, strings: [], numbers: [], booleans: [], anys: [], condStrings: [] };
    const ref = (attr: string) => `steps.${id}.${attr}`;
    const withForeach = ["processing", "training", "lambda", "emr", ...(this.tier === "extended" ? ["aws"] : [])].includes(kind) && this.chance(0.25);
    let feKeys: string[] = [];
    if (withForeach) {
      const n = this.int(1, 3);
      // An emr step's args may read its item's tag: XmlString there too.
      body.foreach = Array.from({ length: n }, (_, i) => ({ depth: i + this.int(1, 9), tag: asText(kind === "emr" ? this.xmlText(this.text()) : this.text()) }));
      feKeys = ["depth", "tag"];
      out.foreach = true;
    }
    const sv = () => this.stringValue(vis, feKeys);
    this.common(body, vis, !["fail", "condition", "wait"].includes(kind));
    // SageMaker Lambda steps take no retry policy (a documented refusal): extended tier only.
    const retryable = !["fail", "approval", "wait", ...(this.tier === "portable" ? ["lambda"] : [])].includes(kind);
    if (retryable && this.chance(0.3)) body.retry = this.retry();
    const timed = !["fail", "model", "register-model", "wait"].includes(kind);
    if (timed && this.chance(0.3)) body.timeout = this.duration();
    const cached = ["processing", "training", "tuning", "transform", "lambda"].includes(kind);
    if (cached && this.chance(0.15)) body.cache = this.duration();
    if (this.chance(0.2)) body.estimate = this.duration();
    const containers = ["processing", "training", "tuning", "transform", "model", "endpoint", "notebook", "function"];
    if (containers.includes(kind) && this.chance(0.5)) body.environment = this.map(vis, feKeys, false, 3, () => this.envKey());
    const needsInstance = ["processing", "training", "tuning", "transform", "notebook", "function"].includes(kind);
    const inst = this.instance();
    // A notebook job runs on one instance (SageMaker refuses a count): its instance is a type alone.
    if (inst !== undefined && (needsInstance || kind === "endpoint") && (kind !== "notebook" || typeof inst === "string" || this.tier === "extended")) body.instance = inst;
    else if (needsInstance || kind === "endpoint") body.instance = this.pick(INSTANCES);
    // Written-out text must be what the API takes (botocore's patterns): hostile text only in the extended tier, where it is refused.
    const s3 = () => (this.chance(0.6) ? `s3://example-data-${this.int(0, 9)}/in/${this.pick(["a", "b/c", "x y", "é"])}` : this.sparing ? `s3://example-data-0/${this.refValue(vis)}` : sv());
    const models = vis.filter((v) => !v.foreach && (v.kind === "training" || v.kind === "tuning")).map((v) => `\${{ steps.${v.id}.model }}`);
    const modelUri = () => (models.length && this.chance(0.7) ? this.pick(models) : `s3://example-models/${this.int(0, 9)}/model.tar.gz`);
    const late = this.tier === "extended";

    switch (kind) {
      case "processing": {
        body.image = this.pick(IMAGES);
        if (this.chance(0.6)) body.code = "scripts/prep.py";
        else if (this.chance(0.5)) body.command = ["python3", "-c", this.text()];
        body.arguments = Array.from({ length: this.int(0, 4) }, () => (withForeach && this.chance(0.3) ? "${{ item.depth }}" : this.anyValue(vis, feKeys, false)));
        const inputs: Record<string, unknown> = {};
        for (let i = 0; i < this.int(0, 2); i++) inputs[`in${i}`] = { source: s3(), destination: `/opt/ml/processing/input/in${i}`, ...this.inputOptions(true) };
        body.inputs = inputs;
        const outputs: Record<string, unknown> = {};
        const nOut = this.int(0, 2);
        for (let i = 0; i < nOut; i++) {
          outputs[`o${i}`] = this.chance(0.5)
            ? `/opt/ml/processing/o${i}`
            : { path: `/opt/ml/processing/o${i}`, upload: this.pick(["EndOfJob", "Continuous"]), ...(this.chance(0.3) ? { destination: s3() } : {}) };
        }
        body.outputs = outputs;
        this.jobSecurity(body);
        this.addedMembers(body, kind, vis);
        if (nOut && this.chance(0.5)) {
          body.reports = { metrics: { output: "o0", file: this.pick(["evaluation.json", "m.json"]) } };
          out.anys.push(`steps.${id}.reports.metrics.${this.pick(["mse", "a.b", "regression_metrics.mse.value"])}`);
        }
        for (let i = 0; i < nOut; i++) out.strings.push(ref(`outputs.o${i}`));
        out.strings.push(ref("job_name"));
        break;
      }
      case "training":
      case "tuning": {
        body.image = this.pick(IMAGES);
        if (kind === "training" && this.chance(0.4)) body.code = "scripts/train.py";
        const hp = this.map(vis, feKeys, false, 4);
        if (withForeach) hp.depth = "${{ item.depth }}";
        body.hyperparameters = hp;
        body.inputs = this.chance(0.7) ? { train: this.chance(0.5) ? s3() : { source: s3(), content_type: "text/csv", ...this.inputOptions() } } : {};
        if (this.chance(0.2)) body.input_mode = this.pick(["File", "Pipe", "FastFile"]);
        if (this.chance(0.2)) body.spot = { max_wait: this.pick(["2h", "1d", 7200.5]) };
        this.jobSecurity(body);
        if (kind === "training") this.addedMembers(body, kind, vis);
        const metrics = Array.from({ length: this.int(kind === "tuning" ? 1 : 0, 2) }, (_, i) => ({ name: `m${i}`, regex: this.pick(["loss=([0-9.]+)", "auc: (\\S+)", ".*\"x\": (\\d+)"]) }));
        if (metrics.length) body.metric_definitions = metrics;
        if (this.chance(0.2)) body.output_path = `s3://example-out/${asText(this.text()).replaceAll("/", "_")}`;
        if (kind === "tuning") {
          body.ranges = {
            lr: { type: "continuous", min: 0.001, max: 0.5, ...(this.chance(0.5) ? { scaling: "Logarithmic" } : {}) },
            ...(this.chance(0.5) ? { depth: { type: "integer", min: 1, max: 10 } } : {}),
            ...(this.chance(0.5) ? { booster: { type: "categorical", values: [this.text() || "gbtree", "dart"] } } : {}),
          };
          body.objective = { metric: "m0", type: this.pick(["minimize", "maximize"]) };
          const max = this.int(1, 20);
          body.max_jobs = max;
          body.parallel_jobs = this.int(1, max);
          for (const k of ["lr", "depth", "booster"]) delete hp[k];
        }
        out.strings.push(ref("model"), ref("job_name"));
        break;
      }
      case "transform": {
        const named = vis.filter((v) => !v.foreach && v.kind === "model").map((v) => `\${{ steps.${v.id}.name }}`);
        body.model = named.length && this.chance(0.8) ? this.pick(named) : `model-${this.int(0, 99)}`;
        body.input = { source: s3(), ...(this.chance(0.5) ? { content_type: "text/csv", split_type: this.pick(["None", "Line", "RecordIO", "TFRecord"]) } : {}), ...(this.chance(0.3) ? { compression: this.pick(["None", "Gzip"]) } : {}) };
        if (this.chance(0.5)) body.output = { accept: "text/csv", assemble_with: this.pick(["None", "Line"]), ...(this.chance(0.3) ? { destination: s3() } : {}) };
        if (this.chance(0.3)) body.strategy = this.pick(["MultiRecord", "SingleRecord"]);
        if (this.chance(0.3)) body.max_payload_mb = this.int(0, 100);
        if (this.chance(0.3)) body.max_concurrent = this.int(0, 10);
        if (this.chance(0.2)) body.kms = { output: `arn:aws:kms:us-east-1:111122223333:key/${this.int(0, 9)}` };
        this.addedMembers(body, kind, vis);
        out.strings.push(ref("outputs.output"));
        break;
      }
      case "model":
        body.image = this.pick(IMAGES);
        body.model = modelUri();
        out.strings.push(ref("name"));
        break;
      case "register-model":
        body.model = modelUri();
        body.image = this.pick(IMAGES);
        body.package_group = `group-${this.int(0, 9)}`;
        if (this.chance(0.5)) body.approval = this.pick(["Approved", "PendingManualApproval", "Rejected"]);
        if (this.chance(0.5)) body.content_types = ["text/csv"];
        if (this.chance(0.5)) body.response_types = ["text/csv", "application/json"];
        if (this.chance(0.5)) body.inference_instances = ["ml.m5.large"];
        out.strings.push(ref("arn"));
        break;
      case "endpoint":
        body.name = this.chance(0.7) ? `ep-${this.int(0, 99)}` : this.sparing ? this.refValue(vis, true) : sv();
        body.model = modelUri();
        // Deploying a model artifact needs an image on every target.
        body.image = this.pick(IMAGES);
        // Step Functions polls a rollout until its timeout: a long one (a default of days) can pass the
        // execution history limit, a documented refusal. Extended tier only.
        if (this.tier === "portable") body.timeout = this.pick(["10m", "30m", "1h"]);
        out.strings.push(ref("name"));
        break;
      case "fail":
        body.message = this.textValue(vis, feKeys);
        if (late && this.chance(0.5)) {
          body.error = this.chance(0.5) ? asText(this.text()) : this.textValue(vis, feKeys);
          this.features.add("fail.error");
        }
        break;
      case "lambda": {
        body.function = `arn:aws:lambda:us-east-1:111122223333:function:fn-${this.int(0, 9)}`;
        if (late && !withForeach && this.chance(0.2)) body.payload = "${{ execution.input }}";
        else body.payload = this.map(vis, feKeys, true, 4, undefined, late);
        if (withForeach) (body.payload as Record<string, unknown>).tag = "${{ item.tag }}";
        const outputs: Record<string, string> = {};
        for (let i = 0; i < this.int(0, 3); i++) outputs[`r${i}`] = this.pick(SCALAR_TYPES);
        if (Object.keys(outputs).length) body.outputs = outputs;
        for (const [k, t] of Object.entries(outputs)) (t === "string" ? out.strings : t === "boolean" ? out.booleans : out.numbers).push(ref(`outputs.${k}`));
        out.condStrings.push(...Object.entries(outputs).filter(([, t]) => t === "string").map(([k]) => ref(`outputs.${k}`)));
        // A function invoked until its result says so (not on SageMaker, which refuses it by name).
        if (late && !withForeach && this.chance(0.2)) {
          this.features.add("repeat");
          const strs = Object.keys(outputs).filter((k) => outputs[k] === "string");
          const own = strs.length && this.chance(0.5) ? `steps.${id}.outputs.${this.pick(strs)} != ${exprString(this.text())}` : this.chance(0.5) ? `exists(steps.${id}.response.done)` : `steps.${id}.response.status == ${exprString(this.text())}`;
          body.repeat = { until: `\${{ ${own.replace(/[\n\r\u2028\u2029]/g, "~")} }}`, interval: this.pick(["1s", "30s", "2m", 5]), ...this.repeatLimit() };
        }
        break;
      }
      case "approval": {
        body.queue = `https://sqs.us-east-1.amazonaws.com/111122223333/q-${this.int(0, 9)}`;
        body.message = this.map(vis, feKeys, true, 3);
        const outputs: Record<string, string> = {};
        for (let i = 0; i < this.int(0, 2); i++) outputs[`a${i}`] = this.pick(SCALAR_TYPES);
        if (Object.keys(outputs).length) body.outputs = outputs;
        for (const [k, t] of Object.entries(outputs)) (t === "string" ? out.strings : t === "boolean" ? out.booleans : out.numbers).push(ref(`outputs.${k}`));
        out.condStrings.push(...Object.entries(outputs).filter(([, t]) => t === "string").map(([k]) => ref(`outputs.${k}`)));
        break;
      }
      case "notebook":
        body.notebook = "notebooks/explore.ipynb";
        body.image = this.pick(IMAGES);
        body.parameters = this.map(vis, feKeys, false, 3);
        out.strings.push(ref("outputs.output"));
        break;
      case "emr":
        body.cluster_id = `j-${this.pick(["ABC123", "1K48XKBP3VWJ4"])}`;
        body.jar = "command-runner.jar";
        body.args = Array.from({ length: this.int(0, 4) }, () => (withForeach && this.chance(0.3) ? (this.sparing ? "${{ item.depth }}" : "${{ item.tag }}") : this.xmlText(this.anyValue(vis, feKeys, false))));
        if (this.chance(0.3)) body.main_class = "org.example.Main";
        if (this.chance(0.3)) body.properties = { "spark.x": this.xmlText(asText(this.text())) };
        if (late && this.chance(0.3)) body.action_on_failure = "CONTINUE";
        break;
      case "function":
        body.code = "scripts/fn.py";
        body.function = "run";
        body.image = this.pick(IMAGES);
        body.arguments = this.map(vis, feKeys, false, 3, () => `arg_${this.int(0, 99)}`);
        out.anys.push(ref("reports.result.ok"));
        break;
      case "wait": {
        const ints = this.paramsOf("integer");
        body.seconds = ints.length && this.chance(0.3) ? `\${{ params.${this.pick(ints).name} }}` : this.int(0, 3600);
        break;
      }
      case "glue":
        body.job = `job-${this.int(0, 9)}`;
        body.arguments = Object.fromEntries(Array.from({ length: this.int(0, 3) }, (_, i) => [`--arg${i}`, this.anyValue(vis, feKeys, false)]));
        if (this.chance(0.5)) body.worker_type = "G.1X";
        if (this.chance(0.5)) body.workers = this.int(1, 10);
        break;
      case "aws": {
        const call = this.pick(AWS_CALLS);
        body.service = call.service;
        body.action = call.action;
        body.request = { ...call.fixed, ...Object.fromEntries(call.members.filter(() => this.chance(0.8)).map((m) => [m, this.textValue(vis, feKeys)])) };
        const outputs = call.service === "sns" && this.chance(0.5) ? ["MessageId"] : [];
        if (outputs.length) {
          body.outputs = { MessageId: "string" };
          out.strings.push(ref("outputs.MessageId"));
        }
        // A polling loop; never with foreach or wait (refused by the reader).
        if (!withForeach && this.chance(0.6)) body.repeat = { until: `\${{ ${this.until(id, call, outputs, vis)} }}`, interval: this.pick(["1s", "30s", "2m", 5, 0.5 + this.int(1, 3)]), ...this.repeatLimit() };
        out.anys.push(...this.responsePaths(call).filter(() => this.chance(0.5)).map((p) => `steps.${id}.response${p.replace(/^(?=[A-Za-z])/, ".")}`));
        break;
      }
    }
    if (!this.sparing && this.chance(0.1)) {
      const nums = [...this.paramsOf("integer"), ...this.paramsOf("float")];
      if (nums.length) body.environment = { ...(body.environment as object), SUM: `\${{ params.${this.pick(nums).name} + 1 }}` };
    }
    this.steps.push([id, body]);
    // A foreach step stands for a list of values, which only free-form fields take.
    if (out.foreach) return { ...out, strings: [], numbers: [], booleans: [], anys: [], condStrings: [] };
    return kind === "fail" ? undefined : out;
  }

  /** Failure handlers: new top-level steps named in `on_failure` of some existing step (extended tier). */
  addFailureHandlers(): void {
    const candidates = this.steps.filter(([, b]) => !["condition", "fail", ...(this.sparing ? ["wait"] : [])].includes(b.type as string));
    if (!candidates.length || !this.chance(0.4)) return;
    const [, owner] = this.pick(candidates);
    const hid = this.id("onfail");
    // Now and then a handler for some error classes only, or one that notifies and ends the run succeeded.
    const on = this.chance(0.3) ? { on: [this.pick(["job", "timeout", "service", "throttling", "capacity"])], ...(this.chance(0.3) ? { errors: [this.pick(OWN_ERRORS)] } : {}) } : this.chance(0.1) ? { errors: [this.pick(OWN_ERRORS)] } : {};
    // Now and then the handler reads the failure: its name and message in text, or the whole of it.
    const read = this.chance(0.4);
    if (read) this.features.add("on-failure.read");
    if (this.chance(0.5)) {
      const message = read ? this.pick([`${asTextBefore(this.text())}\${{ failure.Error }}: \${{ failure.Cause }}`, "${{ failure }}", "${{ json(object('cause', failure.Cause)) }}"]) : asText(this.text());
      this.steps.push([hid, { type: "aws", service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: message } }]);
      owner.on_failure = { steps: [hid], ...on, ends: "succeeded" };
      this.kinds.add("aws");
      this.features.add("on-failure.succeeds");
      return;
    }
    this.steps.push([hid, { type: "fail", message: read ? `${asTextBefore(this.text())}\${{ failure.Cause }}` : asText(this.text()), ...(this.chance(0.5) ? { error: asText(this.text()) } : {}) }]);
    owner.on_failure = Object.keys(on).length ? { steps: [hid], ...on } : [hid];
    this.kinds.add("fail");
  }

  /** A map over a list known at run time, its steps reading the item (extended tier). */
  addMap(): void {
    if (!this.chance(0.25)) return;
    const mid = this.id("each");
    const members = [this.id("item"), ...(this.chance(0.5) ? [this.id("item")] : [])];
    const strings = this.paramsOf("string");
    const items = strings.length && this.chance(0.5) ? `\${{ split(params.${this.pick(strings).name}, ',') }}` : "${{ execution.input.items }}";
    // Now and then what each iteration gives back, read after the map.
    const result = this.chance(0.5) ? (this.chance(0.5) ? `\${{ steps.${members[0]}.response }}` : { item: "${{ item }}", message: `\${{ steps.${members[0]}.response.MessageId }}` }) : undefined;
    this.steps.push([mid, { type: "map", items, steps: members, ...(this.chance(0.5) ? { concurrency: this.int(1, 4) } : {}), ...(result ? { result } : {}) }]);
    members.forEach((m, i) => {
      const body: Record<string, unknown> =
        i === 0
          ? { type: "aws", service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: this.chance(0.5) ? "${{ item }}" : asText(this.text()) } }
          : { type: "wait", seconds: this.int(1, 30), depends_on: [members[0]] };
      this.steps.push([m, body]);
    });
    if (result) {
      this.steps.push([this.id("gather"), { type: "aws", service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: `\${{ json(steps.${mid}.results) }}` } }]);
      this.features.add("map.results");
    }
    this.kinds.add("map");
    this.features.add("map");
  }

  pipeline(): Record<string, unknown> {
    const doc: Record<string, unknown> = {
      version: 1,
      pipeline: `fuzz-${this.int(0, 999)}${this.chance(0.3) ? "_u" : ""}`,
      ...(this.chance(0.5) ? { description: this.text() } : {}),
      role: "arn:aws:iam::111122223333:role/FuzzRole",
      region: this.pick(["us-east-1", "eu-west-1", "ap-southeast-2"]),
      artifacts: `s3://example-fuzz-artifacts/${this.pick(["p", "a/b", "x-y"])}`,
    };
    if (this.chance(0.15)) doc.targets = this.targetSettings(true);
    const scheduled = this.chance(0.4);
    const params = this.buildParameters(scheduled);
    if (params) doc.parameters = params;
    if (this.chance(0.5)) {
      const d: Record<string, unknown> = {};
      if (this.chance(0.5)) d.retry = this.retry();
      if (this.chance(0.5)) d.timeout = this.duration();
      if (this.chance(0.5)) d.tags = { project: this.tagValue(), [this.tagKey()]: this.tagValue() };
      if (this.chance(0.3)) d.instance = this.pick(INSTANCES);
      doc.defaults = d;
    }
    if (scheduled) {
      doc.schedule = this.chance(0.6)
        ? { cron: this.pick(["0 6 * * 1", "30 2 * * *", "*/15 * * * *", "0 0 1 * *"]), ...(this.chance(0.4) ? { timezone: this.pick(["UTC", "Europe/Paris", "America/New_York"]) } : {}) }
        : { every: this.pick(["6h", "1d", "30m"]) };
      if (this.chance(0.3)) (doc.schedule as Record<string, unknown>).enabled = this.chance(0.5);
    }
    // Now and then a large pipeline, whose graph is seldom series-parallel.
    this.scope([], 0, this.int(1, process.env.SWITCHYARD_FUZZ_LARGE || this.chance(0.05) ? 30 : 6));
    if (this.tier === "extended") {
      this.addFailureHandlers();
      this.addMap();
    }
    this.intervalsFromParameters(doc);
    doc.steps = Object.fromEntries(this.steps);
    return doc;
  }

  /**
   * Now and then a repeat waits the seconds an integer parameter gives; never with a timeout (the step's or
   * the default), which Step Functions refuses beside an interval read at run time.
   */
  private intervalsFromParameters(doc: Record<string, unknown>): void {
    const ints = this.paramsOf("integer");
    const timedByDefault = (doc.defaults as { timeout?: unknown } | undefined)?.timeout !== undefined;
    if (!ints.length || timedByDefault) return;
    for (const [, body] of this.steps) {
      const r = body.repeat as Record<string, unknown> | undefined;
      if (!r || body.timeout !== undefined || !this.chance(0.3)) continue;
      r.interval = `\${{ params.${this.pick(ints).name} }}`;
      this.features.add("repeat.interval-expression");
    }
  }
}

/** A random valid pipeline of the given tier. */
export function fuzzPipeline(tier: Tier): fc.Arbitrary<FuzzPipeline> {
  return fc.gen().map((g) => {
    const b = new Builder(g, tier);
    const doc = b.pipeline();
    return { yaml: stringify(doc), kinds: [...b.kinds], features: [...b.features] };
  });
}
