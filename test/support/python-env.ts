/**
 * Python virtual environments for tests (Airflow, moto, the SageMaker SDK),
 * created from PyPI on first use and cached outside the clone, keyed by the
 * pinned requirements: `$SWITCHYARD_CACHE` or `~/.cache/switchyard/venvs/<name>-<hash>`.
 *
 * Each environment is described by `test/python/<name>.txt` (pip requirements,
 * exact pins) and optionally `test/python/<name>.constraints` (a path to a pip
 * constraints file, relative to the project root). A `.complete` marker is
 * written last, so an interrupted install is never reused.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function cacheRoot(): string {
  return process.env.SWITCHYARD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "switchyard");
}

function pythonVersion(python: string): string {
  return execFileSync(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" }).trim();
}

export interface Venv {
  dir: string;
  python: string;
  bin: (tool: string) => string;
}

/** The environment `name`, created if missing. Safe to call from several processes. */
export function ensureVenv(name: string, basePython = process.env.SWITCHYARD_PYTHON ?? "python3"): Venv {
  const reqFile = join(ROOT, "test", "python", `${name}.txt`);
  const requirements = readFileSync(reqFile, "utf8");
  const consFile = join(ROOT, "test", "python", `${name}.constraints`);
  const constraintsPath = existsSync(consFile) ? resolve(ROOT, readFileSync(consFile, "utf8").trim()) : undefined;
  const constraints = constraintsPath ? readFileSync(constraintsPath, "utf8") : "";
  const key = createHash("sha256")
    .update(requirements)
    .update("\0")
    .update(constraints)
    .update("\0")
    .update(pythonVersion(basePython))
    .digest("hex")
    .slice(0, 16);
  const dir = join(cacheRoot(), "venvs", `${name}-${key}`);
  const venv: Venv = { dir, python: join(dir, "bin", "python"), bin: (t) => join(dir, "bin", t) };
  if (existsSync(join(dir, ".complete"))) return venv;

  mkdirSync(join(cacheRoot(), "venvs"), { recursive: true });
  const lock = `${dir}.lock`;
  // mkdir is atomic: whoever creates the lock builds; the others wait for `.complete`.
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(join(dir, ".complete"))) return venv;
      if (waited > 1800) rmSync(lock, { recursive: true, force: true });
      execFileSync("sleep", ["1"]);
    }
  }
  try {
    if (existsSync(join(dir, ".complete"))) return venv;
    // Scripts in a venv name their interpreter by absolute path, so build in place;
    // `.complete` is written last, and a folder without it is rebuilt.
    rmSync(dir, { recursive: true, force: true });
    execFileSync(basePython, ["-m", "venv", dir], { stdio: "inherit" });
    const args = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", reqFile];
    if (constraintsPath) args.push("-c", constraintsPath);
    execFileSync(venv.python, args, { stdio: "inherit", timeout: 30 * 60 * 1000 });
    execFileSync("touch", [join(dir, ".complete")]);
    return venv;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

