/**
 * The "where" of a feature in a table: the steps that use it, the first few
 * named and the rest counted, so a feature used by thousands of steps stays
 * one readable cell (the JSON report keeps every name).
 */
export const PLACES_NAMED = 8;

export function placesText(places: readonly string[]): string {
  if (places.length <= PLACES_NAMED) return places.join(", ");
  return `${places.slice(0, PLACES_NAMED).join(", ")} and ${places.length - PLACES_NAMED} more`;
}
