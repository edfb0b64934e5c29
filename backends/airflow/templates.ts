/**
 * The Handlebars templates of the DAG file, compiled from `templates/airflow/`
 * when first used. The bundled CLI replaces this module with one holding the
 * same templates precompiled at build time, on the smaller Handlebars runtime
 * (see scripts/bundle.mjs); both take the options below.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

export const TEMPLATE_OPTIONS = { noEscape: true, strict: true, preventIndent: true } as const;

/** Template name -> file in `templates/airflow/`: the DAG, its helper module, the requirements. */
export const TEMPLATE_FILES = { dag: "dag.py.hbs", requirements: "requirements.txt.hbs", helpers: "switchyard_helpers.py.hbs" } as const;

export interface Templates {
  dag: HandlebarsTemplateDelegate;
  requirements: HandlebarsTemplateDelegate;
  helpers: HandlebarsTemplateDelegate;
}

/** `templates/airflow` next to the package root (from the sources or from `dist/`). */
export function templateDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "templates", "airflow");
    if (existsSync(join(candidate, TEMPLATE_FILES.dag))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("templates/airflow not found");
}

/** A fresh Handlebars environment for the caller's helpers. */
export function handlebars(): typeof Handlebars {
  return Handlebars.create();
}

/** The templates, compiled in `hb` (which has the helpers registered). */
export function loadTemplates(hb: typeof Handlebars): Templates {
  const read = (f: string) => readFileSync(join(templateDir(), f), "utf8");
  const compile = (name: keyof typeof TEMPLATE_FILES) => hb.compile(read(TEMPLATE_FILES[name]), TEMPLATE_OPTIONS);
  return { dag: compile("dag"), requirements: compile("requirements"), helpers: compile("helpers") };
}
