/**
 * Text joined inside a condition: a branch callable comparing with an f-string of the run's
 * parameters lifts as `concat()`, the pipeline's spelling of a join inside an expression. The
 * lifted pipeline prints and reads back the same, and on Step Functions takes the way the
 * callable would.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import stepfunctions from "../../../backends/stepfunctions/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { stripPositions } from "../../../src/ir/values.js";
import { aslValidator, run } from "../stepfunctions/support.js";

const TEXT = `from datetime import datetime

from airflow import DAG
from airflow.operators.python import BranchPythonOperator
from airflow.providers.amazon.aws.operators.sns import SnsPublishOperator

TOPIC = "arn:aws:sns:eu-west-1:111122223333:refresh"


def choose(**context):
    if context["params"]["mode"] == f"{context['params']['env']}-full":
        return "full"
    return "part"


with DAG(dag_id="refresh_mode", schedule=None, start_date=datetime(2025, 1, 1), catchup=False, params={"mode": "prod-full", "env": "prod"}) as dag:
    pick = BranchPythonOperator(task_id="pick", python_callable=choose)
    full = SnsPublishOperator(task_id="full", target_arn=TOPIC, message="full", region_name="eu-west-1")
    part = SnsPublishOperator(task_id="part", target_arn=TOPIC, message="part", region_name="eu-west-1")
    pick >> [full, part]
`;

describe("an f-string compared in a branch callable", () => {
  const r = airflow.lift!({ file: "refresh_mode.py", text: TEXT, given: { artifacts: "s3://acme-refresh/runs" } });

  test("lifts as concat() in the condition; printed and read back, the same pipeline", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const pick = r.pipeline!.steps.find((s) => s.id === "pick")!;
    expect(pick.kind === "condition" && printExpr(pick.if)).toBe("params.mode == concat(params.env, '-full')");
    const text = printYaml(r.pipeline!);
    expect(text).toContain("if: ${{ params.mode == concat(params.env, '-full') }}");
    const again = loadYamlText(text, "refresh_mode.yaml");
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(stripPositions(again.pipeline!.steps)).toEqual(stripPositions(r.pipeline!.steps));
  });

  test("on Step Functions the text is worked out before the Choice, which takes the way the callable would", async () => {
    const out = stepfunctions.lower(r.pipeline!, { baseDir: "." });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(aslValidator(def).isValid).toBe(true);
    const way = async (params: Record<string, string>) => {
      const sent: string[] = [];
      const res = await run(def, params, { full: (i: { Message: string }) => (sent.push(i.Message), { MessageId: "1" }), part: (i: { Message: string }) => (sent.push(i.Message), { MessageId: "2" }) });
      expect(res.status, res.cause).toBe("SUCCEEDED");
      return sent;
    };
    expect(await way({})).toEqual(["full"]);
    expect(await way({ env: "dev" })).toEqual(["part"]);
    expect(await way({ env: "dev", mode: "dev-full" })).toEqual(["full"]);
  });
});
