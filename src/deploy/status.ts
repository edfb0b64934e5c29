/**
 * The live status of a running execution. On a terminal: one line redrawn in
 * place with a spinner and the steps running, and a permanent line per step
 * that ends. Elsewhere (CI logs): a plain line only when something changes.
 */
export interface StepState {
  name: string;
  status: string;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Whether a step status means it has ended (success or not). */
export function stepEnded(status: string): boolean {
  return /^(succeeded|success|completed|failed|stopped|aborted|timed_out|timedout|caught|skipped|upstream_failed)$/i.test(status.replace(/\s+/g, "_"));
}

export class StatusLine {
  private frame = 0;
  private seen = new Map<string, string>();
  private lastPlain = "";
  private drawn = false;
  private liveText = "";

  constructor(
    private readonly isTTY: boolean,
    private readonly log: (line: string) => void,
    private readonly write: (text: string) => void,
  ) {}

  /** Report the execution's status and its steps' (in the order they started). */
  update(execution: string, overall: string, steps: StepState[]): void {
    for (const s of steps) {
      const before = this.seen.get(s.name);
      if (before === s.status) continue;
      this.seen.set(s.name, s.status);
      if (stepEnded(s.status) || !this.isTTY) this.line(`  ${s.name}: ${s.status}`);
    }
    const running = steps.filter((s) => !stepEnded(s.status)).map((s) => s.name);
    const text = `${execution}: ${overall}${running.length ? ` — running ${running.join(", ")}` : ""}`;
    if (this.isTTY) {
      this.liveText = text;
      this.tick();
    } else if (text !== this.lastPlain) {
      this.lastPlain = text;
      this.log(text);
    }
  }

  /** Redraw the live line with the next spinner frame (terminal only). */
  tick(): void {
    if (!this.isTTY || !this.liveText) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    this.write(`\r\x1b[2K${FRAMES[this.frame]} ${this.liveText}`);
    this.drawn = true;
  }

  get live(): boolean {
    return this.isTTY;
  }

  /** Clear the live line and print the final status. */
  finish(execution: string, status: string): void {
    this.clear();
    const text = `${execution}: ${status}`;
    if (this.isTTY || text !== this.lastPlain) this.log(text);
  }

  private line(text: string): void {
    this.clear();
    this.log(text);
  }

  private clear(): void {
    if (this.drawn) this.write("\r\x1b[2K");
    this.drawn = false;
  }
}

/** Poll until it reports an end, redrawing the status line; returns the final status. */
export async function follow(
  poll: () => Promise<{ status: string; steps: StepState[]; done: boolean }>,
  execution: string,
  line: StatusLine,
  pollMs: number,
): Promise<string> {
  for (;;) {
    const r = await poll();
    line.update(execution, r.status, r.steps);
    if (r.done) {
      line.finish(execution, r.status);
      return r.status;
    }
    // On a terminal the spinner turns while waiting for the next poll.
    const spin = line.live ? setInterval(() => line.tick(), 120) : undefined;
    await new Promise((res) => setTimeout(res, pollMs));
    if (spin) clearInterval(spin);
  }
}
