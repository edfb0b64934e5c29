/**
 * Request members whose absence means a documented default (the SageMaker API reference and
 * botocore's shape documentation). Lowering always writes them, as the SDK does; a definition
 * that leaves them out asks for the same thing.
 */
export const API_DEFAULTS: Readonly<Record<string, string | boolean>> = {
  S3DataDistributionType: "FullyReplicated",
  S3InputMode: "File",
  S3CompressionType: "None",
  S3UploadMode: "EndOfJob",
  S3DataType: "S3Prefix",
  TrainingInputMode: "File",
  AppManaged: false,
  ScalingType: "Auto",
};

/** The same value without members that only restate an API default (for comparing). */
export function withoutDefaults(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutDefaults);
  if (x === null || typeof x !== "object") return x;
  return Object.fromEntries(Object.entries(x as Record<string, unknown>).filter(([k, v]) => !(k in API_DEFAULTS && API_DEFAULTS[k] === v)).map(([k, v]) => [k, withoutDefaults(v)]));
}
