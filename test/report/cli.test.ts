/** `switchyard report` as a user runs it (the built CLI): the MWAA options never leave the user without a report. */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("switchyard report and MWAA", () => {
  it("--mwaa-class mw1.micro reports, exit 0", () => {
    const r = run(["report", "fixtures/abalone.yaml", "--mwaa-class", "mw1.micro", "--format", "json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.targets.airflow.cost.lines.find((l: { component: string }) => l.component.startsWith("MWAA environment")).component).toBe("MWAA environment mw1.micro");
  });

  it("a foreach wider than mw1.micro on --mwaa-class mw1.micro reports the wait as a risk, exit 0", () => {
    const r = run(["report", "test/report/fixtures/wide.yaml", "--mwaa-class", "mw1.micro"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("mw1.micro runs at most 3 tasks at once (1 worker, 3 tasks each): 97 tasks of the widest layer wait");
  });

  it("--mwaa-shared leaves out the environment and prices the extra workers", () => {
    const r = run(["report", "test/report/fixtures/wide.yaml", "--mwaa-shared", "--format", "json"]);
    expect(r.code).toBe(0);
    const lines = JSON.parse(r.out).targets.airflow.cost.lines.map((l: { component: string }) => l.component);
    expect(lines).toContain("additional workers (mw1.small)");
    expect(lines.filter((c: string) => /MWAA environment|NAT gateway|metadata/.test(c))).toEqual([]);
  });

  it("an unknown class is a usage error that lists the classes, exit 2", () => {
    const r = run(["report", "fixtures/abalone.yaml", "--mwaa-class", "mw1.huge"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("--mwaa-class must be one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge, not 'mw1.huge'");
  });
});
