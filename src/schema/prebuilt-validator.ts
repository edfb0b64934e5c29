/**
 * The schema validator compiled at build time (scripts/write-validator.mjs
 * writes it beside this module's output in dist/), or undefined when this
 * build has none. The bundled CLI replaces this module with a static import.
 */
import type { ValidateFunction } from "ajv";

export async function prebuiltValidator(): Promise<ValidateFunction | undefined> {
  // A variable specifier: the file exists only in dist/, after the build.
  const spec = "./pipeline-validator.js";
  const mod = (await import(spec).catch(() => undefined)) as { default?: ValidateFunction } | undefined;
  return mod?.default;
}
