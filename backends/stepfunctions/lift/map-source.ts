/**
 * A distributed Map's own fields read as the map step's: its ItemReader (the
 * items read from S3), ItemBatcher, tolerated failures, and the child
 * executions' type and Label. What the IR cannot hold is refused by name.
 */
import type { MapBatch, MapDistributed, MapRead, MapStep, MapTolerate, Value } from "../../../src/ir/types.js";
import { READER_FORMATS, S3_LIST_READER, S3_OBJECT_READER, S3_RESULT_WRITER } from "../map-reader.js";
import { liftValue, refuse, type Flow, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";

export interface MapSource {
  read?: MapRead;
  batch?: MapBatch;
  tolerate?: MapTolerate;
  distributed?: MapDistributed;
  resultsTo?: NonNullable<MapStep["results_to"]>;
  /** BatchInput's value (read from the Map's input), handed to each batch beside its Items. */
  batchInput?: Value;
  /** The iterations are child executions (Mode DISTRIBUTED), said in `distributed` or implied by the rest. */
  children: boolean;
  ok: boolean;
}

/** The fields this module reads; a Map's other fields are the caller's. */
export const DISTRIBUTED_FIELDS = ["ItemReader", "ItemBatcher", "ToleratedFailureCount", "ToleratedFailurePercentage", "Label", "ResultWriter"];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const count = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x >= 0;
const FORMAT_OF = Object.fromEntries(Object.entries(READER_FORMATS).map(([k, v]) => [v, k])) as Record<string, MapRead["format"]>;

export function liftMapSource(ctx: LiftCtx, flow: Flow, st: Obj, proc: Obj, procKey: string, at: JPath): MapSource {
  const out: MapSource = { ok: true, children: false };
  const no = (where: JPath, msg: string) => {
    out.ok = false;
    refuse(ctx, where, msg);
  };
  const pos = (where: JPath) => ctx.src.pos(where);
  const config = isObj(proc.ProcessorConfig) ? proc.ProcessorConfig : undefined;
  const mode = config?.Mode;
  if (config) {
    for (const k of Object.keys(config)) if (k !== "Mode" && k !== "ExecutionType") no([...at, procKey, "ProcessorConfig", k], `field '${k}' of a Map's ProcessorConfig has no IR equivalent`);
  }
  if (mode !== undefined && mode !== "INLINE" && mode !== "DISTRIBUTED") no([...at, procKey, "ProcessorConfig", "Mode"], `Map mode ${JSON.stringify(mode)} is neither INLINE nor DISTRIBUTED`);
  const distributed = mode === "DISTRIBUTED";
  for (const k of DISTRIBUTED_FIELDS) if (st[k] !== undefined && !distributed) no([...at, k], `field '${k}' belongs to a distributed Map, and this Map's ItemProcessor is not DISTRIBUTED`);
  if (!distributed) return out;
  out.children = true;
  const type = config?.ExecutionType;
  if (type !== undefined && type !== "STANDARD" && type !== "EXPRESS") no([...at, procKey, "ProcessorConfig", "ExecutionType"], `ExecutionType ${JSON.stringify(type)} is neither STANDARD nor EXPRESS`);
  const label = st.Label;
  if (label !== undefined && typeof label !== "string") no([...at, "Label"], "Label must be a string");
  out.distributed = { runs: type === "EXPRESS" ? "express" : "standard", ...(typeof label === "string" ? { label } : {}), pos: pos([...at, procKey, "ProcessorConfig"]) };

  if (st.ItemReader !== undefined) out.read = reader(ctx, flow, st.ItemReader, [...at, "ItemReader"], no);
  if (st.ItemReader !== undefined && st.ItemsPath !== undefined) no([...at, "ItemsPath"], "ItemsPath beside an ItemReader has no IR equivalent: the IR's read hands on the records as the reader reads them");

  if (st.ItemBatcher !== undefined) {
    const b = st.ItemBatcher;
    const bAt = [...at, "ItemBatcher"];
    if (!isObj(b)) no(bAt, "ItemBatcher must be an object");
    else {
      for (const k of Object.keys(b)) if (!["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"].includes(k)) no([...bAt, k], `field '${k}' of an ItemBatcher has no IR equivalent${k.endsWith("Path") ? " (a batch size read from the data at run time; the IR's is written out)" : ""}`);
      if (b.MaxItemsPerBatch !== undefined && !count(b.MaxItemsPerBatch)) no([...bAt, "MaxItemsPerBatch"], "MaxItemsPerBatch must be a whole number");
      if (b.MaxInputBytesPerBatch !== undefined && !count(b.MaxInputBytesPerBatch)) no([...bAt, "MaxInputBytesPerBatch"], "MaxInputBytesPerBatch must be a whole number");
      out.batch = {
        ...(count(b.MaxItemsPerBatch) ? { max_items: b.MaxItemsPerBatch } : {}),
        ...(count(b.MaxInputBytesPerBatch) ? { max_bytes: b.MaxInputBytesPerBatch } : {}),
        pos: pos(bAt),
      };
      if (b.BatchInput !== undefined && !ctx.own) {
        const v = isObj(b.BatchInput) ? liftValue(ctx, flow, b.BatchInput, [...bAt, "BatchInput"]) : undefined;
        if (!v) no([...bAt, "BatchInput"], "BatchInput must be an object the IR can read");
        else out.batchInput = v;
      }
    }
    // An ItemSelector beside it reshapes each item before it is batched: the batch's `each`, read by the caller where the item is known.
  }

  if (st.ResultWriter !== undefined) out.resultsTo = writer(ctx, flow, st.ResultWriter, [...at, "ResultWriter"], no);

  const tc = st.ToleratedFailureCount;
  const tp = st.ToleratedFailurePercentage;
  if (tc !== undefined && !count(tc)) no([...at, "ToleratedFailureCount"], "ToleratedFailureCount must be a whole number");
  if (tp !== undefined && !(typeof tp === "number" && tp >= 0 && tp <= 100)) no([...at, "ToleratedFailurePercentage"], "ToleratedFailurePercentage must be a number from 0 to 100");
  if (count(tc) || typeof tp === "number") {
    out.tolerate = { ...(count(tc) ? { count: tc } : {}), ...(typeof tp === "number" ? { percent: tp } : {}), pos: pos([...at, count(tc) ? "ToleratedFailureCount" : "ToleratedFailurePercentage"]) };
  }
  // Where the IR's map would run distributed anyway, saying so adds nothing.
  if (out.distributed && out.distributed.runs === "standard" && !out.distributed.label && (out.read || out.batch || out.tolerate)) delete out.distributed;
  return out;
}

function writer(ctx: LiftCtx, flow: Flow, w: unknown, at: JPath, no: (where: JPath, msg: string) => void): MapSource["resultsTo"] {
  if (!isObj(w)) return void no(at, "ResultWriter must be an object");
  if (w.Resource !== S3_RESULT_WRITER) return void no([...at, "Resource"], `ResultWriter resource ${JSON.stringify(w.Resource)} has no IR equivalent: the IR writes a map's results with ${S3_RESULT_WRITER}`);
  for (const k of Object.keys(w)) if (!["Resource", "Parameters"].includes(k)) no([...at, k], `field '${k}' of a ResultWriter has no IR equivalent${k === "WriterConfig" ? " (the IR writes the results as Step Functions does by default)" : ""}`);
  const params = isObj(w.Parameters) ? w.Parameters : undefined;
  if (!params) return void no(at, "a ResultWriter needs Parameters naming the bucket");
  for (const k of Object.keys(params)) if (!["Bucket", "Prefix"].includes(k.replace(/\.\$$/, ""))) no([...at, "Parameters", k], `parameter '${k}' of a ResultWriter has no IR equivalent (the IR's takes Bucket and Prefix)`);
  const v = liftValue(ctx, flow, params, [...at, "Parameters"]);
  const entries = v?.kind === "map" ? v.entries : {};
  if (!entries.Bucket) return void no([...at, "Parameters"], "a ResultWriter needs its Bucket");
  return { bucket: entries.Bucket, ...(entries.Prefix ? { prefix: entries.Prefix } : {}), pos: ctx.src.pos(at) };
}

function reader(ctx: LiftCtx, flow: Flow, r: unknown, at: JPath, no: (where: JPath, msg: string) => void): MapRead | undefined {
  if (!isObj(r)) return void no(at, "ItemReader must be an object");
  const list = r.Resource === S3_LIST_READER;
  if (!list && r.Resource !== S3_OBJECT_READER) return void no([...at, "Resource"], `ItemReader resource ${JSON.stringify(r.Resource)} has no IR equivalent: the IR reads a listing of objects (${S3_LIST_READER}) or one object's records (${S3_OBJECT_READER})`);
  for (const k of Object.keys(r)) if (!["Resource", "Parameters", "ReaderConfig"].includes(k)) no([...at, k], `field '${k}' of an ItemReader has no IR equivalent`);
  const params = isObj(r.Parameters) ? r.Parameters : undefined;
  if (!params) return void no(at, "an ItemReader needs Parameters naming the bucket");
  const names = list ? ["Bucket", "Prefix"] : ["Bucket", "Key"];
  for (const k of Object.keys(params)) {
    if (!names.includes(k.replace(/\.\$$/, ""))) no([...at, "Parameters", k], `parameter '${k}' of ${list ? "an s3:listObjectsV2" : "an s3:getObject"} ItemReader has no IR equivalent (the IR's read takes ${names.join(" and ")})`);
  }
  const value = (k: string): Value | undefined => {
    const key = params[`${k}.$`] !== undefined ? `${k}.$` : k;
    if (params[key] === undefined) return undefined;
    return liftValue(ctx, flow, { [key]: params[key] }, [...at, "Parameters"]) as Value | undefined;
  };
  const member = (v: Value | undefined, k: string) => (v && v.kind === "map" ? v.entries[k] : undefined);
  const bucket = member(value("Bucket"), "Bucket");
  if (!bucket) return void no([...at, "Parameters"], "an ItemReader needs its Bucket");
  const where = list ? member(value("Prefix"), "Prefix") : member(value("Key"), "Key");
  if (!list && !where) return void no([...at, "Parameters"], "an s3:getObject ItemReader needs the object's Key");
  const cfg = r.ReaderConfig === undefined ? {} : isObj(r.ReaderConfig) ? r.ReaderConfig : undefined;
  if (!cfg) return void no([...at, "ReaderConfig"], "ReaderConfig must be an object");
  const cAt = [...at, "ReaderConfig"];
  for (const k of Object.keys(cfg)) {
    if (!["InputType", "CSVHeaderLocation", "CSVHeaders", "MaxItems"].includes(k)) no([...cAt, k], `field '${k}' of a ReaderConfig has no IR equivalent${k === "CSVDelimiter" ? " (the IR reads comma-separated files)" : ""}`);
  }
  const type = cfg.InputType;
  const format = typeof type === "string" ? FORMAT_OF[type] : undefined;
  if (list && type !== undefined) no([...cAt, "InputType"], "an s3:listObjectsV2 reader lists objects; InputType is for one object's records");
  if (!list && !format) no([...cAt, "InputType"], `InputType ${JSON.stringify(type)} has no IR equivalent: the IR reads ${Object.keys(FORMAT_OF).join(", ")}`);
  let columns: string[] | undefined;
  if (cfg.CSVHeaderLocation === "GIVEN") {
    if (!Array.isArray(cfg.CSVHeaders) || !cfg.CSVHeaders.length || !cfg.CSVHeaders.every((h) => typeof h === "string")) no([...cAt, "CSVHeaders"], "CSVHeaders must list the column names");
    else columns = cfg.CSVHeaders as string[];
  } else if (cfg.CSVHeaderLocation !== undefined && cfg.CSVHeaderLocation !== "FIRST_ROW") no([...cAt, "CSVHeaderLocation"], "CSVHeaderLocation is FIRST_ROW or GIVEN");
  else if (cfg.CSVHeaders !== undefined) no([...cAt, "CSVHeaders"], "CSVHeaders are read only with CSVHeaderLocation GIVEN");
  if ((cfg.CSVHeaderLocation !== undefined || cfg.CSVHeaders !== undefined) && type !== "CSV") no([...cAt, "CSVHeaderLocation"], "CSV headers belong to a CSV reader");
  if (cfg.MaxItems !== undefined && !count(cfg.MaxItems)) no([...cAt, "MaxItems"], "MaxItems must be a whole number");
  return {
    bucket,
    ...(list ? (where ? { prefix: where } : {}) : { key: where }),
    ...(format && !list ? { format } : {}),
    ...(columns ? { columns } : {}),
    ...(count(cfg.MaxItems) && cfg.MaxItems > 0 ? { max_items: cfg.MaxItems } : {}),
    pos: ctx.src.pos(at),
  };
}
