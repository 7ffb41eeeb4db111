import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** Rows or records, each written as one JSON value by `dump` / `dumpLines`. */
export interface RecordSource {
  kind: 'records';
  records: Iterable<unknown> | AsyncIterable<unknown>;
  /** Fraction of the source read (0..1) once `items` records were written; null if unknown. */
  done(items: number): number | null;
  close(): Promise<void>;
}

/** A JSON document as stream-json tokens, re-encoded by `encodeTokens`. */
export interface TokenSource {
  kind: 'tokens';
  tokens: Readable;
  done(items: number): number | null;
  close(): Promise<void>;
}

export type Source = RecordSource | TokenSource;

/** A failure of the source or destination: one line on stderr, exit status 1. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** Node reports a refused connection to a name with several addresses as an AggregateError without message. */
export function messageOf(error: unknown): string {
  const e = error as { message?: string; errors?: unknown[]; code?: string };
  if (e.message) return e.message;
  if (Array.isArray(e.errors) && e.errors.length > 0) return messageOf(e.errors[0]);
  return e.code ?? String(error);
}

/** Fraction done from a row count known in advance (or estimated). */
export function fractionOf(total: number | null): (items: number) => number | null {
  return (items) => (total === null || total <= 0 ? null : Math.min(1, items / total));
}

/** `"schema"."table"` from `schema.table`, each part quoted as an SQL identifier. */
export function quoteTableName(name: string): string {
  return name
    .split('.')
    .map((part) => '"' + part.replace(/"/g, '""') + '"')
    .join('.');
}

/** The size of a file to read; a missing or unreadable file is a SourceError. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
