import { describe, expect, it } from "vitest";
import { loadYamlText } from "../../src/frontends/load.js";
import { typedParams } from "../../src/deploy/params.js";
import { DeployFailure } from "../../src/deploy/errors.js";

const loaded = loadYamlText(
  `version: 1
pipeline: p
region: us-east-1
artifacts: s3://bucket-one/p
parameters:
  n: { type: integer, default: 1 }
  x: { type: float, default: 0.5 }
  on: { type: boolean, default: false }
  mode: { type: string, enum: [fast, slow], default: fast }
  input: { type: string }
steps:
  stop:
    type: fail
    message: "\${{ params.input }}"
`,
  "/tmp/p.yaml",
);
const pipeline = loaded.pipeline;

it("loads", () => expect(loaded.diagnostics).toEqual([]));

const failure = (given: Record<string, string>): string => {
  try {
    typedParams(pipeline!, given);
  } catch (e) {
    if (e instanceof DeployFailure) return e.diagnostic.message;
    throw e;
  }
  return "no error";
};

describe("--param values", () => {
  it("are typed by the parameter's declared type", () => {
    expect(typedParams(pipeline!, { n: "-3", x: "2", on: "true", mode: "slow", input: "007" })).toEqual({ input: "007", mode: "slow", n: -3, on: true, x: 2 });
  });

  it("are refused with one message when wrong", () => {
    expect(failure({ input: "a", n: "1.5" })).toBe("parameter 'n' is an integer, not '1.5'");
    expect(failure({ input: "a", x: "" })).toBe("parameter 'x' is a number, not ''");
    expect(failure({ input: "a", on: "yes" })).toBe("parameter 'on' is true or false, not 'yes'");
    expect(failure({ input: "a", mode: "medium" })).toBe(`parameter 'mode' must be one of "fast", "slow", not "medium"`);
    expect(failure({})).toBe("parameter 'input' has no default; give it with --param name=value");
  });
});
