/**
 * A real moto server on 127.0.0.1 for tests: started by the test, on a free
 * port, and stopped by its own process id.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { ensureVenv } from "./python-env.js";
import { freePort } from "./ports.js";

export interface Moto {
  url: string;
  port: number;
  pid: number;
  /** Forget all state (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(venvName = "moto", env: Record<string, string> = {}): Promise<Moto> {
  const venv = ensureVenv(venvName);
  const port = await freePort();
  const child: ChildProcess = spawn(venv.bin("moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_DEFAULT_REGION: "us-east-1", ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${stderr}`);
    try {
      const r = await fetch(`${url}/moto-api/`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`moto_server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    url,
    port,
    pid,
    async reset() {
      await fetch(`${url}/moto-api/reset`, { method: "POST" });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(pid, "SIGTERM");
      const t = setTimeout(() => child.exitCode === null && process.kill(pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
