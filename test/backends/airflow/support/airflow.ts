/**
 * Real Airflow for the tests: a venv at MWAA's pins (see python.ts for the
 * base Python), an AIRFLOW_HOME with a migrated SQLite database, and
 * `airflow_check.py` run inside it. AWS calls go only to the moto server.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { startMoto, type Moto } from "../../../support/moto.js";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVenv, type Venv } from "../../../support/python-env.js";
import { pythonWarnings, WARNING_SETTINGS } from "./known-warnings.js";
import { airflowBasePython } from "./python.js";
import { helperModule } from "../../../../backends/airflow/render.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "airflow_check.py");

export interface Airflow {
  line: "2" | "3";
  venv: Venv;
  home: string;
  check(args: string[], env?: Record<string, string>): any;
  dispose(): void;
}

function baseEnv(home: string): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "TMPDIR"];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return {
    ...env,
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__LOAD_EXAMPLES: "False",
    AIRFLOW__CORE__DAGS_FOLDER: join(home, "dags"),
    AIRFLOW__LOGGING__LOGGING_LEVEL: "WARNING",
    // The helper module the DAGs import, for DAGs the tests write outside the DAGs folder
    // (Airflow puts only that folder on sys.path). A test that proves the compiled layout
    // (helpers beside the DAG) clears this.
    PYTHONPATH: join(home, "helpers"),
    ...WARNING_SETTINGS,
    PYTHONWARNINGS: pythonWarnings(),
    // No AWS outside the moto server: no real credentials, no metadata service.
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_EC2_METADATA_DISABLED: "true",
    NO_PROXY: "127.0.0.1",
  };
}

export function startAirflow(line: "2" | "3"): Airflow {
  const venv = ensureVenv(`airflow${line}`, airflowBasePython());
  const home = mkdtempSync(join(tmpdir(), `sy-airflow${line}-`));
  execFileSync(venv.bin("airflow"), ["db", "migrate"], { env: baseEnv(home), stdio: "ignore", timeout: 300_000 });
  const helpers = helperModule(line);
  mkdirSync(join(home, "helpers"));
  writeFileSync(join(home, "helpers", `${helpers.name}.py`), helpers.text);
  return {
    line,
    venv,
    home,
    check(args, env = {}) {
      const out = execFileSync(venv.python, [SCRIPT, ...args], { env: { ...baseEnv(home), ...env }, encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000 });
      const hit = out.split("\n").find((l) => l.startsWith("@@RESULT "));
      if (!hit) throw new Error(`no result from airflow_check.py:\n${out.slice(-4000)}`);
      return JSON.parse(hit.slice("@@RESULT ".length));
    },
    dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Environment that points the `aws_default` connection and boto3 at moto. */
export function motoEnv(url: string, region: string): Record<string, string> {
  return {
    AIRFLOW_CONN_AWS_DEFAULT: JSON.stringify({ conn_type: "aws", login: "testing", password: "testing", extra: { region_name: region, endpoint_url: url } }),
    AWS_ENDPOINT_URL: url,
    AWS_DEFAULT_REGION: region,
  };
}

/**
 * Airflow of one line with a moto server beside it, started before the
 * enclosing describe block's tests (with `dags` written into its dags folder)
 * and stopped after them. Read `af` and `moto` inside the tests.
 */
export function airflowWithMoto(line: "2" | "3", dags: () => Record<string, string>, timeout: number): { af: Airflow; moto: Moto } {
  const env = {} as { af: Airflow; moto: Moto };
  beforeAll(async () => {
    env.af = startAirflow(line);
    env.moto = await startMoto("moto", { MOTO_ACCOUNT_ID: "111122223333" });
    mkdirSync(join(env.af.home, "dags"), { recursive: true });
    for (const [name, text] of Object.entries(dags())) writeFileSync(join(env.af.home, "dags", name), text);
  }, timeout);
  afterAll(async () => {
    await env.moto?.stop();
    env.af?.dispose();
  });
  return env;
}

/**
 * dag.test() of a pipeline's DAG in the DAGs folder (airflow_check.py run), against the moto server: the
 * spec's objects, queues and topics seeded first, at a fixed logical date unless the spec gives one.
 */
export function runDag(env: { af: Airflow; moto: Moto }, p: { name: string; region: string }, line: "2" | "3", spec: Record<string, unknown>, extraEnv: Record<string, string> = {}): any {
  const file = join(env.af.home, "spec.json");
  writeFileSync(file, JSON.stringify({ endpoint: env.moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", ...spec }));
  return env.af.check(["run", join(env.af.home, "dags", `${p.name}.py`), file], { ...motoEnv(env.moto.url, p.region), ...extraEnv });
}

/**
 * Airflow reading Variables from SSM Parameter Store on the moto server (the provider's secrets
 * backend, as an MWAA environment is configured for it): `/airflow/variables/<key>`.
 */
export function parameterStoreVariables(url: string, region: string): Record<string, string> {
  return {
    AIRFLOW__SECRETS__BACKEND: "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend",
    AIRFLOW__SECRETS__BACKEND_KWARGS: JSON.stringify({ variables_prefix: "/airflow/variables", connections_prefix: null, config_prefix: null, region_name: region, endpoint_url: url }),
  };
}
