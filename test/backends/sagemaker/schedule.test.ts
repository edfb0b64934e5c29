/** Five-field cron -> EventBridge Scheduler's six fields, and the CreateSchedule request. */
import { describe, expect, it } from "vitest";
import { START_PIPELINE_TARGET } from "../../../backends/sagemaker/schedule.js";
import { fixture, lower } from "./support/load.js";

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
