/**
 * MWAA environment classes, smallest first, with the default concurrent tasks
 * per worker (docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html,
 * read 2026-11-23). The report picks the smallest class whose single worker
 * runs the pipeline's widest layer at once, unless --mwaa-class says otherwise.
 * mw1.micro is left out of the automatic choice: no price for it was found.
 */
export interface MwaaClass {
  name: string;
  dagCapacity: number;
  tasksPerWorker: number;
}

export const MWAA_CLASSES: readonly MwaaClass[] = [
  { name: "mw1.small", dagCapacity: 50, tasksPerWorker: 5 },
  { name: "mw1.medium", dagCapacity: 250, tasksPerWorker: 10 },
  { name: "mw1.large", dagCapacity: 1000, tasksPerWorker: 20 },
  { name: "mw1.xlarge", dagCapacity: 2000, tasksPerWorker: 40 },
  { name: "mw1.2xlarge", dagCapacity: 4000, tasksPerWorker: 80 },
];

/** The environment includes this many workers and schedulers in its hourly price. */
export const MWAA_INCLUDED = { workers: 1, schedulers: 2 };

export function pickMwaaClass(widest: number): MwaaClass {
  return MWAA_CLASSES.find((c) => c.tasksPerWorker >= widest) ?? MWAA_CLASSES[MWAA_CLASSES.length - 1];
}
