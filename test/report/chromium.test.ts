/** The browser the HTML report test uses needs nothing from the system but the C library. */
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumLaunchOptions, packagedLibraries, withPackagedLibraries } from "../support/chromium.js";

describe.runIf(process.platform === "linux" && process.arch === "x64")("packaged Chromium", () => {
  it("runs headless on the NSS, NSPR and expat the npm package ships", async () => {
    const libs = packagedLibraries();
    for (const lib of ["libnss3.so", "libnspr4.so", "libexpat.so.1"]) expect(existsSync(`${libs}/${lib}`), lib).toBe(true);
    const server = await chromium.launchServer(withPackagedLibraries(await chromiumLaunchOptions()));
    try {
      // The browser process mapped the package's libraries, not the system's.
      const maps = readFileSync(`/proc/${server.process().pid}/maps`, "utf8");
      expect(maps).toContain(`${libs}/libnss3.so`);
      const browser = await chromium.connect(server.wsEndpoint());
      const page = await browser.newPage();
      await page.setContent("<p id='x'>drawn</p>");
      await expect(page.locator("#x").innerText()).resolves.toBe("drawn");
      await browser.close();
    } finally {
      await server.close();
    }
  });
});
