/**
 * The AWS SDK clients are optional dependencies: only deploy and run use them, and
 * they are three quarters of an install (about 150 of 205 MB). A client that is not
 * installed (`npm install --omit=optional`) is one clear error naming the package
 * to install, never a stack trace.
 */
import { readFileSync } from "node:fs";
import { error } from "../diagnostics.js";
import { DeployFailure } from "./errors.js";

/** The optional packages and their pinned versions, from the package's own package.json. */
function optionalPackages(): Record<string, string> {
  // dist/src/deploy/ when run from the compiled sources, dist/bin/ in the bundle.
  for (const up of ["../../../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; optionalDependencies?: Record<string, string> };
      if (manifest.name === "switchyard") return manifest.optionalDependencies ?? {};
    } catch {
      // not there: the other layout
    }
  }
  return {};
}

/** `load()` (an `import()` of `pkg`), or a DeployFailure saying how to install `pkg` when it is not installed. */
export async function sdk<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if ((code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") || !String((e as Error).message).includes(pkg)) throw e;
    // One command that installs every client deploy and run may load, at the pinned versions.
    const all = Object.entries(optionalPackages()).filter(([name]) => name.startsWith("@aws-sdk/"));
    const install = all.length ? all.map(([name, version]) => `${name}@${version}`).join(" ") : pkg;
    throw new DeployFailure(
      error(undefined, `deploy and run need the AWS SDK package ${pkg}, which this install left out (the AWS SDK clients are optional dependencies)`, {
        code: "deploy-sdk",
        hint: `install them: npm install ${install}`,
      }),
    );
  }
}
