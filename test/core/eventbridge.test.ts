/** Five-field cron to EventBridge's six fields, checked against hand-written conversions. */
import { describe, expect, test } from "vitest";
import { eventBridgeCron } from "../../src/aws/eventbridge.js";

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
