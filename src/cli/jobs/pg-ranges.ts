// --jobs N for a PostgreSQL table. The server writes each row's JSON, and that is most of the
// work of such an export: with one connection the client waits on the server about two thirds
// of the time (bench/RESULTS.md, "Export jobs"). So N connections each run the COPY of a range
// of the table's integer key, and the main thread writes the ranges in key order: the same rows,
// in key order, whatever N. The connections share one snapshot (pg_export_snapshot, as
// pg_dump --jobs does), so the rows are those of one moment, as with one connection.
import { keyChunks, type KeyBounds, type KeyChunk } from '../sql/key-chunks.js';

/** The integer primary key of a table and its bounds. */
export interface KeyRange extends KeyBounds {
  column: string;
}

interface QueryClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  query<T>(submittable: T): T;
}

// int2, int4, int8: keys that split into ranges of whole numbers.
const INTEGER_TYPES = new Set([20, 21, 23]);

/** Rows per chunk, about 4 MB of JSON: a connection can read a whole chunk while another is written. */
const CHUNK_ROWS = 16384;
/** Chunks per connection at most: a sparse key still makes few statements. */
const MAX_CHUNKS_PER_JOB = 64;

/** The primary key of `table` (quoted; `name` as the user gave it) and its bounds, or why the table cannot be split by key. */
export async function integerKey(client: QueryClient, table: string, name: string, quote: (name: string) => string): Promise<KeyRange | string> {
  const key = await client.query(
    `SELECT a.attname, a.atttypid AS type FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
    [table],
  );
  if (key.rows.length !== 1) return `${name} has no primary key of one column`;
  const { attname, type } = key.rows[0] as { attname: string; type: number };
  if (!INTEGER_TYPES.has(type)) return `the primary key of ${name} is not an integer`;
  const column = quote(attname);
  const bounds = await keyBounds(client, table, column);
  return bounds === null ? `${name} is empty` : { column, ...bounds };
}

/**
 * The bounds of `column` in `table` as the client sees it, null when it is empty. Read again in
 * the shared snapshot: rows committed after the first look (keys past its maximum) are in that
 * snapshot, and the ranges must cover them.
 */
export async function keyBounds(client: QueryClient, table: string, column: string): Promise<KeyBounds | null> {
  const bounds = await client.query(`SELECT min(${column})::text AS min, max(${column})::text AS max FROM ${table}`);
  const { min, max } = bounds.rows[0] as { min: string | null; max: string | null };
  return min === null || max === null ? null : { min: BigInt(min), max: BigInt(max) };
}

/** Ranges covering the key's bounds, at least one per job. */
export function rangesOf(range: KeyRange, jobs: number): KeyChunk[] {
  return keyChunks(range, jobs, CHUNK_ROWS, MAX_CHUNKS_PER_JOB);
}

const BEGIN_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Starts a read-only transaction on `client` that reads the snapshot `id` exported by another
 * (pg_export_snapshot(), whose transaction must still be open), as pg_dump --snapshot does.
 */
export async function joinSnapshot(client: QueryClient, id: string): Promise<void> {
  await client.query(BEGIN_SNAPSHOT);
  await client.query(`SET TRANSACTION SNAPSHOT '${id.replace(/'/g, "''")}'`);
}

/** Starts a read-only transaction on every client with the snapshot of the first. */
export async function shareSnapshot(clients: readonly QueryClient[]): Promise<void> {
  await clients[0].query(BEGIN_SNAPSHOT);
  const { rows } = await clients[0].query('SELECT pg_export_snapshot() AS id');
  await Promise.all(clients.slice(1).map((client) => joinSnapshot(client, String(rows[0].id))));
}
