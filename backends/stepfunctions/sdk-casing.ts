/**
 * Step Functions' AWS SDK integration (and the optimized integrations of
 * camelCase APIs) spells every member in PascalCase, in the request and in the
 * response, even where the API's own members are camelCase; keys that are
 * data (tags, Spark properties, documents) stay as they are. The IR holds the
 * API's spelling: this recases both ways, from botocore's models
 * (sdk-casing-data.ts).
 */
import type { Value } from "../../src/ir/types.js";
import { SDK_CASING } from "./sdk-casing-data.js";

/**
 * Where a request or response holds data rather than members, whose keys are
 * not recased: paths in the API's spelling, of segments
 *   - a member name;
 *   - `*`: an item of a list;
 *   - `{key}`: a key of a map whose keys are data but whose values are
 *     structures (EMR Serverless `initialCapacity.{key}.workerConfiguration`);
 *   - `**` (patterns only): any number of segments, for structures nested in
 *     themselves (`configurations[*].configurations[*]...`).
 * A pattern ending in `{key}` says its map's keys are kept and its values
 * recased; any other names a member whose value is kept whole.
 */
export type DataPaths = readonly (readonly string[])[];

/** How a service's members are spelled: the casing most have, and those that have the other. */
interface ServiceCasing {
  camel: boolean;
  others: ReadonlySet<string>;
  actions: Record<string, string[]>;
}

const parsed = new Map<string, ServiceCasing>();

function serviceCasing(service: string): ServiceCasing | undefined {
  const text = SDK_CASING[service];
  if (text === undefined) return undefined;
  let c = parsed.get(service);
  if (!c) {
    const { "": casing, ...actions } = JSON.parse(text) as Record<string, string[]>;
    c = { camel: casing[0] === "camel", others: new Set(casing.slice(1)), actions };
    parsed.set(service, c);
  }
  return c;
}

export const lower1 = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
/** A member as Step Functions spells it. */
export const upper1 = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An action's data paths and how its service's members are spelled. */
export interface ActionCasing {
  request: DataPaths;
  response: DataPaths;
  /** The API's name of a member Step Functions spells `pascal`. */
  apiName(pascal: string): string;
}

/**
 * How Step Functions spells `service:action`'s members: "same" where they are
 * all in PascalCase already (nothing to recase), an error where the service
 * has camelCase members but botocore's model has no such action.
 */
export function actionCasing(service: string, action: string): ActionCasing | "same" | { error: string } {
  const c = serviceCasing(service);
  if (!c) return "same";
  const paths = c.actions[action];
  if (!paths) return { error: `${service} has no action '${action}' in botocore's model, so which of its members are data, not to be recased into the PascalCase Step Functions spells members in, is not known` };
  const split = (p: string) => p.split(".");
  return {
    request: paths.filter((p) => !p.startsWith("<")).map(split),
    response: paths.filter((p) => p.startsWith("<")).map((p) => split(p.slice(1))),
    apiName: (pascal) => (c.camel ? (c.others.has(pascal) ? pascal : lower1(pascal)) : c.others.has(lower1(pascal)) ? lower1(pascal) : pascal),
  };
}

/** Whether a DataPaths pattern matches a path (`**` matches any number of segments). */
function matches(pattern: readonly string[], path: readonly string[]): boolean {
  if (!pattern.length) return !path.length;
  if (pattern[0] === "**") return matches(pattern.slice(1), path) || (path.length > 0 && matches(pattern, path.slice(1)));
  return path.length > 0 && pattern[0] === path[0] && matches(pattern.slice(1), path.slice(1));
}

const isData = (maps: DataPaths, p: readonly string[]) => maps.some((m) => matches(m, p));

type Entries = Record<string, Value>;

/**
 * Rename keys of a request (and its members) between API and Step Functions
 * spellings; `path` is the value's own (API spelling), `at` where it is as
 * written (for `bad`, the members not in PascalCase). Data kept as `maps` says;
 * `apiName` gives a PascalCase member's API name.
 */
function recase(v: Value, path: string[], at: string, maps: DataPaths, apiName: ((k: string) => string) | undefined, bad: string[]): Value {
  const under = (k: string) => (at ? `${at}.${k}` : k);
  if (v.kind === "list") return { ...v, items: v.items.map((x, i) => recase(x, [...path, "*"], `${at}[${i}]`, maps, apiName, bad)) };
  if (v.kind !== "map") return v;
  const entries: Entries = {};
  // A map whose keys are data: each value is a structure, at `{key}`.
  if (isData(maps, [...path, "{key}"])) {
    for (const [k, x] of Object.entries(v.entries)) entries[k] = recase(x, [...path, "{key}"], under(k), maps, apiName, bad);
    return { ...v, entries };
  }
  for (const [k, x] of Object.entries(v.entries)) {
    if (apiName && k !== upper1(k)) bad.push(under(k));
    const api = apiName ? apiName(k) : k;
    const p = [...path, api];
    entries[apiName ? api : upper1(k)] = isData(maps, p) ? x : recase(x, p, under(k), maps, apiName, bad);
  }
  return { ...v, entries };
}

const asMap = (entries: Entries): Value => ({ kind: "map", entries, pos: { file: "", line: 0, col: 0 } }) as Value;

/** The API request as Step Functions takes it. */
export function pascalRequest(casing: ActionCasing, req: Entries, maps: DataPaths = casing.request): Entries {
  return (recase(asMap(req), [], "", maps, undefined, []) as Extract<Value, { kind: "map" }>).entries;
}

/** Step Functions' request as the API takes it; an error names the members not in PascalCase. */
export function apiRequest(casing: ActionCasing, req: Entries, action: string, maps: DataPaths = casing.request): { request: Entries } | { error: string } {
  const bad: string[] = [];
  const m = recase(asMap(req), [], "", maps, casing.apiName, bad);
  if (bad.length) return { error: `member${bad.length > 1 ? "s" : ""} ${bad.map((b) => `'${b}'`).join(", ")} not in PascalCase, as Step Functions spells ${action}'s members` };
  return { request: (m as Extract<Value, { kind: "map" }>).entries };
}

/**
 * A path into the API's response (numbers index lists) as Step Functions
 * spells it (`toSfn`), or back. Past a member kept whole, nothing is recased.
 */
export function responsePath(casing: ActionCasing, path: readonly (string | number)[], toSfn: boolean): (string | number)[] {
  const at: string[] = [];
  const out: (string | number)[] = [];
  let whole = false;
  for (const seg of path) {
    if (typeof seg === "number") {
      out.push(seg);
      at.push("*");
    } else if (whole) out.push(seg);
    else if (isData(casing.response, [...at, "{key}"])) {
      out.push(seg);
      at.push("{key}");
    } else {
      const api = toSfn ? seg : casing.apiName(seg);
      out.push(toSfn ? upper1(seg) : api);
      at.push(api);
      whole = isData(casing.response, at);
    }
  }
  return out;
}
