/** The linter every test of generated Python runs: ruff, with the rules a careful DAG author keeps (pyflakes, pycodestyle, Airflow). */
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";

export const ruffWorkspace = (): Workspace => new Workspace({ "line-length": 88, lint: { select: ["E", "F", "AIR"], preview: true } }, PositionEncoding.Utf16);
