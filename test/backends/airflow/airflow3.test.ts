/** Airflow 3.0.6 with the Amazon provider 9.12.0 and the standard provider 1.6.0, as on MWAA 3.0.6. */
import { airflowSuite } from "./support/suite.js";

airflowSuite("3");
