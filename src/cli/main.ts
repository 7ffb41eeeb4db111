#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { JSONDumpError } from '../index.js';
import { HELP, UsageError, parseCommandLine, type Args, type ExportArgs } from './args.js';
import { runExport, type ExportResult } from './export.js';
import { formatBytes, formatCount } from './progress.js';
import { SourceError, messageOf } from './sources/source.js';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Each signal that ends an export, with its exit status: 128 + its number, as shells report it. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof SIGNALS;

/** The abort reason of an export ended by a signal. */
class Interrupted extends Error {
  constructor(readonly signal: Signal) {
    super(`interrupted by ${signal}`);
  }
}

/** The abort reason when the reader of stdout has gone (`| head`): a success. */
class ReaderGone extends Error {}

const WRITE_SYSCALLS = new Set(['open', 'write', 'fsync', 'close', 'rename', 'chmod']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Why a file cannot be written, and what to do about it. */
function writeFailure(error: NodeJS.ErrnoException, args: ExportArgs): string {
  // Node names the temporary file; the user knows the target
  const reason = messageOf(error).replace(/, \w+ '.*'$/, '');
  const output = args.output as string;
  if ((error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') && args.atomic) {
    const dir = dirname(output);
    return `cannot write ${output}: ${reason} (the file is first written under a temporary name in ${dir}, which must be writable; --no-atomic writes an existing file in place)`;
  }
  return `cannot write ${output}: ${reason}`;
}

/** One line that says what failed, without a stack. */
function describe(error: unknown, args: ExportArgs): string {
  if (error instanceof SourceError || error instanceof JSONDumpError) return error.message;
  const e = error as NodeJS.ErrnoException & { severity?: string };
  if (args.output !== null && typeof e.syscall === 'string' && WRITE_SYSCALLS.has(e.syscall)) return writeFailure(e, args);
  const sqlError = e.severity !== undefined || (typeof e.code === 'string' && e.code.startsWith('SQLITE_'));
  return (sqlError ? 'SQL error: ' : '') + messageOf(error).split('\n')[0];
}

function usageFailure(message: string): number {
  process.stderr.write(`jsondump: ${message}\nTry 'jsondump --help' for more information.\n`);
  return EXIT_USAGE;
}

function summary(result: ExportResult): string {
  const lines = [`wrote ${formatCount(result.rows)} records, ${formatBytes(result.bytes)} of JSON to ${result.destination}`, ...result.notes];
  return lines.map((line) => `jsondump: ${line}\n`).join('');
}

/** Every signal of SIGNALS aborts the export; a second one exits at once. */
function onSignals(controller: AbortController): () => void {
  const handlers = Object.keys(SIGNALS).map((name) => {
    const signal = name as Signal;
    const handler = () => {
      if (controller.signal.aborted) process.exit(SIGNALS[signal]);
      controller.abort(new Interrupted(signal));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

async function exportCommand(args: ExportArgs): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onSignals(controller);
  // A reader that stops early (`| head`) closes the pipe: that ends the export, successfully.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') controller.abort(new ReaderGone());
  });
  const toStdout = args.output === null || args.output === '-';
  // Drawn on a terminal only, and not over the output itself
  const showProgress = process.stderr.isTTY === true && !args.quiet && !(toStdout && process.stdout.isTTY === true);
  try {
    const result = await runExport(args, { signal: controller.signal, progress: showProgress ? process.stderr : null });
    if (!args.quiet && (process.stderr.isTTY === true || args.verbose)) process.stderr.write(summary(result));
    return EXIT_OK;
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof ReaderGone || (error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK;
    if (reason instanceof Interrupted) {
      process.stderr.write(`jsondump: ${reason.message}\n`);
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
  return exportCommand(args);
}

const status = await main(process.argv.slice(2));
// Failures exit at once: a half-closed database connection must not keep the process alive.
if (status === EXIT_OK) process.exitCode = status;
else process.exit(status);
