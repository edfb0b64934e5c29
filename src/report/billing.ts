/**
 * Which SageMaker price each billable step kind is charged at (per the
 * SageMaker pricing model: a notebook job and each tuning trial are training
 * jobs; an endpoint bills hosting hours for as long as it stays up).
 */
import type { StepKind } from "../ir/types.js";

export interface Billing {
  /** The price-table item prefix: `<use>:<instance type>`. */
  use: "processing" | "training" | "transform" | "hosting";
  /** `run`: estimate × instances per execution; `month`: instances × hours in a month. */
  period: "run" | "month";
}

export const BILLING: Partial<Record<StepKind, Billing>> = {
  processing: { use: "processing", period: "run" },
  training: { use: "training", period: "run" },
  tuning: { use: "training", period: "run" },
  transform: { use: "transform", period: "run" },
  notebook: { use: "training", period: "run" },
  endpoint: { use: "hosting", period: "month" },
};

/** Hours in a billing month (AWS and infracost use 730). */
export const HOURS_PER_MONTH = 730;
