import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Node 20 lacks one API a test tool calls (see the file).
    setupFiles: ["./test/support/node20.ts"],
    // Python environments are created on first use (minutes); tests themselves stay short.
    hookTimeout: 40 * 60 * 1000,
    testTimeout: 120 * 1000,
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
