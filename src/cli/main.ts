#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { HELP, parseCommandLine, type Args } from './command-line.js';
import { UsageError } from './errors.js';
import type { ExportArgs } from './export-args.js';
import { runExport } from './export.js';
import { describe, summary, warnings } from './messages.js';
import { isStderrTerminal } from './output/output-file.js';
import { shardsCommand } from './shards/commands.js';
import { Interrupted, onSignals, SIGNALS } from './signals.js';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** The abort reason when the reader of stdout has gone (`| head`): a success. */
class ReaderGone extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usageFailure(message: string): number {
  process.stderr.write(`jsondump: ${message}\nTry 'jsondump --help' for more information.\n`);
  return EXIT_USAGE;
}

async function exportCommand(args: ExportArgs): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onSignals(controller);
  // A reader that stops early (`| head`) closes the pipe: that ends the export, successfully.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') controller.abort(new ReaderGone());
  });
  const toStdout = args.output === null || args.output === '-';
  // Drawn on a terminal only, and not over the output itself (stdout, or -o naming that terminal)
  const onTerminal = toStdout ? process.stdout.isTTY === true : isStderrTerminal(args.output as string);
  const showProgress = process.stderr.isTTY === true && !args.quiet && !onTerminal;
  try {
    const result = await runExport(args, { signal: controller.signal, progress: showProgress ? process.stderr : null });
    if (!args.quiet) process.stderr.write(process.stderr.isTTY === true || args.verbose ? summary(result) : warnings(result));
    return EXIT_OK;
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof ReaderGone || (error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK;
    if (reason instanceof Interrupted) {
      process.stderr.write(`jsondump: ${reason.message}\n`);
      // From here a signal takes its default action: should the exit wait on a stuck thread, another ends it
      stopSignals();
      return SIGNALS[reason.signal];
    }
    if (error instanceof UsageError) return usageFailure(error.message);
    process.stderr.write(`jsondump: ${describe(error, args)}\n`);
    return EXIT_FAILED;
  } finally {
    stopSignals();
  }
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message);
    throw error;
  }
  if (args.command === 'help') {
    process.stdout.write(HELP + '\n');
    return EXIT_OK;
  }
  if (args.command === 'version') {
    process.stdout.write(`jsondump ${version()}\n`);
    return EXIT_OK;
  }
  if (args.command === 'export') return exportCommand(args);
  return shardsCommand(args, usageFailure);
}

const status = await main(process.argv.slice(2));
// Failures exit at once: a half-closed database connection must not keep the process alive.
if (status === EXIT_OK) process.exitCode = status;
else process.exit(status);
