// Every kind of source, in the order their spellings are tried: each source module exports
// one SourceKind.
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

/** The first kind that recognises `args.source`. */
export function sourceKind(args: ExportArgs): SourceKind {
  const kind = SOURCE_KINDS.find((k) => k.matches(args.source, args));
  if (kind === undefined) {
    throw new UsageError(
      `unknown source ${JSON.stringify(args.source)}: expected sqlite:PATH, postgres://…, mysql://…, FILE.jsonl, FILE.json or - (stdin)`,
    );
  }
  return kind;
}

/** Opens the source `args` names: connected and prepared, so that it fails before any output. */
export function openSource(args: ExportArgs, signal: AbortSignal): Promise<Source> {
  return sourceKind(args).open(args, signal);
}
