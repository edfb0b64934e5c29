/** The order states are written in: depth first from the start, at any depth. */
import { describe, expect, test } from "vitest";
import type { States } from "../../../backends/stepfunctions/asl.js";
import { reorder } from "../../../backends/stepfunctions/lower.js";

describe("reorder", () => {
  test("a Choice's first rule's path, then the next rule's, the default, Next, then each Catch's handler; unreachable closing Pass states are left out", () => {
    const states: States = {
      done: { Type: "Succeed" },
      handler: { Type: "Pass", Next: "done" },
      orphan: { Type: "Pass", End: true },
      kept: { Type: "Fail", Error: "E" },
      b: { Type: "Pass", Next: "done" },
      a: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "done", Catch: [{ ErrorEquals: ["States.ALL"], Next: "handler" }] },
      other: { Type: "Pass", Next: "a" },
      pick: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "b" }, { Variable: "$.y", IsPresent: true, Next: "other" }], Default: "a" },
    };
    // pick → b → done; then other → a → (Next done, seen) → handler; the unreachable Fail stays (to be reported).
    expect(Object.keys(reorder(states, "pick"))).toEqual(["pick", "b", "done", "other", "a", "handler", "kept"]);
  });

  test("a chain of 50,000 states (a long pipeline's machine) is ordered without running out of stack", () => {
    const n = 50_000;
    const states: States = {};
    // Written last to first, so the order must come from the walk.
    for (let i = n - 1; i >= 0; i--) states[`s${i}`] = i === n - 1 ? { Type: "Succeed" } : { Type: "Pass", Next: `s${i + 1}` };
    const names = Object.keys(reorder(states, "s0"));
    expect(names.length).toBe(n);
    expect(names.every((name, i) => name === `s${i}`)).toBe(true);
  });
});
