/**
 * A headless Chromium for browser tests, from the npm registry: `@sparticuz/chromium`
 * ships a compressed Chromium inside the package (linux x64), unpacked to the temp
 * folder on first use. Nothing is downloaded at run time. The binary needs NSS, NSPR
 * and expat: the system's when installed, else the copies the package also ships
 * (built for Amazon Linux 2023, used through LD_LIBRARY_PATH). Where the package has
 * no binary (another OS or CPU), a system Chromium is used if one is installed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

/** Flags for a quiet, offline headless browser: no background fetches, no first-run pages. */
const FLAGS = ["--headless", "--no-sandbox", "--no-zygote", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const SYSTEM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

export interface BrowserSource {
  executablePath: string;
  from: "npm" | "system";
}

const packaged = process.platform === "linux" && process.arch === "x64";

export async function findChromium(): Promise<BrowserSource> {
  if (packaged) {
    const { default: npm } = await import("@sparticuz/chromium");
    return { executablePath: await npm.executablePath(), from: "npm" };
  }
  const system = SYSTEM.find((p) => existsSync(p));
  if (system) return { executablePath: system, from: "system" };
  throw new Error(
    `no Chromium for ${process.platform}/${process.arch}: @sparticuz/chromium ships linux x64 only, and none of ${SYSTEM.join(", ")} exists; install Chromium`,
  );
}

/** The shared libraries the package ships, unpacked once (renamed into place, so a half-unpacked folder is never used). */
export function packagedLibraries(): string {
  const pkgBin = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..", "bin");
  const dir = join(tmpdir(), "switchyard-chromium-libs");
  if (!existsSync(join(dir, "lib", "libnss3.so"))) {
    const tmp = `${dir}.${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, "libs.tar"), brotliDecompressSync(readFileSync(join(pkgBin, "al2023.tar.br"))));
    execFileSync("tar", ["-xf", join(tmp, "libs.tar"), "-C", tmp]);
    rmSync(join(tmp, "libs.tar"));
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process unpacked the same files first.
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return join(dir, "lib");
}

/** Launch options with the package's own libraries ahead of the system's. */
export function withPackagedLibraries(o: LaunchOptions): LaunchOptions {
  const env = { ...process.env } as Record<string, string>;
  env.LD_LIBRARY_PATH = [packagedLibraries(), env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return { ...o, env };
}

export async function chromiumLaunchOptions(): Promise<LaunchOptions> {
  const { executablePath } = await findChromium();
  return { executablePath, args: FLAGS, headless: true };
}

export async function launchChromium(): Promise<Browser> {
  const o = await chromiumLaunchOptions();
  try {
    return await chromium.launch(o);
  } catch (e) {
    // Most likely a library the system lacks (libnss3.so): retry with the package's copies.
    if (!packaged) throw e;
    return chromium.launch(withPackagedLibraries(o));
  }
}
