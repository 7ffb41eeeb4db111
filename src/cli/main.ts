#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { USAGE, UsageError, parseCommandLine, type Args, type ExportArgs } from './args.js';
import { runExport } from './export.js';
import { formatBytes, formatCount } from './progress.js';
import { SourceError, messageOf } from './sources/source.js';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130; // 128 + SIGINT, as shells report it

const WRITE_SYSCALLS = new Set(['open', 'write', 'fsync', 'close', 'rename']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** One line that says what failed, without a stack. */
function describe(error: unknown, args: ExportArgs): string {
  if (error instanceof SourceError) return error.message;
  const e = error as NodeJS.ErrnoException & { severity?: string };
  if (args.output !== null && typeof e.syscall === 'string' && WRITE_SYSCALLS.has(e.syscall)) {
    // Node names the temporary file; the user knows the target
    return `cannot write ${args.output}: ${messageOf(error).replace(/, \w+ '.*'$/, '')}`;
  }
  const sqlError = e.severity !== undefined || (typeof e.code === 'string' && e.code.startsWith('SQLITE_'));
  return (sqlError ? 'SQL error: ' : '') + messageOf(error).split('\n')[0];
}

function usageFailure(message: string): number {
  process.stderr.write(`jsondump: ${message}\n\n${USAGE}\n`);
  return EXIT_USAGE;
}

async function exportCommand(args: ExportArgs): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  let pipeClosed = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    controller.abort();
  });
  // A reader that stops early (`| head`) closes the pipe: that ends the export, successfully.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') return;
    pipeClosed = true;
    controller.abort();
  });
  const showProgress = process.stderr.isTTY && !args.quiet;
  try {
    const stats = await runExport(args, { signal: controller.signal, progress: showProgress ? process.stderr : null });
    if (args.output !== null && !args.quiet) {
      process.stderr.write(`jsondump: wrote ${formatCount(stats.items)} rows, ${formatBytes(stats.bytes)} to ${args.output}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (pipeClosed || (error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK;
    if (interrupted) {
      process.stderr.write('jsondump: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (error instanceof UsageError) return usageFailure(error.message);
    process.stderr.write(`jsondump: ${describe(error, args)}\n`);
    return EXIT_FAILED;
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
    process.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (args.command === 'version') {
    process.stdout.write(version() + '\n');
    return EXIT_OK;
  }
  return exportCommand(args);
}

const status = await main(process.argv.slice(2));
// Failures exit at once: a half-closed database connection must not keep the process alive.
if (status === EXIT_OK) process.exitCode = status;
else process.exit(status);
