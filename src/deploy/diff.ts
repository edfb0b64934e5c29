/**
 * Comparing a deployed definition with a new one: JSON is compared by value
 * (key order and whitespace do not count) and shown as a unified diff of its
 * pretty-printed, key-sorted form; other text is compared and diffed as is.
 */

/** JSON with object keys sorted (plain `<`), two-space indented, newline-terminated. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + "\n";
}

/** Canonical text of a JSON document, or the text itself when it is not JSON. */
export function canonicalText(text: string | undefined): string {
  if (text === undefined) return "";
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

type Op = { t: " " | "-" | "+"; line: string; a: number; b: number };

function splitLines(s: string): string[] {
  if (s === "") return [];
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Line edit script by longest common subsequence (after trimming the common head and tail). */
function editScript(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  const n = ma.length;
  const m = mb.length;
  // lcs[i][j] = LCS length of ma[i..] and mb[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = ma[i] === mb[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ t: " ", line: a[k], a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ma[i] === mb[j]) {
      ops.push({ t: " ", line: ma[i], a: head + i, b: head + j });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      // Deletions before insertions, as diff(1) shows them.
      ops.push({ t: "-", line: ma[i], a: head + i, b: head + j });
      i++;
    } else {
      ops.push({ t: "+", line: mb[j], a: head + i, b: head + j });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ t: " ", line: a[a.length - tail + k], a: a.length - tail + k, b: b.length - tail + k });
  return ops;
}

/**
 * A unified diff (`---`/`+++` headers, `@@` hunks with `context` lines around
 * each change), or "" when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = editScript(a, b);
  const changed = ops.map((o, k) => (o.t !== " " ? k : -1)).filter((k) => k >= 0);
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(ops.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end) {
      k++;
      end = Math.min(ops.length, changed[k] + context + 1);
    }
    k++;
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].a;
    const bStart = hunk[0].b;
    const aLen = hunk.filter((o) => o.t !== "+").length;
    const bLen = hunk.filter((o) => o.t !== "-").length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
  }
  return out.join("\n") + "\n";
}

/**
 * Created, updated or unchanged, with the diff, for a resource whose deployed
 * text may be missing. `json`: compare by value (the default); otherwise byte for byte.
 */
export function compareTexts(resource: string, deployed: string | undefined, next: string, json = true): { action: "created" | "updated" | "unchanged"; diff?: string } {
  const before = json ? canonicalText(deployed) : (deployed ?? "");
  const after = json ? canonicalText(next) : next;
  if (deployed !== undefined && before === after) return { action: "unchanged" };
  const diff = unifiedDiff(before, after, deployed === undefined ? "/dev/null" : `deployed ${resource}`, `new ${resource}`);
  return { action: deployed === undefined ? "created" : "updated", diff };
}
