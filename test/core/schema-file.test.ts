/** The committed schema (used by editors) is exactly what the code validates with. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipelineSchema } from "../../src/schema/pipeline-schema.js";

describe("schema/pipeline.schema.json", () => {
  it("is up to date (regenerate with `npm run schema`)", () => {
    const committed = JSON.parse(readFileSync(join(__dirname, "..", "..", "schema", "pipeline.schema.json"), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(pipelineSchema())));
  });
});
