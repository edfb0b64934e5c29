/**
 * `switchyard migrate` over the whole corpus, to every other target: files
 * other people wrote. Each run either compiles (exit 0, nothing refused, the
 * new file read back and compared) or is refused (exit 1, MIGRATION.md names
 * exactly the problems printed, and no target file is written). A template with a
 * sidecar of values (`<name>.substitutions.json`) is read with them filled in.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATE_MACHINES } from "../backends/stepfunctions/corpus-files.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const CORPUS = join(ROOT, "fixtures", "corpus");
const TARGETS = ["sagemaker", "stepfunctions", "airflow"] as const;
const TEMPLATES = join(CORPUS, "stepfunctions", "templates");
const EXT: Record<(typeof TARGETS)[number], RegExp> = { sagemaker: /\.json$/, stepfunctions: /\.asl\.(json|ya?ml)$/, airflow: /\.py$/ };

/** Where each target's files are: DAGs are kept in their own folder, as on MWAA. */
const FOLDER: Record<(typeof TARGETS)[number], string> = { sagemaker: "sagemaker", stepfunctions: "stepfunctions", airflow: join("airflow", "dags") };
const corpus = [
  ...TARGETS.flatMap((from) =>
    existsSync(join(CORPUS, FOLDER[from]))
      ? readdirSync(join(CORPUS, FOLDER[from]))
          .filter((f) => EXT[from].test(f) && (from !== "sagemaker" || !f.endsWith(".asl.json")))
          .sort()
          .map((f) => ({ from, file: join(CORPUS, FOLDER[from], f), machine: undefined as string | undefined }))
      : [],
  ),
  // CloudFormation and SAM templates that deploy a state machine (the one lifted named where there are several).
  ...readdirSync(TEMPLATES)
    .sort()
    .map((name) => ({
      from: "stepfunctions" as const,
      file: join(TEMPLATES, name, readdirSync(join(TEMPLATES, name)).find((f) => /\.(ya?ml|json)$/.test(f) && f !== "substitutions.json")!),
      machine: TEMPLATE_MACHINES[name],
    })),
];

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), "switchyard-migrate-corpus-"));
const errorLines = (text: string) => text.split("\n").filter((l) => /: error: /.test(l));

describe("migrate every corpus file to every other target", () => {
  it("the corpus holds files of every target", () => {
    for (const t of TARGETS) expect(corpus.filter((c) => c.from === t).length, t).toBeGreaterThan(0);
  });

  for (const { from, file, machine } of corpus) {
    const label = file.startsWith(TEMPLATES) ? `stepfunctions/templates/${basename(dirname(file))}` : `${from}/${basename(file)}`;
    it(label, () => {
      const sidecar = file.startsWith(TEMPLATES) ? join(dirname(file), "substitutions.json") : file.replace(/\.asl\.(json|ya?ml)$/, ".substitutions.json");
      const values = [...(sidecar !== file && existsSync(sidecar) ? ["--substitutions", sidecar] : []), ...(machine ? ["--machine", machine] : [])];
      // With --out: a lifted DAG's TaskFlow functions are written beside the pipeline.
      const lifted = run(["import", file, "--from", from, ...values, "--out", join(dir, `${label.replaceAll("/", "-")}-import`, "pipeline.yaml")]);
      if (lifted.code !== 0) {
        // Refused files are the lifters' own tests; migrate refuses them the same way, writing nothing.
        const out = join(dir, `${label.replaceAll("/", "-")}-refused`);
        const r = run(["migrate", file, "--from", from, ...values, "--to", TARGETS.find((t) => t !== from)!, "--out", out]);
        expect(r.code).toBe(1);
        expect(errorLines(r.err)).toEqual(errorLines(lifted.err));
        expect(existsSync(out)).toBe(false);
        return;
      }
      for (const to of TARGETS.filter((t) => t !== from)) {
        const out = join(dir, `${label.replaceAll("/", "-")}-${to}`);
        const r = run(["migrate", file, "--from", from, ...values, "--to", to, "--out", out]);
        const doc = readFileSync(join(out, "MIGRATION.md"), "utf8");
        const errors = errorLines(r.err);
        if (r.code === 0) {
          expect(errors, to).toEqual([]);
          expect(doc, to).toContain("Nothing: every step and setting compiles for the new target.");
          expect(readdirSync(join(out, to)).length, to).toBeGreaterThan(0);
          expect(doc, to).toMatch(/## Old and new requests\n\n(`[^`]+` read back gives the same pipeline|`[^`]+` read back differs from the source in \d+ place|Not compared: )/);
        } else {
          expect(r.code, `${to}: ${r.err}`).toBe(1);
          expect(errors.length, to).toBeGreaterThan(0);
          // Every problem printed is in MIGRATION.md, and nothing for the new target was written.
          for (const e of errors) expect(doc, to).toContain(e.slice(e.indexOf(": error: ") + 2));
          expect(existsSync(join(out, to)), to).toBe(false);
        }
      }
    });
  }
});
