/**
 * A request's written-out text checked against what the API takes (each
 * member's length and pattern in botocore's service models, constraints-data.ts),
 * at compile time on every target alike: the service would refuse the call at
 * run time. Values known only at run time are not checked.
 */
import { error } from "../../diagnostics.js";
import { explicitDestination } from "../../ir/dataflow.js";
import type { Pipeline, Pos, Step, Value } from "../../ir/types.js";
import { scalarText } from "../scalar-text.js";
import type { RequestCtx } from "./common.js";
import { REQUEST_CONSTRAINTS } from "./constraints-data.js";
import type { Req } from "./tree.js";

export type Operation = keyof typeof REQUEST_CONSTRAINTS;

const ROLE_MEMBERS = /(^|\.)(RoleArn|ExecutionRoleArn)$/;

const compiled = new Map<string, RegExp | null>();

/** Patterns any text matches (`.` takes line breaks too, see below): the model's most common, never worth running. */
const ANY_TEXT = new Set([".*", "[\\S\\s]*", "[\\s\\S]*"]);

/** The model's pattern as a whole-text JavaScript expression; null when it uses a Java-only construct, or any text matches (not checked). */
function regex(pattern: string): RegExp | null {
  let r = compiled.get(pattern);
  if (r === undefined && ANY_TEXT.has(pattern)) compiled.set(pattern, (r = null));
  if (r === undefined) {
    try {
      // `.` matches a line break too: a refusal must be certain, and the service's own reading of `.` is not documented.
      r = new RegExp(`^(?:${pattern})$`, "su");
    } catch {
      r = null;
    }
    compiled.set(pattern, r);
  }
  return r;
}

/** Characters as the service counts them (code points), without splitting the text. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Whether a text's length could be out of bounds, so its characters must be counted: a text has at
 * most as many characters as UTF-16 units and at least half as many.
 */
function lengthToCount(c: { min?: number; max?: number }, text: string): boolean {
  return (c.max !== undefined && text.length > c.max) || (c.min !== undefined && text.length < 2 * c.min);
}

/** The text a leaf sends when it is written out (a literal, or a step output whose own destination is one), else undefined. */
function writtenText(p: Pipeline, r: Req<unknown>): { text: string; pos?: Pos } | undefined {
  if (r.t === "const") return typeof r.value === "string" ? { text: r.value } : undefined;
  if (r.t !== "value") return undefined;
  const v: Value = r.value;
  if (v.kind === "ref" && v.ref.scope === "steps" && v.ref.attr === "outputs") {
    const dest = explicitDestination(p, v.ref.step, v.ref.name);
    if (dest?.kind === "literal" && typeof dest.value === "string") return { text: dest.value, pos: v.pos };
  }
  if (v.kind !== "literal" || v.value === null || typeof v.value === "object") return undefined;
  if (typeof v.value === "string") return { text: v.value, pos: v.pos };
  return r.text ? { text: scalarText(v.value, v.type), pos: v.pos } : undefined;
}

type Constraint = (typeof REQUEST_CONSTRAINTS)[Operation][string];

/** The members of a request path below this point: a member name, `[]` (an item), `{}` (a value) or `{key}` (a key of a user's map). */
interface Member {
  path: string;
  constraint?: Constraint;
  below: Map<string, Member>;
}

/** One step of a member path: `[]`, `{key}`, `{}` or a member name. */
const SEGMENT = /\[\]|\{key\}|\{\}|[^.[{]+/g;

const trees = new Map<Operation, Member>();

/** The operation's constrained member paths as a tree, so a walk follows members without building path texts. */
function treeOf(op: Operation): Member {
  let root = trees.get(op);
  if (!root) {
    root = { path: "", below: new Map() };
    for (const [path, c] of Object.entries(REQUEST_CONSTRAINTS[op])) {
      let at = root;
      for (const m of path.matchAll(SEGMENT)) {
        let next = at.below.get(m[0]);
        if (!next) at.below.set(m[0], (next = { path: path.slice(0, m.index + m[0].length), below: new Map() }));
        at = next;
      }
      // The pipeline's role is often a deploy-time substitution (CloudFormation `${Role}`, a CDK token) in files teams import.
      if (!ROLE_MEMBERS.test(path)) at.constraint = c;
    }
    trees.set(op, root);
  }
  return root;
}

/** Check every written-out text member of `op`'s request (or of its part at `at`); each problem is an error at the value (or the step). */
export function checkRequest<N>(ctx: RequestCtx, s: Step, op: Operation, req: Req<N>, at = ""): Req<N> {
  // `what` names the member in a message, made only for a problem.
  const check = (c: Constraint | undefined, text: string, pos: Pos | undefined, what: () => string) => {
    if (!c) return;
    const len = lengthToCount(c, text) ? codePoints(text) : text.length;
    const re = c.pattern === undefined ? null : regex(c.pattern);
    const why =
      c.max !== undefined && len > c.max
        ? `is ${len} characters, over the ${c.max} ${op} takes`
        : c.min !== undefined && len < c.min
          ? `is shorter than the ${c.min} character(s) ${op} needs`
          : re && !re.test(text)
            ? `does not match the pattern ${op} takes (${c.shape}: ${c.pattern})`
            : undefined;
    if (why) ctx.diags.push(error(pos ?? s.pos, `step '${s.id}': ${what()} ${JSON.stringify(text)} ${why}`, { code: "request-constraint" }));
  };
  // Members with no constraint below them are not walked.
  const walk = (r: Req<N>, m: Member | undefined) => {
    if (!m) return;
    if (r.t === "obj" && r.user) {
      // Environment variable names have their own check, before lowering (environment-name).
      const keys = m.path.endsWith("Environment") ? undefined : m.below.get("{key}")?.constraint;
      const values = m.below.get("{}");
      for (const [key, x] of r.entries) {
        if (keys) check(keys, key, x.t === "value" ? x.value.pos : undefined, () => `${m.path || "request"} key`);
        walk(x, values);
      }
    } else if (r.t === "obj") {
      for (const [key, x] of r.entries) walk(x, m.below.get(key));
    } else if (r.t === "list") {
      const item = m.below.get("[]");
      if (item) for (const x of r.items) walk(x, item);
    } else if (m.constraint) {
      const w = writtenText(ctx.p, r as Req<unknown>);
      if (w) check(m.constraint, w.text, w.pos, () => m.path.replace(/\{\}$/, " value").replace(/\[\]/g, ""));
    }
  };
  walk(req, at ? memberAt(treeOf(op), at) : treeOf(op));
  return req;
}

/** `at`: where in the operation's request a part goes (a StepConfig is one of AddJobFlowSteps' Steps). */
function memberAt(root: Member, at: string): Member | undefined {
  let m: Member | undefined = root;
  for (const seg of at.matchAll(SEGMENT)) m = m?.below.get(seg[0]);
  return m;
}
