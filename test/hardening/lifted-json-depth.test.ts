/**
 * A target file nested past the reader's bound (a state machine, a template's
 * definition, a SageMaker definition) is one positioned error, exit 1: never
 * a stack overflow. Run through the CLI, as a user meets it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tooDeepAt } from "../../src/frontends/json-depth.js";
import { INPUT_LIMITS } from "../../src/frontends/limits.js";
import { ROOT } from "../support/python-env.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-json-depth-"));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "dist", "bin", "switchyard.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
const nested = (n: number) => "[".repeat(n) + "]".repeat(n);

describe("JSON nested past the bound", () => {
  it("counts brackets outside strings only", () => {
    expect(tooDeepAt(`{"a": "[[[[[[", "b": [[1]]}`, 3)).toBeUndefined();
    expect(tooDeepAt(`{"a": "\\"[[[", "b": [[[1]]]}`, 3)).toBe(`{"a": "\\"[[[", "b": [[`.length);
    expect(tooDeepAt(nested(INPUT_LIMITS.maxDepth))).toBeUndefined();
    expect(tooDeepAt(nested(INPUT_LIMITS.maxDepth + 1))).toBe(INPUT_LIMITS.maxDepth);
  });

  it("a template's DefinitionString nested past the bound: one error at the string", () => {
    const definition = `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": ${nested(100_000)}, "End": true}}}`;
    writeFileSync(join(dir, "string-template.json"), JSON.stringify({ Resources: { M: { Type: "AWS::StepFunctions::StateMachine", Properties: { DefinitionString: definition } } } }, null, 2));
    const r = cli("import", "string-template.json");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(`string-template.json:6:29: error: DefinitionString nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
  });

  const files: Record<string, string> = {
    "deep.asl.json": `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": ${nested(100_000)}, "End": true}}}`,
    "deep-template.json": JSON.stringify({ Resources: { M: { Type: "AWS::StepFunctions::StateMachine", Properties: { Definition: { StartAt: "A", States: { A: { Type: "Pass", End: true } } } } } } }).replace('"End":true', `"Result":${nested(5_000)},"End":true`),
    "deep-pipeline.json": `{"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "a", "Type": "Processing", "Arguments": ${nested(100_000)}}]}`,
  };
  for (const [file, text] of Object.entries(files)) {
    it(`${file}: one error at the bracket past ${INPUT_LIMITS.maxDepth} levels, exit 1`, () => {
      writeFileSync(join(dir, file), text);
      const r = cli("import", file);
      expect(r.status, r.stderr).toBe(1);
      // The nest starts inside the objects around it: the bracket past the bound is the one that makes 201 levels with them.
      const start = text.indexOf("[[[");
      const before = text.slice(0, start);
      const around = (before.match(/[{[]/g) ?? []).length - (before.match(/[}\]]/g) ?? []).length;
      const col = start + (INPUT_LIMITS.maxDepth + 1 - around);
      expect(r.stderr.trim()).toBe(`${file}:1:${col}: error: the file nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
    });
  }
});
