/** The schedule: a valid five-field cron and a known time zone. */
import { error, type Diagnostic } from "../../diagnostics.js";
import type { Pipeline } from "../types.js";
import { parseCron } from "../cron.js";

export function checkSchedule(p: Pipeline): Diagnostic[] {
  const s = p.schedule;
  if (!s) return [];
  const out: Diagnostic[] = [];
  if (s.every !== undefined) {
    if (s.every <= 0) out.push(error(s.pos, "a schedule's 'every' must be longer than zero", { code: "schedule-every" }));
  } else {
    const parsed = parseCron(s.cron ?? "");
    if ("error" in parsed) out.push(error(s.pos, `invalid cron '${s.cron}': ${parsed.error}`, { code: "cron", hint: "five fields: minute hour day-of-month month day-of-week, e.g. \"0 6 * * 1\"" }));
  }
  // A scheduled run starts with no values: every parameter needs a default (SageMaker, Airflow and the
  // Step Functions schedule all start runs without any).
  for (const prm of p.parameters) {
    if (prm.default === undefined) {
      out.push(error(prm.pos, `parameter '${prm.name}' has no default, but the schedule starts runs without values`, { code: "schedule-parameter", hint: "give it a default, or remove the schedule and start runs with values" }));
    }
  }
  if (s.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: s.timezone });
    } catch {
      out.push(error(s.pos, `unknown time zone '${s.timezone}'`, { code: "timezone", hint: "use an IANA name such as Europe/Berlin" }));
    }
  }
  return out;
}
