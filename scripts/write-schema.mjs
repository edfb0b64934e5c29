// Writes schema/pipeline.schema.json from the compiled schema module (run after `tsc`).
import { writeFileSync } from "node:fs";
import { pipelineSchema } from "../dist/src/schema/pipeline-schema.js";

writeFileSync(new URL("../schema/pipeline.schema.json", import.meta.url), JSON.stringify(pipelineSchema(), null, 2) + "\n");
