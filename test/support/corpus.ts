/** The project's corpus of real-world target files (provenance in each folder's SOURCE.md). */
import { join } from "node:path";
import { ROOT } from "./python-env.js";

export const CORPUS = join(ROOT, "fixtures", "corpus");
