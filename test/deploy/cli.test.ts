/** `switchyard deploy` and `switchyard run` as a user runs them (the built CLI), against moto. */
import { spawn } from "node:child_process";
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
