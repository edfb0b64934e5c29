/**
 * How much a pipeline file may ask of the reader. Each bound is far above what a
 * real pipeline needs (a 10,000-step pipeline is under 5 MB and 300,000 nodes)
 * and far below what makes reading hang or run out of memory.
 */
export const INPUT_LIMITS = {
  /** Bytes of one pipeline file; `/dev/zero` and friends stop here. */
  maxFileBytes: 8 * 1024 * 1024,
  /** Nodes a YAML file may produce through aliases (`*a`), counted at every use. */
  maxAliasNodes: 100_000,
  /** Nodes the TypeScript reader may produce in all (copies of a binding count at every use). */
  maxEvaluatedNodes: 2_000_000,
  /** Nesting of maps, lists, TypeScript expressions and `${{ }}` expressions. */
  maxDepth: 200,
} as const;

export function describeBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
