/**
 * `import pipeline.json` with the `schedule.json` compile writes beside it: the
 * pipeline's name and schedule come back, and compiling again writes the same
 * schedule; a schedule the format cannot hold is left with a warning. And the
 * EventBridge cron read back is the cron that was written.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import backend from "../../../backends/sagemaker/index.js";
import { cronFromEventBridge, eventBridgeCron, rateFromEventBridge } from "../../../src/aws/eventbridge.js";
import { fixture, lower } from "./support/load.js";

function compiled(files: Array<{ kind: string; contents: string }>, schedule?: (s: any) => void) {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-lift-schedule-"));
  const def = files.find((f) => f.kind === "definition")!;
  writeFileSync(join(dir, "pipeline.json"), def.contents);
  const sch = files.find((f) => f.kind === "schedule");
  if (sch) {
    const s = JSON.parse(sch.contents);
    schedule?.(s);
    writeFileSync(join(dir, "schedule.json"), JSON.stringify(s, null, 2));
  }
  return { file: join(dir, "pipeline.json"), text: def.contents };
}

describe("import with the schedule beside the definition", () => {
  it("gives back the pipeline's name and schedule; compiling again writes the same schedule", async () => {
    const p = await fixture("abalone.yaml");
    const out = lower(p);
    const r = backend.lift!(compiled(out.files));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toContain("the pipeline's name 'abalone' and its schedule are taken from schedule.json beside the definition");
    expect(r.pipeline!.name).toBe("abalone");
    expect(r.pipeline!.schedule).toMatchObject({ cron: p.schedule!.cron });
    const again = lower(r.pipeline!);
    expect(again.files.find((f) => f.kind === "schedule")!.contents).toBe(out.files.find((f) => f.kind === "schedule")!.contents);
  });

  it("leaves a schedule that sends parameters, saying why, and names the pipeline after the file", async () => {
    const out = lower(await fixture("abalone.yaml"));
    const r = backend.lift!(compiled(out.files, (s) => (s.Target.Input = JSON.stringify({ PipelineName: "abalone", PipelineParameters: [{ Name: "mse_threshold", Value: "7" }] }))));
    expect(r.pipeline!.name).toBe("pipeline");
    expect(r.pipeline!.schedule).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "schedule.json beside the definition is not taken: it sends PipelineParameters, which a pipeline's schedule does not hold (its runs take the parameters' defaults)",
    );
  });

  it("reads a disabled fixed-rate schedule in a time zone", async () => {
    const out = lower(await fixture("abalone.yaml"));
    const r = backend.lift!(compiled(out.files, (s) => Object.assign(s, { ScheduleExpression: "rate(6 hours)", ScheduleExpressionTimezone: "Europe/Paris", State: "DISABLED" })));
    expect(r.pipeline!.schedule).toMatchObject({ every: 21600, timezone: "Europe/Paris", enabled: false });
  });
});

describe("EventBridge cron read back", () => {
  const field = (lo: number, hi: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min: lo, max: hi }).map(String),
      fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi })).filter(([a, b]) => a < b).map(([a, b]) => `${a}-${b}`),
      fc.integer({ min: 2, max: 6 }).map((n) => `*/${n}`),
    );
  it("is the cron that was written, or something that writes the same expression", () => {
    fc.assert(
      fc.property(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6), fc.boolean(), (mi, h, dom, mo, dow, byDay) => {
        const cron = `${mi} ${h} ${byDay ? "*" : dom} ${mo} ${byDay ? dow : "*"}`;
        const e = eventBridgeCron(cron);
        if (!("expression" in e)) return;
        const back = cronFromEventBridge(e.expression);
        expect(back).toBeDefined();
        expect(eventBridgeCron(back!)).toEqual(e);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what five fields cannot say, and reads rates", () => {
    expect(cronFromEventBridge("cron(0 6 ? * MON 2027)")).toBeUndefined();
    expect(cronFromEventBridge("cron(0 6 L * ? *)")).toBeUndefined();
    expect(cronFromEventBridge("cron(0 6 ? * MON#2 *)")).toBeUndefined();
    expect(cronFromEventBridge("cron(0 9 ? * MON-FRI *)")).toBe("0 9 * * 1-5");
    expect(rateFromEventBridge("rate(1 day)")).toBe(86400);
    expect(rateFromEventBridge("rate(90 seconds)")).toBeUndefined();
  });
});
