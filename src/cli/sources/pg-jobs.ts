// --jobs N for a PostgreSQL table. The server writes each row's JSON, and that is most of the
// work of such an export: with one connection the client waits on the server about two thirds
// of the time (bench/RESULTS.md, "Export jobs"). So N connections each run the COPY of a range
// of the table's integer key, and the main thread writes the ranges in key order: the same rows,
// in key order, whatever N. The connections share one snapshot (pg_export_snapshot, as
// pg_dump --jobs does), so the rows are those of one moment, as with one connection.
import type { EncodedBatch } from '../db/batches.js';
import { keyChunks, type KeyBounds, type KeyChunk } from '../db/key-chunks.js';
import { CopyOut } from './pg-copy.js';

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
/** Batches a chunk may hold before its connection is paused (of 256 KiB each). */
const QUEUED_BATCHES = 16;

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
  const bounds = await client.query(`SELECT min(${column})::text AS min, max(${column})::text AS max FROM ${table}`);
  const { min, max } = bounds.rows[0] as { min: string | null; max: string | null };
  if (min === null || max === null) return `${name} is empty`;
  return { column, min: BigInt(min), max: BigInt(max) };
}

/** Ranges covering the key's bounds, at least one per job. */
export function rangesOf(range: KeyRange, jobs: number): KeyChunk[] {
  return keyChunks(range, jobs, CHUNK_ROWS, MAX_CHUNKS_PER_JOB);
}

/** Starts a read-only transaction on every client with the snapshot of the first. */
export async function shareSnapshot(clients: readonly QueryClient[]): Promise<void> {
  const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
  await clients[0].query(begin);
  const { rows } = await clients[0].query('SELECT pg_export_snapshot() AS id');
  const id = String(rows[0].id).replace(/'/g, "''");
  await Promise.all(clients.slice(1).map(async (client) => {
    await client.query(begin);
    await client.query(`SET TRANSACTION SNAPSHOT '${id}'`);
  }));
}

/** What a chunk's COPY hands over: its batches, and a builder's last batch when it ends. */
export interface ChunkEncoder {
  /** The batch that filled up with this row's bytes, if one did. */
  add(data: Buffer, start: number, end: number): EncodedBatch | null;
  /** The last, partly filled batch. */
  take(): EncodedBatch | null;
}

interface ChunkState {
  batches: EncodedBatch[];
  done: boolean;
  copy: CopyOut;
}

/**
 * The batches of every chunk in chunk order: chunk c runs on client c mod N, which starts its
 * next chunk as soon as this one has been read. A chunk that is not being written waits in
 * memory up to QUEUED_BATCHES batches, then its connection is paused.
 */
export async function* chunkBatches(
  clients: readonly QueryClient[],
  chunks: readonly KeyChunk[],
  copySql: (chunk: KeyChunk) => string,
  encoder: () => ChunkEncoder,
  failed: (error: unknown) => Error,
  signal: AbortSignal,
): AsyncGenerator<EncodedBatch> {
  const states = new Map<number, ChunkState>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const start = (c: number): void => {
    if (c >= chunks.length || failure !== null) return;
    const encode = encoder();
    const state: ChunkState = { batches: [], done: false, copy: null as unknown as CopyOut };
    state.copy = new CopyOut(`COPY (${copySql(chunks[c])}) TO STDOUT (FORMAT binary)`, (data, from, to) => {
      const full = encode.add(data, from, to);
      if (full === null) return;
      state.batches.push(full);
      if (state.batches.length >= QUEUED_BATCHES) state.copy.pause();
      wake?.();
    });
    states.set(c, state);
    state.copy.done.then(
      () => {
        const last = encode.take();
        if (last !== null) state.batches.push(last);
        state.done = true;
        start(c + clients.length);
      },
      (error: unknown) => (failure ??= failed(error)),
    ).finally(() => wake?.());
    clients[c % clients.length].query(state.copy);
  };
  for (let c = 0; c < clients.length; c++) start(c);
  for (let c = 0; c < chunks.length; c++) {
    for (;;) {
      signal.throwIfAborted();
      if (failure !== null) throw failure;
      const state = states.get(c) as ChunkState;
      const batch = state.batches.shift();
      if (batch !== undefined) {
        if (state.batches.length < QUEUED_BATCHES / 2) state.copy.resume();
        yield batch;
        continue;
      }
      if (state.done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    states.delete(c);
  }
}
