/**
 * Held-out DAGs: eight DAGs written for this project in idioms seen in
 * public repositories (fixtures/corpus/airflow/SOURCE.md), chosen before any
 * was lifted. Each lifts, or is refused with exactly the error lines in
 * golden/held-out-refusals.json (hand-checked), so a change in what the
 * lifter reads shows up here as a changed line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { HELD_OUT_DIR, liftHeldOutFile } from "./support/held-out.js";

const FILES = readdirSync(HELD_OUT_DIR).filter((f) => f.endsWith(".py")).sort();
const REFUSED: Record<string, string[]> = JSON.parse(readFileSync(new URL("./golden/held-out-refusals.json", import.meta.url), "utf8"));

describe("the held-out DAGs", () => {
  test("there are eight, each listed as refused or lifted", () => {
    expect(FILES).toHaveLength(8);
    expect(Object.keys(REFUSED).every((f) => FILES.includes(f))).toBe(true);
  });

  test.each(FILES)("%s lifts, or is refused construct by construct", (file) => {
    const r = liftHeldOutFile(file);
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
