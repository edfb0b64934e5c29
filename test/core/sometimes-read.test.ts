/** Parameters without a default that a run reads only on some of its paths (the lifters' warning). */
import { expect, test } from "vitest";
import { loadYamlText } from "../../src/frontends/load.js";
import { paramsReadOnSomePaths } from "../../src/ir/sometimes-read.js";

const pipeline = (steps: string) => {
  const r = loadYamlText(
    `version: 1
pipeline: paths
region: us-east-1
artifacts: s3://bucket/paths
parameters:
  mode: { type: string }
  topic: { type: string }
  queue: { type: string }
  alarm: { type: string }
  table: { type: string }
  fixed: { type: string, default: "x" }
steps:
${steps}`,
    "p.yaml",
    "/tmp",
  );
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
};

const publish = (id: string, topic: string, extra = "") => `  ${id}:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${topic}", Message: hello }
${extra}`;

test("a parameter read on one way of a condition only (or by a failure handler only) is reported; one read on both ways, or outside any condition, is not", () => {
  const p = pipeline(
    `  route:
    type: condition
    if: \${{ params.mode == 'create' }}
    then: [create, both_then]
    else: [both_else]
${publish("create", "${{ params.topic }}")}${publish("both_then", "${{ params.queue }}")}${publish("both_else", "${{ params.queue }}", "    on_failure: [alert]\n")}${publish("alert", "${{ params.alarm }}")}${publish("last", "${{ params.table }}-${{ params.fixed }}", "    depends_on: [route]\n")}`,
  );
  // mode: the condition itself; queue: both ways; table: after the condition, on every path; fixed: has a default.
  expect(paramsReadOnSomePaths(p)).toEqual(["topic", "alarm"]);
});

test("a condition inside a branch: read on both of its ways counts for the branch it is in", () => {
  const p = pipeline(
    `  outer:
    type: condition
    if: \${{ params.mode == 'a' }}
    then: [inner]
    else: [other]
  inner:
    type: condition
    if: \${{ params.mode == 'b' }}
    then: [x]
    else: [y]
${publish("x", "${{ params.topic }}")}${publish("y", "${{ params.topic }}")}${publish("other", "${{ params.topic }}-${{ params.queue }}")}`,
  );
  expect(paramsReadOnSomePaths(p)).toEqual(["queue"]);
});
