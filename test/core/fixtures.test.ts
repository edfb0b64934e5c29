/** The bundled examples are the format's contract: they load cleanly, into the IR read off them by hand. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { dependencies } from "../../src/ir/graph.js";
import { printTemplate } from "../../src/ir/expr/print.js";
import type { Pipeline, Step, Value } from "../../src/ir/types.js";

const FIX = join(__dirname, "..", "..", "fixtures");

async function load(name: string): Promise<Pipeline> {
  const r = await loadPipelineFile(join(FIX, name));
  expect(r.diagnostics).toEqual([]);
  return r.pipeline!;
}

const step = (p: Pipeline, id: string): Step => p.steps.find((s) => s.id === id)!;
const text = (v: Value) => printTemplate(v);

describe("abalone.yaml", () => {
  it("has the dependencies the file implies", async () => {
    const p = await load("abalone.yaml");
    expect(Object.fromEntries(dependencies(p))).toEqual({
      preprocess: [],
      train: ["preprocess"],
      evaluate: ["preprocess", "train"],
      mse_gate: ["evaluate"],
      register: ["train", "evaluate", "mse_gate"],
      model: ["train", "mse_gate"],
      batch_score: ["mse_gate", "model"],
      mse_too_high: ["evaluate", "mse_gate"],
    });
  });

  it("keeps types, durations and expressions", async () => {
    const p = await load("abalone.yaml");
    expect(p.parameters.find((x) => x.name === "mse_threshold")).toMatchObject({ type: "float", default: 6 });
    expect(p.defaults).toMatchObject({ retry: [{ attempts: 3, interval: 30, backoff: 2, on: ["any"] }], timeout: 7200, tags: { project: "abalone" } });
    expect(p.schedule).toMatchObject({ cron: "0 6 * * 1" });
    const pre = step(p, "preprocess");
    expect(pre).toMatchObject({ kind: "processing", cache: 7 * 86400, estimate: 600, code: { path: "scripts/preprocessing.py" } });
    const train = step(p, "train");
    expect(train.kind === "training" && train.hyperparameters.eta).toMatchObject({ kind: "literal", value: 0.2, type: "float" });
    expect(train.kind === "training" && train.hyperparameters.num_round).toMatchObject({ kind: "literal", value: 50, type: "integer" });
    const gate = step(p, "mse_gate");
    expect(gate.kind === "condition" && text(gate.if)).toBe("${{ steps.evaluate.reports.metrics.regression_metrics.mse.value <= params.mse_threshold }}");
    expect(gate).toMatchObject({ then: ["register", "model", "batch_score"], else: ["mse_too_high"] });
    const fail = step(p, "mse_too_high");
    expect(fail.kind === "fail" && fail.message.kind).toBe("join");
    expect(fail.kind === "fail" && text(fail.message)).toBe("MSE ${{ steps.evaluate.reports.metrics.regression_metrics.mse.value }} is above ${{ params.mse_threshold }}");
    const reg = step(p, "register");
    expect(reg.kind === "register-model" && text(reg.metrics!)).toBe("${{ steps.evaluate.outputs.evaluation }}/evaluation.json");
  });

  it("positions point into the file", async () => {
    const p = await load("abalone.yaml");
    expect(step(p, "train").pos).toMatchObject({ line: 64, col: 3 });
    const gate = step(p, "mse_gate");
    // `${{ steps.evaluate...` on line 107: the reference starts after `if: ${{ `.
    expect(gate.kind === "condition" && gate.if.pos).toEqual({ file: join(FIX, "abalone.yaml"), line: 107, col: 13 });
  });
});

describe("churn.yaml", () => {
  it("keeps foreach, lambda outputs, approval and explicit ordering", async () => {
    const p = await load("churn.yaml");
    const sweep = step(p, "sweep");
    expect(sweep.foreach?.items).toHaveLength(3);
    expect(sweep.kind === "training" && text(sweep.hyperparameters.max_depth)).toBe("${{ item.max_depth }}");
    expect(step(p, "pick_best")).toMatchObject({ kind: "lambda", outputs: { best_model: "string", best_auc: "float" }, timeout: 300 });
    expect(step(p, "approve")).toMatchObject({ kind: "approval", timeout: 3 * 86400 });
    expect(step(p, "features").retry).toMatchObject([{ attempts: 5, interval: 60, backoff: 1.5, on: ["capacity", "throttling"] }]);
    expect(Object.fromEntries(dependencies(p))).toEqual({
      features: [],
      sweep: ["features"],
      pick_best: ["sweep"],
      auc_gate: ["pick_best"],
      approve: ["pick_best", "auc_gate"],
      deploy: ["pick_best", "auc_gate", "approve"],
      too_weak: ["pick_best", "auc_gate"],
    });
  });
});
