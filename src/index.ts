/** The package's public entry: the typed DSL, and the IR types (as `IR.*`, plus the main ones by name). */
export * from "./dsl/index.js";
export type * as IR from "./ir/types.js";
export type { Parameter, Pipeline, Pos, Ref, ScalarType, Step, StepKind, StepOf, Value } from "./ir/types.js";
