/**
 * The pipeline's schedule as an EventBridge Scheduler schedule: the backend
 * wrote the CreateSchedule request (file kind `schedule`); this creates it or,
 * when the deployed one differs, updates it (UpdateSchedule takes the whole
 * request again).
 */
import type { OutputFile } from "../backend/types.js";
import type { Pipeline } from "../ir/types.js";
import { clientSettings } from "./aws.js";
import { compareTexts } from "./diff.js";
import { call, callOrMissing } from "./errors.js";
import type { Change, DeployOpts } from "./types.js";
import { sdk } from "./sdk.js";

/**
 * The deployed schedule seen through the request's shape: only the fields the
 * request sets are compared (GetSchedule adds service defaults such as the
 * target's RetryPolicy, and Name/GroupName/Arn/dates that are not settings).
 */
export function projectOnto(deployed: unknown, shape: unknown): unknown {
  if (shape && typeof shape === "object" && !Array.isArray(shape) && deployed && typeof deployed === "object" && !Array.isArray(deployed)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(shape)) {
      const v = (deployed as Record<string, unknown>)[k];
      if (v !== undefined && v !== null) out[k] = projectOnto(v, (shape as Record<string, unknown>)[k]);
    }
    return out;
  }
  return deployed;
}

/**
 * Create or update the schedule in `files`, if there is one. `targetArn`, when
 * given, replaces the request's target (the ARN AWS gave the deployed resource).
 */
export async function deploySchedule(p: Pipeline, files: OutputFile[], o: DeployOpts, changes: Change[], targetArn?: string): Promise<void> {
  const file = files.find((f) => f.kind === "schedule");
  if (!file) return;
  const request = JSON.parse(file.contents) as Record<string, unknown> & { Name: string; GroupName?: string; Target: Record<string, unknown> };
  if (targetArn) request.Target = { ...request.Target, Arn: targetArn };
  const resource = `schedule ${request.GroupName ?? "default"}/${request.Name}`;
  const { SchedulerClient, GetScheduleCommand, CreateScheduleCommand, UpdateScheduleCommand } = await sdk("@aws-sdk/client-scheduler", () => import("@aws-sdk/client-scheduler"));
  const client = new SchedulerClient((await clientSettings(p, o)) as NonNullable<ConstructorParameters<typeof SchedulerClient>[0]>);
  const deployed = await callOrMissing("scheduler", "GetSchedule", ["ResourceNotFoundException"], () =>
    client.send(new GetScheduleCommand({ Name: request.Name, GroupName: request.GroupName })),
  );
  const cmp = compareTexts(resource, deployed ? JSON.stringify(projectOnto(deployed, request)) : undefined, JSON.stringify(request));
  if (cmp.action !== "unchanged" && !o.dryRun) {
    type Input = ConstructorParameters<typeof CreateScheduleCommand>[0];
    if (deployed) await call("scheduler", "UpdateSchedule", () => client.send(new UpdateScheduleCommand(request as unknown as Input)));
    else await call("scheduler", "CreateSchedule", () => client.send(new CreateScheduleCommand(request as unknown as Input)));
  }
  changes.push({ resource, ...cmp });
}
