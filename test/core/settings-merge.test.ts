/** The one rule target settings are merged by (src/backend/settings.ts), and SageMaker's functions kept whole. */
import { expect, test } from "vitest";
import { deepMerge } from "../../src/backend/settings.js";
import { deepMerge as sagemakerMerge } from "../../backends/sagemaker/merge.js";

test("objects merge key by key, anything else replaces, new keys come after the generated ones", () => {
  expect(deepMerge({ a: { x: 1, y: 2 }, b: [1, 2], c: "s" }, { a: { y: 3, z: 4 }, b: [9], d: null })).toEqual({ a: { x: 1, y: 3, z: 4 }, b: [9], c: "s", d: null });
  expect(Object.keys(deepMerge({ a: 1, b: 2 }, { c: 3, a: 0 }))).toEqual(["a", "b", "c"]);
});

test("a SageMaker function in a setting replaces the generated value whole (a Std:JsonGet over a Std:Join), and is replaced whole", () => {
  const jsonGet = { "Std:JsonGet": { Path: "length_str", PropertyFile: { Get: "Steps.Pre.PropertyFiles.Classes" } } };
  const generated = { StaticHyperParameters: { num_class: { "Std:Join": { On: "", Values: [jsonGet] } }, eta: "0.2" } };
  expect(sagemakerMerge(generated, { StaticHyperParameters: { num_class: jsonGet } })).toEqual({ StaticHyperParameters: { num_class: jsonGet, eta: "0.2" } });
  // The other way round, and a Get over a Get: replaced, never a map holding both.
  expect(sagemakerMerge({ v: jsonGet }, { v: { "Std:Join": { On: "-", Values: ["a"] } } })).toEqual({ v: { "Std:Join": { On: "-", Values: ["a"] } } });
  expect(sagemakerMerge({ v: { Get: "Parameters.A" } }, { v: { Get: "Parameters.B" } })).toEqual({ v: { Get: "Parameters.B" } });
  // The shared rule alone merges them key by key: what the definition would not accept.
  expect(deepMerge(generated.StaticHyperParameters.num_class, jsonGet)).toEqual({ ...generated.StaticHyperParameters.num_class, ...jsonGet });
});
