/**
 * The shared request tree (src/aws/requests) as Task Parameters: a value known
 * at run time goes under `key.$` as a path or intrinsic; a list holding one
 * becomes States.Array; objects inside lists keep their own `.$` members.
 */
import { error } from "../../src/diagnostics.js";
import type { RequestCtx } from "../../src/aws/requests/common.js";
import type { Req } from "../../src/aws/requests/tree.js";
import { scalarText } from "../../src/aws/scalar-text.js";
import type { Pos, Value } from "../../src/ir/types.js";
import type { Json } from "./asl.js";
import { asArg, asString, render, type RenderCtx, type Rendered } from "./render.js";

export const requestCtx = (ctx: RenderCtx, index: number | undefined): RequestCtx => ({ p: ctx.p, index, diags: ctx.diags });

/** A key the author wrote that Step Functions would read as a path is refused. */
export function userKeyOk(ctx: RenderCtx, key: string, pos: Pos): boolean {
  if (!key.endsWith(".$")) return true;
  ctx.diags.push(error(pos, `key '${key}' ends in '.$', which Step Functions would read as a path`, { code: "stepfunctions-key" }));
  return false;
}

/** A value sent as text; a scalar written out as the text every target sends (Python's str(), as the SageMaker SDK writes it). */
export function requestText(ctx: RenderCtx, v: Value): Rendered {
  if (v.kind === "literal" && typeof v.value !== "string" && (v.value === null || typeof v.value !== "object")) return { lit: scalarText(v.value, v.type) };
  return asString(ctx, render(ctx, v), v.pos);
}

/** Put a rendered member under its key (`key.$` for an expression). */
export function set(obj: { [k: string]: Json }, key: string, r: Rendered): void {
  if ("lit" in r) obj[key] = r.lit;
  else if ("obj" in r) obj[key] = r.obj;
  else obj[`${key}.$`] = r.expr;
}

export function encode(ctx: RenderCtx, r: Req<Rendered>, pos: Pos): Rendered {
  switch (r.t) {
    case "const":
      return { lit: r.value };
    case "value":
      return r.text ? requestText(ctx, r.value) : render(ctx, r.value);
    case "own":
      return r.value;
    case "list": {
      const items = r.items.map((x) => encode(ctx, x, x.t === "value" ? x.value.pos : pos));
      if (items.some((x) => "expr" in x)) return { expr: `States.Array(${items.map((x) => asArg(ctx, x, pos)).join(", ")})`, type: "list" };
      const json = items.map((x) => ("lit" in x ? x.lit : (x as { obj: Json }).obj));
      return items.some((x) => "obj" in x) ? { obj: json as unknown as { [k: string]: Json } } : { lit: json };
    }
    case "obj": {
      const out: { [k: string]: Json } = {};
      let computed = false;
      for (const [key, x] of r.entries) {
        if (r.user && x.t === "value" && !userKeyOk(ctx, key, x.value.pos)) continue;
        const e = encode(ctx, x, pos);
        computed ||= !("lit" in e);
        set(out, key, e);
      }
      return computed ? { obj: out } : { lit: out };
    }
  }
}

/** A request's members as Parameters. */
export function encodeParams(ctx: RenderCtx, r: Req<Rendered>, pos: Pos): { [k: string]: Json } {
  const e = encode(ctx, r, pos);
  return ("lit" in e ? e.lit : (e as { obj: Json }).obj) as { [k: string]: Json };
}
