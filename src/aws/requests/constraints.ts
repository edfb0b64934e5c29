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

/** The model's pattern as a whole-text JavaScript expression; null when it uses a Java-only construct (not checked). */
function regex(pattern: string): RegExp | null {
  let r = compiled.get(pattern);
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

/** Check every written-out text member of `op`'s request (or of its part at `at`); each problem is an error at the value (or the step). */
export function checkRequest<N>(ctx: RequestCtx, s: Step, op: Operation, req: Req<N>, at = ""): Req<N> {
  const table = REQUEST_CONSTRAINTS[op];
  const check = (path: string, text: string, pos: Pos | undefined, what: string) => {
    const c = table[path];
    // The pipeline's role is often a deploy-time substitution (CloudFormation `${Role}`, a CDK token) in files teams import.
    if (!c || ROLE_MEMBERS.test(path)) return;
    const len = [...text].length;
    const why =
      c.max !== undefined && len > c.max
        ? `is ${len} characters, over the ${c.max} ${op} takes`
        : c.min !== undefined && len < c.min
          ? `is shorter than the ${c.min} character(s) ${op} needs`
          : c.pattern !== undefined && regex(c.pattern) && !regex(c.pattern)!.test(text)
            ? `does not match the pattern ${op} takes (${c.shape}: ${c.pattern})`
            : undefined;
    if (why) ctx.diags.push(error(pos ?? s.pos, `step '${s.id}': ${what} ${JSON.stringify(text)} ${why}`, { code: "request-constraint" }));
  };
  const walk = (r: Req<N>, path: string) => {
    if (r.t === "obj") {
      for (const [key, x] of r.entries) {
        if (r.user) {
          const at = x.t === "value" ? x.value.pos : undefined;
          // Environment variable names have their own check, before lowering (environment-name).
          if (!path.endsWith("Environment")) check(`${path}{key}`, key, at, `${path || "request"} key`);
          walk(x, `${path}{}`);
        } else walk(x, path ? `${path}.${key}` : key);
      }
    } else if (r.t === "list") {
      for (const x of r.items) walk(x, `${path}[]`);
    } else {
      const w = writtenText(ctx.p, r as Req<unknown>);
      if (w) check(path, w.text, w.pos, path.replace(/\{\}$/, " value").replace(/\[\]/g, ""));
    }
  };
  // `at`: where in the operation's request this part goes (a StepConfig is one of AddJobFlowSteps' Steps).
  walk(req, at);
  return req;
}
