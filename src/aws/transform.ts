/**
 * A transform step's DataProcessing member of CreateTransformJob, built once
 * for every target (each encodes the strings its own way), and read back the
 * same way by every lifter.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataProcessing.html
 */
import type { TransformStep } from "../ir/types.js";

/** InputFilter, JoinSource, OutputFilter: each text. */
export type DataProcessing = Record<string, string>;

/** The member, or undefined when the step sets none of its fields. */
export function dataProcessing(s: TransformStep): DataProcessing | undefined {
  const dp: DataProcessing = {};
  if (s.input_filter !== undefined) dp.InputFilter = s.input_filter;
  if (s.join_source !== undefined) dp.JoinSource = s.join_source;
  if (s.output_filter !== undefined) dp.OutputFilter = s.output_filter;
  return Object.keys(dp).length ? dp : undefined;
}

/** The member's fields as the step holds them; `problem` names a field the IR cannot hold (not literal text, an unknown key). */
export function dataProcessingFields(dp: Record<string, unknown>): { fields: Pick<TransformStep, "input_filter" | "join_source" | "output_filter">; problems: Array<{ key: string; why: string }> } {
  const fields: Pick<TransformStep, "input_filter" | "join_source" | "output_filter"> = {};
  const problems: Array<{ key: string; why: string }> = [];
  for (const [k, v] of Object.entries(dp)) {
    if (k === "InputFilter" && typeof v === "string" && v) fields.input_filter = v;
    else if (k === "OutputFilter" && typeof v === "string" && v) fields.output_filter = v;
    else if (k === "JoinSource" && (v === "None" || v === "Input")) fields.join_source = v;
    else if (k === "InputFilter" || k === "OutputFilter") problems.push({ key: k, why: `DataProcessing.${k} must be a JSONPath written out as text` });
    else if (k === "JoinSource") problems.push({ key: k, why: "DataProcessing.JoinSource must be None or Input, written out" });
    else problems.push({ key: k, why: `field '${k}' of DataProcessing has no IR equivalent` });
  }
  return { fields, problems };
}
