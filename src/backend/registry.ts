/**
 * Finds backends by name. Built-ins live in `backends/<name>/index.ts` and are
 * imported only when asked for, so a command pays only for the targets it uses.
 * A third-party package named `switchyard-backend-<name>` whose default export
 * is a `Backend` is found the same way; `registerBackend` adds one in-process,
 * and `SWITCHYARD_BACKENDS` (a comma-separated list of module paths or package
 * names) loads extra backends before any lookup.
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Backend } from "./types.js";

import { BUILTIN_TARGETS } from "../ir/names.js";

export { BUILTIN_TARGETS };

const registered = new Map<string, Backend>();

export function registerBackend(b: Backend): void {
  registered.set(b.name, b);
}

export class BackendNotFound extends Error {
  constructor(readonly target: string, detail: string) {
    super(`no backend for target '${target}': ${detail}`);
  }
}

function isBackend(x: unknown): x is Backend {
  return typeof x === "object" && x !== null && typeof (x as Backend).name === "string" && typeof (x as Backend).lower === "function";
}

/** Each built-in backend's module, by a literal path (so a bundler can find it), loaded on first use. */
const BUILTIN_MODULES: Record<(typeof BUILTIN_TARGETS)[number], () => Promise<{ default?: unknown }>> = {
  sagemaker: () => import("../../backends/sagemaker/index.js"),
  stepfunctions: () => import("../../backends/stepfunctions/index.js"),
  airflow: () => import("../../backends/airflow/index.js"),
};

let pluginsLoaded = false;

/** Backends named in `SWITCHYARD_BACKENDS`, loaded once. */
async function loadPlugins(): Promise<void> {
  if (pluginsLoaded) return;
  pluginsLoaded = true;
  const list = (process.env.SWITCHYARD_BACKENDS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const spec of list) {
    const url = spec.startsWith(".") || isAbsolute(spec) ? pathToFileURL(resolve(spec)).href : spec;
    const mod = (await import(url)) as { default?: unknown };
    if (!isBackend(mod.default)) throw new BackendNotFound(spec, "SWITCHYARD_BACKENDS names a module that does not export a backend");
    registerBackend(mod.default);
  }
}

export async function loadBackend(name: string): Promise<Backend> {
  await loadPlugins();
  const hit = registered.get(name);
  if (hit) return hit;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new BackendNotFound(name, "target names are lower-case words");
  const builtin = (BUILTIN_TARGETS as readonly string[]).includes(name);
  const specifier = builtin ? new URL(`../../backends/${name}/index.js`, import.meta.url).href : `switchyard-backend-${name}`;
  let mod: { default?: unknown };
  try {
    mod = builtin ? await BUILTIN_MODULES[name as keyof typeof BUILTIN_MODULES]() : ((await import(specifier)) as { default?: unknown });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes(builtin ? `backends/${name}/index.js` : specifier)) {
      throw new BackendNotFound(
        name,
        builtin ? "this build of switchyard does not include it yet" : `install the package 'switchyard-backend-${name}' to add it`,
      );
    }
    throw e;
  }
  if (!isBackend(mod.default)) throw new BackendNotFound(name, `${specifier} does not export a backend`);
  registered.set(name, mod.default);
  return mod.default;
}

/** Built-in backends that are present in this build. */
export async function availableBackends(): Promise<Backend[]> {
  await loadPlugins();
  const out: Backend[] = [];
  for (const n of BUILTIN_TARGETS) {
    try {
      out.push(await loadBackend(n));
    } catch (e) {
      if (!(e instanceof BackendNotFound)) throw e;
    }
  }
  for (const b of registered.values()) if (!out.includes(b)) out.push(b);
  return out;
}
