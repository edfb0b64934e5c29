/**
 * Step Functions: upload code, create or update the state machine
 * (CreateStateMachine / UpdateStateMachine, compared with DescribeStateMachine),
 * then the schedule aimed at the machine's real ARN; run = StartExecution
 * whose input is the parameters object (the machine merges it over the
 * defaults: `States.JsonMerge($.defaults, $, false)` into `$.params`).
 */
import { randomUUID } from "node:crypto";
import type { OutputFile } from "../backend/types.js";
import { error } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";
import { clientSettings } from "./aws.js";
import { uploadCode } from "./code-upload.js";
import { compareTexts } from "./diff.js";
import { call, fail } from "./errors.js";
import { fileOfKind } from "./files.js";
import { minifyJson } from "../backend/wire.js";
import { typedParams } from "./params.js";
import { deploySchedule } from "./schedule.js";
import { follow, StatusLine, type StepState } from "./status.js";
import type { Change, DeployOpts, RunOpts, RunResult, TargetDeployer } from "./types.js";
import { sdk } from "./sdk.js";

async function client(p: Pipeline, o: DeployOpts) {
  const sfn = await sdk("@aws-sdk/client-sfn", () => import("@aws-sdk/client-sfn"));
  return { sfn, client: new sfn.SFNClient((await clientSettings(p, o)) as NonNullable<ConstructorParameters<typeof sfn.SFNClient>[0]>) };
}

/** The role the state machine runs as: `targets.stepfunctions.settings.roleArn`, else the pipeline's `role`. */
export function machineRole(p: Pipeline): string {
  const own = p.targets.stepfunctions?.settings.roleArn;
  if (typeof own === "string" && own) return own;
  if (!p.role) fail(`pipeline '${p.name}' has no 'role': Step Functions needs an IAM role ARN for the state machine`, "add `role:` to the pipeline, or `targets: { stepfunctions: { roleArn: ... } }`");
  return p.role;
}

type Sfn = Awaited<ReturnType<typeof client>>;

/** The ARN of the machine named `name`, if it exists (names are unique per account and region). */
async function findMachine({ sfn, client: c }: Sfn, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await call("stepfunctions", "ListStateMachines", () => c.send(new sfn.ListStateMachinesCommand({ nextToken, maxResults: 1000 })));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function deploy(p: Pipeline, files: OutputFile[], o: DeployOpts, changes: Change[]): Promise<void> {
  const roleArn = machineRole(p);
  await uploadCode(p, o, changes);
  const s = await client(p, o);
  // A split machine's children first: the parent starts them by name (same region and account as the parent).
  const { CHILD_KIND, CHILD_FILE, childMachine } = await splitNames();
  const children = files
    .map((f) => ({ f, n: CHILD_FILE.exec(f.path)?.[1] }))
    .filter((x): x is { f: OutputFile; n: string } => x.f.kind === CHILD_KIND && x.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n));
  for (const { f, n } of children) await deployMachine(p, s, childMachine(p.name, Number(n)), f, roleArn, o, changes);
  const arn = await deployMachine(p, s, p.name, fileOfKind(files, "definition", "stepfunctions"), roleArn, o, changes);
  await deploySchedule(p, files, o, changes, arn);
}

/** How the backend names a split machine's children and their files. */
async function splitNames(): Promise<{ CHILD_KIND: string; CHILD_FILE: RegExp; childMachine(pipeline: string, n: number): string }> {
  return (await import("../../backends/stepfunctions/split.js")) as { CHILD_KIND: string; CHILD_FILE: RegExp; childMachine(pipeline: string, n: number): string };
}

/** Create or update one state machine; its ARN (undefined on a dry run that would create it). */
async function deployMachine(p: Pipeline, s: Sfn, name: string, file: OutputFile, roleArn: string, o: DeployOpts, changes: Change[]): Promise<string | undefined> {
  // Sent minified: the size limits are checked on these bytes.
  const definition = minifyJson(file.contents);
  const { sfn, client: c } = s;
  let arn = await findMachine(s, name);
  const deployed = arn ? await call("stepfunctions", "DescribeStateMachine", () => c.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: arn }))) : undefined;
  const resource = `state machine ${name}`;
  const view = (def: string | undefined, r: string | undefined) => (def === undefined ? undefined : JSON.stringify({ roleArn: r, definition: JSON.parse(def) as unknown }));
  const cmp = compareTexts(resource, view(deployed?.definition, deployed?.roleArn), view(definition, roleArn)!);
  if (cmp.action !== "unchanged" && !o.dryRun) {
    if (arn) {
      await call("stepfunctions", "UpdateStateMachine", () => c.send(new sfn.UpdateStateMachineCommand({ stateMachineArn: arn, definition, roleArn })));
    } else {
      const tags = Object.entries(p.defaults.tags ?? {}).map(([key, value]) => ({ key, value }));
      const created = await call("stepfunctions", "CreateStateMachine", () =>
        c.send(new sfn.CreateStateMachineCommand({ name, definition, roleArn, type: "STANDARD", ...(tags.length ? { tags } : {}) })),
      );
      arn = created.stateMachineArn;
    }
  }
  changes.push({ resource, ...cmp });
  return arn;
}

/** The steps seen so far in an execution's history, by state name, in the order they were entered. */
function stepsOf(events: Array<{ type?: string; stateEnteredEventDetails?: { name?: string }; stateExitedEventDetails?: { name?: string } }>, ended: boolean, failed: boolean): StepState[] {
  const order: string[] = [];
  const state = new Map<string, string>();
  for (const e of events) {
    const entered = e.stateEnteredEventDetails?.name;
    const exited = e.stateExitedEventDetails?.name;
    if (entered) {
      if (!state.has(entered)) order.push(entered);
      state.set(entered, "Running");
    }
    if (exited) state.set(exited, "Succeeded");
  }
  // A state still running when the execution ended is the one that failed it.
  return order.map((n) => ({ name: n, status: ended && state.get(n) === "Running" ? (failed ? "Failed" : "Stopped") : state.get(n)! }));
}

/** A unique execution name (named by us rather than left to the service, so every endpoint gets one). */
function executionName(): string {
  return `switchyard-${randomUUID()}`;
}

async function run(p: Pipeline, _files: OutputFile[], o: RunOpts): Promise<RunResult> {
  const input = typedParams(p, o.params);
  const s = await client(p, o);
  const { sfn, client: c } = s;
  const machine = await findMachine(s, p.name);
  if (!machine) fail(`state machine '${p.name}' is not deployed in ${o.region ?? p.region}`, "run `switchyard deploy --target stepfunctions` first");
  const started = await call("stepfunctions", "StartExecution", () => c.send(new sfn.StartExecutionCommand({ stateMachineArn: machine, name: executionName(), input: JSON.stringify(input) })));
  const arn = started.executionArn!;
  o.log(`started ${arn}`);
  if (!o.wait) return { executionId: arn, status: "RUNNING", diagnostics: [] };
  const line = new StatusLine(o.isTTY, o.log, o.write ?? ((t) => process.stderr.write(t)));
  let cause = "";
  const status = await follow(
    async () => {
      const d = await call("stepfunctions", "DescribeExecution", () => c.send(new sfn.DescribeExecutionCommand({ executionArn: arn })));
      const overall = d.status ?? "UNKNOWN";
      const done = overall !== "RUNNING" && overall !== "PENDING_REDRIVE";
      if (done && overall !== "SUCCEEDED") cause = [d.error, d.cause].filter(Boolean).join(": ");
      const events: Parameters<typeof stepsOf>[0] = [];
      let nextToken: string | undefined;
      do {
        const h = await call("stepfunctions", "GetExecutionHistory", () => c.send(new sfn.GetExecutionHistoryCommand({ executionArn: arn, nextToken, maxResults: 1000 })));
        events.push(...(h.events ?? []));
        nextToken = h.nextToken;
      } while (nextToken);
      return { status: overall, steps: stepsOf(events, done, overall === "FAILED"), done };
    },
    arn,
    line,
    o.pollMs ?? (o.endpointUrl ? 1000 : 5000),
  );
  const diagnostics = status === "SUCCEEDED" ? [] : [error(undefined, `step functions execution ${arn} ended ${status}${cause ? `: ${cause}` : ""}`, { code: "run-failed" })];
  return { executionId: arn, status, diagnostics };
}

export const stepfunctions: TargetDeployer = { deploy, run };
