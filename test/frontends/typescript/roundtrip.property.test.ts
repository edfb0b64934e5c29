/**
 * Random valid pipelines printed as TypeScript (and as YAML) and read back give
 * the same IR.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { loadPipelineFile, loadYamlText } from "../../../src/frontends/load.js";
import { printTypeScript } from "../../../src/frontends/typescript/print.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import { LOCAL_FILES, pipelineArb } from "./arbitrary.js";
import { comparable, show } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "sy-ts-prop-"));
for (const [p, text] of Object.entries(LOCAL_FILES)) {
  mkdirSync(dirname(join(dir, p)), { recursive: true });
  writeFileSync(join(dir, p), text);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("round trips of random pipelines", () => {
  test("the generator makes valid pipelines", () => {
    fc.assert(
      fc.property(pipelineArb, (p) => {
        expect(show(checkPipeline(p).filter((d) => d.severity === "error"))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test("IR -> TypeScript -> IR", async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(pipelineArb, async (p) => {
        const file = join(dir, `p${k++}.ts`);
        const text = printTypeScript(p);
        writeFileSync(file, text);
        const back = await loadPipelineFile(file);
        expect(show(back.diagnostics.filter((d) => d.severity === "error")), text).toEqual([]);
        expect(comparable(back.pipeline)).toEqual(comparable(p));
      }),
      { numRuns: 100 },
    );
    // Each run type-checks a program (a fraction of a second); allow for a busy machine.
  }, 600_000);

  const yamlRoundTrip = fc.property(pipelineArb, (p) => {
    const text = printYaml(p);
    const back = loadYamlText(text, "gen.yaml", dir);
    expect(show(back.diagnostics.filter((d) => d.severity === "error")), text).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(p));
  });

  test("IR -> YAML -> IR", () => {
    fc.assert(yamlRoundTrip, { numRuns: 300 });
  });

  test("IR -> YAML -> IR: a found counterexample (a whitespace-only line inside a double-quoted string) replayed", () => {
    fc.assert(yamlRoundTrip, { seed: -188907469, path: "103:259:0:0:0:0:0:3:3:3:19:17:22:23:0:0:0:0:0:0", endOnFailure: true });
  });
});
