/**
 * Any pipeline SageMaker lowers lifts back to a pipeline that lowers to the same definition;
 * the only refusal is the one the format cannot avoid (a reference to a notebook's output: a
 * lifted notebook is a training job).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import backend from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import { pipelineArb } from "../../frontends/typescript/arbitrary.js";
import type { Pipeline, RetryPolicy, Step, StepCommon } from "../../../src/ir/types.js";

/** What SageMaker cannot run taken out of a random pipeline, so the property speaks about what it can. */
function forSageMaker(p: Pipeline): Pipeline {
  const q = structuredClone(p);
  const plain = (rules: RetryPolicy[] | undefined) => rules?.map(({ jitter: _j, max_delay: _m, ...r }) => r);
  q.role ??= "arn:aws:iam::111122223333:role/R";
  if (q.defaults.retry) q.defaults.retry = plain(q.defaults.retry);
  q.steps = q.steps.map((s): Step => {
    const { on_failure: _f, ...rest } = s;
    const base = { ...rest, retry: plain(s.retry) } as Step;
    if (s.kind === "wait" || s.kind === "glue") {
      const { retry: _r, timeout: _t, cache: _c, ...common } = base as Step & { retry?: unknown; timeout?: unknown; cache?: unknown };
      return { ...(common as StepCommon), kind: "lambda", function: { kind: "literal", value: "arn:aws:lambda:us-east-1:111122223333:function:f", type: "string", pos: s.pos }, payload: {}, outputs: {} };
    }
    if (base.kind === "lambda") delete base.retry;
    if (base.kind === "emr") delete base.action_on_failure;
    return base;
  });
  return q;
}

describe("lower, lift, lower again", () => {
  it("gives the same definition for random pipelines", () => {
    let lifted = 0;
    fc.assert(
      fc.property(pipelineArb.map(forSageMaker), (p) => {
        if (refusals(backend, p).some((d) => d.severity === "error")) return;
        const first = backend.lower(p, { baseDir: ".", options: {} });
        if (first.diagnostics.some((d) => d.severity === "error")) return;
        const r = backend.lift!({ file: "pipeline.json", text: first.files[0].contents });
        const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
        if (errors.length) {
          for (const e of errors) expect(e).toMatch(/^the property reference 'Steps\.[A-Za-z0-9_-]+\.OutputDataConfig\.S3OutputPath' .* has no equivalent/);
          return;
        }
        lifted++;
        expect(r.diagnostics.filter((d) => d.code === "lift-respelled")).toEqual([]);
        const again = backend.lower(r.pipeline!, { baseDir: ".", options: {} });
        expect(JSON.parse(again.files[0].contents)).toEqual(JSON.parse(first.files[0].contents));
        // And through the YAML a user would edit.
        const loaded = loadYamlText(printYaml(r.pipeline!), "lifted.yaml", ".");
        expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const viaYaml = backend.lower(loaded.pipeline!, { baseDir: ".", options: {} });
        expect(JSON.parse(viaYaml.files[0].contents)).toEqual(JSON.parse(first.files[0].contents));
      }),
      { numRuns: 300, seed: 7 },
    );
    // The property says something only if most samples lift.
    expect(lifted).toBeGreaterThan(100);
  });
});
