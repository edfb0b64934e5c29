/** `switchyard deploy` and `switchyard run` as a user runs them (the built CLI), against moto. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMoto, type Moto } from "../support/moto.js";
import { ROOT } from "../support/python-env.js";

const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const GATE = new URL("./fixtures/gate.yaml", import.meta.url).pathname;
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  await fetch(`${moto.url}/moto-api/config`, { method: "POST", body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
});
afterAll(async () => {
  await moto?.stop();
});

/** Run the CLI without blocking the event loop (moto answers in this process's tests' lifetime). */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, "--endpoint-url", moto.url], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("switchyard deploy / run (CLI, moto)", () => {
  it("dry-run, deploy, deploy again, run --wait: output and exit codes", async () => {
    const dry = await cli(["deploy", GATE, "--target", "stepfunctions", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^would be created: state machine gate\n--- \/dev\/null\n\+\+\+ new state machine gate\n@@ -0,0 \+1,\d+ @@\n\+\{\n/);
    expect(dry.err).toContain("dry run: would change 1 of 1 resources (1 created, 0 updated, 0 unchanged); nothing was written");

    const first = await cli(["deploy", GATE, "--target", "stepfunctions"]);
    expect(first.code).toBe(0);
    expect(first.out.split("\n")[0]).toBe("created: state machine gate");

    const again = await cli(["deploy", GATE, "--target", "stepfunctions"]);
    expect(again.code).toBe(0);
    expect(again.out).toBe("unchanged: state machine gate\n");
    expect(again.err).toBe("no changes: 0 created, 0 updated, 1 unchanged\n");

    const ok = await cli(["run", GATE, "--target", "stepfunctions", "--param", "score=0.95", "--wait"]);
    expect(ok.err).toMatch(/: SUCCEEDED\n$/);
    expect(ok.code).toBe(0);

    const bad = await cli(["run", GATE, "--target", "stepfunctions", "--param", "score=0.1", "--wait"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/switchyard: error: step functions execution arn:aws:states:us-east-1:\d+:execution:gate:[^ ]+ ended FAILED: reject: score 0.1 is below 0.8/);
  });
});

describe("switchyard deploy --dry-run without AWS (no credentials: no request is made)", () => {
  /** The CLI with no credentials anywhere and no instance metadata: AWS cannot be reached. */
  function offline(args: string[]) {
    return spawnSync(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" },
      // A dry run prints every file in full: a split machine's are megabytes.
      maxBuffer: 256 << 20,
    });
  }

  it("shows every deployed file as it would be created, says it is offline and why, and exits 0", () => {
    const r = offline(["deploy", GATE, "--target", "stepfunctions", "--dry-run"]);
    expect(r.status).toBe(0);
    const err = r.stderr.split("\n");
    expect(err).toContain(
      "offline: stepfunctions ListStateMachines: CredentialsProviderError: Could not load credentials from any providers — no AWS credentials found; pass --profile or set up the standard AWS credential chain (environment, ~/.aws/config, SSO, instance role)",
    );
    expect(err).toContain("offline: nothing deployed could be read, so each resource is shown as it would be created");
    expect(err).toContain("dry run: would change 1 of 1 resources (1 created, 0 updated, 0 unchanged); nothing was written");
    expect(r.stdout).toMatch(/^would be created: state-machine\.asl\.json\n--- \/dev\/null\n\+\+\+ new state-machine\.asl\.json\n@@ -0,0 \+1,\d+ @@\n\+\{\n/);
    // The whole definition, as compile writes it.
    const out = mkdtempSync(join(tmpdir(), "sy-offline-"));
    const written = spawnSync(process.execPath, [CLI, "compile", GATE, "--target", "stepfunctions", "--out", out], { encoding: "utf8" });
    expect(written.status).toBe(0);
    const added = r.stdout.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++")).map((l) => l.slice(1));
    expect(added.join("\n") + "\n").toBe(readFileSync(join(out, "stepfunctions", "state-machine.asl.json"), "utf8"));
  });

  it("a machine split to fit Step Functions' limits: the parent and every child machine are shown as they would be created", () => {
    // 6,000 chained Lambda steps: some 30,000 history events as one machine, over the 25,000 an execution may have.
    const dir = mkdtempSync(join(tmpdir(), "sy-offline-split-"));
    const steps = Array.from({ length: 6000 }, (_, i) => `  s${i}: { type: lambda, function: f${i}${i ? `, depends_on: [s${i - 1}]` : ""} }`).join("\n");
    writeFileSync(join(dir, "long.yaml"), `version: 1\npipeline: long\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://example-ml-artifacts/long\nsteps:\n${steps}\n`);
    const r = offline(["deploy", join(dir, "long.yaml"), "--target", "stepfunctions", "--dry-run"]);
    expect(r.status).toBe(0);
    const shown = r.stdout.split("\n").filter((l) => l.startsWith("would be "));
    const children = shown.filter((l) => /^would be created: state-machine\.part-\d+\.asl\.json$/.test(l));
    expect(children.length).toBeGreaterThan(1);
    expect(shown).toEqual(["would be created: state-machine.asl.json", ...children.map((_, i) => `would be created: state-machine.part-${i + 1}.asl.json`)]);
    expect(r.stderr).not.toContain("not deployed");
  });

  it("code files are listed at the S3 locations they would be uploaded to", () => {
    const r = offline(["deploy", join(ROOT, "fixtures", "abalone.yaml"), "--target", "stepfunctions", "--dry-run"]);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("would be "))).toEqual([
      "would be created: state-machine.asl.json",
      "would be created: schedule.json",
      expect.stringMatching(/^would be created: s3:\/\/example-ml-artifacts\/abalone\/code\/[0-9a-f]{16}\/evaluation\.py$/),
      expect.stringMatching(/^would be created: s3:\/\/example-ml-artifacts\/abalone\/code\/[0-9a-f]{16}\/preprocessing\.py$/),
    ]);
    expect(r.stderr).toContain("dry run: would change 4 of 4 resources (4 created, 0 updated, 0 unchanged); nothing was written");
  });

  it("a real deploy without AWS still fails, as one line, exit 1", () => {
    const r = offline(["deploy", GATE, "--target", "stepfunctions"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^switchyard: error: stepfunctions ListStateMachines: CredentialsProviderError: /m);
  });
});
