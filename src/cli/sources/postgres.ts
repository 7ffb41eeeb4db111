// A PostgreSQL table or query, read in a read-only session. Without parameters the rows come
// through COPY … TO STDOUT (FORMAT binary), every column in its binary form where it has a
// writer here (numbers, text, dates and times, json, jsonb, arrays of them) and as the server's
// to_json text otherwise, and each record is written column by column as the output lays it out
// (see rows/pg-rows.ts): the server does the least it can, and this process, on the other core,
// the rest. With --param (COPY takes no parameters) a server-side cursor reads each column as the
// server's JSON text. bytea follows --blob.
import type { ExportArgs } from '../export-args.js';
import { sourceNotes, uniqueColumns, type UniqueColumns } from '../sql/columns.js';
import { headerBatch, type EncodedBatch } from '../rows/batches.js';
import { loadDrivers } from '../sql/load-driver.js';
import { RowEncoder } from '../rows/rows.js';
import { ANSI, checkSelection, quoteTable, refuseWrites, selectOf, type SqlDialect } from '../sql/select.js';
import { type BlobFormat } from '../rows/values.js';
import { copiedInOrder } from './pg-copy.js';
import type { KeyChunk } from '../sql/key-chunks.js';
import { integerKey, joinSnapshot, keyBounds, rangesOf, shareSnapshot, type KeyRange } from '../jobs/pg-ranges.js';
import { PgTypes } from '../sql/pg-types.js';
import { sentAs } from '../rows/pg-binary.js';
import { planColumns, RowWriter, type ColumnPlan, type PgColumn, type RowContext } from '../rows/pg-rows.js';
import { reportedValueError, ValueError } from '../rows/value-errors.js';
import { isPostgres, pgTarget, redact, type PgTarget } from './pg-connect.js';
import { type RecordBatch, type RecordLayout, type Source, type SourceKind } from '../records.js';
import { SourceError, messageOf } from '../errors.js';
import { unlessAborted } from '../../interruptible.js';

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

// From PostgreSQL 12 on, extra_float_digits ≥ 1 makes float8out write the shortest digits that
// read back as the same double (before, 16 or 17 digits: 0.10000000000000001).
const SHORTEST_FLOATS = 120000;

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
 * The expression that sends one column: as it is where it is written from its binary value (or
 * is text under --json-cols), else its JSON as the server writes it (to_json; bytea and bytea[]
 * as --blob asks), as text for a cursor (whose driver would parse json). Every name is qualified
 * (s."name", u.x): a user column named s, u or x is never taken for the wrapping query's own.
 */
function columnSql(column: PgColumn, name: string, plan: ColumnPlan, blob: BlobFormat, cursor: boolean, floatText: boolean): string {
  const value = `s.${PG.quote(name)}`;
  if (plan.kind === 'binary') return value + sentAs(plan.type, floatText);
  if (plan.kind === 'jsonCols') return value;
  let json = value;
  if (column.oid === OID.bytea) json = blobSql(value, blob);
  else if (column.oid === OID.byteaArray) {
    // one-dimensional, NULL elements kept; multi-dimensional bytea[] comes out flattened
    const each = blobSql('u.x', blob);
    json = `CASE WHEN ${value} IS NULL THEN NULL ELSE array(SELECT ${each} FROM unnest(${value}) WITH ORDINALITY AS u(x, n) ORDER BY u.n) END`;
  }
  return cursor ? `to_json(${json})::text` : `to_json(${json})`;
}

/** The statement that sends each row's columns in `order` (the order the record writes them). */
function rowSelect(sql: string, columns: readonly PgColumn[], names: readonly string[], plans: readonly ColumnPlan[], order: readonly number[], blob: BlobFormat, cursor: boolean, floatText: boolean): string {
  const aliases = names.length === 0 ? '' : `(${names.map(PG.quote).join(', ')})`;
  const values = order.map((i) => columnSql(columns[i], names[i], plans[i], blob, cursor, floatText));
  return `SELECT ${values.join(', ')} FROM (${sql}) AS s${aliases}`;
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

class PostgresSource implements Source {
  readonly single = false;
  readonly files: string[] = [];
  private rows = 0;
  private closed: Promise<void> | null = null;
  /** The row writers made so far (one per statement), for their --json-cols counts. */
  private writers: RowWriter[] = [];

  constructor(
    readonly name: string,
    private readonly target: PgTarget,
    private readonly client: PgClient,
    private readonly Cursor: new (text: string, values: unknown[], config: object) => PgCursor,
    private readonly sql: string,
    private readonly values: unknown[],
    /** The result's columns: types, and what they hold (floats, int8, through domains, arrays, composites). */
    private readonly columns: PgColumn[],
    private readonly names: UniqueColumns,
    private readonly args: ExportArgs,
    private readonly total: number | null,
    /** --jobs N: the key's ranges are read through these connections (the first is `client`). */
    private readonly jobs: { clients: PgClient[]; key: KeyRange } | null,
    /** Why --jobs N runs as one job, if it does. */
    private readonly oneJobReason: string | null,
    /** The server writes a float's shortest digits (PostgreSQL 12 on, extra_float_digits 1): float8 is sent as its text. */
    private readonly floatText: boolean,
  ) {}

  async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const cursor = this.jobs === null && this.values.length > 0;
    const plans = planColumns(this.columns, layout, this.args.jsonCols, !cursor);
    const context: RowContext = { columns: this.columns, plans, layout, arrays: this.args.arrays, blob: this.args.blob, names: this.names.names, floatText: this.floatText };
    const writer = (emit: (batch: EncodedBatch) => void) => {
      const made = new RowWriter(context, emit);
      this.writers.push(made);
      return made;
    };
    const order = new RowWriter(context, () => {}).order;
    const select = (sql: string) => rowSelect(sql, this.columns, this.names.names, plans, order, this.args.blob, cursor, this.floatText);
    if (this.args.arrays) {
      const shape = { columns: this.names.names, arrays: true, jsonCols: false, blob: this.args.blob };
      yield headerBatch(new RowEncoder(shape, layout).header());
    }
    // COPY streams without round trips, but takes no parameters: with --param a cursor
    const rows =
      this.jobs !== null
        ? this.ranges(this.jobs, writer, select, signal)
        : cursor
          ? this.fetched(select(this.sql), writer)
          : this.copied(select(this.sql), writer, signal);
    try {
      for await (const batch of rows) {
        signal.throwIfAborted();
        this.rows += batch.ends.length;
        yield batch;
      }
    } catch (error) {
      throw reportedValueError(error);
    }
  }

  /** Rows through COPY … TO STDOUT (FORMAT binary): the server is paused while batches wait. */
  private copied(sql: string, writer: (emit: (batch: EncodedBatch) => void) => RowWriter, signal: AbortSignal): AsyncGenerator<EncodedBatch> {
    const copy = (emit: (batch: EncodedBatch) => void) => {
      const made = writer(emit);
      return { sink: made, take: () => made.take() };
    };
    return copiedInOrder([this.client], [sql], copy, (error) => this.sqlError(error), signal, QUEUED_BATCHES);
  }

  /** --jobs N: the key's ranges through N connections, written in key order. */
  private ranges(
    jobs: { clients: PgClient[]; key: KeyRange },
    writer: (emit: (batch: EncodedBatch) => void) => RowWriter,
    select: (sql: string) => string,
    signal: AbortSignal,
  ): AsyncGenerator<EncodedBatch> {
    const statements = rangesOf(jobs.key, jobs.clients.length).map((chunk) => select(rangeSelect(this.args, jobs.key.column, chunk)));
    const copy = (emit: (batch: EncodedBatch) => void) => {
      const made = writer(emit);
      return { sink: made, take: () => made.take() };
    };
    return copiedInOrder(jobs.clients, statements, copy, (error) => this.sqlError(error), signal, QUEUED_RANGE_BATCHES);
  }

  private sqlError(error: unknown): SourceError {
    if (error instanceof ValueError) return reportedValueError(error) as SourceError;
    return new SourceError(`SQL error: ${this.redact(messageOf(error))}`);
  }

  /** Rows through a server-side cursor, FETCH_ROWS at a time, the next fetch under way while these are encoded. */
  private async *fetched(sql: string, writer: (emit: (batch: EncodedBatch) => void) => RowWriter): AsyncGenerator<EncodedBatch> {
    const cursor = this.client.query(new this.Cursor(sql, this.values, { rowMode: 'array' }));
    const read = () => cursor.read(FETCH_ROWS).catch((error: unknown) => Promise.reject(this.sqlError(error)));
    const full: EncodedBatch[] = [];
    const rows = writer((batch) => full.push(batch));
    try {
      let next = read();
      for (;;) {
        const fetched = await next;
        if (fetched.length === 0) break;
        next = read();
        next.catch(() => {});
        for (const row of fetched) {
          for (let field = 0; field < row.length; field++) {
            const text = row[field] as string | null;
            if (text === null) rows.value(field, EMPTY, -1, -1);
            else {
              const bytes = Buffer.from(text, 'utf8');
              rows.value(field, bytes, 0, bytes.length);
            }
          }
          rows.endRow();
        }
        yield* full.splice(0);
      }
      const last = rows.take();
      if (last !== null) yield last;
    } finally {
      await cursor.close().catch(() => {});
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
    const notJson = this.writers.reduce((sum, writer) => sum + writer.notJson, 0);
    return [...jobs, ...sourceNotes(this.names, notJson)];
  }

  close(): Promise<void> {
    const clients = this.jobs?.clients ?? [this.client];
    return (this.closed ??= Promise.all(clients.map((client) => client.end().catch(() => {}))).then(() => {}));
  }
}

const EMPTY = Buffer.alloc(0);

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
    await unlessAborted(client.connect(), signal, { onAbort: release }).catch(failed(`cannot connect to ${target.name}: `));
    await unlessAborted(client.query(SESSION), signal, { onAbort: release }).catch(failed(`cannot connect to ${target.name}: `));
    // a shard of a plan run with --snapshot ID: every read below is of that moment
    if (args.snapshot != null) await unlessAborted(joinSnapshot(client, args.snapshot), signal, { onAbort: release }).catch(failed(`cannot read in the snapshot ${args.snapshot} (the transaction that exported it must still be open): `));
    if (args.table !== null) {
      const found = await unlessAborted(client.query('SELECT to_regclass($1) AS t', [quoteTable(args.table, PG)]), signal, { onAbort: release }).catch(
        failed('SQL error: '),
      );
      if (found.rows[0].t === null) throw new SourceError(`no such table: ${args.table}`);
    }
    const select = selectOf(args, PG);
    // Prepared alone first, so that an error in the user's SQL is reported about that SQL, not
    // about the statement that wraps it below.
    await unlessAborted(client.query(`PREPARE jsondump_check AS ${select.sql}`), signal, { onAbort: release }).catch(failed('SQL error: '));
    await client.query('DEALLOCATE jsondump_check');
    const result = await unlessAborted(client.query(`SELECT * FROM (${select.sql}) AS s LIMIT 0`, select.values), signal, { onAbort: release }).catch(failed('SQL error: '));
    const fields = result.fields;
    const names = uniqueColumns(fields.map((f) => f.name));
    const types = new PgTypes(client);
    // one catalog query at a time: a connection runs one statement at once
    const describe = async (): Promise<PgColumn[]> => {
      const described: PgColumn[] = [];
      for (const field of fields) {
        const shape = await types.shape(field.dataTypeID);
        described.push({ name: field.name, oid: field.dataTypeID, shape, binary: await types.binary(field.dataTypeID) });
      }
      return described;
    };
    const columns = await unlessAborted(describe(), signal, { onAbort: release }).catch(failed('SQL error: '));
    const total = args.table !== null && args.where === null ? await estimateRows(client, args.table) : null;
    let reason = args.jobs > 1 ? oneJobReason(args, select.values) : null;
    let jobs: { clients: PgClient[]; key: KeyRange } | null = null;
    if (args.jobs > 1 && reason === null) {
      const key = await unlessAborted(integerKey(client, quoteTable(args.table as string, PG), args.table as string, PG.quote), signal, { onAbort: release }).catch(failed('SQL error: '));
      if (typeof key === 'string') reason = key;
      else {
        const connecting = `cannot connect to ${target.name}: `;
        await Promise.all(
          Array.from({ length: args.jobs - 1 }, async () => {
            const lane = newClient();
            await unlessAborted(lane.connect(), signal, { onAbort: release }).catch(failed(connecting));
            await unlessAborted(lane.query(SESSION), signal, { onAbort: release }).catch(failed(connecting));
          }),
        );
        await unlessAborted(shareSnapshot(clients), signal, { onAbort: release }).catch(failed('SQL error: '));
        // the bounds of the key in the snapshot the connections read (an empty one: no ranges)
        const table = quoteTable(args.table as string, PG);
        const bounds = await unlessAborted(keyBounds(client, table, key.column), signal, { onAbort: release }).catch(failed('SQL error: '));
        jobs = { clients, key: { column: key.column, ...(bounds ?? { min: 0n, max: -1n }) } };
      }
    }
    const version = await unlessAborted(client.query("SELECT current_setting('server_version_num')::int AS v"), signal, { onAbort: release }).catch(failed('SQL error: '));
    const floatText = (version.rows[0].v as number) >= SHORTEST_FLOATS;
    return new PostgresSource(target.name, target, client, Cursor as never, select.sql, select.values, columns, names, args, total, jobs, reason, floatText);
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
