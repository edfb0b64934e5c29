/** Airflow 2.11.2 with the Amazon provider 9.22.0, as on MWAA 2.11.2 (the default profile). */
import { airflowSuite } from "./support/suite.js";

airflowSuite("2");
