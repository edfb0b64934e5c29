/**
 * MWAA environment classes, smallest first: DAG capacity, default concurrent
 * tasks per worker and the most workers the class can scale to
 * (docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html and the
 * mw1.micro announcement, read 2026-11-23). The report picks the smallest class
 * that runs the pipeline's widest layer at once; beyond the included worker,
 * extra (auto-scaled) workers are priced per hour they run.
 */
export interface MwaaClass {
  name: string;
  dagCapacity: number;
  tasksPerWorker: number;
  /** Workers the environment can run at most (the included one counted). */
  maxWorkers: number;
}

export const MWAA_CLASSES: readonly MwaaClass[] = [
  { name: "mw1.micro", dagCapacity: 25, tasksPerWorker: 3, maxWorkers: 1 },
  { name: "mw1.small", dagCapacity: 50, tasksPerWorker: 5, maxWorkers: 25 },
  { name: "mw1.medium", dagCapacity: 250, tasksPerWorker: 10, maxWorkers: 25 },
  { name: "mw1.large", dagCapacity: 1000, tasksPerWorker: 20, maxWorkers: 25 },
  { name: "mw1.xlarge", dagCapacity: 2000, tasksPerWorker: 40, maxWorkers: 25 },
  { name: "mw1.2xlarge", dagCapacity: 4000, tasksPerWorker: 80, maxWorkers: 25 },
];

/** The environment includes this many workers and schedulers in its hourly price. */
export const MWAA_INCLUDED = { workers: 1, schedulers: 2 };

export function mwaaClass(name: string): MwaaClass | undefined {
  return MWAA_CLASSES.find((c) => c.name === name);
}

/** Tasks a class runs at once with every worker it can scale to. */
export const mwaaCapacity = (c: MwaaClass) => c.tasksPerWorker * c.maxWorkers;

/**
 * The smallest class that runs `widest` tasks at once, with extra workers if it
 * must (they are billed only while they run), else the largest class.
 */
export function pickMwaaClass(widest: number): MwaaClass {
  return MWAA_CLASSES.find((c) => mwaaCapacity(c) >= widest) ?? MWAA_CLASSES[MWAA_CLASSES.length - 1];
}

/** How a class runs `widest` concurrent tasks: extra workers needed, and tasks left waiting. */
export function mwaaSizing(c: MwaaClass, widest: number): { extraWorkers: number; queued: number } {
  const workers = Math.max(1, Math.ceil(widest / c.tasksPerWorker));
  const usable = Math.min(workers, c.maxWorkers);
  return { extraWorkers: usable - 1, queued: Math.max(0, widest - usable * c.tasksPerWorker) };
}
