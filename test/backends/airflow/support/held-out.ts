/** The held-out DAGs (fixtures/corpus/airflow/held-out), lifted as `import --role --artifacts --region` lifts them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import airflow from "../../../../backends/airflow/index.js";
import { CORPUS } from "../../../support/corpus.js";

export const HELD_OUT_DIR = join(CORPUS, "airflow", "held-out");

/** What `import --role --artifacts --region` gives: none of them names a role for its calls, nor where code lives, and one no region. */
export const HELD_OUT_GIVEN = { role: "arn:aws:iam::111122223333:role/HeldOutPipelines", artifacts: "s3://acme-held-out-artifacts/pipelines", region: "eu-west-1" };

export const liftHeldOutFile = (file: string) => airflow.lift!({ file, text: readFileSync(join(HELD_OUT_DIR, file), "utf8"), given: HELD_OUT_GIVEN });
