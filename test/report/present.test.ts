/**
 * The report with whichever built-in backends this build has: every built-in
 * target is either compared or named as missing, and the figures come from
 * the backends' own capability tables and usage counts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { availableBackends, BUILTIN_TARGETS } from "../../src/backend/registry.js";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { runReport } from "../../src/report/index.js";

describe("report with the present backends", () => {
  for (const fixture of ["abalone.yaml", "churn.yaml"]) {
    it(fixture, async () => {
      const r = await loadPipelineFile(join(__dirname, "..", "..", "fixtures", fixture));
      expect(r.diagnostics).toEqual([]);
      const present = (await availableBackends()).map((b) => b.name).filter((n) => (BUILTIN_TARGETS as readonly string[]).includes(n));
      const out = await runReport(r.pipeline!, { format: "json", color: false });
      expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const rep = JSON.parse(out.output);
      expect(Object.keys(rep.targets).sort()).toEqual([...present].sort());
      expect([...Object.keys(rep.targets), ...rep.missingTargets].sort()).toEqual([...BUILTIN_TARGETS].sort());
      for (const b of await availableBackends()) {
        for (const f of rep.features) expect(rep.targets[b.name].features[f.id]).toEqual(b.capabilities[f.id as keyof typeof b.capabilities] ?? { support: "unsupported", note: "the backend does not declare this feature" });
        expect(rep.targets[b.name].cost.perRunUsd).toBeGreaterThan(0);
      }
      const text = await runReport(r.pipeline!, { format: "text", color: false });
      if (rep.missingTargets.length) expect(text.output).toContain(`missing targets (not in this build): ${rep.missingTargets.join(", ")}`);
      else expect(text.output).not.toContain("missing targets");
    });
  }
});
