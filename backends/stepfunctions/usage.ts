/**
 * What one execution uses, counted on the definition along the expected path:
 * every step succeeds, each Choice takes its first rule (a condition's `then`),
 * and an endpoint poll loop runs ASSUMED_POLLS times (its bound for limits).
 * A Choice rule that only leads to a Fail state (a parameter check, a failed
 * rollout) is passed over for the next one.
 */
import { innerScopes } from "./asl.js";
import type { UsageFacts, OutputFile } from "../../src/backend/types.js";
import type { Definition, State, States } from "./asl.js";
import { FILES, POLL_SECONDS, START_CHILD, siblingMachineArn } from "./lower.js";
import { CHILD_FILE } from "./split.js";

/** Polls assumed for an endpoint to become InService (about 8 minutes at 30 s). */
export const ASSUMED_POLLS = 16;
const EVENTS: Record<string, number> = { Task: 5, Pass: 2, Choice: 2, Wait: 2, Parallel: 4, Map: 4, Succeed: 2, Fail: 2 };

export interface Walk {
  transitions: number;
  events: number;
  lambda: number;
  sqs: number;
  s3: number;
  pollLoops: number;
}

/**
 * The child machine a state starts, when it is a split's call of one (the
 * lowering's own `startExecution.sync:2` of `<pipeline>-part-N`, not a step
 * that starts some other machine).
 */
function childStarted(st: State, children: ReadonlyMap<number, Definition>): Definition | undefined {
  if (st.Resource !== START_CHILD) return undefined;
  const arn = (st.Parameters as { "StateMachineArn.$"?: unknown } | undefined)?.["StateMachineArn.$"];
  const m = typeof arn === "string" ? /:stateMachine:(.+-part-([0-9]+))'/.exec(arn) : null;
  return m && arn === siblingMachineArn(m[1]) ? children.get(Number(m[2])) : undefined;
}

/**
 * `children`: a split machine's child machines by number; what a child uses is
 * counted each time the parent starts it (its history is its own execution's,
 * so not counted in `events`).
 */
export function walkExpected(def: Definition, opts: { maxPolls?: boolean; children?: ReadonlyMap<number, Definition> } = {}): Walk {
  const w: Walk = { transitions: 0, events: 0, lambda: 0, sqs: 0, s3: 0, pollLoops: 0 };
  const visit = (st: State, times: number) => {
    w.transitions += times;
    w.events += (EVENTS[st.Type as string] ?? 2) * times;
    const r = String(st.Resource ?? "");
    if (r.startsWith("arn:aws:states:::lambda:")) w.lambda += times;
    if (r.startsWith("arn:aws:states:::sqs:")) w.sqs += times;
    if (r.startsWith("arn:aws:states:::aws-sdk:s3:")) w.s3 += times;
    const child = opts.children && childStarted(st, opts.children);
    if (child) {
      const c = walkExpected(child, opts);
      w.transitions += c.transitions * times;
      w.lambda += c.lambda * times;
      w.sqs += c.sqs * times;
      w.s3 += c.s3 * times;
      w.pollLoops += c.pollLoops;
    }
  };
  const run = (states: States, start: string) => {
    let name: string | undefined = start;
    let guard = 0;
    while (name !== undefined && guard++ < 100_000) {
      const st: State = states[name];
      if (!st) return;
      const poll = st.Type === "Wait" ? /^poll: at most ([0-9]+) times/.exec(String(st.Comment ?? "")) : null;
      if (poll) {
        const bound = Number(poll[1]);
        const n = opts.maxPolls ? bound : Math.min(bound, ASSUMED_POLLS);
        const status: State = states[st.Next as string];
        const check: State = states[status.Next as string];
        const count: State = states[(check.Default as string) ?? ""];
        visit(st, n);
        visit(status, n);
        visit(check, n);
        if (count) visit(count, n - 1);
        w.pollLoops++;
        name = ((check.Choices as State[])[0].Next as string) ?? undefined;
        continue;
      }
      visit(st, 1);
      // A Map counts one iteration per run: its item count is known only at run time.
      if (st.Type === "Parallel" || st.Type === "Map") for (const b of innerScopes(st)) run(b.States, b.StartAt);
      if (st.Type === "Choice") {
        // The first rule (a condition's `then`) unless it only leads to a Fail state.
        const targets = [...(st.Choices as State[]).map((c) => c.Next as string), st.Default as string];
        name = targets.find((t) => states[t]?.Type !== "Fail") ?? targets[0];
      }
      else name = st.End || st.Type === "Fail" || st.Type === "Succeed" ? undefined : (st.Next as string);
    }
  };
  run(def.States, def.StartAt);
  return w;
}

export function usage(files: OutputFile[]): UsageFacts {
  const def = files.find((f) => f.path === FILES.definition);
  if (!def) return {};
  // A split machine's children, counted where the parent starts them.
  const children = new Map<number, Definition>();
  for (const f of files) {
    const m = CHILD_FILE.exec(f.path);
    if (m) children.set(Number(m[1]), JSON.parse(f.contents) as Definition);
  }
  const w = walkExpected(JSON.parse(def.contents) as Definition, { children });
  return {
    stateTransitions: w.transitions,
    lambdaInvocations: w.lambda,
    sqsMessages: w.sqs,
    s3Requests: w.s3,
    pollingNote: w.pollLoops ? `${w.pollLoops} endpoint poll loop(s), assumed ${ASSUMED_POLLS} polls each, ${POLL_SECONDS} s apart (4 transitions per poll)` : undefined,
    notes: [
      "states entered along the expected path: every step succeeds and each condition takes its 'then' branch",
      "a .sync SageMaker job is one transition however long it runs; retries would add one per attempt",
      ...(children.size ? [`the states of the ${children.size} child machines counted each time the parent starts them`] : []),
    ],
  };
}
