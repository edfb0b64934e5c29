/**
 * The shared request tree (src/aws/requests) as a step's Arguments: values
 * known at run time as Get / Std:Join expressions; resource names are left out
 * (SageMaker Pipelines names each job itself).
 */
import type { RequestCtx } from "../../src/aws/requests/common.js";
import type { Req } from "../../src/aws/requests/tree.js";
import { fail, type Ctx } from "./context.js";
import { EXPRESSION_KEY, valueToPy } from "./expr.js";
import type { Py } from "./pyjson.js";

export const requestCtx = (ctx: Ctx): RequestCtx => ({ p: ctx.p, index: ctx.itemIndex, diags: ctx.diags });

export function encode(ctx: Ctx, r: Req<Py>): Py {
  switch (r.t) {
    case "const":
      return r.value;
    case "value":
      return valueToPy(ctx, r.value, r.text ? "string" : "any");
    case "own":
      return r.value;
    case "list":
      return r.items.map((x) => encode(ctx, x));
    case "obj": {
      const out: Record<string, Py> = {};
      for (const [key, x] of r.entries) {
        // SageMaker reads an object with one of these keys as an expression: an author's key must never become one.
        if (r.user && EXPRESSION_KEY.test(key) && x.t === "value") {
          fail(ctx, x.value.pos, `the key '${key}' would make SageMaker Pipelines read this map as an expression, not as data; rename the key`);
          continue;
        }
        out[key] = encode(ctx, x);
      }
      return out;
    }
  }
}

/** A request's members as Arguments. */
export const encodeArgs = (ctx: Ctx, r: Req<Py>): Record<string, Py> => encode(ctx, r) as Record<string, Py>;
