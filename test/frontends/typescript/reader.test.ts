/** What the static reader supports, and how it refuses the rest. */
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { show, tempFiles } from "./support.js";
import { ROOT } from "../../support/python-env.js";

const HEAD = `import { pipeline, processing, fail, condition, params, lte, fmt } from "switchyard";\n`;
const FOOT = (steps: string) =>
  `export default pipeline({ name: "t", region: "us-east-1", artifacts: "s3://bucket-t/x", defaults: { instance: "ml.m5.large" }, steps: ${steps} });\n`;

async function load(files: Record<string, string>, main = "pipeline.ts") {
  const dir = tempFiles(files);
  const r = await loadPipelineFile(join(dir, main));
  return { ...r, errors: show(r.diagnostics.filter((d) => d.severity === "error")).map((s) => s.split("\n")[0].replace(dir + "/", "")) };
}

describe("supported constructs", () => {
  test("local imports of constants and steps, spreads, templates and .map fan-out", async () => {
    const r = await load({
      "shared.ts": `import { processing } from "switchyard";
export const IMAGE = "sklearn:1.2-1";
export const common = { image: IMAGE, estimate: "5m" };
export const prep = processing("prep", { ...common, outputs: { out: "/opt/ml/processing/out" } });
`,
      "steps.ts": `export { prep as prepared } from "./shared.js";\n`,
      "pipeline.ts":
        HEAD +
        `import * as sy from "switchyard";
import { common } from "./shared.js";
import { prepared as prep } from "./steps.js";
const regions = ["eu", "us"] as const;
const per = regions.map((r) => sy.processing(\`score_\${r}\`, { ...common, arguments: ["--region", r, "--in", prep.outputs.out], estimate: "1m" }));
` +
        FOOT("[prep, ...per]"),
    });
    expect(r.errors).toEqual([]);
    const p = r.pipeline!;
    expect(p.steps.map((s) => s.id)).toEqual(["prep", "score_eu", "score_us"]);
    const s = p.steps[2];
    expect(s.kind === "processing" && s.estimate).toBe(60);
    expect(s.kind === "processing" && s.image).toMatchObject({ kind: "literal", value: "sklearn:1.2-1" });
    expect(s.kind === "processing" && s.arguments.map((a) => (a.kind === "literal" ? a.value : a.kind))).toEqual(["--region", "us", "--in", "ref"]);
    // The imported step keeps its position in the file it was written in.
    expect(p.steps[0].pos.file.endsWith("shared.ts")).toBe(true);
    expect(p.steps[0].pos.line).toBe(4);
  });

  test("number literals keep their spelling (6.0 is a float)", async () => {
    const r = await load({
      "pipeline.ts": HEAD + `const p = params({ t: { type: "float", default: 6.0 } });
const f = fail("f", { message: fmt\`x \${6.0} \${7}\` });
const c = condition("c", { if: lte(p.t, 6.0), then: [f] });
` + FOOT("[c]").replace("steps:", "parameters: p, steps:"),
    });
    expect(r.errors).toEqual([]);
    const c = r.pipeline!.steps[0];
    expect(c.kind === "condition" && c.if.kind === "compare" && c.if.right).toMatchObject({ kind: "literal", value: 6, type: "float" });
    const f = r.pipeline!.steps[1];
    expect(f.kind === "fail" && f.message.kind === "join" && f.message.parts.map((x) => (x.kind === "literal" ? x.type : x.kind))).toEqual(["string", "float", "string", "integer"]);
  });
});

describe("refusals, each at its file:line:col", () => {
  test("a call to an unknown function", async () => {
    const r = await load({
      "pipeline.ts": HEAD + `declare function fetchConfig(): { image: string };\nconst cfg = fetchConfig();\n` + FOOT(`[processing("a", { image: cfg.image })]`),
    });
    expect(r.errors).toEqual(["pipeline.ts:3:13: error: not statically evaluable: call to fetchConfig()"]);
  });

  test("let bindings, arithmetic and plain templates with expressions, all reported at once (each once)", async () => {
    const r = await load({
      "pipeline.ts":
        HEAD +
        `let image = "x";\nconst n = 1 + 2;\nconst p = params({ a: { type: "string" } });\n` +
        `const a = processing("a", { image, estimate: n, timeout: n,\n  arguments: [\`--a=\${p.a}\`] });\n` +
        FOOT(`[a]`),
    });
    expect(r.errors).toEqual([
      "pipeline.ts:2:5: error: not statically evaluable: 'image' is not a const binding",
      "pipeline.ts:3:11: error: not statically evaluable: binary expression `1 + 2`",
      "pipeline.ts:6:22: error: not statically evaluable: an expression inside a plain template literal (use fmt`...` to put it into text)",
    ]);
  });

  test("imports from packages other than switchyard", async () => {
    const r = await load({ "pipeline.ts": HEAD + `import { readFileSync } from "node:fs";\nconst img = readFileSync;\n` + FOOT(`[processing("a", { image: img })]`) });
    expect(r.errors.some((e) => e.startsWith("pipeline.ts:2:10: error: not statically evaluable: import from 'node:fs'"))).toBe(true);
  });

  test("IR errors point into the TypeScript file", async () => {
    const r = await load({
      "pipeline.ts": HEAD + `const a = processing("a", { image: "x", outputs: { out: "/o" } });\nconst b = fail("b", { message: fmt\`at \${a.outputs.out}\` });\n` + FOOT(`[a, b, fail("c", { message: "\${{ steps.nope.name }}" })]`),
    });
    expect(r.errors).toEqual([expect.stringMatching(/^pipeline\.ts:4:\d+: error: unknown step 'nope' in steps\.nope\.name/)]);
  });
});

describe("TypeScript's own errors, in the same format", () => {
  test("a misspelt output, a string compared with a number, a missing required field", async () => {
    const r = await load({
      "pipeline.ts":
        HEAD +
        `const p = params({ name: { type: "string", default: "x" } });
const a = processing("a", { image: "x", outputs: { train: "/o" } });
const b = processing("b", { image: "x", inputs: { t: { source: a.outputs.trian } } });
const c = condition("c", { if: lte(p.name, 3), then: [b] });
const d = fail("d", {});
` +
        FOOT("[a, c, d]").replace("steps:", "parameters: p, steps:"),
    });
    expect(r.errors).toEqual([
      // Worded as the YAML front end words the same mistakes (the expression as written in the file).
      "pipeline.ts:4:74: error: step 'a' has no output 'trian'; did you mean 'train'?",
      "pipeline.ts:5:32: error: cannot compare string with integer: p.name <= 3",
      "pipeline.ts:6:21: error: missing required key 'message' in step 'd'",
    ]);
  });

  test("a report on an undeclared output, a string output compared with a number, a misspelt item key", async () => {
    const r = await load({
      "pipeline.ts":
        `import { pipeline, processing, lambda, condition, gte, foreach, training } from "switchyard";
const a = processing("a", { image: "x", outputs: { out: "/o" }, reports: { m: { output: "ot", file: "m.json" } } });
const l = lambda("l", { function: "arn:f", outputs: { best: "string", auc: "float" } });
const c = condition("c", { if: gte(l.outputs.best, 0.5) });
const t = foreach([{ depth: 3 }], (item) => training("t", { image: "x", hyperparameters: { d: item.dpth } }));
` + FOOT("[a, l, c, t]"),
    });
    expect(r.errors).toEqual([
      expect.stringMatching(/^pipeline\.ts:2:81: error: Type '"ot"' is not assignable to type '"out"'/),
      "pipeline.ts:4:32: error: cannot compare string with float: l.outputs.best >= 0.5",
      expect.stringMatching(/^pipeline\.ts:5:\d+: error: Property 'dpth' does not exist/),
    ]);
  });

  test("TypeScript's errors and the pipeline's own checks, all at once; a line TypeScript faults is not faulted twice", async () => {
    const r = await load({
      "pipeline.ts":
        HEAD +
        `const p = params({ mode: { type: "string", default: "fast", enum: ["slow", "medium"] } });
const a = processing("a", { image: "x", cach: "7d", arguments: ["--mode", p.mode] });
` +
        FOOT("[a]").replace("steps:", "parameters: p, steps:"),
    });
    expect(r.errors).toEqual([
      // The pipeline's check (TypeScript sees nothing wrong here).
      "pipeline.ts:2:53: error: default \"fast\" of parameter 'mode' is not one of its enum values",
      // TypeScript's, worded as the schema check words it (which is not repeated).
      "pipeline.ts:3:41: error: unknown key 'cach' in step 'a'; did you mean 'cache'?",
    ]);
  });

  test("a field of the wrong type and a parameter default not of its type are worded as in YAML, at the value", async () => {
    const r = await load({
      "pipeline.ts":
        HEAD +
        `const p = params({ lr: { type: "float", default: "high" }, n: { type: "integer", default: 3 } });
const a = processing("a", { image: 5, instance: "ml.m5.xlarge" });
const b = processing("b", { image: "x", instance: 5 });
` +
        FOOT("[a, b]").replace("steps:", "parameters: p, steps:"),
    });
    expect(r.errors).toEqual([
      "pipeline.ts:2:50: error: default \"high\" of parameter 'lr' is not a float",
      "pipeline.ts:3:36: error: step 'a' (image) must be a string, not 5",
      "pipeline.ts:4:51: error: step 'b' (instance) must be a string or a map, not 5",
    ]);
    // The YAML front end's words for the first two (its values are YAML's).
    const y = await load(
      { "pipeline.yaml": "version: 1\npipeline: t\nregion: us-east-1\nartifacts: s3://bucket-t/x\nparameters:\n  lr: { type: float, default: \"high\" }\nsteps:\n  a: { type: processing, image: 5, instance: ml.m5.xlarge }\n" },
      "pipeline.yaml",
    );
    expect(y.errors).toEqual(["pipeline.yaml:8:33: error: step 'a' (image) must be a string, not 5"]);
  });

  test("an unknown key in a step's object is worded as in YAML, with the step it is in", async () => {
    const r = await load({
      "pipeline.ts":
        HEAD +
        `const p = params({ name: { type: "float", default: 6.0 } });
const a = processing("a", { image: "x", cach: "7d" });
const b = processing("b", { image: "x", colour: "blue" });
` +
        FOOT("[a, b]").replace("steps:", "parameters: p, steps:"),
    });
    expect(r.errors).toEqual([
      "pipeline.ts:3:41: error: unknown key 'cach' in step 'a'; did you mean 'cache'?",
      "pipeline.ts:4:41: error: unknown key 'colour' in step 'b'",
    ]);
    // In a parameter's object, naming the parameter.
    const q = await load({ "pipeline.ts": HEAD + `const p = params({ name: { type: "float", defualt: 6.0 } });\nconst a = processing("a", { image: "x" });\n` + FOOT("[a]").replace("steps:", "parameters: p, steps:") });
    expect(q.errors).toEqual(["pipeline.ts:2:43: error: unknown key 'defualt' in parameter 'name'; did you mean 'default'?"]);
    // The same mistakes in YAML say the same.
    const y = await load({ "pipeline.yaml": "version: 1\npipeline: p\nrole: arn:aws:iam::111122223333:role/r\nregion: us-east-1\nartifacts: s3://bucket-t/x\nsteps:\n  a: { type: processing, image: x, instance: ml.m5.large, cach: 7d }\n" }, "pipeline.yaml");
    expect(y.errors).toEqual(["pipeline.yaml:7:59: error: unknown key 'cach' in step 'a'; did you mean 'cache'?"]);
  });

  test("process.env: the reason it cannot be read, and no 'Cannot find name' where the project's tsconfig has Node's types", async () => {
    const files = {
      "pipeline.ts": `import { pipeline, fail } from "switchyard";
export default pipeline({ name: "t", region: "us-east-1", artifacts: process.env.ARTIFACTS ?? "s3://bucket-t/x", steps: [fail("f", { message: "x" })] });
`,
    };
    const notStatic =
      "pipeline.ts:2:70: error: not statically evaluable: binary expression `process.env.ARTIFACTS ?? \"s3://bucket...` reads process.env, which exists only when a program runs; switchyard reads the file without running it";
    // No tsconfig: the file is checked without Node's types, as a file of its own.
    const bare = await load(files);
    expect(bare.errors).toEqual([expect.stringMatching(/^pipeline\.ts:2:70: error: Cannot find name 'process'/), notStatic]);
    // The project's tsconfig names Node's types, which are installed: only the reader's own refusal, with its hint.
    const dir = tempFiles({ ...files, "tsconfig.json": JSON.stringify({ compilerOptions: { types: ["node"] } }) });
    mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
    const r = await loadPipelineFile(join(dir, "pipeline.ts"));
    expect(show(r.diagnostics).map((s) => s.replace(dir + "/", ""))).toEqual([
      `${notStatic}\n  hint: write the value out, or, where the pipeline takes a value at run time, make it a run parameter (params({...}), given with --param)`,
    ]);
  });

  test("a step used where a value belongs", async () => {
    const r = await load({
      "pipeline.ts": `import { pipeline, training, model } from "switchyard";
const t = training("t", { image: "x" });
const m = model("m", { image: "x", model: t as never });
` + FOOT("[t, m]"),
    });
    expect(r.errors).toEqual(["pipeline.ts:3:36: error: step 't' cannot be used as a value here (read one of its attributes, such as .name, .model or .outputs.<name>)"]);
  });
});
