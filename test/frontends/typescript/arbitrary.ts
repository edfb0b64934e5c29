/**
 * A fast-check generator of valid pipelines (IR), in the normal form the front
 * ends build: joins merged, literal types set, steps in the file's layout
 * (a condition's branch steps right after it).
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import type { Parameter, Pipeline, Pos, RetryPolicy, ScalarType, Step, StepCommon, Value } from "../../../src/ir/types.js";
import { joinValues } from "../../../src/dsl/expr.js";

const pos: Pos = { file: "gen", line: 1, col: 1 };

/** Local files the generated pipelines name (write them beside the pipeline file). */
export const LOCAL_FILES: Record<string, string> = { "scripts/run.py": "print('run')\n", "notebooks/report.ipynb": "{\"cells\": []}\n" };
const codeFile = (path: string) => ({ path, sha256: createHash("sha256").update(LOCAL_FILES[path]).digest("hex"), pos });
const s = (value: string): Value => ({ kind: "literal", value, type: "string", pos });
const int = (value: number): Value => ({ kind: "literal", value, type: "integer", pos });
const flt = (value: number): Value => ({ kind: "literal", value, type: "float", pos });
const ref = (r: Extract<Value, { kind: "ref" }>["ref"]): Value => ({ kind: "ref", ref: r, pos });

/** Text with the characters that need care in TS, YAML and `${{ }}`. */
const text = fc.oneof(
  fc.constantFrom("ml.m5.large", "s3://bucket/key", "a b", "it's", 'say "hi"', "back\\slash", "line\nbreak", "tab\tx", "`tick`", "${x}", "$", "a$${{ b", "yes", "null", "1.5", "#hash", ": colon", "- dash", "{ brace }", "ünï"),
  fc.string({ unit: fc.constantFrom("a", "b", " ", "$", "{", "}", "'", '"', "\\", "`", ":", "#", "-", "\n"), minLength: 1, maxLength: 12 }),
);
const ids = fc.uniqueArray(fc.constantFrom("prep", "train", "model", "delete", "item", "p", "a-b", "a_b", "aB", "gate", "check", "fmt", "score_1", "x"), {
  minLength: 8,
  maxLength: 12,
});

interface Ctx {
  /** String-typed parameters, numeric parameters. */
  strParams: string[];
  numParams: string[];
  /** Things later steps may read. */
  outputs: Array<{ step: string; name: string }>;
  models: string[];
  reports: Array<{ step: string; report: string }>;
  /** Steps of kind `model` (their `name` is a model name). */
  modelSteps: string[];
  /** Steps outside any branch, which later steps may depend on. */
  done: string[];
}

function textValue(ctx: Ctx): fc.Arbitrary<Value> {
  const refs: fc.Arbitrary<Value>[] = [text.map(s)];
  if (ctx.strParams.length) refs.push(fc.constantFrom(...ctx.strParams).map((name) => ref({ scope: "params", name })));
  if (ctx.outputs.length) refs.push(fc.constantFrom(...ctx.outputs).map((o) => ref({ scope: "steps", step: o.step, attr: "outputs", name: o.name })));
  if (ctx.models.length) refs.push(fc.constantFrom(...ctx.models).map((m) => ref({ scope: "steps", step: m, attr: "model" })));
  refs.push(fc.constant(ref({ scope: "execution", name: "id" })));
  const one = fc.oneof(...refs);
  return fc.oneof(
    { weight: 3, arbitrary: one },
    { weight: 1, arbitrary: fc.array(fc.oneof(one, fc.integer({ min: 0, max: 99 }).map(int)), { minLength: 2, maxLength: 4 }).map((parts) => joinValues(parts, pos)) },
  );
}

function numValue(ctx: Ctx): fc.Arbitrary<Value> {
  const xs: fc.Arbitrary<Value>[] = [fc.integer({ min: -5, max: 100 }).map(int), fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }).map((x) => flt(Math.round(x * 100) / 100 + 0)), fc.integer({ min: 0, max: 9 }).map(flt)];
  if (ctx.numParams.length) xs.push(fc.constantFrom(...ctx.numParams).map((name) => ref({ scope: "params", name })));
  if (ctx.reports.length) xs.push(fc.tuple(fc.constantFrom(...ctx.reports), fc.constantFrom(["a", "b"], ["m", 0, "v"], ["x-y"])).map(([r, path]) => ref({ scope: "steps", step: r.step, attr: "reports", report: r.report, path })));
  return fc.oneof(...xs);
}

function condition(ctx: Ctx): fc.Arbitrary<Value> {
  const cmp = fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "==", "!=" as const), numValue(ctx), numValue(ctx)).map(
    ([op, left, right]): Value => ({ kind: "compare", op, left, right, pos }),
  );
  const arith = fc.tuple(numValue(ctx), fc.constantFrom("+", "-", "*", "/" as const), numValue(ctx)).map(([left, op, right]): Value => ({
    kind: "compare",
    op: ">",
    left: { kind: "arith", op, left, right, pos },
    right: int(1),
    pos,
  }));
  const base = fc.oneof({ weight: 4, arbitrary: cmp }, { weight: 1, arbitrary: arith });
  const inList = ctx.strParams.length
    ? [
        fc.tuple(fc.constantFrom(...ctx.strParams), fc.constantFrom("==", "!=", "<" as const), text).map(([name, op, t]): Value => ({ kind: "compare", op, left: ref({ scope: "params", name }), right: s(t), pos })),
        fc.tuple(fc.constantFrom(...ctx.strParams), fc.array(text, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([name, items, negated]): Value => ({
        kind: "in",
        value: ref({ scope: "params", name }),
        list: { kind: "list", items: items.map(s), pos },
        negated,
        pos,
      })),
      ]
    : [];
  return fc.oneof(
    { weight: 3, arbitrary: base },
    ...inList.map((arbitrary) => ({ weight: 1, arbitrary })),
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("and", "or" as const), fc.array(base, { minLength: 2, maxLength: 3 })).map(([op, operands]): Value => ({ kind: "logic", op, operands, pos })) },
    { weight: 1, arbitrary: base.map((operand): Value => ({ kind: "not", operand, pos })) },
  );
}

const retryRule = fc
  .record(
    { attempts: fc.integer({ min: 1, max: 5 }), interval: fc.constantFrom(1, 30, 90), backoff: fc.constantFrom(1, 1.5, 2), on: fc.constantFrom(["any"], ["capacity", "throttling"]), max_delay: fc.constantFrom(60, 3600), jitter: fc.boolean() },
    { requiredKeys: ["attempts", "interval", "backoff", "on"] },
  )
  .map((r): RetryPolicy => ({ ...r, on: r.on as RetryPolicy["on"], pos }));
/** One rule or several, tried in order. */
const retry = fc.array(retryRule, { minLength: 1, maxLength: 3 });

function common(id: string, ctx: Ctx): fc.Arbitrary<StepCommon> {
  return fc
    .record(
      {
        description: text,
        retry,
        timeout: fc.constantFrom(60, 3600, 5400),
        tags: fc.dictionary(fc.constantFrom("team", "cost-center"), fc.constantFrom("ml", "x y")),
        environment: fc.dictionary(fc.constantFrom("A", "B_C"), fc.oneof(textValue(ctx), fc.integer({ min: 0, max: 9 }).map(int))),
        estimate: fc.constantFrom(60, 600),
      },
      { requiredKeys: [] },
    )
    .chain((c) => fc.subarray(ctx.done, { maxLength: Math.min(1, ctx.done.length) }).map((depends_on) => ({ c, depends_on })))
    .map(({ c, depends_on }) => ({ id, depends_on, tags: c.tags ?? {}, environment: c.environment ?? {}, targets: {}, pos, ...(c.description ? { description: c.description } : {}), ...(c.retry ? { retry: c.retry } : {}), ...(c.timeout ? { timeout: c.timeout } : {}), ...(c.estimate ? { estimate: c.estimate } : {}) }));
}

/** One step of a kind chosen at random, reading only what `ctx` offers. */
function step(id: string, ctx: Ctx, inBranch: boolean): fc.Arbitrary<Step> {
  const kinds: fc.Arbitrary<Step>[] = [
    fc.tuple(common(id, ctx), textValue(ctx), fc.uniqueArray(fc.constantFrom("out", "metrics", "a-b"), { maxLength: 2 }), fc.array(fc.oneof(textValue(ctx), numValue(ctx)), { maxLength: 3 }), fc.boolean()).map(
      ([c, image, outs, args, withReport]): Step => ({
        ...c,
        kind: "processing",
        image,
        ...(withReport ? { code: codeFile("scripts/run.py"), command: ["python3", "-u"] } : {}),
        arguments: args,
        inputs: ctx.outputs.length ? { data: { source: ref({ scope: "steps", step: ctx.outputs[0].step, attr: "outputs", name: ctx.outputs[0].name }), destination: "/opt/ml/processing/in", pos } } : {},
        outputs: Object.fromEntries(outs.map((o, i) => [o, { path: `/opt/ml/processing/${o}`, ...(i === 1 ? { destination: s(`s3://bucket-gen/fixed/${o}`) } : {}), pos }])),
        ...(withReport ? { network: { isolation: false, pos }, kms: { output: s("alias/k"), pos } } : {}),
        reports: withReport && outs.length ? { stats: { output: outs[0], file: "stats.json", pos } } : {},
      }),
    ),
    fc.tuple(common(id, ctx), fc.option(fc.array(fc.record({ d: fc.integer({ min: 1, max: 9 }), e: fc.constantFrom(0.1, 0.25) }), { minLength: 1, maxLength: 3 }), { nil: undefined })).map(([c, items]): Step => ({
      ...c,
      kind: "training",
      image: s("xgboost:1.7-1"),
      instance: { type: s("ml.m5.xlarge"), count: int(2), pos },
      hyperparameters: items
        ? { max_depth: ref({ scope: "item", path: ["d"] }), eta: ref({ scope: "item", path: ["e"] }), objective: s("reg:squarederror") }
        : { num_round: int(50), eta: flt(0.2) },
      inputs: ctx.outputs.length ? { train: { source: ref({ scope: "steps", step: ctx.outputs[0].step, attr: "outputs", name: ctx.outputs[0].name }), content_type: "text/csv", pos } } : {},
      metric_definitions: [{ name: "rmse", regex: "rmse: ([0-9.]+)", pos }],
      ...(items ? { foreach: { items: items.map((x) => ({ kind: "map" as const, entries: { d: int(x.d), e: flt(x.e) }, pos })), pos } } : {}),
    })),
    fc.tuple(common(id, ctx), textValue(ctx)).map(([c, message]): Step => ({ ...c, kind: "fail", message })),
    fc.tuple(common(id, ctx), fc.dictionary(fc.constantFrom("k", "list", "n"), fc.oneof(textValue(ctx), numValue(ctx), fc.array(text.map(s), { maxLength: 2 }).map((items): Value => ({ kind: "list", items, pos })))), fc.constantFrom({}, { best: "string" as ScalarType, score: "float" as ScalarType })).map(
      ([c, payload, outputs]): Step => ({ ...c, kind: "lambda", function: s("arn:aws:lambda:us-east-1:111122223333:function:f"), payload, outputs }),
    ),
  ];
  kinds.push(
    fc.tuple(common(id, ctx), fc.constantFrom(1, 4), fc.boolean()).map(([c, par, grid]): Step => ({
      ...c,
      kind: "tuning",
      image: s("xgboost:1.7-1"),
      hyperparameters: { num_round: int(10) },
      inputs: {},
      metric_definitions: [{ name: "validation:rmse", regex: "rmse=([0-9.]+)", pos }],
      input_mode: "Pipe",
      spot: { max_wait: 7200, pos },
      ranges: {
        eta: { type: "continuous", min: 0.01, max: 0.5, scaling: "Logarithmic", pos },
        depth: { type: "integer", min: 2, max: 9, pos },
        booster: { type: "categorical", values: ["gbtree", "dart"], pos },
      },
      objective: { metric: "validation:rmse", type: "Minimize", pos },
      strategy: grid ? "Random" : "Bayesian",
      max_jobs: 4,
      parallel_jobs: par,
      early_stopping: "Auto",
    })),
    fc.tuple(common(id, ctx), textValue(ctx), fc.constantFrom({}, { decision: "boolean" as ScalarType, note: "string" as ScalarType })).map(([c, q, outputs]): Step => ({
      ...c,
      kind: "approval",
      queue: q,
      message: { what: s("approve?"), n: int(1) },
      outputs,
    })),
    fc.tuple(common(id, ctx), fc.dictionary(fc.constantFrom("alpha", "name"), fc.oneof(textValue(ctx), numValue(ctx)))).map(([c, parameters]): Step => ({
      ...c,
      kind: "notebook",
      notebook: codeFile("notebooks/report.ipynb"),
      image: s("sagemaker-distribution:latest"),
      instance: { type: s("ml.t3.medium"), volume_gb: int(30), pos },
      kernel: "python3",
      parameters,
    })),
    common(id, ctx).map((c): Step => ({ ...c, kind: "passthrough", target: "sagemaker", type: "EMR", body: { ClusterId: "j-1", StepConfig: { Args: ["a", "${{ raw }}"] } } })),
    fc.tuple(common(id, ctx), fc.integer({ min: 0, max: 3600 }).map(int)).map(([c, seconds]): Step => ({ ...c, kind: "wait", seconds })),
    fc.tuple(common(id, ctx), textValue(ctx), fc.constantFrom({}, { MessageId: "string" as ScalarType })).map(([c, message, outputs]): Step => ({
      ...c,
      kind: "aws",
      service: "sns",
      action: "Publish",
      request: { TopicArn: s("arn:aws:sns:us-east-1:111122223333:t"), Message: message, Attributes: { kind: "map", entries: { n: int(1) }, pos } },
      outputs,
    })),
    fc.tuple(common(id, ctx), textValue(ctx), fc.boolean()).map(([c, arg, full]): Step => ({
      ...c,
      kind: "glue",
      job: s("etl-job"),
      arguments: { "--input": arg, "--days": int(3) },
      ...(full ? { worker_type: s("G.1X"), workers: int(4) } : {}),
    })),
    fc.tuple(common(id, ctx), fc.array(textValue(ctx), { maxLength: 3 }), fc.boolean()).map(([c, args, full]): Step => ({
      ...c,
      kind: "emr",
      cluster_id: s("j-ABC123"),
      jar: s("command-runner.jar"),
      args,
      ...(full ? { main_class: s("org.example.Main"), action_on_failure: "CONTINUE" as const } : {}),
      properties: full ? { "spark.x": s("1") } : {},
    })),
    fc.tuple(common(id, ctx), textValue(ctx), fc.boolean()).map(([c, key, vpc]): Step => ({
      ...c,
      kind: "training",
      image: s("123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1"),
      hyperparameters: {},
      inputs: { manifest: { source: s("s3://bucket-gen/manifest.json"), data_type: "ManifestFile", pos } },
      metric_definitions: [],
      entrypoint: [s("python3"), s("train.py")],
      container_arguments: [key, int(2)],
      output_path: s("s3://bucket-gen/models"),
      // Ids and keys are what the API takes (a security group id, a KMS alias); free text goes where any text is taken.
      network: { isolation: true, encrypt_traffic: vpc, ...(vpc ? { vpc: { subnets: [s("subnet-1")], security_groups: [s("sg-0a1b2c")], pos } } : {}), pos },
      kms: { volume: s("alias/vol"), output: s("alias/out"), pos },
    })),
  );
  if (ctx.modelSteps.length) {
    kinds.push(
      fc.tuple(common(id, ctx), fc.constantFrom(...ctx.modelSteps), textValue(ctx), fc.boolean()).map(([c, m, src, full]): Step => ({
        ...c,
        kind: "transform",
        model: ref({ scope: "steps", step: m, attr: "name" }),
        instance: { type: s("ml.m5.xlarge"), count: int(1), pos },
        input: full ? { source: src, content_type: "text/csv", split_type: "Line", compression: "Gzip", pos } : { source: src, pos },
        output: full ? { accept: "text/csv", assemble_with: "Line", pos } : {},
        ...(full ? { strategy: "MultiRecord" as const, max_payload_mb: 6, max_concurrent: 2 } : {}),
      })),
    );
  }
  if (ctx.models.length) {
    kinds.push(
      fc.tuple(common(id, ctx), fc.constantFrom(...ctx.models), textValue(ctx)).map(([c, m, name]): Step => ({
        ...c,
        kind: "endpoint",
        name,
        model: ref({ scope: "steps", step: m, attr: "model" }),
        image: s("xgboost:1.7-1"),
        instance: { type: s("ml.m5.large"), count: int(2), pos },
      })),
    );
    kinds.push(
      fc.tuple(common(id, ctx), fc.constantFrom(...ctx.models)).map(([c, m]): Step => ({ ...c, kind: "model", image: s("xgboost:1.7-1"), model: ref({ scope: "steps", step: m, attr: "model" }) })),
      fc.tuple(common(id, ctx), fc.constantFrom(...ctx.models), fc.constantFrom([], ["text/csv"])).map(([c, m, types]): Step => ({
        ...c,
        kind: "register-model",
        model: ref({ scope: "steps", step: m, attr: "model" }),
        image: s("xgboost:1.7-1"),
        package_group: s("group"),
        approval: s("PendingManualApproval"),
        content_types: types,
        response_types: types,
        inference_instances: [],
        transform_instances: [s("ml.m5.large")],
      })),
    );
  }
  if (!inBranch && ctx.outputs.length + ctx.models.length + ctx.reports.length > 0) {
    const cond = condition(ctx).map((cond): Step => ({ id, kind: "condition", if: cond, then: [], else: [], depends_on: [], tags: {}, environment: {}, targets: {}, pos }));
    // Conditions weigh as much as all other kinds together: branches need exercise.
    return fc.oneof({ weight: kinds.length, arbitrary: cond }, ...kinds.map((arbitrary) => ({ weight: 1, arbitrary })));
  }
  return fc.oneof(...kinds);
}

function learn(ctx: Ctx, st: Step): void {
  ctx.done.push(st.id);
  if (st.kind === "processing") {
    for (const o of Object.keys(st.outputs)) ctx.outputs.push({ step: st.id, name: o });
    for (const r of Object.keys(st.reports)) ctx.reports.push({ step: st.id, report: r });
  }
  // A foreach step's model is a list: only single runs give a model URI.
  if ((st.kind === "training" || st.kind === "tuning") && !st.foreach) ctx.models.push(st.id);
  if (st.kind === "model") ctx.modelSteps.push(st.id);
}

const parameters = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom("input", "threshold", "epochs", "flag", "mode-x"),
    kind: fc.constantFrom("string", "integer", "float", "boolean" as const),
    desc: fc.option(text, { nil: undefined }),
    withDefault: fc.boolean(),
  }),
  { selector: (p) => p.name, maxLength: 4 },
).map((ps) =>
  ps.map((x): Parameter => {
    const def = x.kind === "string" ? "v" : x.kind === "integer" ? 3 : x.kind === "float" ? 6 : true;
    return {
      name: x.name,
      type: x.kind,
      ...(x.withDefault ? { default: def } : {}),
      ...(x.kind === "string" && x.withDefault ? { enum: ["v", "w"] } : {}),
      ...(x.desc !== undefined ? { description: x.desc } : {}),
      pos,
    };
  }),
);

/** A valid pipeline. */
export const pipelineArb: fc.Arbitrary<Pipeline> = fc
  .tuple(parameters, ids, fc.integer({ min: 2, max: 8 }), fc.option(text, { nil: undefined }), fc.boolean(), fc.boolean())
  .chain(([params, idPool, n, description, withSchedule, withTargets]) => {
    const ctx0: Ctx = {
      strParams: params.filter((p) => p.type === "string").map((p) => p.name),
      numParams: params.filter((p) => p.type === "integer" || p.type === "float").map((p) => p.name),
      outputs: [],
      models: [],
      reports: [],
      modelSteps: [],
      done: [],
    };
    // Steps one after another, each reading only what earlier steps made; a
    // condition takes the next one or two steps into its branches (which
    // nothing after them reads). Everything is rebuilt per sample: no sharing.
    type Acc = { steps: Step[]; ctx: Ctx; pending: Array<{ cond: number; branch: "then" | "else" }> };
    let chain: fc.Arbitrary<Acc> = fc.constant({ steps: [], ctx: ctx0, pending: [] });
    for (let k = 0; k < n; k++) {
      const id = idPool[k];
      chain = chain.chain((acc) => {
        const [branchOf, ...rest] = acc.pending;
        return step(id, acc.ctx, !!branchOf).map((st): Acc => {
          const steps = [...acc.steps];
          const ctx: Ctx = { ...acc.ctx, outputs: [...acc.ctx.outputs], models: [...acc.ctx.models], reports: [...acc.ctx.reports], modelSteps: [...acc.ctx.modelSteps], done: [...acc.ctx.done] };
          if (branchOf) {
            const cond = steps[branchOf.cond] as Step & { kind: "condition" };
            steps[branchOf.cond] = { ...cond, [branchOf.branch]: [...cond[branchOf.branch], st.id] };
          } else learn(ctx, st);
          steps.push(st);
          const pending = st.kind === "condition" ? [...rest, { cond: steps.length - 1, branch: "then" as const }, { cond: steps.length - 1, branch: "else" as const }] : rest;
          return { steps, ctx, pending };
        });
      });
    }
    return chain.map(({ steps }): Pipeline => ({
      version: 1,
      name: "generated",
      ...(description !== undefined ? { description } : {}),
      region: "us-east-1",
      artifacts: "s3://bucket-gen/prefix",
      parameters: params,
      defaults: { instance: { type: s("ml.m5.large"), pos }, timeout: 7200, tags: { owner: "x" }, pos },
      // A scheduled pipeline's parameters all have defaults (a schedule starts runs without values).
      ...(withSchedule && params.every((x) => x.default !== undefined)
        ? { schedule: description === undefined ? { every: 21600, pos } : { cron: "0 6 * * 1", timezone: "Europe/Berlin", enabled: false, intervals: true, pos } }
        : {}),
      steps,
      targets: withTargets ? { sagemaker: { settings: { Raw: "${{ not parsed }}", N: [1, { a: null }] }, pos } } : {},
      source: { file: "gen", format: "yaml" },
      pos,
    }));
  });
