/** Property tests: the position-free JSON of a structure is that of its copy without positions, byte for byte (the Airflow DAG's IR hash is made from it). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { positionFreeJson, stripPositions } from "../../src/ir/values.js";

const pos = fc.record({ file: fc.string({ maxLength: 4 }), line: fc.nat(), col: fc.nat() });
const key = fc.oneof(fc.constantFrom("pos", "x_pos", "_pos", "posx", "line", "col", "file"), fc.string({ maxLength: 5 }));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small" },
    fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    pos,
    // An object that looks like a position but is not one (a fourth member, a missing one).
    fc.record({ file: fc.string({ maxLength: 2 }), line: fc.nat(), col: fc.nat(), extra: fc.nat() }),
    fc.record({ file: fc.string({ maxLength: 2 }), line: fc.nat() }),
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 5 }),
  ),
}));

describe("positionFreeJson", () => {
  it("writes what JSON.stringify writes of stripPositions' copy", () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 6 }), (x) => {
        expect(positionFreeJson(x)).toBe(JSON.stringify(stripPositions(x)));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves out every position of a real pipeline, and nothing else", async () => {
    const { pipeline } = await loadPipelineFile("fixtures/churn.yaml");
    const text = positionFreeJson(pipeline);
    expect(text).toBe(JSON.stringify(stripPositions(pipeline)));
    expect(text).not.toMatch(/"(pos|[a-z_]+_pos)":/);
    expect(JSON.parse(text).steps.length).toBe(pipeline.steps.length);
  });

  it("drops a member named pos only when it holds a position", () => {
    const P = { file: "f", line: 1, col: 2 };
    expect(positionFreeJson({ pos: P, a_pos: P, b: { pos: "user text", c: [P] } })).toBe('{"b":{"pos":"user text","c":[{"file":"f","line":1,"col":2}]}}');
  });
});
