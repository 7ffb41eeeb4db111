// `mysql://user@host:port/db`: a MySQL or MariaDB table or query, in a read-only session, through
// mysql2's prepared statements (parameters bound by the server, never pasted into the SQL) and
// a row stream that pauses the connection when the writer falls behind. BIGINT and DECIMAL keep
// every digit, DATETIME/TIMESTAMP are written in ISO 8601, JSON columns are embedded (MariaDB's
// too, through its extended metadata), BLOBs follow --blob.
import type { Readable } from 'node:stream';
import { RawJSON } from '../../index.js';
import type { ExportArgs } from '../export-args.js';
import { headerBatch, separatedBatches } from '../rows/batches.js';
import { sourceNotes, uniqueColumns, type UniqueColumns } from '../sql/columns.js';
import { loadDriver } from '../sql/load-driver.js';
import { parseJson } from '../rows/json-text.js';
import { RowEncoder } from '../rows/rows.js';
import { JsonTextRelayout, reformatFormat } from '../rows/json-text-relayout.js';
import { joinRecord } from '../rows/layout.js';
import { nativeScalars } from '../rows/values.js';
import { floatValue } from '../rows/floats.js';
import { atRow, reportedValueError, ValueError } from '../rows/value-errors.js';
import { checkSelection, refuseWrites, selectOf, type SqlDialect } from '../sql/select.js';
import { redact } from './pg-connect.js';
import { type RecordBatch, type RecordLayout, type Source, type SourceKind } from '../records.js';
import { SourceError, messageOf } from '../errors.js';

const MYSQL: SqlDialect = { quote: (name) => '`' + name.replace(/`/g, '``') + '`', placeholder: () => '?', named: false, numberParams: false };

// Rows buffered by the stream before the connection is paused.
const STREAM_ROWS = 2000;

const SESSION = ["SET SESSION TRANSACTION READ ONLY", "SET time_zone = '+00:00'"];

// Column types (protocol numbers) whose values are converted here.
const TYPE = { float: 4, double: 5, timestamp: 7, longlong: 8, date: 10, datetime: 12, newdecimal: 246, decimal: 0, json: 245, timestamp2: 17, datetime2: 18, time: 11 } as const;

interface Field {
  name: string;
  columnType: number;
  /** Digits of fractional seconds of a time type. */
  decimals: number;
  extendedFormat?: string;
}

interface MysqlConnection {
  execute(options: object, values: unknown[]): { stream(options: object): Readable; on(event: string, listener: (...args: unknown[]) => void): void };
  query(sql: string, callback: (error: Error | null) => void): void;
  end(callback?: (error?: Error) => void): void;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  once(event: 'connect', listener: () => void): void;
}

interface MysqlTarget {
  config: Record<string, unknown>;
  name: string;
  secrets: string[];
}

export function mysqlTarget(source: string): MysqlTarget {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new SourceError('cannot read the MySQL URL (expected mysql://user@host:port/database)');
  }
  const user = decodeURIComponent(url.username) || process.env.USER || 'root';
  const password = decodeURIComponent(url.password) || url.searchParams.get('password') || undefined;
  const host = url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 3306 : Number(url.port);
  const database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  const timeout = url.searchParams.get('connect_timeout');
  return {
    config: {
      host, port, user, password, database,
      charset: 'UTF8MB4_UNICODE_CI',
      connectTimeout: timeout === null ? 30_000 : Number(timeout) * 1000,
      supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, jsonStrings: true,
      rowsAsArray: true,
    },
    name: `mysql://${encodeURIComponent(user)}@${host.includes(':') ? `[${host}]` : host}:${port}/${database === undefined ? '' : encodeURIComponent(database)}`,
    secrets: password === undefined ? [] : [...new Set([password, encodeURIComponent(password)])],
  };
}

/** float32 values in the fewest digits that read back as the same float32 (as the server prints them). */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

const MAX_SAFE = 9007199254740991n;

/** '12:34:56' with the column's fractional digits, as the server prints it ('12:34:56.000000'). */
function withFraction(text: string, decimals: number): string {
  if (decimals <= 0 || decimals > 6) return text;
  const dot = text.indexOf('.');
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  return (dot < 0 ? text : text.slice(0, dot)) + '.' + fraction.padEnd(decimals, '0');
}

/** DATETIME / TIMESTAMP text in ISO 8601; zero dates ('0000-00-00 …') have none and stay as they are. */
function isoTime(decimals: number, zone: string): (value: unknown) => unknown {
  return (v) => (typeof v === 'string' && !v.startsWith('0000') ? withFraction(v.replace(' ', 'T'), decimals) + zone : v);
}

/** A converter per column, from what mysql2 hands over to what the row encoder writes (`python`: the python dialect). */
function converters(fields: Field[], python: boolean): ((value: unknown) => unknown)[] {
  return fields.map((field) => {
    if (field.columnType === TYPE.json || field.extendedFormat === 'json') {
      return (v) => {
        if (typeof v !== 'string') return v;
        const parsed = parseJson(v); // undefined when not JSON; null is JSON's null, kept
        return parsed === undefined ? v : parsed;
      };
    }
    switch (field.columnType) {
      case TYPE.longlong:
        return (v) => {
          if (typeof v !== 'string') return v;
          const n = BigInt(v);
          return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
        };
      case TYPE.newdecimal:
      case TYPE.decimal:
        return (v) => (typeof v === 'string' ? new RawJSON(v) : v);
      case TYPE.float:
        return (v) => (typeof v === 'number' ? floatValue(shortestFloat32(v), python) : v);
      case TYPE.double:
        return (v) => (typeof v === 'number' ? floatValue(v, python) : v);
      case TYPE.date:
        return (v) => v;
      case TYPE.datetime:
      case TYPE.datetime2:
        return isoTime(field.decimals, '');
      case TYPE.timestamp:
      case TYPE.timestamp2:
        return isoTime(field.decimals, '+00:00'); // the session is in UTC
      case TYPE.time:
        return (v) => (typeof v === 'string' ? withFraction(v, field.decimals) : v);
      default:
        return (v) => v;
    }
  });
}

const isJsonField = (field: Field) => field.columnType === TYPE.json || field.extendedFormat === 'json';

/**
 * Per column, the text of its values written here in place of the row encoder's, or null (the
 * encoder's): a JSON column's text laid out by the byte re-encoder, unless the output sorts keys
 * (it is then parsed, see `converters`); a DECIMAL's digits, where the library would write them
 * as they are. A value these cannot write (not a string, not JSON) goes to the encoder.
 */
function directTexts(fields: Field[], layout: RecordLayout, depth: number): (((v: unknown) => string | null) | null)[] {
  const o = layout.options as Record<string, unknown>;
  const sorting = o.sortKeys === true || o.canonical === true;
  const plainNumbers = nativeScalars(layout.options);
  const relayout = sorting ? null : new JsonTextRelayout(reformatFormat(layout));
  return fields.map((field) => {
    if (isJsonField(field)) return relayout === null ? null : (v) => (typeof v === 'string' ? relayout.text(v, depth) : null);
    if (plainNumbers && (field.columnType === TYPE.newdecimal || field.columnType === TYPE.decimal)) return (v) => (typeof v === 'string' ? v : null);
    return null;
  });
}

/** The record text of each row: `direct` texts where they apply, the encoder's for the rest. */
function recordEncoder(encoder: RowEncoder, convert: ((value: unknown) => unknown)[], direct: (((v: unknown) => string | null) | null)[]): (row: unknown[]) => string {
  if (direct.every((d) => d === null)) {
    return (row) => {
      for (let i = 0; i < row.length; i++) row[i] = convert[i](row[i]);
      return encoder.encode(row);
    };
  }
  const texts = new Array<string>(direct.length);
  return (row) => {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      const d = direct[i];
      texts[i] = (d === null || v === null ? null : d(v)) ?? encoder.columnText(convert[i](v), i);
    }
    return joinRecord(encoder.template, texts);
  };
}

/** The next rows of a paused-when-full object stream, as many as are buffered (at least one), or null at its end. */
async function nextRows(stream: Readable): Promise<unknown[][] | null> {
  for (;;) {
    const rows: unknown[][] = [];
    let row: unknown[] | null;
    while ((row = stream.read() as unknown[] | null) !== null) rows.push(row);
    if (rows.length > 0) return rows;
    if (stream.errored) throw stream.errored;
    if (stream.readableEnded || stream.destroyed) return null;
    await new Promise<void>((resolve) => {
      const settle = () => {
        stream.off('readable', settle).off('end', settle).off('error', settle);
        resolve();
      };
      stream.on('readable', settle).on('end', settle).on('error', settle);
    });
  }
}

class MysqlSource implements Source {
  readonly single = false;
  readonly files: string[] = [];
  private rows = 0;
  private encoder: RowEncoder | null = null;
  private closed: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly target: MysqlTarget,
    private readonly connection: MysqlConnection,
    private readonly stream: Readable,
    private readonly fields: Field[],
    private readonly columns: UniqueColumns,
    private readonly args: ExportArgs,
  ) {}

  async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const shape = { columns: this.columns.names, arrays: this.args.arrays, jsonCols: this.args.jsonCols, blob: this.args.blob };
    const encoder = (this.encoder = new RowEncoder(shape, layout));
    const convert = converters(this.fields, layout.options.dialect === 'python');
    const record = recordEncoder(encoder, convert, directTexts(this.fields, layout, encoder.template.depth));
    const builder = separatedBatches(layout);
    if (this.args.arrays) yield headerBatch(encoder.header());
    let encoded = 0;
    try {
      for (;;) {
        // (not raced with a promise of the stream's failure: each race would keep its rows alive)
        const rows = await nextRows(this.stream);
        if (rows === null) break;
        for (const row of rows) {
          encoded++;
          const full = builder.add(record(row));
          if (full !== null) {
            signal.throwIfAborted();
            this.rows += full.ends.length;
            yield full;
          }
        }
      }
    } catch (error) {
      if (signal.aborted) throw error;
      // a value the output cannot hold is in the row just encoded
      if (error instanceof ValueError) throw reportedValueError(atRow(error, encoded));
      throw new SourceError(`SQL error: ${redact(messageOf(error), this.target.secrets)}`);
    }
    const last = builder.take();
    if (last !== null) {
      this.rows += last.ends.length;
      yield last;
    }
  }

  fraction(): number | null {
    return null;
  }

  notes(): string[] {
    const jobs = this.args.jobs > 1 ? [`--jobs ${this.args.jobs}: one job used: a MySQL source is read through one connection`] : [];
    return [...jobs, ...sourceNotes(this.columns, this.encoder?.notJson ?? 0)];
  }

  close(): Promise<void> {
    // destroy, not end: a statement still streaming rows would otherwise be read to its end
    return (this.closed ??= Promise.resolve().then(() => {
      this.stream.destroy();
      this.connection.destroy();
    }));
  }
}

function sessionQuery(connection: MysqlConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => connection.query(sql, (error) => (error ? reject(error) : resolve())));
}

/** Resolves with the result's columns once the server has sent them (the query is then known to run). */
function fieldsOf(command: ReturnType<MysqlConnection['execute']>, stream: Readable): Promise<Field[]> {
  return new Promise((resolve, reject) => {
    command.on('fields', (fields) => resolve(fields as Field[]));
    stream.once('error', reject);
    stream.once('end', () => reject(new SourceError('the query returns no rows (only SELECT-like statements can be exported)')));
  });
}

async function open(args: ExportArgs, signal: AbortSignal): Promise<Source> {
  checkSelection(args, 'a MySQL');
  refuseWrites(args.query);
  const target = mysqlTarget(args.source);
  const mysql = await loadDriver('mysql2', 'a MySQL source', () => import('mysql2'));
  const connection = mysql.createConnection(target.config as never) as unknown as MysqlConnection;
  connection.on('error', () => {});
  const abort = () => connection.destroy();
  signal.addEventListener('abort', abort, { once: true });
  const fail = (what: string) => (error: unknown) => {
    if (signal.aborted) throw signal.reason;
    if (error instanceof SourceError) throw error;
    const e = error as { code?: string; sqlMessage?: string };
    if (e.code === 'ER_NO_SUCH_TABLE' && args.table !== null) throw new SourceError(`no such table: ${args.table}`);
    throw new SourceError(`${what}${redact(messageOf(error), target.secrets)}`);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('connect', resolve);
      connection.on('error', reject);
    }).catch(fail(`cannot connect to ${target.name}: `));
    for (const sql of SESSION) await sessionQuery(connection, sql).catch(fail(`cannot connect to ${target.name}: `));
    const select = selectOf(args, MYSQL);
    const command = connection.execute({ sql: select.sql, rowsAsArray: true }, select.values);
    const stream = command.stream({ highWaterMark: STREAM_ROWS });
    const fields = await fieldsOf(command, stream).catch(fail('SQL error: '));
    return new MysqlSource(target.name, target, connection, stream, fields, uniqueColumns(fields.map((f) => f.name)), args);
  } catch (error) {
    connection.destroy();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

export const mysqlSource: SourceKind = {
  matches: (source) => /^mysql:\/\//.test(source),
  open,
};
