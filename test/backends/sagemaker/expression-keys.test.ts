/**
 * A user's map never becomes a SageMaker expression: keys SageMaker reads as
 * functions (`Get`, `Std:*`) are refused at their place; other keys stay data.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { lower } from "./support/load.js";

describe("map keys SageMaker would read as expressions", () => {
  it("are refused at their place; lookalike keys pass as data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-sm-keys-"));
    const file = join(dir, "p.yaml");
    writeFileSync(
      file,
      `version: 1
pipeline: keys
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/keys
steps:
  call:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload:
      ok: { Get2: 1, "std:join": 2 }
      trick: { Get: Parameters.secret }
      nested: [{ "Std:Join": { On: "", Values: [a] } }]
`,
    );
    const p = await loadPipelineFile(file);
    expect(p.diagnostics).toEqual([]);
    const r = lower(p.pipeline!);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(dir, "<dir>"))).toEqual([
      "<dir>/p.yaml:12:21: error: the key 'Get' would make SageMaker Pipelines read this map as an expression, not as data; rename the key",
      "<dir>/p.yaml:13:30: error: the key 'Std:Join' would make SageMaker Pipelines read this map as an expression, not as data; rename the key",
    ]);
  });
});
