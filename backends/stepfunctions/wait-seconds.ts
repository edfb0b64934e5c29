/**
 * How a Wait state gets its seconds from an IR value: `Seconds` for a number,
 * `SecondsPath` for a plain path of the state data, and for anything else (the
 * execution's input, an intrinsic) a Pass that computes it into
 * `$.wait.<step>` first (a SecondsPath reads neither `$$` nor intrinsics).
 * Shared by wait steps and the waits of a repeated call.
 */
import type { Value } from "../../src/ir/types.js";
import type { State } from "./asl.js";
import { member } from "./intrinsics.js";
import { render, type RenderCtx } from "./render.js";

/** Where a computed wait is kept in the state data: `$.wait.<step>`. */
const WAITS = "$.wait";

export interface WaitSeconds {
  /** The Wait state's own fields (Seconds or SecondsPath). */
  wait: State;
  /** The Pass computing the seconds, when one is needed (its Next is left to the caller). */
  compute?: State;
}

export function waitSeconds(ctx: RenderCtx, id: string, seconds: Value): WaitSeconds {
  const r = render(ctx, seconds);
  if ("lit" in r) return { wait: { Type: "Wait", Seconds: r.lit } };
  if ("expr" in r && r.expr.startsWith("$") && !r.expr.startsWith("$$")) return { wait: { Type: "Wait", SecondsPath: r.expr } };
  return {
    wait: { Type: "Wait", SecondsPath: `${WAITS}${member(id)}` },
    compute: { Type: "Pass", Parameters: { [`${id}.$`]: "expr" in r ? r.expr : "$" }, ResultPath: WAITS },
  };
}
