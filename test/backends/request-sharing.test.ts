/**
 * A step's request is checked once per pipeline and what the check said is given to every target
 * that lowers the step (src/aws/requests/shared.ts). That must not show: each target says the same
 * in one process, in any order, as it says alone in a fresh module graph (a fresh process's state),
 * and a foreach step's copies keep their own output locations and their own problems.
 */
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { ROOT } from "../support/python-env.js";

const TARGETS = ["sagemaker", "stepfunctions", "airflow"] as const;
type Target = (typeof TARGETS)[number];

const FILE = join(ROOT, "fixtures", "request-sharing.yaml");

const HEAD = `version: 1
pipeline: request-sharing
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/sharing
defaults:
  instance: ml.m5.large
steps:
`;

/** Problems every target reports: text over a member's limit, an unknown image, a URI the API refuses, each in one copy of a foreach step. */
const REFUSED = `${HEAD}  prep:
    type: processing
    image: sklearn:9.9-9
    command: [python3, -c, "print(1)"]
    arguments: [--note, "${"x".repeat(257)}"]
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "bucket-demo/in" } }
  each:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    foreach: ["short", "${"y".repeat(300)}"]
    arguments: ["\${{ item }}"]
`;

/** A pipeline every target lowers: the foreach copies write to places of their own. */
const LOWERED = `${HEAD}  each:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    foreach: ["a", "b"]
    arguments: ["\${{ item }}"]
    outputs: { out: /opt/ml/processing/out }
  last:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    inputs: { data: { source: "\${{ steps.each.outputs.out }}", destination: /opt/ml/processing/in } }
`;

interface Said {
  diagnostics: string[];
  files: string[];
}

/** Each target's diagnostics and files, lowering one pipeline object for the targets in `order` with the modules as loaded. */
async function lowerInOrder(yaml: string, order: readonly Target[]): Promise<Record<string, Said>> {
  const { compileAll } = await import("../../src/cli/commands.js");
  const { formatDiagnostic } = await import("../../src/diagnostics.js");
  const { loadYamlText } = await import("../../src/frontends/load.js");
  const loaded = loadYamlText(yaml, FILE);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out: Record<string, Said> = {};
  for (const t of order) {
    const [r] = await compileAll(loaded.pipeline!, [t], FILE, {});
    out[t] = { diagnostics: r.diagnostics.map((d) => formatDiagnostic(d)), files: r.files.map((f) => `${f.path}\n${String(f.contents)}`) };
  }
  return out;
}

/** Each target lowered alone, with every module loaded afresh, as a process of its own would. */
async function lowerApart(yaml: string): Promise<Record<string, Said>> {
  const out: Record<string, Said> = {};
  for (const t of TARGETS) {
    vi.resetModules();
    Object.assign(out, await lowerInOrder(yaml, [t]));
  }
  vi.resetModules();
  return out;
}

describe("a request checked once per pipeline", () => {
  test("every target reports the same problems, in the same order, lowered together in either order or apart", async () => {
    const apart = await lowerApart(REFUSED);
    const together = await lowerInOrder(REFUSED, TARGETS);
    const reversed = await lowerInOrder(REFUSED, [...TARGETS].reverse());
    for (const t of TARGETS) {
      const codes = apart[t].diagnostics.join("\n");
      // Each problem is there on each target: the check's and the image's.
      expect(codes).toContain(`AppSpecification.ContainerArguments "${"x".repeat(257)}" is 257 characters`);
      expect(codes).toContain("no training image of sklearn version '9.9-9' is known");
      expect(codes).toContain(`InputDataConfig.DataSource.S3DataSource.S3Uri "bucket-demo/in" does not match the pattern`);
      // The long item is refused in its own copy only.
      expect(codes.split(`"${"y".repeat(300)}" is 300 characters`).length).toBe(2);
      expect(together[t]).toEqual(apart[t]);
      expect(reversed[t]).toEqual(apart[t]);
    }
  });

  test("a foreach step's copies keep their own output locations on every target", async () => {
    const apart = await lowerApart(LOWERED);
    const together = await lowerInOrder(LOWERED, TARGETS);
    const reversed = await lowerInOrder(LOWERED, [...TARGETS].reverse());
    for (const t of TARGETS) {
      expect(apart[t].files.length).toBeGreaterThan(0);
      const text = apart[t].files.join("\n");
      expect(text).toContain("/each/0/out");
      expect(text).toContain("/each/1/out");
      expect(together[t]).toEqual(apart[t]);
      expect(reversed[t]).toEqual(apart[t]);
    }
  });
});
