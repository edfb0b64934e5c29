/**
 * aws-local-stepfunctions runs no distributed Map. To execute a machine that
 * has one, each is rewritten to the inline Map the engine runs, preceded by a
 * Task that makes the ItemReader's request (its Parameters, ReaderConfig and
 * the ItemBatcher's sizes, recorded like any call) and is answered with the
 * items, already cut into batches where the Map batches them. Each batch then
 * reaches its iteration as a child execution gets it: `Items` beside
 * `BatchInput`. A ResultWriter becomes a Task after the Map that makes the
 * writer's request with the results (answered with where they were
 * written). An ItemSelector beside an ItemBatcher reshapes each item before
 * it is batched: an inline Map applies it to the items, and the engine's
 * States.ArrayPartition cuts what it gives into batches. Original and
 * re-lowered machines are rewritten alike, so the calls they make still compare.
 */
type Json = any;

/** The call the reader Task makes: `s3:listObjectsV2.items` or `s3:getObject.items`. */
export const READER_SUFFIX = ".items";
/** The call the writer Task makes: `s3:putObject.results`. */
export const WRITER_SUFFIX = ".results";

export function inlineDistributed(def: Json): Json {
  return { ...def, States: inStates(def.States) };
}

function inStates(states: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, st] of Object.entries(states)) {
    if (st.Type === "Parallel") {
      out[name] = { ...st, Branches: st.Branches.map((b: Json) => ({ ...b, States: inStates(b.States) })) };
      continue;
    }
    const proc = st.ItemProcessor ?? st.Iterator;
    if (st.Type !== "Map" || proc?.ProcessorConfig?.Mode !== "DISTRIBUTED") {
      out[name] = st.Type === "Map" ? { ...st, [st.ItemProcessor ? "ItemProcessor" : "Iterator"]: { ...proc, States: inStates(proc.States) } } : st;
      continue;
    }
    const { ItemReader, ItemBatcher, ToleratedFailureCount: _c, ToleratedFailurePercentage: _p, Label: _l, ResultWriter, ...mapped } = st;
    let map = mapped;
    if (ResultWriter) {
      // The Map hands its results to the writer, which gives the Map's own output (ResultWriterDetails).
      const { ResultPath, OutputPath, ResultSelector: _s, Next, End, ...rest } = mapped;
      const writer = `${name} (results)`;
      out[writer] = {
        Type: "Task",
        Resource: `${ResultWriter.Resource}${WRITER_SUFFIX}`,
        Parameters: { ...ResultWriter.Parameters, "Results.$": "$.writerResults" },
        ...(ResultPath !== undefined ? { ResultPath } : {}),
        ...(OutputPath !== undefined ? { OutputPath } : {}),
        ...(End ? { End } : { Next }),
      };
      map = { ...rest, ResultPath: "$.writerResults", Next: writer };
    }
    map.ItemProcessor = { ...proc, ProcessorConfig: { Mode: "INLINE" }, States: inStates(proc.States) };
    delete map.Iterator;
    const { BatchInput, ...sizes } = ItemBatcher ?? {};
    const mapName = `${name} (map)`;
    const batched = ItemBatcher ? { ItemSelector: { "Items.$": "$$.Map.Item.Value", ...(BatchInput ? { BatchInput } : {}) } } : {};
    const selector = ItemBatcher ? (map.ItemSelector ?? map.Parameters) : undefined;
    if (selector !== undefined) {
      // Each item reshaped (an inline Map of one Pass), then cut into batches, then the batches mapped.
      if (!sizes.MaxItemsPerBatch || Object.keys(sizes).length > 1) throw new Error(`Map '${name}': only MaxItemsPerBatch is emulated`);
      const { ItemSelector: _s, Parameters: _p, InputPath: inputPath, ItemsPath: itemsPath, ...rest } = map;
      const list = ItemReader ? "$.readerItems" : [inputPath ?? "$", itemsPath ?? "$"].reduce((a: string, b: string) => (b === "$" ? a : a + b.slice(1)));
      const select = `${name} (select)`;
      if (ItemReader) {
        out[name] = { Type: "Task", Resource: `${ItemReader.Resource}${READER_SUFFIX}`, Parameters: { ...ItemReader.Parameters, ...(ItemReader.ReaderConfig ? { ReaderConfig: ItemReader.ReaderConfig } : {}), Batch: sizes, Selected: true }, ResultPath: "$.readerItems", Next: select };
      } else out[name] = { Type: "Pass", Next: select };
      const one = `${name} (item)`;
      out[select] = {
        Type: "Map",
        ItemsPath: list,
        ItemSelector: inputPath ? rebase(selector, inputPath) : selector,
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: one, States: { [one]: { Type: "Pass", End: true } } },
        ResultPath: "$.readerItems",
        Next: `${name} (batches)`,
      };
      out[`${name} (batches)`] = { Type: "Pass", Parameters: { "batches.$": `States.ArrayPartition($.readerItems, ${sizes.MaxItemsPerBatch})` }, ResultPath: "$.readerItems", Next: mapName };
      out[mapName] = { ...rest, ItemsPath: "$.readerItems.batches", ItemSelector: inputPath ? rebase(batched.ItemSelector!, inputPath) : batched.ItemSelector };
      continue;
    }
    if (!ItemReader && ItemBatcher) {
      // A list from the data, cut into batches by the engine's own intrinsic, before InputPath (which the Pass then applies).
      const list = [map.InputPath ?? "$", map.ItemsPath ?? "$"].reduce((a: string, b: string) => (b === "$" ? a : a + b.slice(1)));
      if (!sizes.MaxItemsPerBatch || Object.keys(sizes).length > 1) throw new Error(`Map '${name}': only MaxItemsPerBatch is emulated`);
      out[name] = { Type: "Pass", Parameters: { "batches.$": `States.ArrayPartition(${list}, ${sizes.MaxItemsPerBatch})` }, ResultPath: "$.readerItems", Next: mapName };
      const { InputPath: _i, ...rest } = map;
      out[mapName] = { ...rest, ItemsPath: "$.readerItems.batches", ...batched, ...(map.InputPath ? { ItemSelector: rebase(batched.ItemSelector ?? {}, map.InputPath) } : {}) };
      continue;
    }
    if (!ItemReader) {
      out[name] = map;
      continue;
    }
    // Where the Map neither reads nor keeps its input (its data may be a list), the items take the input's place; else they go beside it.
    const beside = st.ItemSelector !== undefined || st.Parameters !== undefined || BatchInput !== undefined || ResultWriter !== undefined || (st.ResultPath !== undefined && st.ResultPath !== "$");
    // The Task takes the Map's name, so whatever went to the Map goes to it first.
    out[name] = {
      Type: "Task",
      Resource: `${ItemReader.Resource}${READER_SUFFIX}`,
      Parameters: { ...ItemReader.Parameters, ...(ItemReader.ReaderConfig ? { ReaderConfig: ItemReader.ReaderConfig } : {}), ...(ItemBatcher ? { Batch: sizes } : {}) },
      ...(beside ? { ResultPath: "$.readerItems" } : {}),
      Next: mapName,
    };
    out[mapName] = {
      ...map,
      ItemsPath: beside ? "$.readerItems" : "$",
      ...batched,
    };
  }
  return out;
}

/** Paths of a selector read below `inputPath`, as they would with the Map's InputPath applied. */
function rebase(sel: Json, inputPath: string): Json {
  if (typeof sel === "string") return sel.startsWith("$.") || sel === "$" ? inputPath + sel.slice(1) : sel;
  if (Array.isArray(sel) || sel === null || typeof sel !== "object") return sel;
  return Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, k.endsWith(".$") ? rebase(v, inputPath) : typeof v === "object" ? rebase(v, inputPath) : v]));
}

/** The writer's answer: where it wrote the results (the manifest under the prefix). */
export function writerAnswer() {
  return (i: Json) => ({ ResultWriterDetails: { Bucket: i.Bucket, Key: `${i.Prefix ?? ""}/manifest.json` } });
}

/** The reader's answer: `items`, cut into batches of the size the request says (a batch of at most MaxItemsPerBatch). */
export function readerAnswer(items: Json[]) {
  return (i: Json) => {
    const size = i.Batch?.MaxItemsPerBatch;
    // Items reshaped before they are batched are batched after (see inStates).
    if (!size || i.Selected) return items;
    const out: Json[] = [];
    for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
    return out;
  };
}
