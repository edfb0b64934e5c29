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
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
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
});
