/**
 * SageMaker Pipelines: upload code, create or update the pipeline
 * (CreatePipeline / UpdatePipeline, compared with DescribePipeline), then the
 * schedule; run = StartPipelineExecution with PipelineParameters.
 */
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
import { follow, StatusLine } from "./status.js";
import type { Change, DeployOpts, RunOpts, RunResult, TargetDeployer } from "./types.js";
import { sdk } from "./sdk.js";

async function client(p: Pipeline, o: DeployOpts) {
  const sm = await sdk("@aws-sdk/client-sagemaker", () => import("@aws-sdk/client-sagemaker"));
  return { sm, client: new sm.SageMakerClient((await clientSettings(p, o)) as NonNullable<ConstructorParameters<typeof sm.SageMakerClient>[0]>) };
}

/** The SageMaker name of the pipeline (the backend maps characters SageMaker refuses). */
async function pipelineName(p: Pipeline): Promise<string> {
  const names = (await import("../../backends/sagemaker/names.js")) as { pipelineName(n: string): { name: string } | { error: string } };
  const r = names.pipelineName(p.name);
  if ("error" in r) fail(r.error);
  return r.name;
}

function role(p: Pipeline): string {
  if (!p.role) fail(`pipeline '${p.name}' has no 'role': SageMaker needs an IAM role ARN to run the pipeline's steps`, "add `role: arn:aws:iam::<account>:role/<name>` to the pipeline file");
  return p.role;
}

async function deploy(p: Pipeline, files: OutputFile[], o: DeployOpts, changes: Change[]): Promise<void> {
  // Sent minified, whichever layout the file was written in (indented or --compact): the size limits are checked on these bytes.
  const definition = minifyJson(fileOfKind(files, "definition", "sagemaker").contents);
  const roleArn = role(p);
  const name = await pipelineName(p);
  await uploadCode(p, o, changes);
  const { sm, client: c } = await client(p, o);
  const deployed = (await exists(sm, c, name)) ? await call("sagemaker", "DescribePipeline", () => c.send(new sm.DescribePipelineCommand({ PipelineName: name }))) : undefined;
  const resource = `sagemaker pipeline ${name}`;
  // The role is part of what is deployed: show it with the definition.
  const view = (def: string | undefined, r: string | undefined) => (def === undefined ? undefined : JSON.stringify({ RoleArn: r, PipelineDefinition: safeParse(def) }));
  const cmp = compareTexts(resource, view(deployed?.PipelineDefinition, deployed?.RoleArn), view(definition, roleArn)!);
  if (cmp.action !== "unchanged" && !o.dryRun) {
    if (deployed) {
      await call("sagemaker", "UpdatePipeline", () =>
        c.send(new sm.UpdatePipelineCommand({ PipelineName: name, PipelineDefinition: definition, RoleArn: roleArn, PipelineDescription: p.description })),
      );
    } else {
      const tags = Object.entries(p.defaults.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      await call("sagemaker", "CreatePipeline", () =>
        c.send(
          new sm.CreatePipelineCommand({
            PipelineName: name,
            PipelineDefinition: definition,
            RoleArn: roleArn,
            PipelineDescription: p.description,
            ...(tags.length ? { Tags: tags } : {}),
          }),
        ),
      );
    }
  }
  changes.push({ resource, ...cmp });
  await deploySchedule(p, files, o, changes);
}

type Sm = typeof import("@aws-sdk/client-sagemaker");

/**
 * Whether the pipeline exists. Asked with ListPipelines: DescribePipeline
 * answers a missing pipeline with a ValidationException, like any bad request.
 */
async function exists(sm: Sm, c: InstanceType<Sm["SageMakerClient"]>, name: string): Promise<boolean> {
  let NextToken: string | undefined;
  do {
    const page = await call("sagemaker", "ListPipelines", () => c.send(new sm.ListPipelinesCommand({ PipelineNamePrefix: name, NextToken, MaxResults: 100 })));
    if (page.PipelineSummaries?.some((x) => x.PipelineName === name)) return true;
    NextToken = page.NextToken;
  } while (NextToken);
  return false;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function run(p: Pipeline, _files: OutputFile[], o: RunOpts): Promise<RunResult> {
  const params = typedParams(p, o.params);
  const name = await pipelineName(p);
  const { sm, client: c } = await client(p, o);
  const started = await call("sagemaker", "StartPipelineExecution", () =>
    c.send(
      new sm.StartPipelineExecutionCommand({
        PipelineName: name,
        PipelineParameters: Object.entries(params).map(([Name, v]) => ({ Name, Value: String(v) })),
      }),
    ),
  );
  const arn = started.PipelineExecutionArn;
  if (!arn) fail(`sagemaker StartPipelineExecution returned no execution ARN for '${name}'`);
  o.log(`started ${arn}`);
  if (!o.wait) return { executionId: arn, status: "Executing", diagnostics: [] };
  let listSteps = true;
  const line = new StatusLine(o.isTTY, o.log, o.write ?? ((t) => process.stderr.write(t)));
  const status = await follow(
    async () => {
      const d = await call("sagemaker", "DescribePipelineExecution", () => c.send(new sm.DescribePipelineExecutionCommand({ PipelineExecutionArn: arn })));
      const overall = d.PipelineExecutionStatus ?? "Unknown";
      let steps: Array<{ name: string; status: string }> = [];
      if (listSteps) {
        try {
          const l = await c.send(new sm.ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, SortOrder: "Ascending" }));
          steps = (l.PipelineExecutionSteps ?? []).map((s) => ({ name: s.StepName ?? "?", status: s.StepStatus ?? "?" }));
        } catch {
          // Some endpoints (moto) lack ListPipelineExecutionSteps: show the pipeline's status alone.
          listSteps = false;
        }
      }
      return { status: overall, steps, done: !["Executing", "Stopping"].includes(overall) };
    },
    arn,
    line,
    o.pollMs ?? (o.endpointUrl ? 1000 : 5000),
  );
  const diagnostics = status === "Succeeded" ? [] : [error(undefined, `sagemaker pipeline execution ${arn} ended ${status}`, { code: "run-failed", hint: "see the failed step in SageMaker Studio or with `aws sagemaker list-pipeline-execution-steps`" })];
  return { executionId: arn, status, diagnostics };
}

export const sagemaker: TargetDeployer = { deploy, run };
