/** Node 20 is the floor: the one newer API a test tool needs is supplied, and nothing else is missing. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const pkgDir = resolve(__dirname, "..", "..", "node_modules", "aws-local-stepfunctions");

describe("Node 20 support for the test tools", () => {
  it("Promise.withResolvers resolves and rejects like the ES2024 one", async () => {
    const ok = Promise.withResolvers<number>();
    ok.resolve(7);
    await expect(ok.promise).resolves.toBe(7);
    const bad = Promise.withResolvers<number>();
    bad.reject(new Error("no"));
    await expect(bad.promise).rejects.toThrow("no");
  });

  it("aws-local-stepfunctions calls no other API Node 20 lacks", () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { engines: { node: string }; version: string };
    // The EBADENGINE warning `npm ci` prints on Node 20 is this declaration (see test/support/node20.ts).
    expect(pkg.engines.node).toBe(">=22.0.0");
    const build = readFileSync(join(pkgDir, "build", "main.node.esm.js"), "utf8");
    // ES2024+ built-ins Node 20 does not have.
    const newer = ["withResolvers", "Object.groupBy", "Map.groupBy", "Array.fromAsync", ".isSubsetOf(", ".symmetricDifference(", "Iterator.from", "RegExp.escape", "Promise.try"];
    expect(newer.filter((api) => build.includes(api))).toEqual(["withResolvers"]);
  });
});
