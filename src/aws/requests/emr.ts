/** An EMR step on a running cluster: AddJobFlowSteps' HadoopJarStepConfig. https://docs.aws.amazon.com/emr/latest/APIReference/API_HadoopJarStepConfig.html */
import type { EmrStep } from "../../ir/types.js";
import type { RequestCtx } from "./common.js";
import { checkedRequest } from "./shared.js";
import { k, obj, someList, text, type Req } from "./tree.js";

export function hadoopJarStep(s: EmrStep): Req {
  const props = Object.entries(s.properties).map(([key, v]) => obj({ Key: k(key), Value: text(v) }));
  return obj({ Args: someList(s.args.map(text)), Jar: text(s.jar), MainClass: s.main_class ? text(s.main_class) : undefined, Properties: someList(props) });
}

/** StepConfig: the step's name, and its failure action when it sets one (SageMaker Pipelines sets both itself). */
export function stepConfig<N>(ctx: RequestCtx, s: EmrStep, name: Req<N>): Req<N> {
  const config = obj({ ActionOnFailure: s.action_on_failure !== undefined ? k(s.action_on_failure) : undefined, HadoopJarStep: hadoopJarStep(s) });
  return checkedRequest(ctx, s, "AddJobFlowSteps", config, { key: "Name", value: name }, "Steps[]");
}

/** HadoopJarStep alone (SageMaker Pipelines' EMR step), checked as AddJobFlowSteps takes it. */
export function checkedHadoopJarStep(ctx: RequestCtx, s: EmrStep): Req {
  return checkedRequest(ctx, s, "AddJobFlowSteps", hadoopJarStep(s), undefined, "Steps[].HadoopJarStep");
}

