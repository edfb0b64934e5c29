/**
 * Draws a target's arrangement of the steps (StructureNode) as nested boxes:
 * a sequence top to bottom with arrows, Parallel branches side by side in a
 * frame, a group as a framed list, a choice as its condition over two columns.
 */
import type { StructureNode } from "../../backend/types.js";
import type { Report, TargetReport } from "../model.js";
import { esc, stepSupport, SUPPORT_FILL } from "./svg.js";

const STEP_W = 190;
const STEP_H = 30;
const GAP = 14;
const PAD = 8;
const LABEL_H = 18;

interface Box {
  w: number;
  h: number;
  draw(x: number, y: number, out: string[]): void;
}

function text(x: number, y: number, s: string, cls: string): string {
  const shown = s.length > 34 ? s.slice(0, 33) + "…" : s;
  return `<text x="${x}" y="${y}" class="${cls}"><title>${esc(s)}</title>${esc(shown)}</text>`;
}

function frame(label: string, inner: Box, cls: string): Box {
  const w = inner.w + 2 * PAD;
  const h = inner.h + LABEL_H + 2 * PAD;
  return {
    w,
    h,
    draw(x, y, out) {
      out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" class="${cls}"/>`);
      out.push(text(x + PAD, y + 13, label, "frame-label"));
      inner.draw(x + PAD, y + LABEL_H + PAD, out);
    },
  };
}

function column(items: Box[], arrows: boolean): Box {
  if (!items.length) return { w: STEP_W, h: STEP_H, draw: (x, y, out) => out.push(text(x + 6, y + 19, "(nothing)", "empty")) };
  const w = Math.max(...items.map((b) => b.w));
  const h = items.reduce((a, b) => a + b.h, 0) + GAP * (items.length - 1);
  return {
    w,
    h,
    draw(x, y, out) {
      let cy = y;
      items.forEach((b, i) => {
        const cx = x + (w - b.w) / 2;
        b.draw(cx, cy, out);
        cy += b.h;
        if (i < items.length - 1) {
          if (arrows) out.push(`<line x1="${x + w / 2}" y1="${cy}" x2="${x + w / 2}" y2="${cy + GAP}" class="flow" marker-end="url(#sarrow)"/>`);
          cy += GAP;
        }
      });
    },
  };
}

function row(items: Box[]): Box {
  const w = items.reduce((a, b) => a + b.w, 0) + GAP * Math.max(0, items.length - 1);
  const h = Math.max(STEP_H, ...items.map((b) => b.h));
  return {
    w,
    h,
    draw(x, y, out) {
      let cx = x;
      for (const b of items) {
        b.draw(cx, y, out);
        cx += b.w + GAP;
      }
    },
  };
}

function layout(n: StructureNode, fill: (step: string) => string): Box {
  switch (n.t) {
    case "step":
      return {
        w: STEP_W,
        h: STEP_H,
        draw(x, y, out) {
          out.push(`<g class="step" data-step="${esc(n.step)}"><rect x="${x}" y="${y}" width="${STEP_W}" height="${STEP_H}" rx="4" fill="${fill(n.step)}" class="box"/>`);
          out.push(text(x + 8, y + 19, n.label, "step-label") + "</g>");
        },
      };
    case "seq":
      return column(n.items.map((i) => layout(i, fill)), true);
    case "group":
      return frame(n.label, column(n.items.map((i) => layout(i, fill)), false), "group");
    case "par":
      return frame(n.label, row(n.branches.map((b) => layout(b, fill))), "par");
    case "choice": {
      const head: Box = layout({ t: "step", step: n.step, label: n.label }, fill);
      const branches = row([frame("then", layout(n.then, fill), "branch"), frame("else", layout(n.else, fill), "branch")]);
      return column([head, branches], true);
    }
  }
}

/** The target's arrangement as an inline SVG, coloured like the step graph; empty when the backend gives none. */
export function structureSvg(r: Report, target: string): string {
  const t: TargetReport = r.targets[target];
  if (!t.structure) return "";
  const box = layout(t.structure, (step) => SUPPORT_FILL[stepSupport(r, t, step)]);
  const w = box.w + 2 * PAD;
  const h = box.h + 2 * PAD;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="structure" data-target="${esc(target)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`how ${t.title} arranges the steps`)}">`,
    `<defs><marker id="sarrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>`,
    `<style>.box{stroke:#555}.group{fill:#f7f7f7;stroke:#bbb}.par{fill:#eef4fb;stroke:#7aa3d6}.branch{fill:#fff;stroke:#ccc;stroke-dasharray:4 3}.flow{stroke:#555}` +
      `.frame-label{font:600 11px sans-serif;fill:#333}.step-label{font:12px sans-serif;fill:#111}.empty{font:italic 12px sans-serif;fill:#888}</style>`,
  ];
  box.draw(PAD, PAD, out);
  out.push("</svg>");
  return out.join("");
}
