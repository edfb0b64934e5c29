/** The small slice of Amazon States Language types the lowering builds. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type State = { [k: string]: Json };
export type States = Record<string, State>;

export interface Definition {
  Comment?: string;
  StartAt: string;
  States: States;
  TimeoutSeconds?: number;
}

/** Where our machines keep the error a failure handler runs for (a Catch's ResultPath; a fail step's own). */
export const ERROR_PATH = "$.error";

/** Set `Next`, or `End: true` when nothing follows. */
export function link(state: State, next: string | undefined): State {
  if (next === undefined) state.End = true;
  else state.Next = next;
  return state;
}

/** The scopes a state holds: a Parallel's branches, a Map's ItemProcessor. */
export function innerScopes(st: State): Array<{ StartAt: string; States: States }> {
  const out = [...((st.Branches as unknown as Array<{ StartAt: string; States: States }> | undefined) ?? [])];
  if (st.ItemProcessor) out.push(st.ItemProcessor as unknown as { StartAt: string; States: States });
  return out;
}
