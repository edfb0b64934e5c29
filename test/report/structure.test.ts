/** Each backend's arrangement of the steps, read off by hand, and drawn in the HTML report. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import airflow from "../../backends/airflow/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import stepfunctions from "../../backends/stepfunctions/index.js";
import { loadPipelineFile } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { runReport } from "../../src/report/index.js";

const FIX = join(__dirname, "..", "..", "fixtures");
const load = async (f: string): Promise<Pipeline> => (await loadPipelineFile(join(FIX, f))).pipeline!;
const step = (id: string, label = id) => ({ t: "step", step: id, label });

describe("how each target arranges the steps", () => {
  it("Step Functions: a sequence, the Choice, and Parallel branches where the DAG allows", async () => {
    expect(stepfunctions.structure!(await load("abalone.yaml"))).toEqual({
      t: "seq",
      items: [
        step("preprocess"),
        step("train"),
        step("evaluate"),
        {
          t: "choice",
          step: "mse_gate",
          label: "mse_gate (Choice)",
          then: { t: "par", label: "Parallel", branches: [step("register"), { t: "seq", items: [step("model"), step("batch_score")] }] },
          else: step("mse_too_high"),
        },
      ],
    });
    const churn = stepfunctions.structure!(await load("churn.yaml")) as { items: unknown[] };
    expect(churn.items[1]).toEqual({ t: "par", label: "sweep: Parallel, one branch per item", branches: [step("sweep", "sweep_0"), step("sweep", "sweep_1"), step("sweep", "sweep_2")] });
  });

  it("SageMaker: top-level Steps, the condition's branches nested whole, foreach unrolled", async () => {
    expect(sagemaker.structure!(await load("churn.yaml"))).toEqual({
      t: "group",
      label: "Steps (run as their data dependencies allow)",
      items: [
        step("features"),
        step("sweep", "sweep_0"),
        step("sweep", "sweep_1"),
        step("sweep", "sweep_2"),
        step("pick_best"),
        {
          t: "choice",
          step: "auc_gate",
          label: "auc_gate (Condition)",
          then: { t: "group", label: "IfSteps", items: [step("approve"), step("deploy")] },
          else: { t: "group", label: "ElseSteps", items: [step("too_weak")] },
        },
      ],
    });
  });

  it("Airflow: one task per step and per foreach item, the branch task over its two ways", async () => {
    const s = airflow.structure!(await load("churn.yaml")) as { items: Array<{ label: string }> };
    expect(s.items.map((i) => i.label)).toEqual(["features", "sweep_0", "sweep_1", "sweep_2", "pick_best", "auc_gate (branch task)"]);
  });

  it("the HTML report draws each arrangement", async () => {
    const r = await runReport(await load("abalone.yaml"), { format: "html", color: false });
    const html = r.output;
    const section = html.slice(html.indexOf('id="structures"'), html.indexOf("<h2>Features</h2>"));
    for (const t of ["airflow", "sagemaker", "stepfunctions"]) expect(section).toContain(`class="structure" data-target="${t}"`);
    const sfn = section.slice(section.indexOf('data-target="stepfunctions"'));
    expect(sfn).toContain(">Parallel</text>");
    expect(sfn).toContain(">mse_gate (Choice)</text>");
    expect(section).toContain(">IfSteps</text>");
  });
});
