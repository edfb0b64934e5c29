/**
 * The DAG's dependency statements: which edges are left out (only those whose
 * absence changes no task's state in any run, checked against a model of
 * Airflow's trigger rules and branching), and how the rest are written.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dependencyChains, necessaryEdges, type DependencyTask, type Link } from "../../../backends/airflow/dependencies.js";
import { dependencyStatements } from "../../../backends/airflow/render.js";
import { bool, code, dict, str, type Py } from "../../../backends/airflow/python/node.js";
import { ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();

const task = (variable: string, opts: { cls?: string; rule?: string; kwargs?: Array<[string, Py]> } = {}): DependencyTask => ({
  variable,
  cls: opts.cls ?? "PythonOperator",
  kwargs: [["task_id", str(variable)], ...(opts.rule ? ([["trigger_rule", str(opts.rule)]] as Array<[string, Py]>) : []), ...(opts.kwargs ?? [])],
});
const tasks = (...names: string[]) => names.map((n) => task(n));
const edges = (text: string): Array<[string, string]> => text.split(" ").map((e) => e.split(">") as [string, string]);
/** An edge between two of n tasks, earlier to later (n ≥ 2). */
const forward = (n: number) => fc.nat(n - 2).chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: a + 1, max: n - 1 })));
const kept = (ts: DependencyTask[], es: string, dagKwargs: Array<[string, Py]> = []) => necessaryEdges(ts, dagKwargs, edges(es)).map((e) => e.join(">")).join(" ");

describe("edges left out", () => {
  test("an edge another path of all_success tasks enforces", () => {
    expect(kept(tasks("a", "b", "c"), "a>b b>c a>c")).toBe("a>b b>c");
    // Through two tasks, and repeated edges written once.
    expect(kept(tasks("a", "b", "c", "d"), "a>b b>c c>d a>d a>d b>d")).toBe("a>b b>c c>d");
  });

  test("kept when the task between has another trigger rule: it may run though the first did not succeed", () => {
    for (const rule of ["none_failed_min_one_success", "one_failed", "all_done", "none_failed"]) {
      expect(kept([task("a"), task("b", { rule }), task("c")], "a>b b>c a>c")).toBe("a>b b>c a>c");
    }
    expect(kept([task("a"), task("b", { rule: "all_success" }), task("c")], "a>b b>c a>c")).toBe("a>b b>c");
  });

  test("kept into a task whose trigger rule is not all_success: the rule counts its direct upstream tasks", () => {
    expect(kept([task("a"), task("b"), task("handler", { rule: "one_failed" })], "a>b b>handler a>handler")).toBe("a>b b>handler a>handler");
    expect(kept([task("a"), task("b"), task("join", { rule: "none_failed_min_one_success" })], "a>b b>join a>join")).toBe("a>b b>join a>join");
  });

  test("kept out of a branching operator: it skips the direct downstream tasks it does not choose", () => {
    const ts = [task("a"), task("gate", { cls: "BranchPythonOperator" }), task("x"), task("y")];
    expect(kept(ts, "a>gate gate>x x>y gate>y")).toBe("a>gate gate>x x>y gate>y");
    // The branching operator runs only if the tasks before it succeeded: it stands for them.
    expect(kept(ts, "a>gate gate>x a>x")).toBe("a>gate gate>x");
    expect(kept(ts, "a>gate gate>x gate>y a>y")).toBe("a>gate gate>x gate>y");
    // A task the branch may skip does not stand for the tasks before it: skipped, it would hide their failure.
    expect(kept([task("a"), task("b"), task("gate", { cls: "BranchPythonOperator" }), task("x"), task("c")], "a>x gate>x x>c a>c b>gate")).toBe("a>x gate>x x>c a>c b>gate");
  });

  test("kept out of a task that waits for its downstream tasks of the previous run", () => {
    const ts = [task("a", { kwargs: [["wait_for_downstream", bool(true)]] }), task("b"), task("c")];
    expect(kept(ts, "a>b b>c a>c")).toBe("a>b b>c a>c");
    expect(kept([task("a", { kwargs: [["wait_for_downstream", bool(false)]] }), task("b"), task("c")], "a>b b>c a>c")).toBe("a>b b>c");
    expect(kept(tasks("a", "b", "c"), "a>b b>c a>c", [["default_args", dict([["wait_for_downstream", bool(true)]])]])).toBe("a>b b>c a>c");
  });

  test("a trigger rule in default_args applies to every task without its own; one not written as a string keeps every edge", () => {
    expect(kept(tasks("a", "b", "c"), "a>b b>c a>c", [["default_args", dict([["trigger_rule", str("all_done")]])]])).toBe("a>b b>c a>c");
    expect(kept([task("a"), task("b"), task("c", { rule: "all_success" })], "a>b b>c a>c", [["default_args", dict([["trigger_rule", str("all_done")]])]])).toBe("a>b b>c a>c");
    expect(kept([task("a"), task("b"), task("c", { kwargs: [["trigger_rule", code("TriggerRule.ALL_SUCCESS")]] })], "a>b b>c a>c")).toBe("a>b b>c a>c");
  });

  // A model of a DAG run: each task's own outcome when it runs, each branching operator's choice;
  // states follow Airflow's rules (a branch skips the direct downstream tasks it does not choose,
  // then the trigger rule decides from the direct upstream states).
  type State = "success" | "failed" | "skipped" | "upstream_failed";
  const RULES = ["all_success", "all_success", "all_success", "all_success", "all_success", "one_failed", "all_done", "none_failed_min_one_success"] as const;
  function simulate(n: number, ups: number[][], rules: string[], branch: boolean[], fails: boolean[], chosen: (gate: number, t: number) => boolean): State[] {
    const st: State[] = [];
    for (let t = 0; t < n; t++) {
      const u = ups[t].map((x) => st[x]);
      const failedUp = u.some((s) => s === "failed" || s === "upstream_failed");
      let runs: boolean | State;
      if (ups[t].some((g) => branch[g] && st[g] === "success" && !chosen(g, t))) runs = "skipped";
      else if (rules[t] === "all_success") runs = failedUp ? "upstream_failed" : u.some((s) => s === "skipped") ? "skipped" : true;
      else if (rules[t] === "one_failed") runs = u.length === 0 || failedUp ? true : "skipped";
      else if (rules[t] === "all_done") runs = true;
      else runs = failedUp ? "upstream_failed" : u.length > 0 && u.every((s) => s === "skipped") ? "skipped" : true;
      st.push(runs === true ? (fails[t] ? "failed" : "success") : runs);
    }
    return st;
  }

  test("every task ends in the same state with and without the edges left out, in every run (random DAGs)", () => {
    const dag = fc.integer({ min: 2, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.uniqueArray(forward(n), { maxLength: (n * (n - 1)) / 2, selector: ([a, b]) => `${a} ${b}` }),
        rules: fc.array(fc.constantFrom(...RULES), { minLength: n, maxLength: n }),
        branch: fc.array(fc.nat(3).map((x) => x === 0), { minLength: n, maxLength: n }),
        runs: fc.array(fc.tuple(fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n })), { minLength: 1, maxLength: 6 }),
      }),
    );
    let dropped = 0;
    fc.assert(
      fc.property(dag, ({ n, edges: es, rules, branch, runs }) => {
        const ts = Array.from({ length: n }, (_, i) => task(`t${i}`, { cls: branch[i] ? "BranchPythonOperator" : "PythonOperator", rule: rules[i] === "all_success" && i % 2 ? undefined : rules[i] }));
        const named = es.map(([a, b]): [string, string] => [`t${a}`, `t${b}`]);
        const reduced = necessaryEdges(ts, [], named).map(([a, b]) => [Number(a.slice(1)), Number(b.slice(1))]);
        dropped += es.length - reduced.length;
        const upsOf = (list: number[][]) => Array.from({ length: n }, (_, t) => list.filter(([, b]) => b === t).map(([a]) => a));
        for (const [fails, choice] of runs) {
          const chosen = (g: number, t: number) => choice[g * n + t];
          expect(simulate(n, upsOf(reduced), rules, branch, fails, chosen)).toEqual(simulate(n, upsOf(es), rules, branch, fails, chosen));
        }
        // Every ordering is kept.
        const reach = (list: number[][]) => {
          const r = Array.from({ length: n }, () => new Set<number>());
          for (let t = 0; t < n; t++) for (const u of upsOf(list)[t]) r[t] = new Set([...r[t], u, ...r[u]]);
          return r.map((s) => [...s].sort());
        };
        expect(reach(reduced)).toEqual(reach(es));
      }),
      { numRuns: 1000, seed: 20261202 },
    );
    // The property is not vacuous: edges were left out.
    expect(dropped).toBeGreaterThan(100);
  });

  test("every task after every other, on 600 tasks: only the chain remains", () => {
    const n = 600;
    const ts = Array.from({ length: n }, (_, i) => task(`t${i}`));
    // Every task after every other: n(n-1)/2 edges, of which the chain's n-1 remain.
    const all: Array<[string, string]> = [];
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) all.push([`t${a}`, `t${b}`]);
    expect(necessaryEdges(ts, [], all)).toEqual(Array.from({ length: n - 1 }, (_, i) => [`t${i}`, `t${i + 1}`]));
  });
});

describe("chains", () => {
  const chains = (names: string[], es: string) => dependencyChains(tasks(...names), edges(es));

  test("a line, a fan-out, a fan-in: each task's downstream tasks together, in declaration order", () => {
    expect(chains(["a", "b", "c"], "b>c a>b")).toEqual([["a", "b", "c"]]);
    expect(chains(["a", "b", "c", "d"], "a>c a>b b>d c>d")).toEqual([["a", ["b", "c"], "d"]]);
    expect(chains(["g", "x", "y", "z"], "g>z g>x g>y x>z")).toEqual([["g", ["x", "y", "z"]], ["x", "z"]]);
  });

  test("a chain goes on from a task only once every edge into it is written", () => {
    expect(chains(["a", "b", "c", "d"], "a>c b>c c>d")).toEqual([["a", "c"], ["b", "c", "d"]]);
    // A fan-in only when the list's tasks lead to that task alone and it waits for nothing else.
    expect(chains(["a", "b", "c", "d", "e"], "a>b a>c b>d c>d c>e")).toEqual([["a", ["b", "c"]], ["b", "d"], ["c", ["d", "e"]]]);
  });

  test("the same whatever order the edges were planned in", () => {
    const es = edges("a>b a>c b>d c>d d>e d>f e>g f>g");
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const first = dependencyChains(tasks(...names), es);
    expect(first).toEqual([["a", ["b", "c"], "d", ["e", "f"], "g"]]);
    fc.assert(
      fc.property(fc.shuffledSubarray(es, { minLength: es.length }), (shuffled) => {
        expect(dependencyChains(tasks(...names), shuffled)).toEqual(first);
      }),
      { seed: 7 },
    );
  });

  test("every edge is written exactly once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(forward(n), { maxLength: (n * (n - 1)) / 2, selector: ([a, b]) => `${a} ${b}` }))), ([n, es]) => {
        const names = Array.from({ length: n }, (_, i) => `t${i}`);
        const written: string[] = [];
        const members = (l: Link) => (typeof l === "string" ? [l] : l);
        for (const c of dependencyChains(tasks(...names), es.map(([a, b]) => [`t${a}`, `t${b}`]))) {
          for (let i = 0; i + 1 < c.length; i++) for (const a of members(c[i])) for (const b of members(c[i + 1])) written.push(`${a}>${b}`);
          // Python has no list >> list.
          for (let i = 0; i + 1 < c.length; i++) expect(typeof c[i] === "string" || typeof c[i + 1] === "string").toBe(true);
        }
        expect(written.sort()).toEqual(es.map(([a, b]) => `t${a}>t${b}`).sort());
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe("statements", () => {
  const body = (lines: string[]) => `with dag:\n${lines.map((l) => `    ${l}\n`).join("")}`;

  test("one line while it fits; otherwise cut where the formatter leaves it, each statement starting from the last one's end", () => {
    expect(dependencyStatements(["a", "b", ["c", "d"]])).toEqual(["a >> b >> [c, d]"]);
    const long = ["preprocess_the_data_set", "train_the_model", "evaluate_the_model", "mse_gate", ["register_it", "model_it", "batch_score"]];
    expect(dependencyStatements(long)).toEqual(["preprocess_the_data_set >> train_the_model >> evaluate_the_model >> mse_gate", "mse_gate >> [register_it, model_it, batch_score]"]);
    const wide = ["the_gate", ["register_the_model_version", "create_the_model", "batch_score_the_data", "mse_too_high"]];
    expect(dependencyStatements(wide)).toEqual(["the_gate >> [\n        register_the_model_version,\n        create_the_model,\n        batch_score_the_data,\n        mse_too_high,\n    ]"]);
    const into = [["register_the_model_version", "create_the_model", "batch_score_the_data", "mse_too_high"], "the_join"];
    expect(dependencyStatements(into)).toEqual(["[\n        register_the_model_version,\n        create_the_model,\n        batch_score_the_data,\n        mse_too_high,\n    ] >> the_join"]);
    const names = ["a_task_whose_name_is_rather_long_for_a_line_0", "a_task_whose_name_is_rather_long_for_a_line_1"];
    expect(dependencyStatements(names)).toEqual([`(\n        ${names[0]}\n        >> ${names[1]}\n    )`]);
    for (const c of [long, wide, into, names, ["a", ["b_long_name_number_one", "b_long_name_number_two", "b_long_name_number_three"], "c_the_join_task"]]) {
      const text = body(dependencyStatements(c as Link[]));
      expect(ruff.format(text)).toBe(text);
      expect(ruff.check(text).filter((d) => d.code === "E501")).toEqual([]);
    }
  });
});
