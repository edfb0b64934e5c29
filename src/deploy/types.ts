/** Shapes shared by the deploy and run commands of every target. */
import type { OutputFile } from "../backend/types.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";

export type Action = "created" | "updated" | "unchanged";

export interface Change {
  /** What was (or would be) changed, e.g. `state machine abalone` or `s3://bucket/key`. */
  resource: string;
  action: Action;
  /** Unified diff from the deployed version to the new one (not for unchanged resources). */
  diff?: string;
}

export interface DeployOpts {
  baseDir: string;
  dryRun: boolean;
  endpointUrl?: string;
  profile?: string;
  region?: string;
  mwaaEnvironment?: string;
  log: (line: string) => void;
}

export interface RunOpts extends DeployOpts {
  params: Record<string, string>;
  wait: boolean;
  isTTY: boolean;
  /** Milliseconds between status polls with --wait (default 5000, 1000 with an endpoint URL). */
  pollMs?: number;
  /** Where the live status line is drawn on a terminal (default: stderr). */
  write?: (text: string) => void;
}

export interface DeployResult {
  changes: Change[];
  diagnostics: Diagnostic[];
}

export interface RunResult {
  executionId?: string;
  status: string;
  diagnostics: Diagnostic[];
}

/** One target's deploy and run. */
export interface TargetDeployer {
  /** Pushes each change to `changes` as it is made, so a later failure still shows what was done. */
  deploy(p: Pipeline, files: OutputFile[], o: DeployOpts, changes: Change[]): Promise<void>;
  run(p: Pipeline, files: OutputFile[], o: RunOpts): Promise<RunResult>;
}
