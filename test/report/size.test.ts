/** Tables of a pipeline of thousands of steps: readable cells, and no time quadratic in a cell's width. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadYamlText } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { buildReport } from "../../src/report/build.js";
import { renderReport, runCheck } from "../../src/report/index.js";
import { PLACES_NAMED, placesText } from "../../src/util/places.js";
import { DRAWN_STEPS } from "../../src/report/format/html.js";
import { renderTable } from "../../src/report/format/table.js";
import { formatUsd } from "../../src/report/money.js";
import { builtinPriceTable } from "../../src/report/prices/table.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

/** A chain of `n` Lambda steps, each retried (one feature every step uses). */
function chain(n: number): Pipeline {
  const steps = Array.from({ length: n }, (_, i) => `  step${i}:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:f\n    retry: { attempts: 2 }\n${i ? `    depends_on: [step${i - 1}]\n` : ""}`);
  const text = `version: 1\npipeline: long\nregion: eu-west-1\nrole: arn:aws:iam::111122223333:role/R\nartifacts: s3://acme-long/p\nsteps:\n${steps.join("")}`;
  const r = loadYamlText(text, join(__dirname, "long.yaml"), __dirname);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

/** `n` processing steps side by side, each estimated at 6 minutes on one ml.m5.xlarge. */
function jobs(n: number): Pipeline {
  const steps = Array.from({ length: n }, (_, i) => `  job${i}: { type: processing, image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/prep:1", instance: ml.m5.xlarge, estimate: 6m }\n`);
  const text = `version: 1\npipeline: jobs\nregion: us-east-1\nrole: arn:aws:iam::111122223333:role/R\nartifacts: s3://acme-jobs/p\nsteps:\n${steps.join("")}`;
  const r = loadYamlText(text, join(__dirname, "jobs.yaml"), __dirname);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

describe("tables at size", () => {
  it("cost lines alike but for their step: eight stay a line each; nine are one line naming eight steps, quantities and amounts added", () => {
    const costLines = (n: number) => {
      const { report } = buildReport(jobs(n), [SAGEMAKER()], builtinPriceTable(), {});
      const text = renderReport(report, "text", false).split("\n");
      const md = renderReport(report, "md", false);
      const html = renderReport(report, "html", false);
      return { text, md, html, json: report.targets.sagemaker.cost.lines.filter((l) => l.component === "processing ml.m5.xlarge") };
    };
    const eight = costLines(8);
    expect(eight.json).toHaveLength(8);
    expect(eight.text.filter((l) => /^ {2}processing ml\.m5\.xlarge\s+job\d\s/.test(l))).toHaveLength(8);
    const nine = costLines(9);
    expect(nine.json).toHaveLength(9);
    const shown = nine.text.filter((l) => l.startsWith("  processing ml.m5.xlarge "));
    expect(shown).toHaveLength(1);
    // 9 × 0.1 instance-hours; the amount is the nine lines' added up.
    const each = nine.json[0].amountUsd!;
    expect(shown[0]).toMatch(/job0, job1, job2, job3, job4, job5, job6, job7 and 1 more\s+0\.9 instance-hours\s/);
    expect(shown[0]).toContain(formatUsd(nine.json.reduce((a, l) => a + l.amountUsd!, 0)));
    expect(nine.json.every((l) => l.amountUsd === each)).toBe(true);
    expect(nine.text).toContain("  - processing ml.m5.xlarge (job0, job1, job2, job3, job4, job5, job6, job7 and 1 more): each step: 6 min estimate × 1 instance");
    // The same line in the other formats.
    expect(nine.md).toContain("| processing ml.m5.xlarge | job0, job1, job2, job3, job4, job5, job6, job7 and 1 more | 0.9 instance-hours |");
    expect(nine.html).toContain("<tr><td>processing ml.m5.xlarge</td><td>job0, job1, job2, job3, job4, job5, job6, job7 and 1 more</td><td class=\"num\">0.9 instance-hours</td>");
    expect(eight.md.match(/\| processing ml\.m5\.xlarge \| job\d \|/g)).toHaveLength(8);
  });

  it("a feature's places: all of a few, the first eight of many and a count of the rest", () => {
    expect(placesText(["a", "b", "c"])).toBe("a, b, c");
    const many = Array.from({ length: 20 }, (_, i) => `s${i}`);
    expect(placesText(many)).toBe("s0, s1, s2, s3, s4, s5, s6, s7 and 12 more");
    expect(placesText(many.slice(0, PLACES_NAMED))).toBe(many.slice(0, 8).join(", "));
  });

  it("a cell 100,000 characters wide: every line is padded to it and none ends in spaces", () => {
    const lines = renderTable(["name", "note"], [["x".repeat(100_000), "long"], ["y", "short"], ["z", ""]]);
    // Header "name" padded, then "note"; the rule; "long"; "short"; "z" alone (its empty last cell and padding trimmed).
    expect(lines.map((l) => l.length)).toEqual([2 + 100_000 + 2 + 4, 2 + 100_000 + 2 + 5, 2 + 100_000 + 2 + 4, 2 + 100_000 + 2 + 5, 2 + 1]);
    expect(lines.filter((l) => /\s$/.test(l))).toEqual([]);
  });

  it("check and report of 3,000 steps name eight steps a feature and count the rest; the JSON report keeps them all", async () => {
    const p = chain(3000);
    const check = await runCheck(p, { target: "stepfunctions", failOn: "unsupported", color: false });
    const retryLine = check.output.split("\n").find((l) => l.includes("retry with backoff"))!;
    expect(retryLine).toContain("step0, step1, step2, step3, step4, step5, step6, step7 and 2992 more");
    // As wide as the table of ten steps, but for the count's three more digits ("and 2 more", "and 2992 more").
    const widest = (out: string) => Math.max(...out.split("\n").map((l) => l.length));
    const small = await runCheck(chain(10), { target: "stepfunctions", failOn: "unsupported", color: false });
    expect(widest(check.output)).toBe(widest(small.output) + 3);
    const { report } = buildReport(p, [SAGEMAKER(), STEPFUNCTIONS(), AIRFLOW()], builtinPriceTable(), {});
    const eight = "step0, step1, step2, step3, step4, step5, step6, step7 and 2992 more";
    for (const format of ["text", "md"] as const) {
      const out = renderReport(report, format, false);
      expect(out).toContain(eight);
      expect(out).not.toContain("step2999");
    }
    // The page's feature table names eight; past 2,000 steps it draws no graph, and says so.
    const html = renderReport(report, "html", false);
    const row = /<tr data-feature="retry">.*?<\/tr>/.exec(html)![0];
    expect(row).toContain(eight);
    expect(html).not.toContain("step2999");
    expect(html).toContain(`<p class="note" id="not-drawn">The graph of 3000 steps is not drawn (more than ${DRAWN_STEPS}); <code>switchyard graph</code> prints it as Mermaid or DOT.</p>`);
    expect(html).not.toContain('id="structures"');
    expect(JSON.parse(renderReport(report, "json", false)).features.find((f: { id: string }) => f.id === "retry").uses).toHaveLength(3000);
  });
});
