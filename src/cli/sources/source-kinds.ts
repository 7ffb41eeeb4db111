// Every kind of source, in the order their spellings are tried: each source module exports
// one SourceKind.
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { jsonSource } from './json.js';
import { jsonLinesSource } from './jsonl.js';
import { mysqlSource } from './mysql.js';
import { postgresSource } from './postgres.js';
import type { Source, SourceKind } from '../records.js';
import { sqliteSource } from './sqlite.js';

export type { RecordBatch, RecordLayout, Source, SourceKind } from '../records.js';
export { SourceError } from '../errors.js';

export const SOURCE_KINDS: readonly SourceKind[] = [sqliteSource, postgresSource, mysqlSource, jsonLinesSource, jsonSource];

/** Whether `source` (with --from `from`) is read as a text source (.json, .jsonl, stdin), not a database. */
export function isTextSource(source: string, from: ExportArgs['from']): boolean {
  const kind = SOURCE_KINDS.find((k) => k.matches(sqlitePathSpelling(source), { from } as ExportArgs));
  return kind === jsonLinesSource || kind === jsonSource;
}

/** Whether `path` is an SQLite database file: its first 16 bytes are SQLite's header. */
function isSqliteFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } catch {
    return false; // a directory, a FIFO: not a database
  } finally {
    closeSync(fd);
  }
}

/** The first kind that recognises `args.source`. */
export function sourceKind(args: ExportArgs): SourceKind {
  const kind = SOURCE_KINDS.find((k) => k.matches(args.source, args));
  if (kind === undefined) {
    const hint = isSqliteFile(args.source) ? `; ${args.source} is an SQLite database: did you mean sqlite:${args.source}?` : '';
    throw new UsageError(
      `unknown source ${JSON.stringify(args.source)}: expected sqlite:PATH, postgres://…, mysql://…, FILE.jsonl, FILE.json or - (stdin)${hint}`,
    );
  }
  return kind;
}

/**
 * `sqlite://PATH` and `sqlite:///ABSOLUTE/PATH`, the URL forms, as `sqlite:PATH`: what follows
 * `sqlite://` is the path, percent escapes decoded (so three slashes begin an absolute path,
 * as in a file: URL). `sqlite:PATH` is taken as it is.
 */
export function sqlitePathSpelling(source: string): string {
  if (!source.startsWith('sqlite://')) return source;
  const rest = source.slice('sqlite://'.length);
  if (rest === '' || rest === '/') throw new UsageError('sqlite:// needs a path: sqlite://RELATIVE/PATH or sqlite:///ABSOLUTE/PATH (or sqlite:PATH)');
  if (/[?#]/.test(rest)) throw new UsageError(`${source}: an SQLite URL takes a path only, no ?query or #fragment (write ? as %3F, # as %23)`);
  try {
    return `sqlite:${decodeURIComponent(rest)}`;
  } catch {
    throw new UsageError(`${source}: a bad percent escape in the path`);
  }
}

/** Opens the source `args` names: connected and prepared, so that it fails before any output. */
export function openSource(args: ExportArgs, signal: AbortSignal): Promise<Source> {
  const source = sqlitePathSpelling(args.source);
  const spelled = source === args.source ? args : { ...args, source };
  return sourceKind(spelled).open(spelled, signal);
}
