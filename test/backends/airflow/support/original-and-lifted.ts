/**
 * A hand-written DAG and the DAG of the pipeline lifted from it, each run with
 * dag.test() in real Airflow 2 against moto: which tasks ran or were skipped,
 * and which messages they published, compared run by run.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import airflow from "../../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../../src/diagnostics.js";
import { checkPipeline } from "../../../../src/ir/check/index.js";
import type { Pipeline } from "../../../../src/ir/types.js";
import { airflowWithMoto, motoEnv } from "./airflow.js";
import { dagText } from "./fixtures.js";

const FIXTURES = join(__dirname, "..", "fixtures");
const GIVEN = { artifacts: "s3://feature-refresh-artifacts/runs" };

/** A DAG file of test/backends/airflow/fixtures and the SNS topic its tasks publish to. */
export interface Case {
  file: string;
  topic: string;
}

export const fixture = (file: string) => readFileSync(join(FIXTURES, file), "utf8");

/** The pipeline lifted from a fixture, with no error (nor any from the IR checks), and every diagnostic's first line. */
export function lifted(file: string): { p: Pipeline; warnings: string[] } {
  const r = airflow.lift!({ file, text: fixture(file), given: GIVEN });
  const lines = r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]);
  expect(lines.filter((l) => l.includes(" error: "))).toEqual([]);
  expect(checkPipeline(r.pipeline!).filter((d) => d.severity === "error")).toEqual([]);
  return { p: r.pipeline!, warnings: lines };
}

/**
 * Airflow 2 and moto for these cases' lifted DAGs (and `more`); `runBoth` runs a case's original file, then
 * its lifted DAG, with the run's conf. More than about 16 runs in one environment have hung: keep to 13.
 */
export function originalAndLifted<K extends string>(cases: Record<K, Case>, names: K[], timeout: number, more: Pipeline[] = []) {
  const pipelines = Object.fromEntries(names.map((n) => [n, lifted(cases[n].file).p])) as Record<K, Pipeline>;
  const env = airflowWithMoto("2", () => Object.fromEntries([...Object.values<Pipeline>(pipelines), ...more].map((p) => [`${p.name}.py`, dagText(p, { airflow: "2" })])), timeout);
  /** With the run's conf; each run reads its own queue. */
  const runBoth = (name: K, conf: Record<string, unknown>): Array<{ tasks: Record<string, string>; messages: string[] }> => {
    const c = cases[name];
    const p = pipelines[name];
    mkdirSync(join(env.af.home, "original"), { recursive: true });
    writeFileSync(join(env.af.home, "original", c.file), fixture(c.file));
    return [join(env.af.home, "original", c.file), join(env.af.home, "dags", `${p.name}.py`)].map((dag, i) => {
      const file = join(env.af.home, "spec.json");
      const queue = `${c.topic}-${conf[Object.keys(conf)[0]]}-${i}`.replace(/\./g, "-");
      writeFileSync(file, JSON.stringify({ endpoint: env.moto.url, region: p.region, line: "2", logical_date: "2026-02-03T04:05:06+00:00", conf, topics: [{ name: c.topic, queue }] }));
      const r = env.af.check(["run", dag, file], motoEnv(env.moto.url, p.region));
      expect(r.state, JSON.stringify(r.tasks)).toBe("success");
      return { tasks: r.tasks, messages: (r.published[c.topic] as Array<{ Message: string }>).map((m) => m.Message).sort() };
    });
  };
  return { env, runBoth };
}
