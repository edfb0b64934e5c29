/** The price table: coverage, provenance on every figure, user tables, and clear errors for what it lacks. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { reportFor } from "../../src/report/index.js";
import { builtinPriceTable, loadPriceTableFile, validatePriceTable, type PriceTableFile } from "../../src/report/prices/table.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
const FAMILIES = ["t3", "m5", "m6i", "c5", "r5", "g4dn", "g5", "p3"];
const USES = ["processing", "training", "transform", "hosting"];

describe("built-in price table", () => {
  const t = builtinPriceTable();

  it("is valid and every figure has a region, a date and a known source", () => {
    expect(validatePriceTable(t.data)).toEqual([]);
    for (const p of t.data.prices) {
      expect(REGIONS).toContain(p.region);
      expect(p.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(t.data.sources[p.source]?.url).toMatch(/^https:\/\//);
    }
  });

  it("covers every family, use and region asked for (t3: processing and hosting only)", () => {
    for (const region of REGIONS) {
      for (const fam of FAMILIES) {
        for (const use of USES) {
          const items = t.items("sagemaker", region).filter((i) => i.startsWith(`${use}:ml.${fam}.`));
          if (fam === "t3" && (use === "training" || use === "transform")) expect(items).toEqual([]);
          else expect(items.length, `${use} ml.${fam} in ${region}`).toBeGreaterThan(0);
        }
      }
      for (const [service, item] of [["stepfunctions", "standard-transition"], ["mwaa", "environment:mw1.small"], ["lambda", "request"], ["sqs", "standard-request"]]) {
        expect(t.find(service, item, region), `${service} ${item} ${region}`).toBeDefined();
      }
    }
  });

  it("marks figures not read from an AWS source as unconfirmed", () => {
    // Confirmed: Step Functions in the four regions AWS names, and MWAA's us-east-1 small/medium/large rates and
    // metadata storage. Everything else is an estimate.
    const confirmed = [...new Set(t.data.prices.filter((p) => p.confirmed).map((p) => `${p.service} ${p.item.split(":").slice(-1)[0]} ${p.region}`))];
    expect(confirmed).toEqual([
      "stepfunctions standard-transition us-east-1",
      "stepfunctions standard-transition us-west-2",
      "stepfunctions standard-transition eu-west-1",
      "stepfunctions standard-transition eu-central-1",
      "mwaa mw1.small us-east-1",
      "mwaa mw1.medium us-east-1",
      "mwaa mw1.large us-east-1",
      "mwaa metadata-storage us-east-1",
    ]);
    expect(t.find("mwaa", "environment:mw1.micro", "us-east-1")).toMatchObject({ confirmed: false, source: "mwaa-estimate" });
    expect(t.find("mwaa", "environment:mw1.small", "eu-west-1")).toMatchObject({ confirmed: false, source: "mwaa-us-east-1-proxy" });
    expect(t.find("stepfunctions", "standard-transition", "us-east-1")).toMatchObject({ usd: 0.025, per: 1000 });
    expect(t.allowance("stepfunctions", "free-standard-transitions", "us-east-1")).toMatchObject({ quantity: 4000 });
  });
});

describe("entries that were mislabelled", () => {
  const t = builtinPriceTable();
  const src = (service: string, item: string, region: string) => {
    const r = t.find(service, item, region)!;
    return { ...r, url: t.data.sources[r.source].url, note: t.data.sources[r.source].note };
  };

  it("the SageMaker us-east-1 source says it quotes US East (Ohio) and is an estimate", () => {
    const r = src("sagemaker", "training:ml.m5.xlarge", "us-east-1");
    expect(r).toMatchObject({ usd: 0.23, confirmed: false, source: "sagemaker-us-east-estimate" });
    expect(r.note).toContain("US East (Ohio)");
  });

  it("MWAA: us-east-1 small, medium and large cite the AWS page (the Tokyo table is named as secondary); other regions are marked as proxies", () => {
    for (const c of ["mw1.small", "mw1.medium", "mw1.large"]) {
      const r = src("mwaa", `environment:${c}`, "us-east-1");
      expect(r).toMatchObject({ confirmed: true, url: "https://aws.amazon.com/managed-workflows-for-apache-airflow/pricing/" });
      expect(r.note).toContain("US East (N. Virginia)");
    }
    expect(src("mwaa", "environment:mw1.small", "eu-central-1")).toMatchObject({ confirmed: false, source: "mwaa-us-east-1-proxy" });
  });

  it("every MWAA class is priced in every region, with extra workers for the classes that can add them", () => {
    for (const region of REGIONS) {
      for (const c of ["mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge"]) {
        expect(t.find("mwaa", `environment:${c}`, region), `${c} ${region}`).toBeDefined();
        // mw1.micro runs one worker and cannot add any.
        expect(t.find("mwaa", `worker:${c}`, region) !== undefined, `worker ${c} ${region}`).toBe(c !== "mw1.micro");
      }
    }
  });

  it("Step Functions in eu-central-1 is confirmed: AWS lists Europe (Frankfurt) at $0.025 per 1,000", () => {
    expect(src("stepfunctions", "standard-transition", "eu-central-1")).toMatchObject({ usd: 0.025, per: 1000, confirmed: true, source: "aws-step-functions-pricing" });
  });

  it("ml.p3 in eu-west-1 is not us-east-1 × 1.117 (3.4% high for p3): $4.131 for ml.p3.2xlarge, the same ratio for larger sizes", () => {
    expect(src("sagemaker", "training:ml.p3.2xlarge", "eu-west-1")).toMatchObject({ usd: 4.131, source: "sagemaker-eu-west-1-p3", confirmed: false });
    // 14.688 × 1.08 and 28.152 × 1.08, to the tenth of a cent.
    expect(t.find("sagemaker", "training:ml.p3.8xlarge", "eu-west-1")!.usd).toBe(15.863);
    expect(t.find("sagemaker", "training:ml.p3.16xlarge", "eu-west-1")!.usd).toBe(30.404);
    // m5 keeps the usual factor.
    expect(t.find("sagemaker", "training:ml.m5.xlarge", "eu-west-1")!.usd).toBe(0.2569);
  });

  it("S3 requests the targets count are reads, priced at the GET price, not the PUT price", async () => {
    expect(t.find("s3", "get-request", "us-east-1")).toMatchObject({ usd: 0.0004, per: 1000 });
    const p = (await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "abalone.yaml"))).pipeline!;
    const j = JSON.parse(reportFor(p, [STEPFUNCTIONS({ stateTransitions: 1, s3Requests: 1000 })], { format: "json", color: false }).output);
    const s3 = j.targets.stepfunctions.cost.lines.find((l: { price: { service: string } }) => l.price.service === "s3");
    expect(s3).toMatchObject({ quantity: 1000, unitPriceUsd: 0.0000004, amountUsd: 0.0004, price: { item: "get-request" } });
  });
});

describe("errors and user tables", () => {
  async function abalone() {
    const r = await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "abalone.yaml"));
    return r.pipeline!;
  }

  it("an unknown region is an error that names it and the regions there are", async () => {
    const r = reportFor(await abalone(), [SAGEMAKER()], { format: "json", region: "ap-south-2", color: false });
    const msgs = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(msgs[0]).toBe(
      "step 'preprocess': no sagemaker prices for region 'ap-south-2' in price table 2026-11 (built-in prices-2026-11.json); it has eu-central-1, eu-west-1, us-east-1, us-west-2",
    );
  });

  it("an unknown instance type is an error at the place it is written", async () => {
    const p = await abalone();
    p.parameters.find((x) => x.name === "training_instance_type")!.default = "ml.z9.mega";
    const r = reportFor(p, [SAGEMAKER()], { format: "text", color: false });
    const e = r.diagnostics.filter((d) => d.severity === "error");
    expect(e).toHaveLength(1);
    expect(e[0].message).toBe("step 'train': no price for instance type 'ml.z9.mega' (training) in region 'us-east-1' in price table 2026-11 (built-in prices-2026-11.json)");
    expect(e[0].pos).toMatchObject({ line: 68 }) // `type: ${{ params.training_instance_type }}` in the train step;
  });

  it("--prices takes a table of the same shape", async () => {
    const own: PriceTableFile = {
      format: 1, version: "acme-2027", currency: "USD", retrieved: "2027-01-01",
      sources: { acme: { url: "https://example.com/our-rates", note: "negotiated" } },
      allowances: [],
      prices: [
        ...["processing", "training", "transform"].map((u) => ({ service: "sagemaker", item: `${u}:ml.m5.xlarge`, region: "us-east-1", usd: 1, per: 1, unit: "instance-hour", date: "2027-01-01", source: "acme", confirmed: true })),
        { service: "stepfunctions", item: "standard-transition", region: "us-east-1", usd: 1, per: 1000, unit: "state transitions", date: "2027-01-01", source: "acme", confirmed: true },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "sy-prices-"));
    const file = join(dir, "own.json");
    writeFileSync(file, JSON.stringify(own));
    const r = reportFor(await abalone(), [STEPFUNCTIONS({ stateTransitions: 10 })], { format: "json", pricesFile: file, color: false });
    expect(r.diagnostics).toEqual([]);
    const rep = JSON.parse(r.output);
    expect(rep.prices).toMatchObject({ version: "acme-2027", origin: file });
    // 55 min at $1/h (each job rounded once to micro-dollars: 166667 + 416667 + 83333 + 250000), plus 10 transitions at $0.001.
    expect(rep.targets.stepfunctions.cost.perRunMicros).toBe(166_667 + 416_667 + 83_333 + 250_000 + 10_000);
    // The table has no ML storage or CloudWatch price: those lines are left out, and said so.
    expect(rep.targets.stepfunctions.cost.notes).toContain("ML storage volumes not priced: the price table has no sagemaker ml-storage price for us-east-1");
  });

  it("a malformed table is refused with every problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "sy-prices-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ format: 1, version: "x", currency: "EUR", sources: {}, allowances: [], prices: [{ service: "s3", item: "get", region: "r", usd: -1, per: 1, unit: "u", date: "d", source: "nope", confirmed: "yes" }] }));
    expect(() => loadPriceTableFile(file)).toThrow(
      `price table ${file} is not valid: \`currency\` must be "USD"; prices[0]: \`usd\` must be a number >= 0; prices[0]: \`confirmed\` must be true or false; prices[0]: source 'nope' is not in \`sources\``,
    );
  });
});

describe("a user's table without the newer lines", () => {
  it("MWAA without a NAT gateway price still reports, naming what it could not price", async () => {
    const own: PriceTableFile = {
      format: 1, version: "mini", currency: "USD", retrieved: "2027-01-01",
      sources: { own: { url: "https://example.com/rates", note: "ours" } },
      allowances: [],
      prices: [
        ...["processing", "training", "transform"].map((u) => ({ service: "sagemaker", item: `${u}:ml.m5.xlarge`, region: "us-east-1", usd: 1, per: 1, unit: "instance-hour", date: "2027-01-01", source: "own", confirmed: true })),
        ...["environment", "worker"].map((k) => ({ service: "mwaa", item: `${k}:mw1.small`, region: "us-east-1", usd: 0.5, per: 1, unit: "hour", date: "2027-01-01", source: "own", confirmed: true })),
        { service: "mwaa", item: "metadata-storage", region: "us-east-1", usd: 0.1, per: 1, unit: "GB-month", date: "2027-01-01", source: "own", confirmed: true },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "sy-prices-"));
    const file = join(dir, "mini.json");
    writeFileSync(file, JSON.stringify(own));
    const p = (await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "abalone.yaml"))).pipeline!;
    const r = reportFor(p, [AIRFLOW()], { format: "json", pricesFile: file, mwaaClass: "mw1.small", color: false });
    expect(r.diagnostics).toEqual([]);
    const c = JSON.parse(r.output).targets.airflow.cost;
    expect(c.notes).toContain("NAT gateway or VPC endpoints not priced: the price table has no vpc nat-gateway-hour price for us-east-1");
    expect(c.notes).toContain("ML storage volumes not priced: the price table has no sagemaker ml-storage price for us-east-1");
    // 10, 25, 5 and 15 min of jobs at $1/h, 4 runs (the schedule), each line rounded once a month, plus 730 h at $0.50.
    expect(c.monthlyMicros).toBe(666_667 + 1_666_667 + 333_333 + 1_000_000 + 365_000_000);
  });
});
