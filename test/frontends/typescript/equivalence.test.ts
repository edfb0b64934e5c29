/** Every YAML fixture has a TypeScript twin, and both give the same IR. */
import { existsSync, readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { openProject, typeDiagnostics } from "../../../src/frontends/typescript/project.js";
import { comparable, show } from "./support.js";

const yamlFixtures = readdirSync("fixtures").filter((f) => f.endsWith(".yaml"));

describe("YAML fixtures and their TypeScript twins", () => {
  test("there are fixtures, and every one has a twin", () => {
    expect(yamlFixtures.length).toBeGreaterThanOrEqual(2);
    for (const f of yamlFixtures) expect(existsSync(`fixtures/${f.replace(/\.yaml$/, ".ts")}`), f).toBe(true);
  });

  for (const f of yamlFixtures) {
    const twin = f.replace(/\.yaml$/, ".ts");
    test(`${twin} compiles to the IR of ${f}`, async () => {
      const fromYaml = await loadPipelineFile(`fixtures/${f}`);
      const fromTs = await loadPipelineFile(`fixtures/${twin}`);
      expect(show(fromYaml.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(show(fromTs.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(fromTs.pipeline!.source).toEqual({ file: `fixtures/${twin}`, format: "typescript" });
      expect(comparable(fromTs.pipeline)).toEqual(comparable(fromYaml.pipeline));
    });

    test(`${twin} type-checks against the package's own DSL types`, () => {
      const project = openProject(`fixtures/${twin}`);
      // The DSL was really loaded: its declarations are part of the program.
      expect(project.program.getSourceFiles().some((sf) => /\/dsl\/steps\.(d\.)?ts$/.test(sf.fileName))).toBe(true);
      expect(project.userFiles.map((sf) => sf.fileName.replace(/.*\/fixtures\//, ""))).toEqual([twin]);
      expect(show(typeDiagnostics(project, (x) => x))).toEqual([]);
    });
  }

  test("positions point into the TypeScript source", async () => {
    const r = await loadPipelineFile("fixtures/abalone.ts");
    const train = r.pipeline!.steps.find((s) => s.id === "train")!;
    // `const train = training("train", {` is on line 46; the step's position is its id argument.
    expect(train.pos).toEqual({ file: "fixtures/abalone.ts", line: 46, col: 24 });
    const gate = r.pipeline!.steps.find((s) => s.kind === "condition")!;
    expect(gate.kind === "condition" && gate.if.pos).toEqual({ file: "fixtures/abalone.ts", line: 117, col: 11 });
  });
});
