/** The TypeScript reader's bounds: nesting, values that expand without bound, non-finite numbers. */
import { describe, expect, it } from "vitest";
import { INPUT_LIMITS } from "../../src/frontends/limits.js";
import { load } from "./support.js";

const HEAD = `import { pipeline, fail, params } from "switchyard";\n`;
const FOOT = (steps: string, extra = "") =>
  `export default pipeline({ name: "t", region: "us-east-1", artifacts: "s3://bucket-t/x", ${extra}steps: ${steps} });\n`;

describe("TypeScript pipelines the reader refuses instead of crashing or hanging", () => {
  it("refuses 5,000 nested parentheses at the one past the bound", async () => {
    const msg = "(".repeat(5000) + '"x"' + ")".repeat(5000);
    const line = `const m = ${msg};\n`;
    const r = await load({ "p.ts": HEAD + line + FOOT('[fail("f", { message: m })]') }, "p.ts");
    // `const m = ` is 10 characters: the first parenthesis is column 11, the 201st column 211.
    expect(r.errors).toEqual([`p.ts:2:${11 + INPUT_LIMITS.maxDepth}: error: the file nests brackets deeper than ${INPUT_LIMITS.maxDepth} levels`]);
  });

  it("counts brackets inside template literals correctly (no false alarm)", async () => {
    const r = await load({ "p.ts": HEAD + "const m = `a ${`b ${'c'} d`} e ${'{'}`;\n" + FOOT('[fail("f", { message: m })]') }, "p.ts");
    expect(r.errors).toEqual([]);
  });

  it("bounds the values a constant used many times expands to", async () => {
    // Each level is ten copies of the one before: x6 would be 10^7 values.
    const lines = ['const x0 = ["a", "a", "a", "a", "a", "a", "a", "a", "a", "a"];'];
    for (let i = 1; i <= 8; i++) lines.push(`const x${i} = [${Array(10).fill(`x${i - 1}`).join(", ")}];`);
    const src = HEAD + lines.join("\n") + "\n" + FOOT('[fail("f", { message: "m", tags: { a: x8 as unknown as string } })]');
    const r = await load({ "p.ts": src }, "p.ts");
    // 10^6 + 10^5 + ... = 1,111,111 values for x5 (within the bound), 11,111,111 for x6 (line 8, column 12).
    expect(r.errors).toContain(`p.ts:8:12: error: this value expands to more than ${INPUT_LIMITS.maxEvaluatedNodes} values (a constant used several times counts at every use)`);
  });

  it("refuses a function that calls itself at its call, not with a stack overflow", async () => {
    const src = HEAD + "const f = (x: string): string => f(x);\n" + FOOT('[fail("g", { message: f("m") })]');
    const r = await load({ "p.ts": src }, "p.ts");
    expect(r.errors).toEqual([expect.stringMatching(/^p\.ts:2:34: error: not statically evaluable: expressions nest too deeply here/)]);
  });

  it("refuses non-finite numbers at their place", async () => {
    const src = HEAD + 'const p = params({ t: { type: "float", default: 1e400 } });\n' + FOOT('[fail("f", { message: "m" })]', "parameters: p, ");
    const r = await load({ "p.ts": src }, "p.ts");
    expect(r.errors).toEqual(["p.ts:2:49: error: a number must be finite, not Infinity"]);
    // Inside a template literal, where it would otherwise become the text "Infinity".
    const inText = await load({ "p.ts": HEAD + "const m = `x ${-1e400}`;\n" + FOOT('[fail("f", { message: m })]') }, "p.ts");
    expect(inText.errors).toEqual(["p.ts:2:16: error: a number must be finite, not -Infinity"]);
  });

  it("refuses __proto__ keys like the YAML reader", async () => {
    const src = HEAD + FOOT('[fail("f", { message: "m", tags: { ["__proto__"]: "x" } })]');
    const r = await load({ "p.ts": src }, "p.ts");
    expect(r.errors).toEqual([expect.stringMatching(/^p\.ts:2:\d+: error: the key '__proto__' is not allowed$/)]);
  });
});
