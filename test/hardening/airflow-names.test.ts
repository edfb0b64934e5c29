/** Step ids that start like the DAG's own names (`sy_`, any case) or like Python's (`__`). */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pythonName, RESERVED_NAMES } from "../../backends/airflow/names.js";
import { HEADER, tempFiles } from "./support.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");

describe("pythonName", () => {
  it("gives a fresh name outside the generated code's `sy_` prefix, in any case", () => {
    const used = new Set(RESERVED_NAMES);
    expect(pythonName("sy_train_task", used)).toBe("t_sy_train_task");
    expect(pythonName("SY_train_task", used)).toBe("t_SY_train_task");
    expect(pythonName("Sy_train_task", used)).toBe("t_Sy_train_task");
    // Taken names get a numbered suffix, as before.
    expect(pythonName("sy_train_task", used)).toBe("t_sy_train_task_2");
    expect(pythonName("train", used)).toBe("train");
    expect(pythonName("train", used)).toBe("train_2");
  });

  it("never returns a dunder name", () => {
    const used = new Set<string>();
    expect(pythonName("__file___task", used)).toBe("t___file___task");
  });
});

describe("a pipeline with sy_ step ids", () => {
  const body = `steps:
  sy_prep: { type: lambda, function: prep }
  SY_train: { type: lambda, function: train, depends_on: [sy_prep] }
  Sy_end: { type: fail, message: done, depends_on: [SY_train] }
`;
  const dir = tempFiles({ "p.yaml": HEADER + body });
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });

  it("compiles for Airflow to a DAG Python parses, with each task under its id", () => {
    const r = run(["compile", "p.yaml", "--target", "airflow", "--out", "out"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const dag = readFileSync(join(dir, "out", "airflow", "dags", "demo.py"), "utf8");
    for (const id of ["sy_prep", "SY_train", "Sy_end"]) expect(dag).toContain(`task_id="${id}"`);
    const py = spawnSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], { input: dag, encoding: "utf8" });
    expect(py.stderr).toBe("");
    expect(py.status).toBe(0);
  });

  it("reports and checks", () => {
    const report = run(["report", "p.yaml", "--format", "json"]);
    expect(report.status).toBe(0);
    expect(JSON.parse(report.stdout)).toBeTypeOf("object");
    const check = run(["check", "p.yaml", "--target", "airflow"]);
    expect(check.status).toBe(0);
  });
});
