/**
 * A Python function run as a SageMaker processing job, the way the SageMaker
 * SDK's `@step` runs one as a job: the file is uploaded like any script, a
 * small bootstrap imports it and calls the function with the step's keyword
 * arguments, and the return value is written as JSON to the `result` output,
 * where later steps read it as the report `result` (`steps.f.reports.result.x`).
 * The same on every target, since every target runs the processing job.
 */
import { positionFreeJson } from "../ir/values.js";
import type { Pos, ProcessingStep, Value } from "../ir/types.js";

/** Container path of the `result` output; the bootstrap writes `result.json` there. */
export const FUNCTION_RESULT_DIR = "/opt/ml/processing/output/result";
export const FUNCTION_RESULT = "result";
export const FUNCTION_RESULT_FILE = "result.json";

/**
 * `python3 -c LOADER <BOOTSTRAP in pieces> -- <script> <function> <name> <value> ...`: literal values
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

/**
 * Each ContainerEntrypoint item is at most 256 characters (CreateProcessingJob), and the bootstrap is
 * longer: it travels in pieces, and a short loader joins the pieces up to `--`, takes them out of
 * sys.argv and runs them, so the bootstrap sees `<script> <function> ...` as its arguments.
 */
const FUNCTION_LOADER = "import sys; i = sys.argv.index('--'); b = ''.join(sys.argv[1:i]); del sys.argv[1:i + 1]; exec(b)";
const PIECE = 200;
const pieces = (text: string): string[] => Array.from({ length: Math.ceil(text.length / PIECE) }, (_, i) => text.slice(i * PIECE, (i + 1) * PIECE));

export const FUNCTION_COMMAND = ["python3", "-c", FUNCTION_LOADER, ...pieces(FUNCTION_BOOTSTRAP), "--"];

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
    const json = functionArgumentJson(v);
    out.push(
      json !== undefined
        ? { kind: "literal", value: `json:${json}`, type: "string", pos: v.pos }
        : { kind: "join", parts: [{ kind: "literal", value: "text:", type: "string", pos: v.pos }, v], pos: v.pos },
    );
  }
  return out;
}

/**
 * JSON text of a literal value (undefined when it holds an expression). Floats are
 * written as floats (`1.0`), so Python reads back the type the file gave.
 */
export function functionArgumentJson(v: Value): string | undefined {
  switch (v.kind) {
    case "literal":
      if (typeof v.value === "number" && Object.is(v.value, -0)) return "-0.0";
      if (v.type === "float" && typeof v.value === "number" && Number.isInteger(v.value) && !/[.e]/.test(String(v.value))) return `${v.value}.0`;
      return JSON.stringify(v.value);
    case "list": {
      const items = v.items.map(functionArgumentJson);
      return items.every((x) => x !== undefined) ? `[${items.join(",")}]` : undefined;
    }
    case "map": {
      const entries = Object.entries(v.entries).map(([k, x]) => [k, functionArgumentJson(x)] as const);
      return entries.every(([, x]) => x !== undefined) ? `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${x}`).join(",")}}` : undefined;
    }
    default:
      return undefined;
  }
}

/** What `type: function` is written with, besides the fields every processing step has. */
export interface FunctionCall {
  function: string;
  arguments: Record<string, Value>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The function and keyword arguments of a processing step that is exactly what
 * `type: function` builds (positions aside), so printers can write it that way;
 * undefined for any other processing step.
 */
export function functionCallOf(s: ProcessingStep): FunctionCall | undefined {
  if (!s.code || JSON.stringify(s.command) !== JSON.stringify(FUNCTION_COMMAND)) return undefined;
  const out = s.outputs[FUNCTION_RESULT];
  if (Object.keys(s.outputs).length !== 1 || !out || out.path !== FUNCTION_RESULT_DIR || out.upload !== undefined || out.destination !== undefined) return undefined;
  const rep = s.reports[FUNCTION_RESULT];
  if (Object.keys(s.reports).length !== 1 || !rep || rep.output !== FUNCTION_RESULT || rep.file !== FUNCTION_RESULT_FILE) return undefined;
  const [head, ...rest] = s.arguments;
  if (head?.kind !== "literal" || typeof head.value !== "string" || !IDENTIFIER.test(head.value) || rest.length % 2) return undefined;
  const kwargs: Record<string, Value> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [k, v] = [rest[i], rest[i + 1]];
    if (k.kind !== "literal" || typeof k.value !== "string" || Object.hasOwn(kwargs, k.value)) return undefined;
    const value = argumentValue(v);
    if (!value) return undefined;
    kwargs[k.value] = value;
  }
  // Exactly what building it again gives, or not a function step.
  const again = functionArguments(head.value, kwargs, head.pos);
  if (positionFreeJson(again) !== positionFreeJson(s.arguments)) return undefined;
  return { function: head.value, arguments: kwargs };
}

/** The keyword argument a container argument carries: `json:` text read back as a value, `text:` joined to an expression. */
function argumentValue(v: Value): Value | undefined {
  if (v.kind === "join" && v.parts.length === 2 && v.parts[0].kind === "literal" && v.parts[0].value === "text:" && v.parts[1].kind !== "literal") return v.parts[1];
  if (v.kind !== "literal" || typeof v.value !== "string" || !v.value.startsWith("json:")) return undefined;
  try {
    return new JsonValue(v.value.slice(5), v.pos).read();
  } catch {
    return undefined;
  }
}

/** JSON text as a value, numbers written with a fraction or exponent typed as floats (as the encoder writes them). */
class JsonValue {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly pos: Pos,
  ) {}

  read(): Value {
    const v = this.value();
    this.space();
    if (this.i !== this.text.length) throw new Error("trailing text");
    return v;
  }

  private space(): void {
    while (/\s/.test(this.text[this.i] ?? "")) this.i++;
  }

  private value(): Value {
    const pos = this.pos;
    this.space();
    const c = this.text[this.i];
    if (c === "[") {
      this.i++;
      const items: Value[] = [];
      this.space();
      if (this.text[this.i] === "]") this.i++;
      else
        for (;;) {
          items.push(this.value());
          this.space();
          const d = this.text[this.i++];
          if (d === "]") break;
          if (d !== ",") throw new Error("list");
        }
      return { kind: "list", items, pos };
    }
    if (c === "{") {
      this.i++;
      const entries: Record<string, Value> = {};
      this.space();
      if (this.text[this.i] === "}") this.i++;
      else
        for (;;) {
          this.space();
          const k = this.token(/^"(?:[^"\\]|\\.)*"/);
          this.space();
          if (this.text[this.i++] !== ":") throw new Error("map");
          const key = JSON.parse(k) as string;
          if (Object.hasOwn(entries, key)) throw new Error("key twice");
          entries[key] = this.value();
          this.space();
          const d = this.text[this.i++];
          if (d === "}") break;
          if (d !== ",") throw new Error("map");
        }
      return { kind: "map", entries, pos };
    }
    const t = this.token(/^(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/);
    const x = JSON.parse(t) as string | number | boolean | null;
    // A negative zero does not survive a pipeline file (it reads back as 0).
    if (typeof x === "number" && Object.is(x, -0)) throw new Error("negative zero");
    if (typeof x === "number") return { kind: "literal", value: x, type: /[.eE]/.test(t) ? "float" : "integer", pos };
    if (typeof x === "string") return { kind: "literal", value: x, type: "string", pos };
    if (typeof x === "boolean") return { kind: "literal", value: x, type: "boolean", pos };
    return { kind: "literal", value: x, pos };
  }

  private token(re: RegExp): string {
    const m = re.exec(this.text.slice(this.i));
    if (!m) throw new Error("not JSON");
    this.i += m[0].length;
    return m[0];
  }
}
