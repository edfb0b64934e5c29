/**
 * The HTML report opened in real headless Chromium: what a reader sees, that
 * the page fetches nothing, and a screenshot under test-output/.
 * Needs the Debian `chromium` package at /usr/bin/chromium.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { reportFor } from "../../src/report/index.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(__dirname, "..", "..", "test-output", "report");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the HTML report test needs Chromium at ${CHROMIUM}: install it with 'apt-get install -y chromium'`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

async function open(fixture: string, name: string): Promise<{ page: Page; requests: string[] }> {
  const r = await loadPipelineFile(fixture);
  expect(r.diagnostics).toEqual([]);
  const out = reportFor(r.pipeline!, [SAGEMAKER(), STEPFUNCTIONS({ stateTransitions: 40 }), AIRFLOW({ airflowTasks: 8 })], { format: "html", color: false });
  expect(out.diagnostics).toEqual([]);
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, out.output);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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

    // Cost: summary table and a chart bar for each target's monthly components.
    const summary = await page.locator("#cost-summary tbody tr").allInnerTexts();
    expect(summary).toEqual(["Apache Airflow on Amazon MWAA\t$0.21\t$358.54", "Amazon SageMaker Pipelines\t$0.21\t$0.84", "AWS Step Functions\t$0.21\t$0.84"]);
    const bars = page.locator('svg.cost-chart rect.bar[data-target="airflow"]');
    await expect(bars.count()).resolves.toBe(4); // processing (two steps), training, transform, the environment
    const env = await page.locator('svg.cost-chart rect.bar[data-target="airflow"][data-component="MWAA environment mw1.small"]').boundingBox();
    const train = await page.locator('svg.cost-chart rect.bar[data-target="airflow"][data-component="training ml.m5.xlarge"]').boundingBox();
    expect(env!.width).toBeGreaterThan(train!.width * 100);
    await expect(page.locator("svg.cost-chart text.total").allTextContents()).resolves.toEqual(["$358.54", "$0.84", "$0.84"]);

    await expect(page.locator("#recommendation li").first().innerText()).resolves.toMatch(/^Amazon SageMaker Pipelines \(sagemaker\): all 19 used features native/);
    await expect(page.locator("#break-even").innerText()).resolves.toContain("above 357,800 runs a month");
    await page.screenshot({ path: join(OUT, "abalone.png"), fullPage: true });
    await page.close();
  });

  it("churn: foreach copies shown on the node, else branch dashed", async () => {
    const { page } = await open(join(__dirname, "..", "..", "fixtures", "churn.yaml"), "churn");
    const sweep = page.locator('svg.graph[data-target="sagemaker"] g.node[data-step="sweep"]');
    await expect(sweep.locator("text").first().textContent()).resolves.toBe("sweep ×3");
    await expect(sweep.getAttribute("data-support")).resolves.toBe("emulated");
    await expect(page.locator('svg.graph[data-target="sagemaker"] g.node[data-step="too_weak"] rect').getAttribute("stroke-dasharray")).resolves.toBe("5 3");
    await page.screenshot({ path: join(OUT, "churn.png"), fullPage: true });
    await page.close();
  });
});
