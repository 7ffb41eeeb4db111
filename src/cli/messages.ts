// What a failed export says: one line, naming the file the user gave, with a hint where one helps.
import { dirname } from 'node:path';
import { JSONDumpError } from '../index.js';
import type { ExportArgs } from './export-args.js';
import type { ExportResult } from './export.js';
import { counted, formatBytes } from './progress.js';
import { SourceError, messageOf } from './errors.js';
import { WARNING } from './records.js';

const WRITE_SYSCALLS = new Set(['open', 'write', 'fsync', 'close', 'rename', 'chmod']);

/** Why a file cannot be written, and what to do about it. */
function writeFailure(error: NodeJS.ErrnoException, args: ExportArgs): string {
  // Node names the temporary file; the user knows the target
  const reason = messageOf(error).replace(/, \w+ '.*'$/, '');
  const output = args.output as string;
  if ((error.code === 'EACCES' || error.code === 'EPERM') && args.atomic && error.syscall === 'open') {
    return `cannot write ${output}: ${reason} (a temporary file is written in ${dirname(output)} first: that directory must be writable; --no-atomic writes an existing file in place)`;
  }
  // A socket (the stdout node gives a child process) has a name in /proc but cannot be opened by it
  if (error.code === 'ENXIO' && error.syscall === 'open') return `cannot write ${output}: ${reason} (a socket cannot be opened by its name: -o - writes to stdout)`;
  return `cannot write ${output}: ${reason}`;
}

/** One line that says what failed, without a stack. */
export function describe(error: unknown, args: ExportArgs): string {
  if (error instanceof SourceError || error instanceof JSONDumpError) return error.message;
  const e = error as NodeJS.ErrnoException & { severity?: string };
  if (args.output !== null && typeof e.syscall === 'string' && WRITE_SYSCALLS.has(e.syscall)) return writeFailure(e, args);
  const sqlError = e.severity !== undefined || (typeof e.code === 'string' && e.code.startsWith('SQLITE_'));
  return (sqlError ? 'SQL error: ' : '') + messageOf(error).split('\n')[0];
}


/** The closing summary: what was written where, then the notes of the source and the output. */
export function summary(result: ExportResult): string {
  const lines = [`wrote ${counted(result.rows, 'row')}, ${formatBytes(result.bytes)} to ${result.destination}`, ...result.notes];
  return lines.map((line) => `jsondump: ${line}\n`).join('');
}

/** The warnings among the notes, for stderr when the summary is not shown. */
export function warnings(result: ExportResult): string {
  return result.notes.filter((note) => note.startsWith(WARNING)).map((line) => `jsondump: ${line}\n`).join('');
}
