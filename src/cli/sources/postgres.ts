// A PostgreSQL table or query, read through a server-side cursor in a read-only session. The
// server writes each row as JSON (row_to_json / json_build_array, i.e. its own to_json for every
// type: exact numbers, ISO dates and times, arrays of any type); bytea follows --blob. Rows are
// used as the server wrote them when that is already the output's text, and re-encoded with the
// output's options otherwise.
import type { ExportArgs } from '../export-args.js';
import { sourceNotes, uniqueColumns, type UniqueColumns } from '../sql/columns.js';
import { headerBatch, separatedBatches, type BatchBuilder, type EncodedBatch } from '../rows/batches.js';
import { loadDrivers } from '../sql/load-driver.js';
import { parseJson } from '../rows/json-text.js';
import { RowEncoder } from '../rows/rows.js';
import { ANSI, checkSelection, quoteTable, refuseWrites, selectOf, type SqlDialect } from '../sql/select.js';
import { nativeScalars, type BlobFormat } from '../rows/values.js';
import { copiedInOrder } from './pg-copy.js';
import type { KeyChunk } from '../sql/key-chunks.js';
import { integerKey, joinSnapshot, keyBounds, rangesOf, shareSnapshot, type KeyRange } from '../jobs/pg-ranges.js';
import { jsFloatJson } from '../sql/pg-float-sql.js';
import { isFloat, pgConverters } from '../rows/pg-values.js';
import { PgTypes, type PgShape } from '../sql/pg-types.js';
import { atRow, reportedValueError, ValueError } from '../rows/value-errors.js';
import { isPostgres, pgTarget, redact, type PgTarget } from './pg-connect.js';
import { type RecordBatch, type RecordLayout, type Source, type SourceKind } from '../records.js';
import { SourceError, messageOf } from '../errors.js';

export const PG: SqlDialect = { ...ANSI, placeholder: (n) => `$${n}`, named: false, numberParams: false };

// Rows fetched per round trip (a --param query); two fetches are held at most.
const FETCH_ROWS = 2000;
// Batches a COPY may queue before the socket is paused; with --jobs N, a range not being written
// holds up to 16 (4 MiB), so that its connection can read a whole range meanwhile.
const QUEUED_BATCHES = 4;
const QUEUED_RANGE_BATCHES = 16;

/** Session settings the type table relies on; the session cannot write. */
export const SESSION = [
  'SET default_transaction_read_only = on',
  "SET client_encoding = 'UTF8'",
  'SET DateStyle = ISO',
  "SET TimeZone = 'UTC'",
  'SET IntervalStyle = iso_8601',
  'SET extra_float_digits = 1',
].join('; ');

const OID = { bytea: 17, byteaArray: 1001 } as const;

/**
 * Types whose to_json text is compact JSON written as the js dialect writes the value (json,
 * jsonb and unknown types may hold spaces; arrays of float4 and float8 hold PostgreSQL's float
 * text, "NaN" and 1e-07; float4 and float8 themselves are written by jsFloatJson).
 */
const COMPACT = new Set([
  16, 18, 19, 20, 21, 23, 25, 26, 700, 701, 1042, 1043, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 17,
  1000, 1002, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1182, 1115, 1185, 1187, 1231, 2951, 1001,
]);

interface Field {
  name: string;
  dataTypeID: number;
}

interface PgCursor {
  read(rows: number): Promise<unknown[][]>;
  close(): Promise<void>;
}

interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; fields: Field[] }>;
  query<T>(submittable: T): T;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** The text of bytes as --blob asks, in SQL: base64 without PostgreSQL's line breaks, hex, or {"$base64": …}. */
function blobSql(value: string, format: BlobFormat): string {
  const base64 = `translate(encode(${value}, 'base64'), E'\\n', '')`;
  if (format === 'hex') return `encode(${value}, 'hex')`;
  return format === 'object' ? `CASE WHEN ${value} IS NULL THEN NULL ELSE json_build_object('$base64', ${base64}) END` : base64;
}

/**
 * The expression that writes one column: bytea (and bytea[]) as --blob asks; with `jsFloats`
 * (the server writes the output's text) float4 and float8 in JSON.stringify's number text; the
 * rest as it is. Every name is qualified (s."name", u.x): a user column named s, u or x is never
 * taken for the wrapping query's own.
 */
function columnSql(field: Field, name: string, blob: BlobFormat, jsFloats: boolean): string {
  const column = `s.${PG.quote(name)}`;
  const float = isFloat(field.dataTypeID);
  if (jsFloats && float !== null) return jsFloatJson(column, float);
  if (field.dataTypeID === OID.bytea) return blobSql(column, blob);
  if (field.dataTypeID === OID.byteaArray) {
    // one-dimensional, NULL elements kept; multi-dimensional bytea[] comes out flattened
    const each = blobSql('u.x', blob);
    return `CASE WHEN ${column} IS NULL THEN NULL ELSE array(SELECT ${each} FROM unnest(${column}) WITH ORDINALITY AS u(x, n) ORDER BY u.n) END`;
  }
  return column;
}

/**
 * The statement whose one column is each row's JSON text (`jsFloats`: see columnSql). The row is
 * `r.*`, not `r`: a bare `r` would be a column r of the row, if it has one.
 */
function jsonSelect(sql: string, fields: Field[], columns: UniqueColumns, args: ExportArgs, jsFloats: boolean): string {
  const names = columns.names;
  const source = `(${sql}) AS s(${names.map(PG.quote).join(', ')})`;
  const values = fields.map((field, i) => columnSql(field, names[i], args.blob, jsFloats));
  if (args.arrays) return `SELECT json_build_array(${values.join(', ')})::text FROM ${source}`;
  const projected = values.map((value, i) => `${value} AS ${PG.quote(names[i])}`).join(', ');
  return `SELECT row_to_json(r.*)::text FROM (SELECT ${projected} FROM ${source}) AS r`;
}

/** The --table SELECT of one range of the key, in key order (COPY takes no parameters: the bounds are integers). */
function rangeSelect(args: ExportArgs, key: string, chunk: KeyChunk): string {
  const columns = args.columns === null ? '*' : args.columns.map(PG.quote).join(', ');
  const where = args.where === null ? '' : ` AND (${args.where})`;
  return `SELECT ${columns} FROM ${quoteTable(args.table as string, PG)} WHERE ${key} >= ${chunk.lo} AND ${key} <= ${chunk.hi}${where} ORDER BY ${key}`;
}

/** Why --jobs N cannot split this selection by key, or null if it can be (given an integer key). */
function oneJobReason(args: ExportArgs, values: readonly unknown[]): string | null {
  if (args.query !== null) return 'a --query cannot be split by key';
  if (args.orderBy !== null) return '--order-by decides the order, not the key';
  if (args.limit !== null) return '--limit counts rows across the whole table';
  if (values.length > 0) return '--param values cannot be sent with COPY';
  return null;
}

/** Whether the server's text is the output's text: compact default layout, js rules, compact types only. */
function verbatim(fields: Field[], layout: RecordLayout, args: ExportArgs): boolean {
  const o = layout.options as Record<string, unknown>;
  if (!nativeScalars(layout.options) || args.jsonCols || o.sortKeys || o.separators !== undefined) return false;
  if (o.indent !== undefined && o.indent !== null) return false;
  return fields.every((field) => COMPACT.has(field.dataTypeID));
}

class PostgresSource implements Source {
  readonly single = false;
  readonly files: string[] = [];
  private rows = 0;
  private closed: Promise<void> | null = null;
  private encoder: RowEncoder | null = null;
  /** Columns whose parsed values are converted before they are written again (see pg-values.ts). */
  private converters: [number, (v: unknown) => unknown][] = [];

  constructor(
    readonly name: string,
    private readonly target: PgTarget,
    private readonly client: PgClient,
    private readonly Cursor: new (text: string, values: unknown[], config: object) => PgCursor,
    private readonly sql: string,
    private readonly values: unknown[],
    private readonly fields: Field[],
    /** What each column's type holds (floats, int8, through domains, arrays, composites). */
    private readonly shapes: PgShape[],
    private readonly columns: UniqueColumns,
    private readonly args: ExportArgs,
    private readonly total: number | null,
    /** --jobs N: the key's ranges are read through these connections (the first is `client`). */
    private readonly jobs: { clients: PgClient[]; key: KeyRange } | null,
    /** Why --jobs N runs as one job, if it does. */
    private readonly oneJobReason: string | null,
  ) {}

  async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const same = verbatim(this.fields, layout, this.args);
    const shape = { columns: this.columns.names, arrays: this.args.arrays, jsonCols: this.args.jsonCols, blob: this.args.blob };
    const encoder = same ? null : new RowEncoder(shape, layout);
    this.encoder = encoder;
    this.converters = pgConverters(this.shapes, layout.options.dialect === 'python');
    const builder = separatedBatches(layout);
    if (this.args.arrays) yield headerBatch(new RowEncoder({ ...shape, jsonCols: false }, layout).header());
    const sql = jsonSelect(this.sql, this.fields, this.columns, this.args, same);
    // COPY streams without round trips, but takes no parameters: with --param (or --limit) a cursor
    const rows =
      this.jobs !== null
        ? this.ranges(this.jobs, layout, encoder, same, signal)
        : this.values.length === 0
          ? this.copied(sql, builder, encoder, signal)
          : this.fetched(sql, builder, encoder);
    try {
      for await (const batch of rows) {
        signal.throwIfAborted();
        this.rows += batch.ends.length;
        yield batch;
      }
    } catch (error) {
      throw reportedValueError(error);
    }
    const last = builder.take();
    if (last !== null) {
      this.rows += last.ends.length;
      yield last;
    }
  }

  /** Rows through COPY … TO STDOUT (FORMAT binary): the server is paused while batches wait. */
  private copied(sql: string, builder: BatchBuilder, encoder: RowEncoder | null, signal: AbortSignal): AsyncGenerator<EncodedBatch> {
    // The builder's last batch is the caller's to take.
    const copy = { add: this.rowAdder(builder, encoder), take: () => null };
    return copiedInOrder([this.client], [sql], () => copy, (error) => this.sqlError(error), signal, QUEUED_BATCHES);
  }

  /** --jobs N: the key's ranges through N connections, written in key order. */
  private ranges(jobs: { clients: PgClient[]; key: KeyRange }, layout: RecordLayout, encoder: RowEncoder | null, jsFloats: boolean, signal: AbortSignal): AsyncGenerator<EncodedBatch> {
    const statements = rangesOf(jobs.key, jobs.clients.length).map((chunk) =>
      jsonSelect(rangeSelect(this.args, jobs.key.column, chunk), this.fields, this.columns, this.args, jsFloats),
    );
    const copy = () => {
      const builder = separatedBatches(layout);
      return { add: this.rowAdder(builder, encoder), take: () => builder.take() };
    };
    return copiedInOrder(jobs.clients, statements, copy, (error) => this.sqlError(error), signal, QUEUED_RANGE_BATCHES);
  }

  /**
   * Adds a row's bytes (the server's JSON text) to `builder`, re-encoded by `encoder` if given.
   * Rows are counted from this adder's first: a ValueError names its row from there.
   */
  private rowAdder(builder: BatchBuilder, encoder: RowEncoder | null): (data: Buffer, start: number, end: number) => EncodedBatch | null {
    if (encoder === null) return (data, start, end) => builder.addBytes(data, start, end);
    let row = 0;
    return (data, start, end) => builder.add(this.reencode(encoder, data.toString('utf8', start, end), ++row));
  }

  private sqlError(error: unknown): SourceError {
    if (error instanceof ValueError) return reportedValueError(error) as SourceError;
    return new SourceError(`SQL error: ${this.redact(messageOf(error))}`);
  }

  /** Rows through a server-side cursor, FETCH_ROWS at a time, the next fetch under way while these are encoded. */
  private async *fetched(sql: string, builder: BatchBuilder, encoder: RowEncoder | null): AsyncGenerator<EncodedBatch> {
    const cursor = this.client.query(new this.Cursor(sql, this.values, { rowMode: 'array' }));
    const read = () => cursor.read(FETCH_ROWS).catch((error: unknown) => Promise.reject(this.sqlError(error)));
    let row = 0;
    try {
      let next = read();
      for (;;) {
        const rows = await next;
        if (rows.length === 0) break;
        next = read();
        next.catch(() => {});
        for (const fetched of rows) {
          const text = fetched[0] as string;
          const full = builder.add(encoder === null ? text : this.reencode(encoder, text, ++row));
          if (full !== null) yield full;
        }
      }
    } finally {
      await cursor.close().catch(() => {});
    }
  }

  /** A row's JSON text written again with the output's options (its `row`-th, for a ValueError). */
  private reencode(encoder: RowEncoder, text: string, row: number): string {
    const value = parseJson(text);
    const values = this.args.arrays ? (value as unknown[]) : [...(value as Map<string, unknown>).values()];
    if (values.length !== this.columns.names.length) {
      // never silently: a value missing or too many would shift the others into other members
      throw new Error(`the server wrote ${values.length} values for the ${this.columns.names.length} columns of row ${row}`);
    }
    for (const [i, convert] of this.converters) values[i] = convert(values[i]);
    try {
      return encoder.encode(values);
    } catch (error) {
      throw atRow(error, row);
    }
  }

  private redact(text: string): string {
    return redact(text, this.target.secrets);
  }

  fraction(): number | null {
    // --limit N writes N rows at most: they are the whole
    const total = this.total === null || this.args.limit === null ? this.total : Math.min(this.total, this.args.limit);
    return total === null || total <= 0 ? null : Math.min(1, this.rows / total);
  }

  notes(): string[] {
    const jobs = this.oneJobReason !== null ? [`--jobs ${this.args.jobs}: one job used: ${this.oneJobReason}`] : [];
    return [...jobs, ...sourceNotes(this.columns, this.encoder?.notJson ?? 0)];
  }

  close(): Promise<void> {
    const clients = this.jobs?.clients ?? [this.client];
    return (this.closed ??= Promise.all(clients.map((client) => client.end().catch(() => {}))).then(() => {}));
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (after `onAbort` releases what waits). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function open(args: ExportArgs, signal: AbortSignal): Promise<Source> {
  checkSelection(args, 'a PostgreSQL');
  refuseWrites(args.query);
  const target = pgTarget(args.source);
  const [{ default: pg }, { default: Cursor }] = await loadDrivers('a PostgreSQL source', [['pg', () => import('pg')], ['pg-cursor', () => import('pg-cursor')]]);
  const clients: PgClient[] = [];
  const newClient = () => {
    const made = new pg.Client(target.config) as unknown as PgClient;
    // Without a listener, an error on an idle connection (server shutdown) would crash the process.
    made.on('error', () => {});
    clients.push(made);
    return made;
  };
  const client = newClient();
  const release = () => clients.forEach((made) => void made.end().catch(() => {}));
  const failed = (what: string) => (error: unknown) => {
    if (signal.aborted) throw signal.reason;
    if (error instanceof SourceError) throw error;
    throw new SourceError(`${what}${redact(messageOf(error), target.secrets)}`);
  };
  try {
    await unlessAborted(client.connect(), signal, release).catch(failed(`cannot connect to ${target.name}: `));
    await unlessAborted(client.query(SESSION), signal, release).catch(failed(`cannot connect to ${target.name}: `));
    // a shard of a plan run with --snapshot ID: every read below is of that moment
    if (args.snapshot != null) await unlessAborted(joinSnapshot(client, args.snapshot), signal, release).catch(failed(`cannot read in the snapshot ${args.snapshot} (the transaction that exported it must still be open): `));
    if (args.table !== null) {
      const found = await unlessAborted(client.query('SELECT to_regclass($1) AS t', [quoteTable(args.table, PG)]), signal, release).catch(
        failed('SQL error: '),
      );
      if (found.rows[0].t === null) throw new SourceError(`no such table: ${args.table}`);
    }
    const select = selectOf(args, PG);
    // Prepared alone first, so that an error in the user's SQL is reported about that SQL, not
    // about the statement that wraps it below.
    await unlessAborted(client.query(`PREPARE jsondump_check AS ${select.sql}`), signal, release).catch(failed('SQL error: '));
    await client.query('DEALLOCATE jsondump_check');
    const described = await unlessAborted(client.query(`SELECT * FROM (${select.sql}) AS s LIMIT 0`, select.values), signal, release).catch(failed('SQL error: '));
    const fields = described.fields;
    const columns = uniqueColumns(fields.map((f) => f.name));
    const types = new PgTypes(client);
    const shapes = await unlessAborted(Promise.all(fields.map((field) => types.shape(field.dataTypeID))), signal, release).catch(failed('SQL error: '));
    const total = args.table !== null && args.where === null ? await estimateRows(client, args.table) : null;
    let reason = args.jobs > 1 ? oneJobReason(args, select.values) : null;
    let jobs: { clients: PgClient[]; key: KeyRange } | null = null;
    if (args.jobs > 1 && reason === null) {
      const key = await unlessAborted(integerKey(client, quoteTable(args.table as string, PG), args.table as string, PG.quote), signal, release).catch(failed('SQL error: '));
      if (typeof key === 'string') reason = key;
      else {
        const connecting = `cannot connect to ${target.name}: `;
        await Promise.all(
          Array.from({ length: args.jobs - 1 }, async () => {
            const lane = newClient();
            await unlessAborted(lane.connect(), signal, release).catch(failed(connecting));
            await unlessAborted(lane.query(SESSION), signal, release).catch(failed(connecting));
          }),
        );
        await unlessAborted(shareSnapshot(clients), signal, release).catch(failed('SQL error: '));
        // the bounds of the key in the snapshot the connections read (an empty one: no ranges)
        const table = quoteTable(args.table as string, PG);
        const bounds = await unlessAborted(keyBounds(client, table, key.column), signal, release).catch(failed('SQL error: '));
        jobs = { clients, key: { column: key.column, ...(bounds ?? { min: 0n, max: -1n }) } };
      }
    }
    return new PostgresSource(target.name, target, client, Cursor as never, select.sql, select.values, fields, shapes, columns, args, total, jobs, reason);
  } catch (error) {
    release();
    throw error;
  }
}

async function estimateRows(client: PgClient, table: string): Promise<number | null> {
  const result = await client.query('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)', [quoteTable(table, PG)]);
  const n = result.rows[0]?.n as number | undefined;
  return n === undefined || n < 0 ? null : n;
}

export const postgresSource: SourceKind = {
  matches: (source) => isPostgres(source),
  open,
};
