#!/usr/bin/env node
/**
 * The `switchyard` command. Parse, check, lower, emit: each subcommand loads
 * only what it needs (backends, the TypeScript front end, the report).
 * Exit codes: 0 success, 1 user error (reported as file:line:col), 2 usage error.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { Reported, UsageError } from "./cli/io.js";
import type { commands as Commands } from "./cli/commands.js";

/** Subcommands load (with their dependencies) only when one runs: `--help` stays instant. */
const commands = new Proxy({} as typeof Commands, {
  get: (_t, name: string) =>
    async (...args: unknown[]) => {
      const m = await import("./cli/commands.js");
      return (m.commands[name as keyof typeof Commands] as (...a: unknown[]) => Promise<void>)(...args);
    },
});

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

function program(): Command {
  const p = new Command("switchyard")
    .description("Compile one ML pipeline to SageMaker Pipelines, Step Functions and Airflow (MWAA), and compare them.")
    .version(pkg.version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    // Commander's own messages ("error: unknown option ...") take the prefix every other error has.
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(s.replace(/^error: /, "switchyard: error: ")) });

  p.command("compile")
    .description("compile a pipeline for one or more targets")
    .argument("<file>", "pipeline file (.yaml, .yml or .ts)")
    .option("-t, --target <targets>", "all, or a comma-separated list of sagemaker, stepfunctions, airflow", "all")
    .option("-o, --out <dir>", "output folder; files go to <dir>/<target>/", "out")
    .option("--json", "print a machine-readable summary of the files written")
    .option("--airflow <version>", "Airflow line for the airflow target: 2 or 3", "2")
    .option("--check-interval <seconds>", "airflow: seconds between SageMaker job status checks", "60")
    .option("--compact", "sagemaker: write pipeline.json on one line, byte for byte the SDK's Pipeline.definition() (default: indented)")
    .action(commands.compile);

  p.command("validate")
    .description("check a pipeline and report every problem compile would, for every target")
    .argument("<file>", "pipeline file")
    .option("-t, --target <targets>", "all, or a comma-separated list of targets to check for", "all")
    .option("--no-targets", "check the file alone, without any target's checks")
    .action(commands.validate);

  p.command("ir")
    .description("print the pipeline's IR as JSON")
    .argument("<file>", "pipeline file")
    .option("--positions", "keep source positions in the output")
    .action(commands.ir);

  p.command("graph")
    .description("print the step graph")
    .argument("<file>", "pipeline file")
    .addOption(new Option("-f, --format <format>", "output format").choices(["mermaid", "dot"]).default("mermaid"))
    .option("--all-edges", "also draw dependencies another path already implies")
    .action(commands.graph);

  /** Values a template's `${NAME}` placeholders take, filled in before it is read (src/backend/substitute.ts). */
  const substituteOptions = (c: Command) =>
    c
      .option("--substitute <name=value>", "fill in ${name} in the file as its deployment tool would (SAM DefinitionSubstitutions, Terraform); repeatable", (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option("--substitutions <file>", "a JSON object of names and their values to fill in, as SAM's DefinitionSubstitutions (--substitute wins)");

  /** What a lifted file may not say: given by the user, winning over the file's (src/backend/lift-given.ts). */
  const liftOptions = (c: Command) =>
    substituteOptions(c)
      .option("--name <name>", "the pipeline's name (default: the file's: a DAG id, the schedule's pipeline, the file name)")
      .option("--region <region>", "the pipeline's AWS region, for a file that names none (wins over the file's)")
      .option("--role <arn>", "the IAM role its jobs run as, for a file that names none (wins over the file's)")
      .option("--artifacts <s3-uri>", "where its code and outputs live, for a file that says nowhere (wins over the file's)")
      .option("--machine <logical-id>", "in a CloudFormation or SAM template, the state machine resource to lift (default: its only one)");

  const imp = p.command("import")
    .description("lift a target file (SageMaker definition, state machine, DAG) into a Switchyard pipeline")
    .argument("<file>", "target file")
    .addOption(new Option("--to <format>", "output format").choices(["yaml", "ts"]).default("yaml"))
    .option("-o, --out <file>", "write to a file instead of stdout")
    .option("--from <target>", "the target the file is for (default: detected)");
  liftOptions(imp).action(commands.import);

  substituteOptions(
    p.command("diff")
      .description("compare two pipelines, each any file Switchyard reads (YAML, TypeScript, SageMaker JSON, ASL, DAG); exit 1 when they differ")
      .argument("<a>", "first file")
      .argument("<b>", "second file")
      .option("--json", "print the differences as JSON")
      .option("--machine <logical-id>", "the state machine of whichever file is a CloudFormation or SAM template that deploys several")
      .option("--region <region>", "the AWS region of a lifted file that names none (a DAG of Lambda calls)")
      .option("--role <arn>", "the IAM role of a lifted file that names none")
      .option("--artifacts <s3-uri>", "where the code and outputs of a lifted file that says nowhere live"),
  ).action(commands.diff);

  const mig = p.command("migrate")
    .description("lift a target file, write the neutral pipeline, compile it for another target, and explain the move in MIGRATION.md")
    .argument("<file>", "the file to migrate: a SageMaker definition, a state machine, a DAG (or a pipeline)")
    .requiredOption("--to <target>", "the new target")
    .option("-o, --out <dir>", "output folder", "migrated")
    .addOption(new Option("--as <format>", "syntax of the neutral pipeline").choices(["yaml", "ts"]).default("yaml"))
    .option("--from <target>", "the target the file is for (default: detected)")
    .option("--airflow <version>", "Airflow line when migrating to airflow: 2 or 3", "2");
  liftOptions(mig).action(commands.migrate);

  p.command("report")
    .description("compare targets for this pipeline: features, cost, limits, recommendation")
    .argument("<file>", "pipeline file")
    .addOption(new Option("--format <format>", "output format").choices(["text", "md", "json", "html"]).default("text"))
    .option("--runs-per-month <n>", "runs per month (default: from the schedule)")
    .option("--region <region>", "price region (default: the pipeline's)")
    .option("--mwaa-class <class>", "MWAA environment class, mw1.micro to mw1.2xlarge (default: the smallest that fits)")
    .option("--mwaa-shared", "price MWAA as one more DAG on an environment you already run")
    .option("--prices <file>", "a price table of your own, same format as the built-in one")
    .option("-o, --out <file>", "write to a file instead of stdout")
    .action(commands.report);

  p.command("check")
    .description("CI gate: print a target's capability table for this pipeline and fail on emulated/unsupported features")
    .argument("<file>", "pipeline file")
    .requiredOption("-t, --target <target>", "the target to check")
    .addOption(new Option("--fail-on <class>", "fail when a used feature is this or worse").choices(["emulated", "unsupported"]).default("unsupported"))
    .action(commands.check);

  const awsOptions = (c: Command) =>
    c
      .requiredOption("-t, --target <target>", "sagemaker, stepfunctions or airflow")
      .option("--endpoint-url <url>", "send AWS calls to this endpoint (e.g. a local moto server)")
      .option("--profile <name>", "AWS profile (default: the standard credential chain)")
      .option("--region <region>", "AWS region (default: the pipeline's)")
      .option("--mwaa-environment <name>", "MWAA environment to deploy to (airflow)")
      .option("--airflow <version>", "Airflow line for the airflow target: 2 or 3", "2");

  awsOptions(
    p.command("deploy")
      .description("upload code and create or update the pipeline, state machine or DAG, and its schedule")
      .argument("<file>", "pipeline file")
      .option("--dry-run", "show what would change, change nothing"),
  ).action(commands.deploy);

  awsOptions(
    p.command("run")
      .description("start an execution with parameters; --wait follows it to the end")
      .argument("<file>", "pipeline file")
      .option("-p, --param <key=value>", "a parameter value (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option("--wait", "follow the execution and exit 0 only if it succeeds"),
  ).action(commands.run);

  return p;
}

async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    await p.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other parse failure is a usage error.
      return e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : 2;
    }
    if (e instanceof Reported) return 1;
    if (e instanceof UsageError) {
      process.stderr.write(`switchyard: error: ${e.message}\n(run with --help for usage)\n`);
      return 2;
    }
    throw e;
  }
}

// A reader that stops early (`| head`) closes the pipe: what is left to print has no one to read it.
// The command still finishes (a deploy is not cut off halfway) and exits as it would have.
for (const out of [process.stdout, process.stderr]) {
  out.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`switchyard: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);
