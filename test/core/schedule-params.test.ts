/** A schedule starts runs with no values, so every parameter of a scheduled pipeline needs a default. */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";

const text = (schedule: string) => `version: 1
pipeline: nightly
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/nightly
${schedule}parameters:
  day: { type: string }
  n: { type: integer, default: 3 }
steps:
  w: { type: wait, seconds: "\${{ params.n }}" }
`;

describe("scheduled pipelines", () => {
  it("refuse a parameter without a default, at the parameter", () => {
    const r = loadYamlText(text("schedule: { cron: \"0 6 * * 1\" }\n"), "p.yaml", "/tmp");
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "p.yaml:8:3: error: parameter 'day' has no default, but the schedule starts runs without values\n  hint: give it a default, or remove the schedule and start runs with values",
    ]);
  });

  it("accept it without a schedule: runs are started with values", () => {
    expect(loadYamlText(text(""), "p.yaml", "/tmp").diagnostics).toEqual([]);
  });
});
