/**
 * The base Python for the Airflow test environments. MWAA runs Python 3.12 and
 * its constraints files are Airflow's `constraints-3.12.txt`, so 3.12 is
 * preferred; a machine without it falls back to `python3` when that is a
 * version Airflow supports (3.9 to 3.12), where the same pins install too.
 * `SWITCHYARD_AIRFLOW_PYTHON` overrides the choice.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function version(python: string): [number, number] | undefined {
  try {
    const out = execFileSync(python, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const [maj, min] = out.trim().split(" ").map(Number);
    return [maj, min];
  } catch {
    return undefined;
  }
}

function candidates(): string[] {
  const out: string[] = [];
  if (process.env.SWITCHYARD_AIRFLOW_PYTHON) out.push(process.env.SWITCHYARD_AIRFLOW_PYTHON);
  out.push("python3.12");
  const pyenv = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const versions = join(pyenv, "versions");
  if (existsSync(versions)) {
    for (const v of readdirSync(versions).filter((d) => d.startsWith("3.12.")).sort().reverse()) out.push(join(versions, v, "bin", "python3.12"));
  }
  out.push("/usr/local/bin/python3.12", "/usr/bin/python3.12", "python3");
  return out;
}

let chosen: string | undefined;

/** The interpreter the Airflow venvs are built from (see above). */
export function airflowBasePython(): string {
  if (chosen) return chosen;
  for (const c of candidates()) {
    const v = version(c);
    if (!v) continue;
    if (v[0] === 3 && v[1] === 12) return (chosen = c);
  }
  const fallback = version("python3");
  if (fallback && fallback[0] === 3 && fallback[1] >= 9 && fallback[1] <= 12) return (chosen = "python3");
  throw new Error("no Python 3.9-3.12 found for Airflow; set SWITCHYARD_AIRFLOW_PYTHON");
}
