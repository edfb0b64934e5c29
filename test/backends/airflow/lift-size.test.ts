/**
 * The DAG reader at size: a file of hundreds of tasks is read in time linear in
 * its length. Python's ast.get_source_segment splits the whole file into lines
 * at every call, so reading a node's source through it made a DAG of n tasks cost
 * n² (a 500-task chain took four minutes to import). The reader splits the lines
 * once; its segments must stay the ones ast gives. A chain of 400 Lambda tasks took
 * 48 s so, and each doubling four times as long; the 800 below take about a second
 * now (the timeout is the guard).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { readKey } from "../../../backends/airflow/lift.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { groupAlike } from "../../../src/diagnostic-groups.js";
import { ROOT } from "../../support/python-env.js";
import { lowerFor } from "./support/fixtures.js";

const READER = join(ROOT, "templates", "airflow", "lift_dag.py");

/** For every node of each text: [the reader's segment, ast.get_source_segment's]. */
function segments(texts: string[]): Array<[string, string]> {
  const script = [
    "import ast, importlib.util, json, sys",
    "spec = importlib.util.spec_from_file_location('lift_dag', sys.argv[1])",
    "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
    "out = []",
    "for text in json.loads(sys.stdin.read()):",
    "    reader = m.Reader(text, {})",
    "    for node in ast.walk(ast.parse(text)):",
    "        out.append([reader.seg(node), ast.get_source_segment(text, node) or ''])",
    "print(json.dumps(out))",
  ].join("\n");
  const out = execFileSync(process.env.SWITCHYARD_PYTHON ?? "python3", ["-c", script, READER], { input: JSON.stringify(texts), encoding: "utf8" });
  return JSON.parse(out) as Array<[string, string]>;
}

describe("the DAG reader at size", () => {
  test("each node's source is the text ast.get_source_segment gives: line ends \\n, \\r\\n and \\r, a form feed inside a line, characters of several UTF-8 bytes, nodes over several lines", () => {
    const body = [
      "x = {'é☃': 'naïve',",
      "     'k': [1,",
      "           2]}\x0c",
      "def f(a):",
      "    return a + '✓'  # ünï",
      "y = f(\"multi\"",
      "      \"line\")",
      "",
    ];
    const texts = [body.join("\n"), body.join("\r\n"), body.join("\r"), body.join("\n").replace("x =", "\x0cx =")];
    const pairs = segments(texts);
    // Every kind of node is compared (names, constants, calls, dicts over lines).
    expect(pairs.length).toBeGreaterThan(100);
    expect(pairs.filter(([ours, theirs]) => ours !== theirs)).toEqual([]);
    // Some segments span lines with each kind of line end.
    expect(pairs.some(([s]) => s.includes("\r\n"))).toBe(true);
    expect(pairs.some(([s]) => /\r(?!\n)/.test(s))).toBe(true);
  });

  test("an 800-task chain lowered to a DAG lifts back whole: every task, each after the one before", { timeout: 60_000 }, () => {
    const n = 800;
    const steps = Array.from({ length: n }, (_, i) => `  s${i}:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:step\n${i ? `    depends_on: [s${i - 1}]\n` : ""}`);
    const yaml = `version: 1\npipeline: long-chain\nregion: eu-west-1\nrole: arn:aws:iam::111122223333:role/R\nartifacts: s3://acme-long/p\nsteps:\n${steps.join("")}`;
    const loaded = loadYamlText(yaml, join(ROOT, "fixtures", "long-chain.yaml"), join(ROOT, "fixtures"));
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = lowerFor(loaded.pipeline!).files.find((f) => f.kind === "dag")!;
    const r = airflow.lift!({ file: "long-chain.py", text: dag.contents, given: { artifacts: "s3://acme-long/p" } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const lifted = r.pipeline!.steps;
    expect(lifted.map((s) => s.id)).toEqual(Array.from({ length: n }, (_, i) => `s${i}`));
    lifted.forEach((s, i) => expect(s.depends_on).toEqual(i ? [`s${i - 1}`] : []));
  });

  test("a chain of 1,500 tasks written as one `>>` statement, and one `<<` statement back, lifts whole (it nests past Python's recursion limit)", () => {
    const n = 1500;
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const text = [
      "from datetime import datetime",
      "from airflow import DAG",
      "from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator as Fn",
      "",
      'with DAG("one-statement", start_date=datetime(2025, 1, 1), schedule=None) as dag:',
      ...ids.map((t) => `    ${t} = Fn(task_id="${t}", function_name="f")`),
      `    ${ids.join(" >> ")}`,
      // The same edges again, written the other way round: nothing is added.
      `    ${[...ids].reverse().join(" << ")}`,
      "",
    ].join("\n");
    const r = airflow.lift!({ file: "one-statement.py", text, given: { region: "eu-west-1", artifacts: "s3://acme-long/p" } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.steps.map((s) => [s.id, s.depends_on])).toEqual(ids.map((t, i) => [t, i ? [ids[i - 1]] : []]));
  });

  test("a @task_group function called in a loop over list(range(1000)): every group's tasks and edges, numbered as Airflow numbers them, and one warning line for the groups", () => {
    const text = [
      "from datetime import datetime",
      "from airflow import DAG",
      "from airflow.decorators import task_group",
      "from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator as Fn",
      "",
      "def job(task_id, fn):",
      '    return Fn(task_id=task_id, function_name=fn, region_name="eu-west-1")',
      "",
      "@task_group",
      "def segment(i):",
      '    a = job("a", "fa")',
      '    b = job("b", "fb")',
      "    a >> b",
      "",
      "SEGMENTS = list(range(1000))",
      'with DAG("segments", start_date=datetime(2025, 1, 1), schedule=None) as dag:',
      '    start = job("start", "s")',
      '    end = job("end", "e")',
      "    for i in SEGMENTS:",
      "        start >> segment(i) >> end",
      "",
    ].join("\n");
    const r = airflow.lift!({ file: "segments.py", text, given: { role: "arn:aws:iam::111122223333:role/R", artifacts: "s3://acme-segments/p" } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const steps = new Map(r.pipeline!.steps.map((s) => [s.id, [...s.depends_on].sort()]));
    expect(steps.size).toBe(2002);
    expect(steps.get("segment_a")).toEqual(["start"]);
    expect(steps.get("segment__999_b")).toEqual(["segment__999_a"]);
    expect(steps.get("end")).toHaveLength(1000);
    expect(steps.get("end")).toContain("segment__500_b");
    const said = groupAlike(r.diagnostics.filter((d) => d.code === "lift-task-group"));
    expect(said).toHaveLength(1);
    expect(said[0].message).toMatch(/^task group 'segment' is not kept .* \(the same for 999 more at this place: 'segment__1', 'segment__2', .* and 991 more\)$/);
  });

  test("a DAG Switchyard wrote is read by Python once: the DAG its lifted pipeline lowers to differs only in the header's hash", () => {
    const dir = mkdtempSync(join(tmpdir(), "sy-reads-"));
    const log = join(dir, "calls");
    writeFileSync(log, "");
    // A Python that counts its runs.
    const wrapper = join(dir, "python");
    writeFileSync(wrapper, `#!/bin/sh\necho run >> '${log}'\nexec '${process.env.SWITCHYARD_PYTHON ?? "python3"}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const yaml = "version: 1\npipeline: read-once\nregion: eu-west-1\nartifacts: s3://acme-once/p\nsteps:\n  a:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:a\n  b:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:b\n    depends_on: [a]\n";
    const loaded = loadYamlText(yaml, join(ROOT, "fixtures", "read-once.yaml"), join(ROOT, "fixtures"));
    const dag = lowerFor(loaded.pipeline!).files.find((f) => f.kind === "dag")!.contents;
    const runs = () => readFileSync(log, "utf8").split("\n").filter(Boolean).length;
    const before = process.env.SWITCHYARD_PYTHON;
    process.env.SWITCHYARD_PYTHON = wrapper;
    try {
      const r = airflow.lift!({ file: "read-once.py", text: dag, given: { artifacts: "s3://acme-once/p" } });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.pipeline!.steps.map((s) => [s.id, s.depends_on])).toEqual([["a", []], ["b", ["a"]]]);
      expect(runs()).toBe(1);
      // A DAG that does the same, written otherwise (a comment of its own): its text is read; the DAG it lowers to is the first one again, read already.
      expect(dag).toContain("import datetime\n");
      const edited = dag.replace("import datetime\n", "import datetime\n# reviewed\n");
      expect(airflow.lift!({ file: "read-once.py", text: edited, given: { artifacts: "s3://acme-once/p" } }).pipeline!.steps.length).toBe(2);
      expect(runs()).toBe(2);
    } finally {
      if (before === undefined) delete process.env.SWITCHYARD_PYTHON;
      else process.env.SWITCHYARD_PYTHON = before;
    }
  });

  test("texts read as one differ only in the hash on the second line of a two-comment header", () => {
    const hash = (c: string) => c.repeat(64);
    const header = (h: string) => `# Generated by switchyard from a pipeline; edit the pipeline, not this file.\n# IR sha256:${h}\nimport datetime\n`;
    expect(readKey(header(hash("a")))).toBe(readKey(header(hash("b"))));
    expect(readKey(header(hash("a")).replace(/\n/g, "\r\n"))).toBe(readKey(header(hash("b")).replace(/\n/g, "\r\n")));
    // The same line inside a string the first line opens, further down, or with a hash of another length: text as it is.
    const inString = (h: string) => `DOC = """\n# IR sha256:${h}\n"""\n`;
    expect(readKey(inString(hash("a")))).not.toBe(readKey(inString(hash("b"))));
    const later = (h: string) => `import datetime\n# one\n# IR sha256:${h}\n`;
    expect(readKey(later(hash("a")))).not.toBe(readKey(later(hash("b"))));
    expect(readKey(header("a".repeat(63)))).not.toBe(readKey(header("b".repeat(63))));
  });
});
