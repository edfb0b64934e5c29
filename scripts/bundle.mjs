// Bundles the CLI into dist/bin/switchyard.js (after `tsc` and write-validator):
// the commands every run needs in one file, and each part only some runs need
// (a backend, the TypeScript front end, deploy, the report) in a chunk beside it
// that loads on first use. ts-morph, the AWS SDK and ajv stay packages, loaded
// only by the parts that use them. Two modules are swapped for build-time
// versions: the Airflow templates (precompiled, on the Handlebars runtime) and
// the schema validator (the standalone one write-validator made).
import { readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import Handlebars from "handlebars";
import { TEMPLATE_FILES, TEMPLATE_OPTIONS } from "../dist/backends/airflow/templates.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bin");

/** Where `tsc` puts a source file's output, seen from the bundle's folder. */
const distPath = (file) => relative(OUT, join(ROOT, "dist", relative(ROOT, file))).replace(/\.ts$/, ".js").split("\\").join("/");

/** The templates precompiled, in a module with the same exports as backends/airflow/templates.ts. */
function precompiledTemplates() {
  const spec = (name) => Handlebars.precompile(readFileSync(join(ROOT, "templates", "airflow", TEMPLATE_FILES[name]), "utf8"), TEMPLATE_OPTIONS);
  return [
    `import Handlebars from "handlebars/runtime";`,
    `export const TEMPLATE_OPTIONS = ${JSON.stringify(TEMPLATE_OPTIONS)};`,
    `export const TEMPLATE_FILES = ${JSON.stringify(TEMPLATE_FILES)};`,
    `export function handlebars() { return Handlebars.create(); }`,
    `export function loadTemplates(hb) {`,
    `  return { dag: hb.template(${spec("dag")}), requirements: hb.template(${spec("requirements")}), helpers: hb.template(${spec("helpers")}) };`,
    `}`,
  ].join("\n");
}

/**
 * Dynamic imports (by literal specifier) the bundle turns into static ones: small
 * parts of the subcommands. The subcommands themselves (so `--help` and `--version`
 * load none), the backends, the TypeScript front end and printer, deploy and the
 * report stay chunks loaded on first use.
 */
const EAGER = new Set(["../diff/compare.js", "../diff/format.js", "../migrate/run.js", "../frontends/yaml/print.js"]);

const buildTime = {
  name: "build-time",
  setup(b) {
    b.onLoad({ filter: /backends[\\/]airflow[\\/]templates\.ts$/ }, () => ({ contents: precompiledTemplates(), loader: "js", resolveDir: ROOT }));
    b.onLoad({ filter: /src[\\/]schema[\\/]prebuilt-validator\.ts$/ }, () => ({
      contents: `import validate from ${JSON.stringify(join(ROOT, "dist", "src", "schema", "pipeline-validator.js"))};\nexport async function prebuiltValidator() { return validate; }`,
      loader: "js",
      resolveDir: ROOT,
    }));
    // yaml's parser reads process.env.LOG_TOKENS (a debugging switch) for every token: a
    // look-up in the environment for each of the million tokens of a large file. Off here.
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const switched = text.replace("if (node_process.env.LOG_TOKENS)", "if (false)");
      if (switched === text) throw new Error(`${args.path}: the LOG_TOKENS check is not where expected; see scripts/bundle.mjs`);
      return { contents: switched, loader: "js" };
    });
    b.onLoad({ filter: /[\\/](src|backends)[\\/].*\.ts$/ }, (args) => {
      let text = readFileSync(args.path, "utf8");
      // Each module's own location: paths found from it (package.json, templates, the DSL's
      // declarations) are those of its `tsc` output, which ships beside the bundle.
      text = text.replaceAll("import.meta.url", `new URL(${JSON.stringify(distPath(args.path))}, import.meta.url).href`);
      // Modules small enough to come with the main file are imported up front.
      const eager = [];
      text = text.replace(/await import\("(\.[^"]+)"\)/g, (call, spec) => {
        if (!EAGER.has(spec)) return call;
        eager.push(`import * as __eager${eager.length} from ${JSON.stringify(spec)};`);
        return `__eager${eager.length - 1}`;
      });
      const hashbang = text.startsWith("#!") ? text.slice(0, text.indexOf("\n") + 1) : "";
      return { contents: hashbang + eager.join("\n") + "\n" + text.slice(hashbang.length), loader: "ts" };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { switchyard: "src/cli.ts" },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  // Less text to parse at start-up; names stay, so stack traces read without the map too.
  minifyWhitespace: true,
  minifySyntax: true,
  // Chunks beside the entry: every module is found from the same folder (see distPath).
  chunkNames: "[name]-[hash]",
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: `import { createRequire as __switchyardRequire } from "node:module"; const require = __switchyardRequire(import.meta.url);` },
  external: ["ts-morph", "typescript", "@aws-sdk/*", "ajv", "ajv/*", "cron-parser"],
  plugins: [buildTime],
  metafile: true,
  logLevel: "warning",
});
if (result.errors.length) process.exit(1);
