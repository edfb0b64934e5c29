/** How a distributed Map reads its items from S3 (its ItemReader) and writes its results there (its ResultWriter), for lowering and lifting alike. */
import type { MapRead } from "../../src/ir/types.js";

/** The ItemReader integrations: a listing of objects, or one object's records. */
export const S3_LIST_READER = "arn:aws:states:::s3:listObjectsV2";
export const S3_OBJECT_READER = "arn:aws:states:::s3:getObject";
/** The ResultWriter integration: the iterations' results written under a prefix. */
export const S3_RESULT_WRITER = "arn:aws:states:::s3:putObject";
export const READER_FORMATS: Record<NonNullable<MapRead["format"]>, string> = { json: "JSON", jsonl: "JSONL", csv: "CSV", manifest: "MANIFEST" };
