/** Wording shared by the formats. */
import type { CostLine } from "../model.js";
import { formatQuantity, formatUnitPrice } from "../money.js";

export const SUPPORT_MARK = { native: "native", emulated: "emulated", unsupported: "unsupported" } as const;

export function priceRef(l: CostLine): string {
  return `${l.price.source}, ${l.price.date}${l.price.confirmed ? "" : " *"}`;
}

export function unitPriceText(l: CostLine): string {
  return `${formatUnitPrice(l.unitPriceUsd)}/${l.unit}${l.price.confirmed ? "" : " *"}`;
}

export function quantityText(l: CostLine): string {
  return l.quantity === null ? "unknown" : `${formatQuantity(l.quantity)} ${l.unit}${l.quantity === 1 ? "" : "s"}`;
}
