// DagBag parse time of generated DAGs in real Airflow (MWAA 2.11.2 pins): the
// fixtures and generated DAGs of 200, 1,000 and 10,000 steps. Uses the Airflow environment the tests
// create (run `npm test` once first). Usage: npm run build && node bench/airflow-parse.mjs [--airflow 2|3]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generate } from "./generate.mjs";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const CLI = join(ROOT, "dist", "src", "cli.js");
const line = process.argv.includes("--airflow") ? process.argv[process.argv.indexOf("--airflow") + 1] : "2";
const cache = process.env.SWITCHYARD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "switchyard");
const venvs = existsSync(join(cache, "venvs")) ? readdirSync(join(cache, "venvs")) : [];
const venv = venvs.map((d) => join(cache, "venvs", d)).find((d) => d.includes(`/airflow${line}-`) && existsSync(join(d, ".complete")));
if (!venv) {
  console.error(`no Airflow ${line} environment under ${cache}/venvs: run \`npm test\` once to create it`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "switchyard-dagbench-"));
mkdirSync(join(work, "scripts"));
writeFileSync(join(work, "scripts", "step.py"), "print('step')\n");
writeFileSync(join(work, "random-200.yaml"), generate("random", 200, 7));
writeFileSync(join(work, "random-1000.yaml"), generate("random", 1000, 7));
writeFileSync(join(work, "random-10000.yaml"), generate("random", 10000, 7));

const cases = [
  ["abalone", join(ROOT, "fixtures", "abalone.yaml")],
  ["churn", join(ROOT, "fixtures", "churn.yaml")],
  ["random 200 steps", join(work, "random-200.yaml")],
  ["random 1000 steps", join(work, "random-1000.yaml")],
  ["random 10000 steps", join(work, "random-10000.yaml")],
];
const home = join(work, "airflow-home");
mkdirSync(home);
// The import is timed to its end: MWAA's own timeout (30 s by default) is compared in the output, not applied.
const env = { ...process.env, AIRFLOW_HOME: home, AIRFLOW__CORE__LOAD_EXAMPLES: "False", AIRFLOW__LOGGING__LOGGING_LEVEL: "ERROR", AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT: "600" };

// Time each file's import inside one interpreter, after Airflow and the provider are loaded.
const timer = `
import sys, time
t0 = time.perf_counter()
from airflow.models.dagbag import DagBag
import airflow.providers.amazon.aws.operators.sagemaker  # noqa: F401
print(f"import airflow + amazon provider: {(time.perf_counter() - t0) * 1000:.0f} ms")
for label, folder in zip(sys.argv[1::2], sys.argv[2::2]):
    # As on MWAA, the DAGs folder is on the path: the helper module beside the DAG imports from there.
    sys.path.insert(0, folder)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        bag = DagBag(dag_folder=folder, include_examples=False)
        runs.append((time.perf_counter() - t) * 1000)
        assert not bag.import_errors, bag.import_errors
    tasks = sum(len(d.tasks) for d in bag.dags.values())
    runs.sort()
    over = "   (over MWAA's default 30 s DagBag import timeout)" if runs[2] > 30000 else ""
    print(f"{label:<20} {tasks:>5} tasks   DagBag parse median {runs[2]:7.1f} ms   min {runs[0]:7.1f} ms{over}")
`;
const args = [];
for (const [label, file] of cases) {
  const out = join(work, "out", label.replace(/ /g, "-"));
  execFileSync(process.execPath, [CLI, "compile", file, "--target", "airflow", "--airflow", line, "--out", out], { stdio: ["ignore", "ignore", "ignore"] });
  args.push(label, join(out, "airflow", "dags"));
}
console.log(`Airflow ${line} (${venv})`);
const r = spawnSync(join(venv, "bin", "python"), ["-c", timer, ...args], { env, encoding: "utf8" });
process.stdout.write(r.stdout);
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
