/**
 * A headless Chromium for browser tests, from the npm registry: `@sparticuz/chromium`
 * ships a compressed Chromium inside the package (linux x64), unpacked to the temp
 * folder on first use. Nothing is downloaded at run time. Where that package has no
 * binary (another OS or CPU), a system Chromium is used if one is installed.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Flags for a quiet, offline headless browser: no background fetches, no first-run pages. */
const FLAGS = ["--headless", "--no-sandbox", "--no-zygote", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const SYSTEM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** Where the browser came from, for messages. */
export interface BrowserSource {
  executablePath: string;
  from: "npm" | "system";
}

export async function findChromium(): Promise<BrowserSource> {
  if (process.platform === "linux" && process.arch === "x64") {
    const { default: packaged } = await import("@sparticuz/chromium");
    return { executablePath: await packaged.executablePath(), from: "npm" };
  }
  const system = SYSTEM.find((p) => existsSync(p));
  if (system) return { executablePath: system, from: "system" };
  throw new Error(
    `no Chromium for ${process.platform}/${process.arch}: @sparticuz/chromium ships linux x64 only, and none of ${SYSTEM.join(", ")} exists; install Chromium`,
  );
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath } = await findChromium();
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}
