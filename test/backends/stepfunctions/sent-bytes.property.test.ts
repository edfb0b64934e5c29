/**
 * The definition's size counted state by state is the size of the text
 * deploy sends, byte for byte: on random machines (Parallels in Parallels,
 * states without members, text beyond ASCII and lone surrogates) and on every
 * machine of the corpus that is JSON as it stands.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Definition, State, States } from "../../../backends/stepfunctions/asl.js";
import { definitionBytes, stateOwnBytes } from "../../../backends/stepfunctions/sent-bytes.js";

const sent = (def: unknown) => Buffer.byteLength(JSON.stringify(def), "utf8");

const text = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 4 }), fc.string({ unit: "binary", maxLength: 4 }));
const member = fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

const { states } = fc.letrec<{ states: States; state: State; branch: { StartAt: string; States: States } }>((tie) => ({
  states: fc.dictionary(text, tie("state"), { maxKeys: 4 }),
  state: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    member,
    fc.record({ rest: member, Branches: fc.array(tie("branch"), { maxLength: 3 }) }).map(({ rest, Branches }) => ({ ...rest, Branches }) as unknown as State),
  ),
  branch: fc.record({ StartAt: text, States: tie("states") }, { requiredKeys: ["States"] }) as fc.Arbitrary<{ StartAt: string; States: States }>,
}));

describe("definition bytes", () => {
  test("random definitions: the same as the minified text, and each state's own bytes without its branches", () => {
    fc.assert(
      fc.property(fc.record({ Comment: fc.option(text, { nil: undefined }), StartAt: text, States: states }), (def) => {
        expect(definitionBytes(def as Definition)).toBe(sent(def));
        for (const st of Object.values(def.States)) {
          const { Branches: _, ...own } = st;
          expect(stateOwnBytes(st)).toBe(sent(own));
        }
      }),
      { numRuns: 400 },
    );
  });

  test("a state with branches and no other member, and one with members", () => {
    const def: Definition = {
      StartAt: "p",
      States: {
        p: { Branches: [{ StartAt: "é", States: { "é": { Type: "Pass", End: true } } }] } as unknown as State,
        q: { Type: "Parallel", Branches: [], End: true },
      },
    };
    expect(definitionBytes(def)).toBe(sent(def));
    expect(stateOwnBytes(def.States.p)).toBe(2);
    expect(stateOwnBytes(def.States.q)).toBe(sent({ Type: "Parallel", End: true }));
  });

  test("every machine of the corpus", () => {
    const dir = join(__dirname, "../../../fixtures/corpus/stepfunctions");
    // Templates (placeholders outside strings) are not JSON until filled in: the others.
    const parse = (f: string): Definition | undefined => {
      try {
        return JSON.parse(readFileSync(join(dir, f), "utf8")) as Definition;
      } catch {
        return undefined;
      }
    };
    const defs = readdirSync(dir).filter((f) => f.endsWith(".asl.json")).map((f) => [f, parse(f)] as const).filter((x): x is readonly [string, Definition] => x[1] !== undefined);
    expect(defs.length).toBeGreaterThan(10);
    for (const [f, def] of defs) expect(definitionBytes(def), f).toBe(sent(def));
  });
});
