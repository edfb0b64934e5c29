/**
 * The HTML report opened in real headless Chromium: what a reader sees, that
 * the page fetches nothing, and a screenshot under test-output/.
 * The browser comes from the npm registry (test/support/chromium.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { reportFor } from "../../src/report/index.js";
import { launchChromium } from "../support/chromium.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

const OUT = join(__dirname, "..", "..", "test-output", "report");

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The page's screenshot under test-output/, for a reader of the report (nothing is asserted on it). Chromium
 * sometimes answers "Unable to capture screenshot" on a loaded machine: tried again once before failing.
 */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  const path = join(OUT, `${name}.png`);
  try {
    await page.screenshot({ path, fullPage: true });
  } catch (e) {
    if (!/Unable to capture screenshot/.test(String(e))) throw e;
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path, fullPage: true });
  }
}

async function open(fixture: string, name: string, width = 1280): Promise<{ page: Page; requests: string[] }> {
  const r = await loadPipelineFile(fixture);
  expect(r.diagnostics).toEqual([]);
  const out = reportFor(r.pipeline!, [SAGEMAKER(), STEPFUNCTIONS({ stateTransitions: 40 }), AIRFLOW({ airflowTasks: 8 })], { format: "html", color: false });
  expect(out.diagnostics).toEqual([]);
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, out.output);
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  page.on("request", (req) => requests.push(req.url()));
  await page.goto(`file://${file}`);
  return { page, requests };
}

describe("HTML report in Chromium", () => {
  it("abalone: graphs, feature matrix, cost chart and recommendation are visible; nothing is fetched", async () => {
    const { page, requests } = await open(join(__dirname, "..", "..", "fixtures", "abalone.yaml"), "abalone");
    expect(requests).toEqual([`file://${join(OUT, "abalone.html")}`]);
    await expect(page.locator("h1").innerText()).resolves.toBe("Switchyard report: abalone");

    // One graph per target, one box per step, one arrow per reduced dependency.
    const graphs = page.locator("svg.graph");
    await expect(graphs.count()).resolves.toBe(3);
    for (const t of ["airflow", "sagemaker", "stepfunctions"]) {
      const g = page.locator(`svg.graph[data-target="${t}"]`);
      expect(await g.isVisible()).toBe(true);
      await expect(g.locator("g.node").count()).resolves.toBe(8);
      // preprocess→train→evaluate→mse_gate, mse_gate→register, →model, →mse_too_high, model→batch_score.
      await expect(g.locator("path.edge").count()).resolves.toBe(7);
    }
    // Steps are laid out left to right in dependency order.
    const x = async (step: string) => (await page.locator(`svg.graph[data-target="sagemaker"] g.node[data-step="${step}"]`).boundingBox())!.x;
    expect(await x("preprocess")).toBeLessThan(await x("train"));
    expect(await x("train")).toBeLessThan(await x("evaluate"));
    expect(await x("mse_gate")).toBeLessThan(await x("model"));
    expect(await x("model")).toBeLessThan(await x("batch_score"));
    // The cached step is coloured by its support: emulated on stepfunctions, unsupported on airflow.
    await expect(page.locator(`svg.graph[data-target="stepfunctions"] g.node[data-step="preprocess"]`).getAttribute("data-support")).resolves.toBe("emulated");
    await expect(page.locator(`svg.graph[data-target="airflow"] g.node[data-step="preprocess"]`).getAttribute("data-support")).resolves.toBe("unsupported");

    // Feature matrix: the cache row reads airflow / sagemaker / stepfunctions.
    const cacheRow = page.locator('#features tr[data-feature="cache"] td');
    const cells = await cacheRow.allInnerTexts();
    expect(cells[0]).toBe("step result cache");
    expect(cells.slice(2).map((c) => c.split("\n")[0])).toEqual(["unsupported", "native", "emulated"]);

    // Cost: summary table and a chart bar for each target's monthly components. By hand: the four jobs and their
    // volumes are 216,106 micro-dollars a run, 4 runs a month (Mondays); Step Functions' 160 transitions a month
    // are free; MWAA adds mw1.micro ($188.34) and a NAT gateway ($32.85).
    const summary = await page.locator("#cost-summary tbody tr").allInnerTexts();
    expect(summary).toEqual(["Apache Airflow on Amazon MWAA\t$0.22\t$222.05", "Amazon SageMaker Pipelines\t$0.22\t$0.86", "AWS Step Functions\t$0.22\t$0.86"]);
    const bars = page.locator('svg.cost-chart rect.bar[data-target="airflow"]');
    await expect(bars.count()).resolves.toBe(6); // processing (two steps), ML storage, training, transform, the environment, the NAT gateway
    const env = await page.locator('svg.cost-chart rect.bar[data-target="airflow"][data-component="MWAA environment mw1.micro"]').boundingBox();
    const train = await page.locator('svg.cost-chart rect.bar[data-target="airflow"][data-component="training ml.m5.xlarge"]').boundingBox();
    expect(env!.width).toBeGreaterThan(train!.width * 100);
    await expect(page.locator("svg.cost-chart text.total").allTextContents()).resolves.toEqual(["$222.05", "$0.86", "$0.86"]);
    // No cost component is drawn in the red that means "unsupported".
    const fills = await page.locator("svg.cost-chart rect.bar").evaluateAll((els) => els.map((e) => e.getAttribute("fill")));
    expect(fills.filter((f) => ["#e15759", "#ff9da7", "#f7cccc"].includes(f!))).toEqual([]);

    // Cost against runs a month: one line per target on labelled log axes; MWAA's flat line meets the per-run lines
    // at the break-even, marked.
    await expect(page.locator("svg.runs-chart polyline.line").count()).resolves.toBe(3);
    await expect(page.locator("svg.runs-chart text.x-title").textContent()).resolves.toBe("runs per month (log scale)");
    await expect(page.locator("svg.runs-chart text.x-tick").allTextContents()).resolves.toEqual(["1", "10", "100", "1k", "10k", "100k", "1M"]);
    expect(await page.locator("svg.runs-chart circle.break-even").isVisible()).toBe(true);
    await expect(page.locator("#runs ul.legend li").allInnerTexts()).resolves.toEqual([
      "Apache Airflow on Amazon MWAA (airflow)",
      "Amazon SageMaker Pipelines (sagemaker)",
      "AWS Step Functions (stepfunctions)",
    ]);

    // Ranking: results, cost, risk, in that order, for each target.
    const first = await page.locator("#recommendation > li").first().innerText();
    expect(first.split("\n")).toEqual([
      "Amazon SageMaker Pipelines (sagemaker)",
      "same results: compiles, and no used feature that changes results is missing",
      "cost: $0.86 a month at 4 runs, the cheapest, tied with stepfunctions (within 5% or $1)",
      "risk 0: every used feature native, no added ordering, no limit warning",
    ]);
    // (188.34 + 32.85 + 0.10) / (40 × 0.000025) = 221,290 runs.
    await expect(page.locator("#break-even").innerText()).resolves.toContain("above 221,290 runs a month");
    await expect(page.locator("#sources li").count()).resolves.toBeGreaterThan(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await keepScreenshot(page, "abalone");
    await page.close();
  });

  it("at 420 px: nothing overflows the page, wide tables scroll in their own box, the charts shrink to fit", async () => {
    const { page, requests } = await open(join(__dirname, "..", "..", "fixtures", "churn.yaml"), "churn-420", 420);
    expect(requests).toEqual([`file://${join(OUT, "churn-420.html")}`]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    for (const sel of ["svg.runs-chart", "svg.cost-chart", "#recommendation", "#sources"]) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.x, sel).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, sel).toBeLessThanOrEqual(420);
    }
    // The cost table is wider than the screen: its own box scrolls.
    const scroll = page.locator(".scroll").filter({ has: page.locator("table.cost-lines") }).first();
    expect(await scroll.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    await keepScreenshot(page, "churn-420");
    await page.close();
  });

  it("churn: foreach copies shown on the node, else branch dashed", async () => {
    const { page } = await open(join(__dirname, "..", "..", "fixtures", "churn.yaml"), "churn");
    const sweep = page.locator('svg.graph[data-target="sagemaker"] g.node[data-step="sweep"]');
    await expect(sweep.locator("text").first().textContent()).resolves.toBe("sweep ×3");
    await expect(sweep.getAttribute("data-support")).resolves.toBe("emulated");
    await expect(page.locator('svg.graph[data-target="sagemaker"] g.node[data-step="too_weak"] rect').getAttribute("stroke-dasharray")).resolves.toBe("5 3");
    await keepScreenshot(page, "churn");
    await page.close();
  });
});
