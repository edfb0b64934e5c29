/** The plain-text shortcut of pyString writes the very literal the escaping path writes. */
import fc from "fast-check";
import { expect, test } from "vitest";
import { escapedUnits, pyString, quoteUnits } from "../../../backends/airflow/python/literal.js";

test("pyString is quoteUnits(escapedUnits(s)) for any text, plain ASCII or not", () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[ -~]*$/), fc.constantFrom("it's", 'a"b', "\\", "{{ x }}", ""));
  fc.assert(
    fc.property(text, (s) => {
      expect(pyString(s)).toBe(quoteUnits(escapedUnits(s)));
    }),
    { numRuns: 2000 },
  );
});
