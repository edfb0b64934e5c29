/**
 * Warnings Airflow prints about itself or its providers, not about the DAGs under test:
 * hidden from the test log (Python's own warning filter, by message prefix), so any
 * other warning stays visible. Where a setting removes the cause, `env` sets it instead.
 */
export interface KnownWarning {
  category: string;
  /** The start of the message, without ':' or ',' (PYTHONWARNINGS syntax). */
  message: string;
  why: string;
}

export const KNOWN_WARNINGS: readonly KnownWarning[] = [
  {
    category: "DeprecationWarning",
    message: "Using Connection.get_connection_from_secrets from `airflow.models` is deprecated",
    why: "the Amazon provider's AwsBaseHook still calls it under Airflow 3.0.6 (MWAA's pins)",
  },
];

/** Settings that remove a deprecation at its cause. */
export const WARNING_SETTINGS: Readonly<Record<string, string>> = {
  // Airflow 2.11 warns that timers are published in seconds until this opts into Airflow 3's milliseconds.
  AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY: "True",
};

export function pythonWarnings(): string {
  for (const w of KNOWN_WARNINGS) if (/[:,]/.test(w.message)) throw new Error(`known warning message cannot hold ':' or ',': ${w.message}`);
  return KNOWN_WARNINGS.map((w) => `ignore:${w.message}:${w.category}`).join(",");
}
