/** Five-field cron to EventBridge's six fields, checked against hand-written conversions. */
import { describe, expect, test } from "vitest";
import { eventBridgeCron, SCHEDULE_NAME, scheduleName } from "../../src/aws/eventbridge.js";

describe("five-field cron to EventBridge", () => {
  const cases: Array<[string, string]> = [
    ["0 6 * * 1", "cron(0 6 ? * MON *)"],
    ["30 2 * * *", "cron(30 2 * * ? *)"],
    ["*/15 * * * *", "cron(0/15 * * * ? *)"],
    ["0 9 * * 1-5", "cron(0 9 ? * MON-FRI *)"],
    ["0 12 * * 0,6", "cron(0 12 ? * SUN,SAT *)"],
    ["0 12 * * 7", "cron(0 12 ? * SUN *)"],
    ["0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"],
    ["15 4 * * sat", "cron(15 4 ? * SAT *)"],
    ["0 0 * jan,jul *", "cron(0 0 * JAN,JUL ? *)"],
    ["0 0 1 * *", "cron(0 0 1 * ? *)"],
    ["0 9 * * */2", "cron(0 9 ? * 1/2 *)"],
    ["0 12 15 jan,jul *", "cron(0 12 15 JAN,JUL ? *)"],
  ];
  for (const [five, six] of cases) test(`${five} -> ${six}`, () => expect(eventBridgeCron(five)).toEqual({ expression: six }));

  test("a macro is not a five-field cron", () => {
    expect(eventBridgeCron("@daily")).toHaveProperty("error");
  });

  test("day of month and day of week together cannot be expressed", () => {
    expect(eventBridgeCron("0 0 1 * 1")).toEqual({
      error: "cron '0 0 1 * 1' restricts both day-of-month and day-of-week, which EventBridge cannot express; restrict only one of them",
    });
  });
});

describe("schedule names", () => {
  test("one rule on every target: the pipeline or machine name, then -schedule", () => {
    expect(scheduleName("churn-nightly")).toBe("churn-nightly-schedule");
  });

  test("a long name keeps its start and a hash of the whole, within 64 characters; two long names never meet", () => {
    const a = scheduleName(`${"x".repeat(70)}-a`);
    const b = scheduleName(`${"x".repeat(70)}-b`);
    for (const n of [a, b]) {
      expect(n).toHaveLength(SCHEDULE_NAME.max);
      expect(n).toMatch(SCHEDULE_NAME.pattern);
      expect(n).toMatch(/^x{46}-[0-9a-f]{8}-schedule$/);
    }
    expect(a).not.toBe(b);
    // 55 characters is the longest name kept whole.
    expect(scheduleName("y".repeat(55))).toBe(`${"y".repeat(55)}-schedule`);
    expect(scheduleName("y".repeat(56))).toHaveLength(64);
    expect(scheduleName("y".repeat(56))).not.toContain("y".repeat(56));
  });
});
