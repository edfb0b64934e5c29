/**
 * A Python function run as a SageMaker processing job, the way the SageMaker
 * SDK's `@step` runs one as a job: the file is uploaded like any script, a
 * small bootstrap imports it and calls the function with the step's keyword
 * arguments, and the return value is written as JSON to the `result` output,
 * where later steps read it as the report `result` (`steps.f.reports.result.x`).
 * The same on every target, since every target runs the processing job.
 */
import type { Pos, Value } from "../ir/types.js";

/** Container path of the `result` output; the bootstrap writes `result.json` there. */
export const FUNCTION_RESULT_DIR = "/opt/ml/processing/output/result";
export const FUNCTION_RESULT = "result";
export const FUNCTION_RESULT_FILE = "result.json";

/**
 * `python3 -c BOOTSTRAP <script> <function> <name> <value> ...`: literal values
 * arrive as `json:<JSON>`, values computed at run time as `text:<text>` (a string),
 * another function step's result as `file:<JSON [path, key...]>`: the JSON file
 * its `result` output was downloaded to, then the keys into it (types kept).
 */
export const FUNCTION_BOOTSTRAP = [
  "import importlib.util as u, json, os, sys, functools, operator",
  "p, f, a = sys.argv[1], sys.argv[2], sys.argv[3:]",
  "s = u.spec_from_file_location('step', p); m = u.module_from_spec(s); s.loader.exec_module(m)",
  "v = lambda t: json.loads(t[5:]) if t.startswith('json:') else functools.reduce(operator.getitem, json.loads(t[5:])[1:], json.load(open(json.loads(t[5:])[0]))) if t.startswith('file:') else t[5:]",
  "kw = {a[i]: v(a[i + 1]) for i in range(0, len(a), 2)}",
  "r = getattr(m, f)(**kw)",
  `d = os.environ.get('SWITCHYARD_RESULT_DIR', '${FUNCTION_RESULT_DIR}'); os.makedirs(d, exist_ok=True)`,
  `json.dump(r, open(os.path.join(d, '${FUNCTION_RESULT_FILE}'), 'w'))`,
].join("; ");

export const FUNCTION_COMMAND = ["python3", "-c", FUNCTION_BOOTSTRAP];

/** Where a function step reads another's result: the input name and the `file:` value for keys into it. */
export function functionResultInput(step: string): string {
  return `${step}_result`;
}

export function functionResultArgument(step: string, keys: Array<string | number>): string {
  return `file:${JSON.stringify([`/opt/ml/processing/input/${functionResultInput(step)}/${FUNCTION_RESULT_FILE}`, ...keys])}`;
}

/** The container arguments: the function's name, then each keyword argument as a name and a tagged value. */
export function functionArguments(name: string, kwargs: Record<string, Value>, pos: Pos): Value[] {
  const out: Value[] = [{ kind: "literal", value: name, type: "string", pos }];
  for (const [k, v] of Object.entries(kwargs)) {
    out.push({ kind: "literal", value: k, type: "string", pos: v.pos });
    const json = literalJson(v);
    out.push(
      json !== undefined
        ? { kind: "literal", value: `json:${json}`, type: "string", pos: v.pos }
        : { kind: "join", parts: [{ kind: "literal", value: "text:", type: "string", pos: v.pos }, v], pos: v.pos },
    );
  }
  return out;
}

function literalJson(v: Value): string | undefined {
  const plain = (x: Value): unknown => {
    if (x.kind === "literal") return x.value;
    if (x.kind === "list") return x.items.map(plain);
    if (x.kind === "map") return Object.fromEntries(Object.entries(x.entries).map(([k, y]) => [k, plain(y)]));
    throw new Error("not literal");
  };
  try {
    return JSON.stringify(plain(v));
  } catch {
    return undefined;
  }
}
