/**
 * The price table: every figure the cost report uses, as data with its region,
 * date and source, and whether it was confirmed from an AWS source. The
 * built-in table is `prices-<version>.json`; `--prices` takes a file of the
 * same shape (documented in this module's types).
 */
import { readFileSync } from "node:fs";
import builtin from "./prices-2026-11.json" with { type: "json" };

/** One price: `usd` for every `per` units of `unit`. */
export interface PriceRecord {
  /** `sagemaker`, `sagemaker-pipelines`, `stepfunctions`, `mwaa`, `lambda`, `sqs`, `s3`. */
  service: string;
  /** What is bought, e.g. `training:ml.m5.xlarge`, `standard-transition`, `environment:mw1.small`. */
  item: string;
  region: string;
  usd: number;
  per: number;
  unit: string;
  /** When the figure was read (YYYY-MM-DD). */
  date: string;
  /** A key of `sources`. */
  source: string;
  confirmed: boolean;
}

/** A free quantity per month (free tier). */
export interface AllowanceRecord {
  service: string;
  item: string;
  region: string;
  quantity: number;
  unit: string;
  date: string;
  source: string;
  confirmed: boolean;
}

export interface PriceSource {
  url: string;
  note: string;
}

export interface PriceTableFile {
  format: 1;
  version: string;
  currency: "USD";
  retrieved: string;
  sources: Record<string, PriceSource>;
  allowances: AllowanceRecord[];
  prices: PriceRecord[];
}

/** Raised for a price the table does not hold; the message says which. */
export class PriceLookupError extends Error {}

/** A price table, indexed. */
export class PriceTable {
  private readonly byKey = new Map<string, PriceRecord>();
  private readonly allowancesByKey = new Map<string, AllowanceRecord>();

  constructor(readonly data: PriceTableFile, readonly origin: string) {
    for (const p of data.prices) this.byKey.set(key(p.service, p.item, p.region), p);
    for (const a of data.allowances) this.allowancesByKey.set(key(a.service, a.item, a.region), a);
  }

  get version(): string {
    return this.data.version;
  }

  find(service: string, item: string, region: string): PriceRecord | undefined {
    return this.byKey.get(key(service, item, region));
  }

  allowance(service: string, item: string, region: string): AllowanceRecord | undefined {
    return this.allowancesByKey.get(key(service, item, region));
  }

  /** Regions that have any price for a service, sorted. */
  regions(service: string): string[] {
    return [...new Set(this.data.prices.filter((p) => p.service === service).map((p) => p.region))].sort(cmp);
  }

  /** Items of a service priced in a region, sorted. */
  items(service: string, region: string): string[] {
    return this.data.prices.filter((p) => p.service === service && p.region === region).map((p) => p.item).sort(cmp);
  }

  /** A price, or an error that names the region or the item it lacks. */
  require(service: string, item: string, region: string, what: string): PriceRecord {
    const hit = this.find(service, item, region);
    if (hit) return hit;
    const regions = this.regions(service);
    if (!regions.includes(region)) {
      throw new PriceLookupError(
        `no ${service} prices for region '${region}' in price table ${this.version} (${this.origin}); it has ${regions.join(", ") || "none"}`,
      );
    }
    throw new PriceLookupError(`no price for ${what} in region '${region}' in price table ${this.version} (${this.origin})`);
  }

  sourceOf(r: PriceRecord | AllowanceRecord): PriceSource | undefined {
    return this.data.sources[r.source];
  }
}

const key = (service: string, item: string, region: string) => `${service}\u0000${item}\u0000${region}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Shape problems in a table, each naming the record; empty when valid. */
export function validatePriceTable(x: unknown): string[] {
  const errs: string[] = [];
  const o = x as Partial<PriceTableFile>;
  if (typeof x !== "object" || x === null) return ["the price table is not a JSON object"];
  if (o.format !== 1) errs.push("`format` must be 1");
  if (typeof o.version !== "string") errs.push("`version` must be a string");
  if (o.currency !== "USD") errs.push("`currency` must be \"USD\"");
  if (typeof o.sources !== "object" || o.sources === null) errs.push("`sources` must be an object");
  const sources = (o.sources ?? {}) as Record<string, unknown>;
  const str = (r: Record<string, unknown>, k: string) => typeof r[k] === "string" && (r[k] as string).length > 0;
  const num = (r: Record<string, unknown>, k: string) => typeof r[k] === "number" && Number.isFinite(r[k]) && (r[k] as number) >= 0;
  const check = (list: unknown, name: string, numeric: string[]) => {
    if (!Array.isArray(list)) {
      errs.push(`\`${name}\` must be an array`);
      return;
    }
    list.forEach((r, i) => {
      const rec = (r ?? {}) as Record<string, unknown>;
      const where = `${name}[${i}]`;
      for (const k of ["service", "item", "region", "unit", "date", "source"]) if (!str(rec, k)) errs.push(`${where}: \`${k}\` must be a non-empty string`);
      for (const k of numeric) if (!num(rec, k)) errs.push(`${where}: \`${k}\` must be a number >= 0`);
      if (typeof rec.confirmed !== "boolean") errs.push(`${where}: \`confirmed\` must be true or false`);
      if (str(rec, "source") && !(String(rec.source) in sources)) errs.push(`${where}: source '${String(rec.source)}' is not in \`sources\``);
    });
  };
  check(o.prices, "prices", ["usd", "per"]);
  check(o.allowances, "allowances", ["quantity"]);
  return errs;
}

export function builtinPriceTable(): PriceTable {
  return new PriceTable(builtin as PriceTableFile, `built-in prices-${(builtin as PriceTableFile).version}.json`);
}

/** A user's table from `--prices`; throws PriceLookupError with every shape problem. */
export function loadPriceTableFile(file: string): PriceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PriceLookupError(`cannot read price table ${file}: ${(e as Error).message}`);
  }
  const errs = validatePriceTable(parsed);
  if (errs.length) throw new PriceLookupError(`price table ${file} is not valid: ${errs.join("; ")}`);
  return new PriceTable(parsed as PriceTableFile, file);
}
