/**
 * Diagnostics alike but for the name they are about, at one place, print as one line past eight
 * (tasks a loop made).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { groupAlike } from "../../src/diagnostic-groups.js";
import { formatDiagnostic, sortDiagnostics, warning, error, type Diagnostic } from "../../src/diagnostics.js";

const at = (line: number, col = 5) => ({ file: "dag.py", line, col });
const lines = (ds: Diagnostic[]) => groupAlike(sortDiagnostics(ds)).map((d) => formatDiagnostic(d));
const tasks = (n: number, line = 3, prefix = "t") => Array.from({ length: n }, (_, i) => warning(at(line), `task '${prefix}${i}' uses its connection's region`, { code: "lift-region" }));

describe("diagnostics alike at one place", () => {
  it("up to eight stay lines of their own; nine are one line naming the other eight", () => {
    expect(lines(tasks(8))).toHaveLength(8);
    expect(lines(tasks(9))).toEqual([`dag.py:3:5: warning: task 't0' uses its connection's region (the same for 8 more at this place: 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8')`]);
    expect(lines(tasks(2000))).toEqual([`dag.py:3:5: warning: task 't0' uses its connection's region (the same for 1999 more at this place: 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8' and 1991 more)`]);
  });

  it("only at the same place, with the same severity, code, hint and words: the rest are kept as they are, in order", () => {
    const mixed = [
      ...tasks(9, 3),
      ...tasks(9, 4, "u"),
      // At line 3 too, but another message, an error, another hint, another code, or no name at all.
      warning(at(3), "task 'x' has a timeout the lifted step keeps", { code: "lift-region" }),
      error(at(3), "task 'y' uses its connection's region", { code: "lift-region" }),
      warning(at(3), "task 'z' uses its connection's region", { code: "lift-region", hint: "give --region" }),
      warning(at(3), "task 'w' uses its connection's region", { code: "lift-other" }),
      ...Array.from({ length: 10 }, () => warning(at(3), "the DAG's tags are computed; they are not kept", { code: "lift-dag-arg" })),
      // Another column of the same line.
      ...tasks(3).map((d) => ({ ...d, pos: at(3, 9) })),
    ];
    const out = lines(mixed);
    expect(out.filter((l) => l.includes("the same for"))).toEqual([
      `dag.py:3:5: warning: task 't0' uses its connection's region (the same for 8 more at this place: 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8')`,
      `dag.py:4:5: warning: task 'u0' uses its connection's region (the same for 8 more at this place: 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8')`,
    ]);
    expect(out).toHaveLength(2 + 4 + 10 + 3);
    expect(out.slice(0, 2 + 4 + 10 + 3)).toContain("dag.py:3:5: error: task 'y' uses its connection's region");
    expect(out.indexOf("dag.py:3:5: warning: task 'x' has a timeout the lifted step keeps")).toBe(1);
  });

  it("names made from the name ('g3' and its task 'g3.a') count as the name; another quoted name that differs keeps a line its own", () => {
    const groups = Array.from({ length: 10 }, (_, i) => warning(at(5), `task group 'g${i}' is not kept: 'g${i}.a' as step 'g${i}_a'`, { code: "lift-task-group" }));
    expect(lines(groups)).toEqual([`dag.py:5:5: warning: task group 'g0' is not kept: 'g0.a' as step 'g0_a' (the same for 9 more at this place: 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8' and 1 more)`]);
    // Same first name, another argument each: not alike, every line kept.
    const args = Array.from({ length: 10 }, (_, i) => warning(at(5), `task 't': argument 'a${i}' is not kept`, { code: "lift-arg" }));
    expect(lines(args)).toHaveLength(10);
  });

  it("in a list not sorted by place (a migration's notes), a group stands where its first member was; smaller groups keep their order", () => {
    const big = tasks(10, 7);
    const small = tasks(2, 9, "s");
    const other = warning(at(1), "schedule has no neutral form", { code: "lift-schedule" });
    const out = groupAlike([small[0], big[0], other, big[1], small[1], ...big.slice(2)]).map((d) => d.message);
    expect(out).toEqual([
      "task 's0' uses its connection's region",
      "task 't0' uses its connection's region (the same for 9 more at this place: 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8' and 1 more)",
      "schedule has no neutral form",
      "task 's1' uses its connection's region",
    ]);
  });

  it("import of a DAG whose loops make 2,000 and 500 tasks: one warning line a loop", () => {
    const dir = mkdtempSync(join(tmpdir(), "sy-groups-"));
    const dag = join(dir, "loops.py");
    writeFileSync(
      dag,
      [
        "import json",
        "from datetime import datetime",
        "from airflow import DAG",
        "from airflow.models.baseoperator import chain",
        "from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator",
        "",
        'with DAG("loops", start_date=datetime(2024, 1, 1), schedule=None) as dag:',
        '    steps = [LambdaInvokeFunctionOperator(task_id=f"t{i}", function_name="f", payload=json.dumps({"i": i})) for i in range(2000)]',
        "    chain(*steps)",
        '    fan = [LambdaInvokeFunctionOperator(task_id=f"fan_{r}", function_name="g") for r in range(500)]',
        "    steps[-1] >> fan",
        "",
      ].join("\n"),
    );
    const text = spawnSync(process.execPath, [resolve(__dirname, "..", "..", "dist", "bin", "switchyard.js"), "import", dag, "--region", "eu-west-1", "--artifacts", "s3://acme-loops/p"], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(text.status).toBe(0);
    expect(text.stderr.trim().split("\n")).toEqual([
      `${dag}:8:14: warning: task 't0' uses its connection's region; the lifted DAG names region eu-west-1 (the same for 1999 more at this place: 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8' and 1991 more)`,
      `${dag}:10:12: warning: task 'fan_0' uses its connection's region; the lifted DAG names region eu-west-1 (the same for 499 more at this place: 'fan_1', 'fan_2', 'fan_3', 'fan_4', 'fan_5', 'fan_6', 'fan_7', 'fan_8' and 491 more)`,
    ]);
    expect(text.stdout).toContain("  t1999:\n    type: lambda\n");
    expect(text.stdout).toContain("  fan_499:\n    type: lambda\n");
  });
});
