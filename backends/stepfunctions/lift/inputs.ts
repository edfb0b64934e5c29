/**
 * Which top-level members of the run's input a machine passes only whole, as
 * members of a Lambda function's payload. Any JSON value goes there, so the
 * lifter reads them as the run's input (of any type), not as parameters, which
 * are scalars: a list of tasks handed to a function stays a list.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A path naming one top-level member: `$.x` or `$$.Execution.Input.x`. */
const WHOLE = /^\$(?:\$\.Execution\.Input)?\.([A-Za-z_][A-Za-z0-9_-]*)$/;
/** Any read of a top-level member, inside a path or an intrinsic. */
const ANY = /\$(?:\$\.Execution\.Input)?\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function strings(v: unknown, out: (s: string, key: string | undefined) => void, key?: string): void {
  if (typeof v === "string") out(v, key);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) strings(x, out, k);
}

const isLambda = (resource: unknown) => typeof resource === "string" && (/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource) || /^arn:aws[a-z-]*:lambda:/.test(resource));

export function payloadOnlyInputs(def: Obj): Set<string> {
  const inPayload = new Set<string>();
  const elsewhere = new Set<string>();
  const other = (v: unknown) => strings(v, (s) => {
    for (const m of s.matchAll(ANY)) elsewhere.add(m[1]);
  });
  const machine = (m: unknown) => {
    if (!isObj(m) || !isObj(m.States)) return;
    for (const st of Object.values(m.States)) {
      if (!isObj(st)) continue;
      for (const [k, v] of Object.entries(st)) {
        if (k === "Branches" && Array.isArray(v)) v.forEach(machine);
        else if (k === "ItemProcessor" || k === "Iterator") machine(v);
        else if (k === "Parameters" && st.Type === "Task" && isLambda(st.Resource) && isObj(v)) {
          // lambda:invoke's payload is its Payload member; a function ARN's is all its Parameters.
          const invoke = String(st.Resource).startsWith("arn:aws:states:::");
          const payload = invoke ? v.Payload : v;
          if (invoke) other(Object.fromEntries(Object.entries(v).filter(([x]) => x !== "Payload" && x !== "Payload.$")));
          strings(payload, (s, key) => {
            const whole = key?.endsWith(".$") ? WHOLE.exec(s) : null;
            if (whole) inPayload.add(whole[1]);
            else for (const m of s.matchAll(ANY)) elsewhere.add(m[1]);
          });
          if (invoke && typeof v["Payload.$"] === "string") other(v["Payload.$"]);
        } else other(v);
      }
    }
  };
  machine(def);
  return new Set([...inPayload].filter((x) => !elsewhere.has(x)));
}

/**
 * Top-level members a Choice tests with IsPresent: they may be missing from the run's input, so they are
 * read there (exists() tests them), not as parameters, which are always there.
 */
export function presenceTestedInputs(def: Obj): Set<string> {
  const out = new Set<string>();
  const rule = (r: unknown): void => {
    if (!isObj(r)) return;
    const whole = typeof r.Variable === "string" && "IsPresent" in r ? WHOLE.exec(r.Variable) : null;
    if (whole) out.add(whole[1]);
    for (const k of ["And", "Or"]) if (Array.isArray(r[k])) (r[k] as unknown[]).forEach(rule);
    if (r.Not !== undefined) rule(r.Not);
  };
  const machine = (m: unknown) => {
    if (!isObj(m) || !isObj(m.States)) return;
    for (const st of Object.values(m.States)) {
      if (!isObj(st)) continue;
      if (Array.isArray(st.Choices)) (st.Choices as unknown[]).forEach(rule);
      if (Array.isArray(st.Branches)) st.Branches.forEach(machine);
      for (const k of ["ItemProcessor", "Iterator"]) machine(st[k]);
    }
  };
  machine(def);
  return out;
}
