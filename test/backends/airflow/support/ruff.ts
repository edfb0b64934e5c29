/**
 * The linter every test of generated Python runs: ruff, with the rules a careful DAG author keeps
 * (pyflakes, pycodestyle, Airflow). Line length is the formatter's business, as in ruff's own
 * defaults and black's: `ruff format` (checked too) keeps lines at 88 where it can, and a string
 * with no space to break at (an image URI, an S3 path) stays whole rather than cut mid-token.
 */
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";
import { expect } from "vitest";

export const ruffWorkspace = (): Workspace => new Workspace({ "line-length": 88, lint: { select: ["E", "F", "AIR"], ignore: ["E501"], preview: true } }, PositionEncoding.Utf16);

/**
 * A finding of ruff's Airflow 3 rules (`airflow3-*`, and `airflow31-*` for names that moved in 3.1):
 * they ask an Airflow 2 DAG for Airflow 3 imports, which Airflow 2 does not have.
 */
export const asksForAirflow3 = (d: { code?: string | null }): boolean => /^airflow3(1)?-/.test(d.code ?? "");

/** ruff finds nothing (the Airflow 3 migration rules left out for Airflow 2) and `ruff format` changes nothing. */
export function expectLintClean(ruff: Workspace, text: string, line: string): void {
  const findings = ruff
    .check(text)
    .filter((d) => !(line === "2" && asksForAirflow3(d)))
    .map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`);
  expect(findings).toEqual([]);
  expect(ruff.format(text)).toBe(text);
}
