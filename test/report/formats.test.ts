/** The four formats: aligned text with optional colour, escaped Markdown and HTML, the stable JSON shape. */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { mdCell } from "../../src/report/format/markdown.js";
import { reportFor } from "../../src/report/index.js";
import { formatQuantity, formatUnitPrice, formatUsd } from "../../src/report/money.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

let churn: Pipeline;
const backends = () => [SAGEMAKER(), STEPFUNCTIONS({ stateTransitions: 40 }), AIRFLOW({ airflowTasks: 8 })];
const run = (p: Pipeline, format: "text" | "md" | "json" | "html", color = false) => reportFor(p, backends(), { format, color }).output;
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

beforeAll(async () => {
  const r = await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "churn.yaml"));
  churn = r.pipeline!;
});

describe("text", () => {
  it("colour only when asked, and colour never moves a column", () => {
    const plain = run(churn, "text", false);
    const coloured = run(churn, "text", true);
    expect(plain).not.toContain("\x1b[");
    expect(coloured).toContain("\x1b[");
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it("columns line up under their headers", () => {
    const lines = run(churn, "text").split("\n");
    const head = lines.findIndex((l) => l.startsWith("Cost: Amazon SageMaker Pipelines"));
    const header = lines[head + 1];
    const rule = lines[head + 2];
    expect(rule.trim()).toMatch(/^-+( +-+)+$/);
    const col = header.indexOf("period");
    const rows = lines.slice(head + 3, lines.findIndex((l, i) => i > head && l.startsWith("  per run ")));
    // 2 jobs and their ML storage, the endpoint, orchestration, Lambda requests, SQS requests, Lambda duration,
    // CloudWatch Logs, the SQS free tier.
    expect(rows.length).toBe(11);
    for (const r of rows) expect(r.slice(col, col + 7), r).toMatch(/^per (run|mon)/);
    expect(rule.slice(col, col + 9)).toBe("---------");
  });
});

describe("JSON", () => {
  it("has the documented shape", () => {
    const j = JSON.parse(run(churn, "json"));
    expect(j.format).toBe(1);
    expect(Object.keys(j)).toEqual([
      "format", "pipeline", "prices", "runsPerMonth", "features", "graph", "targets", "missingTargets", "breakEven", "recommendation", "weigh", "sources", "notes",
    ]);
    for (const name of ["airflow", "sagemaker", "stepfunctions"]) {
      const t = j.targets[name];
      expect(Object.keys(t)).toEqual(["title", "features", "counts", "compiles", "cost", "limits", "usage", "addedOrderings"]);
      expect(typeof t.cost.perRunUsd).toBe("number");
      expect(typeof t.cost.monthlyUsd).toBe("number");
      expect(Array.isArray(t.cost.lines)).toBe(true);
      expect(Object.keys(t.cost.lines[0])).toEqual(["component", "step", "period", "quantity", "unit", "note", "unitPriceUsd", "amountUsd", "price"]);
      // Every line names its source with its URL (the sources list has the note).
      for (const l of t.cost.lines) {
        expect(Object.keys(l.price)).toEqual(["service", "item", "region", "source", "url", "date", "confirmed"]);
        expect(l.price.url).toBe(j.sources.find((s: { key: string }) => s.key === l.price.source).url);
      }
      expect(Array.isArray(t.limits)).toBe(true);
    }
    expect(j.recommendation.ranking.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3]);
  });

  it("the same input gives byte-identical output in every format", () => {
    for (const f of ["text", "md", "json", "html"] as const) expect(run(churn, f)).toBe(run(churn, f));
  });

  it("no float noise in the figures", () => {
    expect(run(churn, "json")).not.toMatch(/\d\.\d{13,}/);
  });
});

describe("escaping", () => {
  it("user text cannot break out of Markdown tables or HTML", () => {
    expect(mdCell("a|b\n<script>`x`")).toBe("a\\|b &lt;script&gt;\\`x\\`");
    const p: Pipeline = { ...churn, name: `x<img src=y>&"'` };
    const html = run(p, "html");
    expect(html).toContain("Switchyard report: x&lt;img src=y&gt;&amp;&quot;&#39;");
    expect(html).not.toContain("<img");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});

describe("money", () => {
  it.each([
    [0, "$0.00"],
    [0.2108333, "$0.21"],
    [358.5433, "$358.54"],
    [1234567.891, "$1,234,567.89"],
    [0.001, "$0.001"],
    [0.0000002, "$0.0000002"],
    [-0.004, "-$0.004"],
  ])("formatUsd(%s) = %s", (x, s) => expect(formatUsd(x)).toBe(s));

  it("unit prices keep their precision; quantities group thousands", () => {
    expect(formatUnitPrice(0.055)).toBe("$0.055");
    expect(formatUnitPrice(0.49)).toBe("$0.49");
    expect(formatUnitPrice(0.0000166667)).toBe("$0.0000166667");
    expect(formatUnitPrice(0)).toBe("$0.00");
    expect(formatQuantity(1460)).toBe("1,460");
    expect(formatQuantity(1 / 6)).toBe("0.1667");
    expect(formatQuantity(0.25)).toBe("0.25");
    expect(formatQuantity(null)).toBe("unknown");
  });
});

describe("sources in every format", () => {
  it("text and md: each figure cites a numbered footnote, listed with its URL; html: a sources section; json: per line", () => {
    const j = JSON.parse(run(churn, "json"));
    const keys = j.sources.map((s: { key: string }) => s.key);
    // Numbered in order of first use; every line's source is listed, and nothing else.
    const used = new Set<string>();
    for (const n of ["airflow", "sagemaker", "stepfunctions"]) {
      for (const l of j.targets[n].cost.lines) used.add(l.price.source);
      for (const f of j.targets[n].cost.freeTier) used.add(f.source);
    }
    expect([...used].sort()).toEqual([...keys].sort());
    expect(j.sources.map((s: { n: number }) => s.n)).toEqual(keys.map((_: string, i: number) => i + 1));
    const text = run(churn, "text");
    const md = run(churn, "md");
    const html = run(churn, "html");
    for (const s of j.sources) {
      expect(text).toContain(`  [${s.n}] ${s.key}: ${s.url}: ${s.note}`);
      expect(md).toContain(`- [${s.n}] ${mdCell(s.key)}: ${mdCell(s.url)}: ${mdCell(s.note)}`);
      expect(html).toContain(`<li value="${s.n}" id="source-${s.n}"><code>${s.key}</code>`);
    }
    // A line's source column: the footnote, * for an estimate, the date.
    const sfLine = text.split("\n").find((l) => l.includes("state transitions") && l.includes("per run"))!;
    expect(sfLine).toMatch(new RegExp(`\\[${j.sources.find((s: { key: string }) => s.key === "aws-step-functions-pricing").n}\\] 2026-11-23$`));
    expect(md).toContain("### Sources");
    expect(html).toContain("<h2>Sources</h2>");
  });
});

describe("unknown durations in every format", () => {
  it("per run is a lower bound naming the steps without estimate; never $0.00", async () => {
    const r = await loadPipelineFile(join(__dirname, "fixtures", "no-estimate.yaml"));
    const p = r.pipeline!;
    const want = "at least $0.05; unknown (no estimate for: train, score)";
    expect(run(p, "text")).toContain(`per run ${want}; per month at least $0.05 at 1 run a month`);
    expect(run(p, "md")).toContain(`| ${want} | at least $0.05 |`);
    expect(run(p, "html")).toContain(`<td class="num">${want}</td><td class="num">at least $0.05</td>`);
    const j = JSON.parse(run(p, "json"));
    expect(j.targets.sagemaker.cost).toMatchObject({ noEstimate: ["train", "score"], perRunMicros: 47_151 });
  });
});

describe("html graphs", () => {
  it("one graph when every target colours every step the same; one per target when they differ", async () => {
    const same = run((await loadPipelineFile(join(__dirname, "fixtures", "no-estimate.yaml"))).pipeline!, "html");
    expect(same.match(/<svg [^>]*class="graph"/g)).toHaveLength(1);
    expect(same).toContain("<h2>Pipeline graph (the same support on every target)</h2>");
    expect(same).toContain('data-targets="airflow sagemaker stepfunctions"');
    // churn on the stand-ins: SageMaker emulates foreach and approval; Airflow and Step Functions colour alike.
    const differ = run(churn, "html");
    expect(differ.match(/<svg [^>]*class="graph"/g)).toHaveLength(2);
    expect(differ).toContain("<h2>Pipeline graph per target</h2>");
    expect(differ).toContain('data-targets="airflow stepfunctions"');
    expect(differ).toContain('data-targets="sagemaker"');
  });
});
