/** The Airflow test log hides the known deprecations, and only them. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { KNOWN_WARNINGS, pythonWarnings } from "./support/known-warnings.js";

describe("known Airflow warnings", () => {
  it("Python's filter drops each known warning and keeps any other", () => {
    const script = [
      "import warnings",
      ...KNOWN_WARNINGS.map((w) => `warnings.warn(${JSON.stringify(`${w.message}. Please use something else`)}, ${w.category})`),
      "warnings.warn('a warning nobody has seen before', DeprecationWarning)",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script], { encoding: "utf8", env: { ...process.env, PYTHONWARNINGS: pythonWarnings() } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("DeprecationWarning: a warning nobody has seen before");
    for (const w of KNOWN_WARNINGS) expect(r.stderr).not.toContain(w.message);
    // Without the filter every one of them shows.
    const plain = spawnSync("python3", ["-c", script], { encoding: "utf8", env: { ...process.env, PYTHONWARNINGS: "" } });
    for (const w of KNOWN_WARNINGS) expect(plain.stderr).toContain(w.message);
  });
});
