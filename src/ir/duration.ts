/** Durations: `30s`, `10m`, `2h`, `7d`, `1w`, `1h30m`, or a number of seconds. */

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds, or undefined when the text is not a duration. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? input : undefined;
  const re = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(input))) {
    total += Number(m[1]) * UNITS[m[2]];
    matched += m[0].length;
  }
  if (matched === 0 || matched !== input.length) return undefined;
  return Math.round(total * 1000) / 1000;
}

/** The shortest spelling in the format's units: 5400 -> "1h30m". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  let rest = seconds;
  let out = "";
  for (const [u, n] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const k = Math.floor(rest / n);
    if (k > 0) {
      out += `${k}${u}`;
      rest -= k * n;
    }
  }
  if (rest > 0) out += `${Math.round(rest * 1000)}ms`;
  return out;
}

/** ISO-8601 duration (`P7D`, `PT1H30M`), as SageMaker's CacheConfig wants. */
export function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  let out = "P";
  if (d) out += `${d}D`;
  if (h || m || sec) out += "T" + (h ? `${h}H` : "") + (m ? `${m}M` : "") + (sec ? `${sec}S` : "");
  return out === "P" ? "PT0S" : out;
}
