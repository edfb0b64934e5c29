/** The workplace's shared material (corpus, schemas, references): `../shared` beside the project root. */
import { join } from "node:path";
import { ROOT } from "./python-env.js";

export const SHARED = join(ROOT, "..", "shared");
