/**
 * Lifted corpus machines, lowered again, run the same tasks in a compatible
 * order: both the original and the re-lowered machine are executed, every task
 * answered by a local stand-in of its service, and the sequences of service
 * calls compared.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { CORPUS as CORPUS_ROOT } from "../../support/corpus.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { findState, type Handler, lower, run } from "./support.js";

/** A corpus machine; each starts with a Lambda given the run's whole input. */
const corpus = (f: string) => ({ file: f, text: readFileSync(`${CORPUS_ROOT}/stepfunctions/${f}`, "utf8") });

/**
 * Every Task state's name and its service call (`sagemaker:createTrainingJob`, `lambda:invoke`, ...);
 * a function ARN as the resource is lambda:invoke too, answered with the function's result alone.
 */
function tasks(def: any, out = new Map<string, string>()): Map<string, string> {
  for (const [name, st] of Object.entries<any>(def.States)) {
    if (st.Type === "Task") {
      const r = String(st.Resource);
      const call = r.startsWith("arn:aws:lambda:") ? "lambda:invoke" : r.replace(/^arn:aws:states:::(aws-sdk:)?/, "").replace(/\.sync$/, "");
      out.set(name, call);
    }
    for (const b of st.Branches ?? []) tasks(b, out);
  }
  return out;
}

const STAND_INS: Record<string, () => Handler> = {
  "sagemaker:createTrainingJob": sagemaker.training,
  "sagemaker:createProcessingJob": sagemaker.processing,
  "sagemaker:createTransformJob": sagemaker.transform,
  "sagemaker:createModel": sagemaker.createModel,
  "lambda:invoke": () => lambdaInvoke(() => ({})),
};

/** The service calls one execution makes, in order (reads of step reports aside). */
async function calls(def: any): Promise<string[]> {
  const byName = tasks(def);
  const handlers: Record<string, Handler> = {};
  for (const [name, call] of byName) {
    const make = STAND_INS[call];
    if (!make) throw new Error(`no stand-in for ${call}`);
    const h = make();
    const plain = String(findState(def, name)?.Resource).startsWith("arn:aws:lambda:");
    handlers[name] = plain ? (i) => (h({ Payload: i }) as { Payload: unknown }).Payload : h;
  }
  const r = await run(def, { rows: 10 }, handlers);
  expect(r.status, `${r.error}: ${r.cause}`).toBe("SUCCEEDED");
  return r.finished.map((n) => byName.get(n)!);
}


describe("lifted corpus machines run the same tasks when lowered again", () => {
  for (const f of ["awsdocs-sample-train-xgboost-batch-transform.asl.json", "awsdocs-sample-processing-feature-transform-train.asl.json"]) {
    test(f, async () => {
      const original = JSON.parse(corpus(f).text);
      const lifted = backend.lift!(corpus(f));
      const relowered = lower(lifted.pipeline!).definition;
      const before = await calls(original);
      expect(before.length).toBeGreaterThan(2);
      expect(before[0]).toBe("lambda:invoke");
      expect(before).toContain("sagemaker:createTrainingJob");
      expect(await calls(relowered)).toEqual(before);
    });
  }
});
