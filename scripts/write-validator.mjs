// Compiles the pipeline JSON Schema into a standalone ajv validator module in
// dist/ (generated at build time, never committed), so a CLI run does not pay
// for compiling the schema. src/frontends/schema-check.ts falls back to
// compiling at run time when the module is absent.
import { writeFileSync } from "node:fs";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { pipelineSchema } from "../dist/src/schema/pipeline-schema.js";
import { AJV_OPTIONS } from "../dist/src/schema/ajv-options.js";

const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
const validate = ajv.compile(pipelineSchema());
writeFileSync(new URL("../dist/src/schema/pipeline-validator.js", import.meta.url), standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate));
