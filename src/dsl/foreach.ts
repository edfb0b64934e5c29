/**
 * `foreach(items, (item) => step)`: one step run once per item, `item.x`
 * reading the current item (the file format's `foreach:` and `${{ item.x }}`).
 */
import type { PathSegment } from "../ir/types.js";
import { Expr, ref, type Data } from "./expr.js";
import type { AnyStep } from "./steps.js";

/** Typed references into an item of type T. */
export type Item<T> = T extends number
  ? Expr<"number">
  : T extends string
    ? Expr<"string">
    : T extends boolean
      ? Expr<"boolean">
      : T extends readonly (infer E)[]
        ? Expr<"any"> & { readonly [i: number]: Item<E> }
        : T extends object
          ? Expr<"any"> & { readonly [K in keyof T]: Item<T[K]> }
          : Expr<"any">;

/** Where a step made by `foreach` keeps its items. */
export const FOREACH_ITEMS: unique symbol = Symbol.for("switchyard.foreach");

function itemRef(path: PathSegment[]): Expr {
  const e = new Expr(ref({ scope: "item", path }));
  return new Proxy(e, {
    get(target, prop, receiver) {
      if (typeof prop === "symbol" || prop in target) return Reflect.get(target, prop, receiver);
      return itemRef([...path, /^\d+$/.test(prop) ? Number(prop) : prop]);
    },
  });
}

/** The item a map's steps run for: `mapItem.x` (the file format's `${{ item.x }}` inside a map's steps). */
export type MapItem = Expr<"any"> & { readonly [key: string]: MapItem } & { readonly [index: number]: MapItem };
export const mapItem: MapItem = itemRef([]) as unknown as MapItem;

export function foreach<const T extends Data, S extends AnyStep>(items: readonly T[], make: (item: Item<T>) => S): S & { readonly [FOREACH_ITEMS]: readonly T[] } {
  const step = make(itemRef([]) as unknown as Item<T>);
  return Object.defineProperty({ ...step }, FOREACH_ITEMS, { value: items, enumerable: false }) as S & { readonly [FOREACH_ITEMS]: readonly T[] };
}
