/**
 * A list of names that may run to thousands (the steps that use a feature, the tasks a loop made), the
 * first few named and the rest counted, so it stays one readable line. Machine-readable outputs (JSON)
 * keep every name.
 */
export const PLACES_NAMED = 8;

export function placesText(places: readonly string[]): string {
  if (places.length <= PLACES_NAMED) return places.join(", ");
  return `${places.slice(0, PLACES_NAMED).join(", ")} and ${places.length - PLACES_NAMED} more`;
}
