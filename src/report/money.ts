/** Money and quantity text, locale-free (same output on every machine). */

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `$1,234.56`; amounts under a cent keep up to six decimals so they do not read as zero. */
export function formatUsd(x: number): string {
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  if (a !== 0 && a < 0.005) return `${sign}$${trim(a.toPrecision(3).includes("e") ? a.toFixed(12) : a.toFixed(Math.min(12, 2 - Math.floor(Math.log10(a)))))}`;
  const [i, f] = a.toFixed(2).split(".");
  return `${sign}$${group(i)}.${f}`;
}

/** A unit price: as many decimals as it has (up to ten), no trailing zeros beyond the cents. */
export function formatUnitPrice(x: number): string {
  const t = trim(x.toFixed(10));
  const [i, f = ""] = t.split(".");
  return `$${group(i)}.${f.padEnd(2, "0")}`;
}

/** A quantity: integers grouped, fractions to four decimals. */
export function formatQuantity(x: number | null): string {
  if (x === null) return "unknown";
  if (Number.isInteger(x)) return group(String(x));
  const [i, f] = x.toFixed(4).split(".");
  return `${group(i)}.${f}`.replace(/0+$/, "");
}

function trim(s: string): string {
  return s.replace(/(\.\d*?[1-9])0+$/, "$1").replace(/\.0+$/, "");
}

/** Whole micro-dollars: every total and comparison is made on these integers, so float noise never decides. */
export function toMicros(usd: number): number {
  return Math.round(usd * 1e6);
}

export function fromMicros(m: number): number {
  return m / 1e6;
}

/** Money from micro-dollars, with no sign for a zero (never "-$0"). */
export function formatMicros(m: number): string {
  return formatUsd(m === 0 ? 0 : m / 1e6);
}
