/**
 * States only Switchyard's own machines have: results kept under
 * `$.steps.<id>`, and the S3 reads of step reports. Each is accepted only in
 * exactly the shape lowering writes it.
 */
import { isDeepStrictEqual } from "node:util";
import type { Step } from "../../../src/ir/types.js";
import { member } from "../intrinsics.js";
import { field, quietly, refuse, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** A step's result in an own machine: under `$.steps.<id>`; Lambda and approval outputs declared by their ResultSelector. */
export function ownResult(ctx: LiftCtx, s: Step, st: Obj, at: JPath): void {
  if (st.ResultPath !== `$.steps${member(s.id)}`) refuse(ctx, [...at, "ResultPath"], `ResultPath '${String(st.ResultPath)}' breaks the $.steps layout of a machine Switchyard wrote`);
  if (st.OutputPath !== undefined && st.OutputPath !== "$.steps") refuse(ctx, [...at, "OutputPath"], `OutputPath '${String(st.OutputPath)}' has no IR equivalent`);
  if ((s.kind === "lambda" || s.kind === "approval") && isObj(st.ResultSelector) && isObj(st.ResultSelector.outputs)) {
    const lead = s.kind === "lambda" ? "$.Payload" : "$";
    for (const [k, v] of Object.entries(st.ResultSelector.outputs)) {
      const name = k.slice(0, -2);
      if (!k.endsWith(".$") || v !== `${lead}${member(name)}`) {
        refuse(ctx, [...at, "ResultSelector", "outputs", k], `output '${k}' is not read from the ${s.kind === "lambda" ? "function's payload" : "approver's answer"}`);
        continue;
      }
      if (s.outputs[name] === undefined) {
        s.outputs[name] = "string";
        ctx.defaulted.add(`${s.id}.${name}`);
      }
    }
  }
}

/** `<step>.read.<report>`: the s3:getObject that reads a report file of a processing step; true when recognised. */
export function reportRead(ctx: LiftCtx, name: string, st: Obj, at: JPath): boolean {
  const m = /^(.+)\.read\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(name);
  const s = m ? ctx.steps.get(m[1]) : undefined;
  if (!m || !s || s.kind !== "processing") return false;
  const r = m[2];
  if (st.ResultPath !== `$.steps${member(s.id)}.reports${member(r)}` || !isDeepStrictEqual(st.ResultSelector, { "json.$": "States.StringToJson($.Body)" })) return false;
  const p = isObj(st.Parameters) ? st.Parameters : {};
  if (typeof p.Bucket !== "string") return false;
  const key = quietly(ctx, () => field(ctx, { base: { kind: "own" }, fields: new Map() }, p, "Key", [...at, "Parameters"]));
  if (key?.kind !== "join" || key.parts.length !== 3) return false;
  const [a, e, b] = key.parts;
  if (a.kind !== "literal" || e.kind !== "ref" || e.ref.scope !== "execution" || b.kind !== "literal" || typeof b.value !== "string") return false;
  const lead = `/${s.id}/`;
  if (!b.value.startsWith(lead)) return false;
  const [output, ...file] = b.value.slice(lead.length).split("/");
  if (!s.outputs[output] || !file.length) return false;
  const artifacts = `s3://${p.Bucket}${a.value === "" ? "" : `/${String(a.value).replace(/\/$/, "")}`}`;
  if (ctx.artifacts !== undefined && ctx.artifacts !== artifacts) return false;
  ctx.artifacts = artifacts;
  s.reports[r] = { output, file: file.join("/"), pos: ctx.src.pos(at) };
  return true;
}

export { refuse };
