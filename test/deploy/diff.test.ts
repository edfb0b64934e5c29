import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson, compareTexts, unifiedDiff } from "../../src/deploy/diff.js";

/** Apply a unified diff to `before` (strictly: context and removed lines must match). */
function applyDiff(before: string, diff: string): string {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let pos = 0;
  const lines = diff.replace(/\n$/, "").split("\n").slice(2);
  for (let k = 0; k < lines.length; k++) {
    const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[k]);
    if (!h) throw new Error(`expected a hunk header, got ${lines[k]}`);
    const aStart = Number(h[2]) === 0 ? Number(h[1]) : Number(h[1]) - 1;
    while (pos < aStart) out.push(a[pos++]);
    while (k + 1 < lines.length && !lines[k + 1].startsWith("@@ ")) {
      const l = lines[++k];
      const t = l[0];
      const text = l.slice(1);
      if (t === " " || t === "-") {
        if (a[pos] !== text) throw new Error(`line ${pos + 1}: expected '${text}', found '${a[pos]}'`);
        pos++;
        if (t === " ") out.push(text);
      } else if (t === "+") out.push(text);
      else throw new Error(`bad line ${l}`);
    }
  }
  while (pos < a.length) out.push(a[pos++]);
  return out.length ? out.join("\n") + "\n" : "";
}

const text = fc.array(fc.constantFrom("a", "b", "c", "d", "{", "}", '  "x": 1,', ""), { maxLength: 30 }).map((ls) => (ls.length ? ls.join("\n") + "\n" : ""));

describe("unifiedDiff", () => {
  it("turns the old text into the new one when applied, and is empty only for equal texts", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, "old", "new");
        if (a === b) return d === "";
        return d.startsWith("--- old\n+++ new\n@@ ") && applyDiff(a, d) === b;
      }),
      { numRuns: 500 },
    );
  });

  it("keeps three lines of context and shows deletions before insertions", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"].join("\n") + "\n";
    const after = ["1", "2", "3", "4", "five", "6", "7", "8", "9"].join("\n") + "\n";
    expect(unifiedDiff(before, after, "a", "b")).toBe("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  });

  it("diffs a new resource against nothing", () => {
    expect(unifiedDiff("", "x\ny\n", "/dev/null", "new")).toBe("--- /dev/null\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  });
});

describe("compareTexts", () => {
  it("compares JSON by value: key order and layout do not count", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })), (obj) => {
        const reordered = Object.fromEntries(Object.entries(obj).reverse());
        return compareTexts("r", JSON.stringify(obj), JSON.stringify(reordered, null, 4)).action === "unchanged";
      }),
    );
  });

  it("says created with a diff from nothing, updated with a diff of the changed member", () => {
    const created = compareTexts("r", undefined, '{"b":1,"a":2}');
    expect(created).toEqual({ action: "created", diff: '--- /dev/null\n+++ new r\n@@ -0,0 +1,4 @@\n+{\n+  "a": 2,\n+  "b": 1\n+}\n' });
    const updated = compareTexts("r", '{"a":2,"b":1}', '{"b":3,"a":2}');
    expect(updated).toEqual({ action: "updated", diff: '--- deployed r\n+++ new r\n@@ -1,4 +1,4 @@\n {\n   "a": 2,\n-  "b": 1\n+  "b": 3\n }\n' });
  });

  it("compares other text byte for byte when asked", () => {
    expect(compareTexts("r", "x = 1\n", "x = 1\n", false).action).toBe("unchanged");
    expect(compareTexts("r", '{"a":1}', '{ "a": 1 }', false).action).toBe("updated");
  });

  it("sorts keys with plain comparison, not the locale", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, "é": 4 })).toBe('{\n  "B": 2,\n  "a": 3,\n  "b": 1,\n  "é": 4\n}\n');
  });
});
