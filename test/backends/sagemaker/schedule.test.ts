/** Five-field cron -> EventBridge Scheduler's six fields, and the CreateSchedule request. */
import { describe, expect, it } from "vitest";
import { eventBridgeCron, START_PIPELINE_TARGET } from "../../../backends/sagemaker/schedule.js";
import { fixture, lower } from "./support/load.js";

describe("cron conversion", () => {
  it.each([
    ["0 6 * * 1", "cron(0 6 ? * MON *)"],
    ["30 2 * * *", "cron(30 2 * * ? *)"],
    ["*/15 * * * *", "cron(*/15 * * * ? *)"],
    ["0 0 1 * *", "cron(0 0 1 * ? *)"],
    ["0 9 * * 1-5", "cron(0 9 ? * MON-FRI *)"],
    ["0 9 * * 0,6", "cron(0 9 ? * SUN,SAT *)"],
    ["0 9 * * 7", "cron(0 9 ? * SUN *)"],
    ["0 9 * * sun", "cron(0 9 ? * SUN *)"],
    ["0 9 * * */2", "cron(0 9 ? * */2 *)"],
    ["0 12 15 jan,jul *", "cron(0 12 15 JAN,JUL ? *)"],
  ])("%s -> %s", (five, six) => {
    expect(eventBridgeCron(five)).toEqual({ expression: six });
  });

  it("refuses what EventBridge cannot say", () => {
    expect(eventBridgeCron("0 6 1 * 1")).toHaveProperty("error");
    expect(eventBridgeCron("@daily")).toHaveProperty("error");
  });
});

describe("schedule.json", () => {
  it("is a CreateSchedule request starting the pipeline", async () => {
    const r = lower(await fixture("churn.yaml"));
    const s = JSON.parse(r.files.find((f) => f.kind === "schedule")!.contents);
    expect(s).toEqual({
      Name: "churn-nightly-schedule",
      Description: "Starts the SageMaker pipeline churn-nightly on cron '30 2 * * *'",
      ScheduleExpression: "cron(30 2 * * ? *)",
      ScheduleExpressionTimezone: "UTC",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: START_PIPELINE_TARGET, RoleArn: "arn:aws:iam::111122223333:role/MLPipelineRole", Input: '{"PipelineName":"churn-nightly","ClientRequestToken":"<aws.scheduler.execution-id>"}' },
    });
    expect(START_PIPELINE_TARGET).toBe("arn:aws:scheduler:::aws-sdk:sagemaker:startPipelineExecution");
  });
});
