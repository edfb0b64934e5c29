/**
 * The DSL run for real (the file imported, with "switchyard" pointed at the
 * package's DSL sources) builds the same IR as the static reader on the same file.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { loadPipelineDocument } from "../../../src/frontends/typescript/document.js";
import { printTypeScript } from "../../../src/frontends/typescript/print.js";
import { LOCAL_FILES, pipelineArb } from "./arbitrary.js";
import { comparable, show } from "./support.js";

type Doc = Parameters<typeof loadPipelineDocument>[0];
const DSL = resolve("src/dsl/index.ts");
const runDir = mkdtempSync(join(tmpdir(), "sy-ts-run-"));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));
let runs = 0;

/** Run a pipeline module: a copy of its text whose "switchyard" import is the DSL's source file. */
async function run(text: string): Promise<Doc> {
  const file = join(runDir, `m${runs++}.ts`);
  writeFileSync(file, text.replace(/from "switchyard"/g, `from ${JSON.stringify(DSL)}`));
  return ((await import(/* @vite-ignore */ file)) as { default: Doc }).default;
}

const tsFixtures = readdirSync("fixtures").filter((f) => f.endsWith(".ts"));

describe("executed DSL = static reading", () => {
  test("there are TypeScript fixtures", () => expect(tsFixtures.length).toBeGreaterThanOrEqual(2));

  for (const f of tsFixtures) {
    test(f, async () => {
      const doc = await run(readFileSync(`fixtures/${f}`, "utf8"));
      // What running the builders returns: the file format's document, expressions carrying IR.
      expect(doc.version).toBe(1);
      const executed = loadPipelineDocument(doc, `fixtures/${f}`, "fixtures");
      const read = await loadPipelineFile(`fixtures/${f}`);
      expect(show(executed.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(read.pipeline).toBeDefined();
      expect(comparable(executed.pipeline)).toEqual(comparable(read.pipeline));
    });
  }
});

/** A float literal with a whole value (`6.0`): running code cannot tell it from `6`, only the source can. */
function hasWholeFloat(x: unknown): boolean {
  if (x === null || typeof x !== "object") return false;
  const v = x as { kind?: string; type?: string; value?: unknown };
  if (v.kind === "literal" && v.type === "float" && Number.isInteger(v.value)) return true;
  return Object.values(x).some(hasWholeFloat);
}

describe("executed DSL = static reading, on random pipelines printed as TypeScript", () => {
  const dir = mkdtempSync(join(tmpdir(), "sy-ts-exec-"));
  for (const [p, text] of Object.entries(LOCAL_FILES)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("same IR both ways", async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(pipelineArb, async (p) => {
        fc.pre(!hasWholeFloat(p));
        const file = join(dir, `p${k++}.ts`);
        const text = printTypeScript(p);
        writeFileSync(file, text);
        const executed = loadPipelineDocument(await run(text), file, dir);
        const read = await loadPipelineFile(file);
        expect(show(executed.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
        expect(read.pipeline).toBeDefined();
        expect(comparable(executed.pipeline)).toEqual(comparable(read.pipeline));
      }),
      { numRuns: 40 },
    );
  }, 600_000);
});
