/** The plain (non-terminal) status log: the same execution gives the same step endings whatever the poll timing. */
import { describe, expect, it } from "vitest";
import { follow, StatusLine, type StepState } from "../../src/deploy/status.js";

type Poll = { status: string; steps: StepState[]; done: boolean };

async function logOf(polls: Poll[]): Promise<string[]> {
  const lines: string[] = [];
  const line = new StatusLine(false, (l) => lines.push(l), () => {});
  let i = 0;
  await follow(async () => polls[i++], "exec", line, 0);
  return lines;
}

const ended: Poll = { status: "FAILED", done: true, steps: [{ name: "a", status: "Succeeded" }, { name: "b", status: "Succeeded" }, { name: "c", status: "Failed" }] };

describe("status log", () => {
  it("a slow poller sees steps running; a fast one only their ends; both end each step once, in order", async () => {
    const slow = await logOf([
      { status: "RUNNING", done: false, steps: [{ name: "a", status: "Running" }] },
      { status: "RUNNING", done: false, steps: [{ name: "a", status: "Succeeded" }, { name: "b", status: "Running" }] },
      { status: "RUNNING", done: false, steps: [{ name: "a", status: "Succeeded" }, { name: "b", status: "Succeeded" }, { name: "c", status: "Running" }] },
      ended,
    ]);
    const fast = await logOf([ended]);
    const endings = (lines: string[]) => lines.filter((l) => l.startsWith("  ") && !l.endsWith(": Running"));
    expect(endings(slow)).toEqual(["  a: Succeeded", "  b: Succeeded", "  c: Failed"]);
    expect(endings(fast)).toEqual(endings(slow));
    expect(slow.filter((l) => l.endsWith(": Running"))).toEqual(["  a: Running", "  b: Running", "  c: Running"]);
    expect(slow.at(-1)).toBe("exec: FAILED");
    expect(fast.at(-1)).toBe("exec: FAILED");
  });
});
