/**
 * An AWS API request (SageMaker jobs and models, Glue, EMR) as one neutral tree, built once from the IR for every
 * target (see the modules beside this one); each backend encodes the tree its
 * own way: SageMaker Pipelines' Get / Std:Join, Amazon States Language paths
 * and intrinsics, Airflow Python with Jinja. Members are in the SageMaker
 * SDK's order, the order every target writes.
 */
import type { Value } from "../../ir/types.js";

export type Req<N = never> =
  /** A structure; `user` marks a map whose keys the pipeline's author wrote (environment, hyperparameters). */
  | { t: "obj"; entries: Array<[string, Req<N>]>; user?: boolean }
  | { t: "list"; items: Array<Req<N>> }
  /** A value Switchyard fixes (enums, defaults, container paths, code locations); `float` for 1.0 in Python. */
  | { t: "const"; value: string | number | boolean; float?: boolean }
  /** A value of the pipeline; `text` when the API takes it as a string (Python's str() of a scalar). */
  | { t: "value"; value: Value; text: boolean }
  /** A member only the backend knows how to write (resource names, its own references), already encoded. */
  | { t: "own"; value: N };

export const k = (value: string | number | boolean, float = false): Req => (float ? { t: "const", value, float } : { t: "const", value });
export const text = (value: Value): Req => ({ t: "value", value, text: true });
export const val = (value: Value): Req => ({ t: "value", value, text: false });
export const own = <N>(value: N): Req<N> => ({ t: "own", value });

/** A structure of the members given, in order; undefined members are left out. */
export function obj<N>(members: Record<string, Req<N> | undefined>): Req<N> {
  const entries: Array<[string, Req<N>]> = [];
  for (const key of Object.keys(members)) {
    const m = members[key];
    if (m !== undefined) entries.push([key, m]);
  }
  return { t: "obj", entries };
}

/** A map with the author's keys and text values; undefined when empty, as the SDK leaves it out. */
export function userMap(m: Record<string, Value>, keepEmpty = false): Req | undefined {
  const keys = Object.keys(m);
  if (!keys.length && !keepEmpty) return undefined;
  return { t: "obj", entries: keys.map((key) => [key, text(m[key])]), user: true };
}

export const list = <N>(items: Array<Req<N>>): Req<N> => ({ t: "list", items });

/** A list, or nothing when empty. */
export const someList = <N>(items: Array<Req<N>> | undefined): Req<N> | undefined => (items?.length ? list(items) : undefined);

/** A structure without some members (a backend sending part of a request another way). */
export function without<N>(r: Req<N>, ...keys: string[]): Req<N> {
  return r.t === "obj" ? { ...r, entries: r.entries.filter(([x]) => !keys.includes(x)) } : r;
}
