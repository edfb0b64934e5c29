/**
 * Held-out DAGs: eight DAGs written for this project in idioms seen in
 * public repositories (fixtures/corpus/airflow/SOURCE.md), chosen before any
 * was lifted. Each lifts, or is refused with exactly the error lines in
 * golden/held-out-refusals.json (hand-checked), so a change in what the
 * lifter reads shows up here as a changed line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { CORPUS } from "../../support/corpus.js";

const DIR = join(CORPUS, "airflow", "held-out");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".py")).sort();
const REFUSED: Record<string, string[]> = JSON.parse(readFileSync(new URL("./golden/held-out-refusals.json", import.meta.url), "utf8"));
/** What `import --role --artifacts --region` gives: none of them names a role for its calls, nor where code lives, and one no region. */
const GIVEN = { role: "arn:aws:iam::111122223333:role/HeldOutPipelines", artifacts: "s3://acme-held-out-artifacts/pipelines", region: "eu-west-1" };

export const liftHeldOut = (file: string) => airflow.lift!({ file, text: readFileSync(join(DIR, file), "utf8"), given: GIVEN });

describe("the held-out DAGs", () => {
  test("there are eight, each listed as refused or lifted", () => {
    expect(FILES).toHaveLength(8);
    expect(Object.keys(REFUSED).every((f) => FILES.includes(f))).toBe(true);
  });

  test.each(FILES)("%s lifts, or is refused construct by construct", (file) => {
    const r = liftHeldOut(file);
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
    if (REFUSED[file]) {
      expect(r.pipeline).toBeUndefined();
      expect(errors).toEqual(REFUSED[file]);
    } else {
      expect(errors).toEqual([]);
      expect(r.pipeline).toBeDefined();
    }
  });
});
