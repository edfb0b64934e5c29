/** Plain-text tables with aligned columns; colour is applied after padding so it never shifts columns. */

export interface Cell {
  text: string;
  color?: (s: string) => string;
  align?: "left" | "right";
}

export type Row = Array<string | Cell>;

const cell = (c: string | Cell): Cell => (typeof c === "string" ? { text: c } : c);

export function renderTable(header: string[], rows: Row[], indent = "  "): string[] {
  const all = [header.map((h) => ({ text: h }) as Cell), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i]?.text ?? "").length)));
  const line = (r: Cell[]) =>
    indent +
    r
      .map((c, i) => {
        const pad = " ".repeat(widths[i] - c.text.length);
        // The last column is not padded, so no line ends in spaces (coloured or not).
        const padded = c.align === "right" ? pad + c.text : i === r.length - 1 ? c.text : c.text + pad;
        return c.color ? c.color(padded) : padded;
      })
      .join("  ")
      // trimEnd, not /\s+$/: that regular expression is quadratic in a long run of padding.
      .trimEnd();
  return [line(all[0]), indent + widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)];
}
