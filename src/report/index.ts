/**
 * The cost and feature report (`switchyard report`) and the capability check
 * (`switchyard check`), as the CLI calls them.
 */
import { availableBackends, loadBackend } from "../backend/registry.js";
import type { Backend } from "../backend/types.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";
import { buildReport } from "./build.js";
import { checkTarget } from "./check.js";
import { renderHtml } from "./format/html.js";
import { renderJson } from "./format/json.js";
import { renderMarkdown } from "./format/markdown.js";
import { renderText } from "./format/text.js";
import type { Report } from "./model.js";
import { builtinPriceTable, loadPriceTableFile, PriceLookupError, type PriceTable } from "./prices/table.js";

export type { Report } from "./model.js";
export { MWAA_CLASSES } from "./mwaa-classes.js";
export { buildReport } from "./build.js";

export interface ReportOptions {
  format: "text" | "md" | "json" | "html";
  runsPerMonth?: number;
  region?: string;
  mwaaClass?: string;
  mwaaShared?: boolean;
  pricesFile?: string;
  color: boolean;
}

export function renderReport(r: Report, format: ReportOptions["format"], color: boolean): string {
  switch (format) {
    case "text":
      return renderText(r, color);
    case "md":
      return renderMarkdown(r);
    case "json":
      return renderJson(r);
    case "html":
      return renderHtml(r);
  }
}

/** The report for the given backends (the CLI passes every present one). */
export function reportFor(pipeline: Pipeline, backends: Backend[], opts: ReportOptions): { output: string; diagnostics: Diagnostic[] } {
  let prices: PriceTable;
  try {
    prices = opts.pricesFile ? loadPriceTableFile(opts.pricesFile) : builtinPriceTable();
  } catch (e) {
    if (e instanceof PriceLookupError) return { output: "", diagnostics: [error(undefined, e.message, { code: "report-prices" })] };
    throw e;
  }
  const { report, diagnostics } = buildReport(pipeline, backends, prices, opts);
  return { output: renderReport(report, opts.format, opts.color), diagnostics };
}

export async function runReport(pipeline: Pipeline, opts: ReportOptions): Promise<{ output: string; diagnostics: Diagnostic[] }> {
  return reportFor(pipeline, await availableBackends(), opts);
}

export async function runCheck(
  pipeline: Pipeline,
  opts: { target: string; failOn: "emulated" | "unsupported"; color: boolean },
): Promise<{ output: string; failed: boolean; diagnostics: Diagnostic[] }> {
  return checkTarget(pipeline, await loadBackend(opts.target), opts.failOn, opts.color);
}
