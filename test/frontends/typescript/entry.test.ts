/** The package entry exports the DSL (what `import ... from "switchyard"` gives users). */
import { expect, test } from "vitest";
import * as entry from "../../../src/index.js";
import { BUILDER_KINDS } from "../../../src/frontends/typescript/dsl-names.js";

test("every builder the reader knows is exported, with the expression functions", () => {
  const names = [...Object.keys(BUILDER_KINDS), "pipeline", "params", "foreach", "fmt", "join", "expr", "execution", "lt", "lte", "gt", "gte", "eq", "ne", "and", "or", "not", "isIn"];
  expect(names.filter((n) => !(n in entry))).toEqual([]);
});

test("a builder, run, gives its step's id, kind, options and typed references", () => {
  const prep = entry.processing("prep", { image: "x", outputs: { train: "/o" }, reports: { m: { output: "train", file: "m.json" } } });
  expect(prep.id).toBe("prep");
  expect(prep.type).toBe("processing");
  expect(prep.outputs.train.ir).toMatchObject({ kind: "ref", ref: { scope: "steps", step: "prep", attr: "outputs", name: "train" } });
  expect(prep.reports.m.get("a.b[0]['c d']").ir).toMatchObject({ kind: "ref", ref: { scope: "steps", step: "prep", attr: "reports", report: "m", path: ["a", "b", 0, "c d"] } });
  const p = entry.params({ t: { type: "float", default: 1.5 } });
  expect(entry.lte(p.t, 2).ir).toMatchObject({ kind: "compare", op: "<=", left: { kind: "ref", ref: { scope: "params", name: "t" } }, right: { kind: "literal", value: 2, type: "integer" } });
  expect(entry.fmt`a${p.t}b`.ir).toMatchObject({ kind: "join", parts: [{ value: "a" }, { kind: "ref" }, { value: "b" }] });
  expect(entry.fmt`${p.t}`.ir).toMatchObject({ kind: "ref" });
});
