/**
 * How far V8 lets the heap grow past what is live before its next full
 * collection. By default up to about four times (adjusted to the speed it
 * measures, so the peak differs from machine to machine).
 *
 * Reading a pipeline builds what it keeps (the positioned tree and the IR grow
 * to the end), so a collection there frees little: the front end runs with the
 * default. Lowering makes a great deal of short-lived data around the pipeline
 * and the outputs it keeps: from there the heap grows by 35% at most, which
 * keeps 10,000 steps to all targets at about 480 MB instead of 750 MB for
 * about 3% more time (bench/scale.mjs; 75% gave 510 MB, 25% no less memory for
 * 10 to 20% more time). The limit the front end left is set again by one full
 * collection, when the heap is large enough for it to matter.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Below this much heap in use, the limit left by reading is small already. */
const COLLECT_FROM = 64 * 1024 * 1024;

export function keepHeapClose(): void {
  setFlagsFromString("--heap-growing-percent=35");
  if (getHeapStatistics().used_heap_size < COLLECT_FROM) return;
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
