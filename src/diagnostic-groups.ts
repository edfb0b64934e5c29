/**
 * Diagnostics alike but for the name they are about (and names made from it: a group 'g' and its
 * task 'g.a'), at one place: a task made in a loop (`[Fn(task_id=f"t{i}") for i in range(2000)]`) is
 * one line of the file and thousands of tasks, each with the same warning. More than PLACES_NAMED such are printed as the first one, the others named
 * after it and counted; `--json` outputs keep every diagnostic.
 */
import type { Diagnostic } from "./diagnostics.js";
import { PLACES_NAMED, placesText } from "./util/places.js";

/** The first quoted name of a message: what a diagnostic made a step or task is about. */
const NAME = /'[^'\n]*'/;
const QUOTED = /'[^'\n]*'/g;

/** The message with its name left out, and the name where other quoted names are made from it ('g' in 'g.a'). */
function shape(message: string, name: string): string {
  const inner = name.slice(1, -1);
  return message.replace(QUOTED, (q) => (inner && q.includes(inner) ? q.split(inner).join("\u0000") : q));
}

/** Each group at its first diagnostic's place in the list, the rest of the group named in its message; the other diagnostics as they are. */
export function groupAlike(diags: readonly Diagnostic[]): Diagnostic[] {
  const groups = new Map<string, Diagnostic[]>();
  const groupOf = diags.map((d) => {
    const name = d.pos ? NAME.exec(d.message) : null;
    if (!name || !d.pos) return undefined;
    const key = JSON.stringify([d.pos.file, d.pos.line, d.pos.col, d.severity, d.code, d.hint, shape(d.message, name[0])]);
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
    return groups.get(key)!;
  });
  const out: Diagnostic[] = [];
  diags.forEach((d, i) => {
    const g = groupOf[i];
    if (!g || g.length <= PLACES_NAMED) out.push(d);
    else if (g[0] === d) {
      const others = g.slice(1).map((x) => NAME.exec(x.message)![0]);
      out.push({ ...d, message: `${d.message} (the same for ${others.length} more at this place: ${placesText(others)})` });
    }
  });
  return out;
}
