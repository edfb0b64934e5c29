/**
 * JSONata expressions mean in the lifted pipeline what they mean in Step
 * Functions: random expressions of the lifted subset (paths into the input,
 * literals with any text, `&`, `+`, comparisons, `and`/`or`, `$not`,
 * `$exists`, `$count`, `$string`, Step Functions' `$parse` and a member below it) are evaluated by the JSONata library (the
 * reference implementation) and, lifted into a machine's Choice Condition and
 * two messages, lowered and executed in aws-local-stepfunctions: the branch
 * taken and the messages sent are the library's values. An expression the
 * lifter or the lowering refuses is allowed (said by name), never a different answer.
 */
import fc from "fast-check";
import jsonata from "jsonata";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { lower, run } from "./support.js";

/** Top-level members are strings (they lift as string parameters); numbers and lists are below them. */
interface Doc {
  name: string;
  kind: string;
  nested: { a: string; n: number; count: number; items: string[]; body: string };
}

// Joins lower to States.Format, where aws-local-stepfunctions (not Step Functions) deletes every backslash
// from the result (see escaping.test.ts) and miscounts the arguments of a template with a parenthesis in it:
// no backslash and no parenthesis in the text.
const text = fc.oneof(fc.stringMatching(/^[a-z]{0,5}$/), fc.string({ maxLength: 4 }).filter((x) => !/[\\()]/.test(x)), fc.constantFrom("a'b", 'q"q', "{%", "%}", "{}", "€", "a,b"));
const doc: fc.Arbitrary<Doc> = fc.record({
  name: text,
  kind: text,
  nested: fc.record({ a: text, n: fc.nat(40), count: fc.nat(40), items: fc.array(text, { minLength: 1, maxLength: 3 }), body: text.map((t) => JSON.stringify({ title: t })) }),
});

/** A string literal as JSONata reads one (JSON's escapes in double quotes). */
const lit = (s: string) => JSON.stringify(s);

/** Text read or written out: what a comparison compares (the IR joins text only as a field's whole value). */
const atom = fc.oneof(fc.constantFrom("$states.input.name", "$states.input.kind", "$states.input.nested.a", "$states.input.nested.items[0]", "$parse($states.input.nested.body).title"), text.map(lit));

const { str, num, bool } = fc.letrec<{ str: string; num: string; bool: string }>((tie) => ({
  str: fc.oneof({ depthSize: "small", withCrossShrink: true }, atom, fc.tuple(tie("str"), tie("str")).map(([a, b]) => `${a} & ${b}`)),
  num: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("$states.input.nested.count", "$states.input.nested.n", "$count($states.input.nested.items)"),
    fc.nat(50).map(String),
    fc.tuple(tie("num"), tie("num")).map(([a, b]) => `(${a} + ${b})`),
  ),
  bool: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(atom, fc.constantFrom("=", "!="), atom).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie("num"), fc.constantFrom("=", "!=", "<", "<=", ">", ">="), tie("num")).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie("bool"), fc.constantFrom("and", "or"), tie("bool")).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie("bool").map((b) => `$not(${b})`),
    fc.constantFrom("$exists($states.input.nested.a)", "$exists($states.input.nested.missing)"),
  ),
}));

const TOPIC = "arn:aws:sns:eu-west-1:111122223333:checks";
/** `$string()` of a number the IR types (a count): its JSON text. */
const COUNT = "$string($count($states.input.nested.items))";
const machine = (b: string, s: string) => ({
  QueryLanguage: "JSONata",
  StartAt: "Count",
  States: {
    // Its Output keeps the input (a Task's output is its result otherwise).
    Count: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: TOPIC, Message: `{% ${COUNT} %}` }, Output: "{% $states.input %}", Next: "Decide" },
    Decide: { Type: "Choice", Choices: [{ Condition: `{% ${b} %}`, Next: "Yes" }], Default: "No" },
    Yes: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: TOPIC, Message: `{% ${s} %}` }, End: true },
    No: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: TOPIC, Message: "no" }, End: true },
  },
});

/** With Step Functions' own `$parse()` (JSON text to its value), which the library does not have. */
const evaluate = (expr: string, input: Doc) => {
  const e = jsonata(expr);
  e.registerFunction("parse", (t: string) => JSON.parse(t), "<s:j>");
  return e.evaluate({}, { states: { input } });
};

describe("JSONata expressions, lifted and run", () => {
  test("the branch taken and the messages sent are the JSONata library's values", async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(bool, str, doc, async (b, s, input) => {
        const lifted = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine(b, s)), given: { region: "eu-west-1", artifacts: "s3://checks-artifacts/runs" } });
        if (!lifted.pipeline) {
          // A refusal names what it refuses; nothing else ends a lift without a pipeline.
          expect(lifted.diagnostics.some((d) => d.severity === "error")).toBe(true);
          if (process.env.SWITCHYARD_DEBUG) console.log("REFUSED", lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join(" | "));
          return;
        }
        const lowered = lower(lifted.pipeline);
        if (lowered.diagnostics.some((d) => d.severity === "error")) {
          if (process.env.SWITCHYARD_DEBUG) console.log("LOWERING", lowered.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join(" | "));
          return;
        }
        const want = { taken: (await evaluate(b, input)) === true, message: await evaluate(s, input), count: await evaluate(COUNT, input) };
        const got = await run(lowered.definition, input, { Count: () => ({ MessageId: "c" }), Yes: () => ({ MessageId: "y" }), No: () => ({ MessageId: "n" }) });
        expect(got.status).toBe("SUCCEEDED");
        expect(got.inputs.Count.map((i: { Message: string }) => i.Message)).toEqual([want.count]);
        expect(got.inputs.Yes?.map((i: { Message: string }) => i.Message) ?? []).toEqual(want.taken ? [want.message] : []);
        expect((got.inputs.No ?? []).length).toBe(want.taken ? 0 : 1);
        ran++;
      }),
      { numRuns: 120 },
    );
    // Most expressions of the subset lift and run: 61 to 86 of the 120 over seeds 1 to 6, 58 seen once; a third
    // at least whatever the seed, so the property is never checked on a handful.
    expect(ran).toBeGreaterThan(40);
  });
});
