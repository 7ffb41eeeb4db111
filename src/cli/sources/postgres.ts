import pg, { type CustomTypesConfig } from 'pg';
import Cursor from 'pg-cursor';
import { UsageError } from '../args.js';
import { SourceError, fractionOf, messageOf, quoteTableName, type RecordSource } from './source.js';
import { SESSION_SETTINGS, jsonTypes } from './pg-types.js';

export interface PostgresRequest {
  url: string;
  table: string | null;
  query: string | null;
  /** Look up the planner's row estimate, for a percentage. */
  count: boolean;
  /** The output's [itemSeparator, keySeparator], used inside json/jsonb columns too. */
  separators: [string, string];
}

// Rows held in memory at once: one batch of the server-side cursor.
const BATCH_ROWS = 1000;

/** The URL without its password, to name the server in messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

async function connect(url: string, types: CustomTypesConfig): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types });
  // Without a listener, an error on an idle connection (server shutdown) would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(SESSION_SETTINGS);
  } catch (error) {
    await client.end().catch(() => {});
    throw new SourceError(`cannot connect to ${safeUrl(url)}: ${messageOf(error)}`);
  }
  return client;
}

async function estimateRows(client: pg.Client, table: string): Promise<number | null> {
  const result = await client.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)', [
    quoteTableName(table),
  ]);
  return result.rows[0]?.n ?? null;
}

async function* rowsOf(cursor: Cursor, first: unknown[]): AsyncGenerator<unknown> {
  try {
    // The next batch is fetched only when the writer asks for more rows: a slow destination
    // slows the query instead of filling memory.
    for (let batch = first; batch.length > 0; batch = await cursor.read(BATCH_ROWS)) yield* batch;
  } finally {
    await cursor.close();
  }
}

/** Rows of a PostgreSQL table or query, streamed through a server-side cursor. */
export async function openPostgres(request: PostgresRequest): Promise<RecordSource> {
  if (request.table === null && request.query === null) throw new UsageError('a PostgreSQL source needs --table NAME or --query SQL');
  const types = jsonTypes(...request.separators);
  const client = await connect(request.url, types);
  try {
    // Estimated first: the client runs one query at a time and the cursor stays open to the end.
    const total = request.count && request.table !== null ? await estimateRows(client, request.table) : null;
    const sql = request.query ?? `SELECT * FROM ${quoteTableName(request.table as string)}`;
    const cursor = client.query(new Cursor(sql, undefined, { types }));
    // The first batch is read now, so that a bad query fails before any output is written.
    const first = await cursor.read(BATCH_ROWS).catch((error: unknown) => {
      throw new SourceError(`SQL error: ${messageOf(error)}`);
    });
    return {
      kind: 'records',
      records: rowsOf(cursor, first),
      done: fractionOf(total),
      close: () => client.end(),
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
