// `sqlite:PATH`: a table or query of an SQLite file, opened read-only. Rows are read as arrays
// (integers as bigint, exact past 2^53) and encoded here into batches of text; with --jobs N a
// table is read by N workers, each over its own key ranges.
import type { ExportArgs } from '../export-args.js';
import { sourceNotes, uniqueColumns } from '../sql/columns.js';
import { headerBatch } from '../rows/batches.js';
import { RowEncoder, type RowShape } from '../rows/rows.js';
import { ANSI, checkSelection, quoteTable, selectOf, type Select, type SqlDialect } from '../sql/select.js';
import { encodeRows, sqliteFailure } from '../rows/encode-rows.js';
import { RowBytes } from '../rows/row-bytes.js';
import { keyChunks, type KeyChunk } from '../sql/key-chunks.js';
import { sqliteKey, type SqliteKey } from '../sql/sqlite-key.js';
import { OrderedPool } from '../jobs/pool.js';
import { SqliteRangeReader } from '../jobs/sqlite-ranges.js';
import { RANGE_PARAMS, type JobSetup } from '../jobs/protocol.js';
import { recordFrame } from '../record-frame.js';
import { openSqliteDatabase, type SqliteDatabase } from '../sql/sqlite-driver.js';
import { SqliteTextCheck } from '../sql/sqlite-text-check.js';
import type { RecordBatch, RecordLayout, Source, SourceKind } from '../records.js';

export const SQLITE: SqlDialect = { ...ANSI, placeholder: () => '?', named: true, numberParams: true };

// Rows per chunk of a --jobs export: large enough that a chunk's query costs nothing next to its
// rows; small enough that a worker ahead of the one being written can finish its whole chunk
// within its credits (jobs/pool.ts), instead of waiting for the writer. On the 1M-row benchmark
// table (`node bench/export/run.js --jobs sqlite`), 16,384 rows (about 3 MB, 12 batches against 8
// credits) made --jobs 2 take 1.1x the time of one job read in one worker; 4,096 rows (about
// 0.8 MB), 0.8x.
const CHUNK_ROWS = 4096;
const MAX_CHUNKS_PER_JOB = 1024;

// Tries at starting the workers' read transactions with nothing committed meanwhile: each try
// takes a message to each worker and back (well under a millisecond), so only a database
// committing about as often fails them all.
const SNAPSHOT_ATTEMPTS = 20;

const WORKER = new URL('../jobs/sqlite-worker.js', import.meta.url);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The key ranges of --jobs N, the first and last open to the ends of the 64-bit keys: the bounds
 * were read before the workers' snapshot, which may hold rows beyond them.
 */
function splitChunks(key: SqliteKey, jobs: number): KeyChunk[] {
  const chunks = keyChunks(key, jobs, CHUNK_ROWS, MAX_CHUNKS_PER_JOB);
  if (chunks.length === 0) return [{ lo: INT64_MIN, hi: INT64_MAX }];
  chunks[0] = { ...chunks[0], lo: INT64_MIN };
  chunks[chunks.length - 1] = { ...chunks[chunks.length - 1], hi: INT64_MAX };
  return chunks;
}

/** Why a --jobs export runs as one job, or null when it can be split. */
function singleJobReason(args: ExportArgs, key: SqliteKey | string | null): string | null {
  if (args.query !== null) return 'a --query cannot be split by key';
  if (typeof key === 'string') return key;
  if (args.orderBy !== null) return '--order-by decides the order, not the key';
  if (args.limit !== null) return '--limit counts rows across the whole table';
  return null;
}

/**
 * The same SELECT as a page of one key range, with the key after the columns: the rows from the
 * key RANGE_PARAMS.lo on, up to RANGE_PARAMS.hi, at most RANGE_PARAMS.limit of them (all bound
 * by name, never pasted).
 */
function pageSelect(args: ExportArgs, columns: string, key: string): string {
  const table = quoteTable(args.table as string, SQLITE);
  const where = args.where === null ? '' : ` AND (${args.where})`;
  const { lo, hi, limit } = RANGE_PARAMS;
  return `SELECT ${columns}, ${key} FROM ${table} WHERE ${key} >= :${lo} AND ${key} <= :${hi}${where} ORDER BY ${key} LIMIT :${limit}`;
}

class SqliteSource implements Source {
  readonly single = false;
  private rows = 0;
  private notJsonSeen = 0;
  private pool: OrderedPool | null = null;
  private closed = false;
  private readonly extraNotes: string[] = [];

  constructor(
    readonly name: string,
    readonly files: string[],
    private readonly db: SqliteDatabase,
    private readonly args: ExportArgs,
    private readonly select: Select,
    private readonly columns: ReturnType<typeof uniqueColumns>,
    private readonly key: SqliteKey | null,
    /** A table read page by page in key order (SqliteRangeReader); false: one statement. */
    private readonly paged: boolean,
    note: string | null,
    /** Checks text holding U+FFFD against its bytes, through a connection of its own; null with --replace-invalid-utf8. */
    private readonly textCheck: SqliteTextCheck | null,
    private readonly textDb: SqliteDatabase | null,
  ) {
    if (note !== null) this.extraNotes.push(note);
  }

  private shape(): RowShape {
    return { columns: this.columns.names, arrays: this.args.arrays, jsonCols: this.args.jsonCols, blob: this.args.blob, floats: true };
  }

  /**
   * One job reads and encodes here, between writes: a worker of its own cost more (its start,
   * a message per batch, a second heap) than it saved. --jobs N reads the table's key ranges in
   * N workers, all in one snapshot, and this thread only writes; when the workers cannot share
   * one (the database is being written), one job runs here after all.
   */
  async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    if (this.args.arrays) yield headerBatch(new RowEncoder(this.shape(), layout).header());
    if (this.paged && this.args.jobs > 1) {
      const pool = new OrderedPool(WORKER, this.setup(layout), this.args.jobs, splitChunks(this.key as SqliteKey, this.args.jobs));
      this.pool = pool;
      try {
        if (await pool.shareSnapshot(() => this.dataVersion(), SNAPSHOT_ATTEMPTS)) {
          for await (const batch of pool.batches(signal)) {
            this.rows += batch.ends.length;
            yield batch;
          }
          return;
        }
      } finally {
        this.notJsonSeen += pool.notJson;
        await pool.close();
      }
      this.extraNotes.push(`--jobs ${this.args.jobs}: one job used: the database changed while the workers started, ${SNAPSHOT_ATTEMPTS} times over (they could not share one snapshot)`);
    }
    yield* this.paged ? this.pagedJob(this.setup(layout), signal) : this.oneJob(this.setup(layout), signal);
  }

  /** What a job reads and how it writes it: pages of key ranges, or the whole SELECT. */
  private setup(layout: RecordLayout): JobSetup {
    const columns = this.args.columns === null ? '*' : this.args.columns.map(SQLITE.quote).join(', ');
    const options = { ...layout.options };
    delete options.signal;
    delete options.onProgress;
    return {
      path: this.files[0],
      sql: this.paged ? pageSelect(this.args, columns, (this.key as SqliteKey).name) : this.select.sql,
      paged: this.paged,
      positional: this.select.values,
      named: this.select.named,
      shape: this.shape(),
      layout: { options, lines: layout.lines },
      separator: recordFrame(layout.options, layout.lines).separator,
      checkText: !this.args.replaceInvalidUTF8,
    };
  }

  /** The database's data_version as this connection sees it now: it changes with every commit of another connection. */
  private dataVersion(): unknown {
    const rows = this.db.prepare('PRAGMA data_version').rows([], {});
    const [version] = rows.next().value as [unknown];
    rows.return?.();
    return version;
  }

  /** The table's pages read here, in one read transaction: one snapshot, as one statement would read. */
  private async *pagedJob(setup: JobSetup, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const reader = new SqliteRangeReader(this.db, setup, this.textCheck);
    this.db.exec('BEGIN');
    try {
      const batches = reader.batches(INT64_MIN, INT64_MAX);
      for (;;) {
        signal.throwIfAborted();
        let next;
        try {
          next = batches.next();
        } catch (error) {
          throw sqliteFailure(error);
        }
        if (next.done === true) break;
        this.rows += next.value.ends.length;
        yield next.value;
      }
    } finally {
      this.notJsonSeen += reader.notJson;
      this.textCheck?.close();
      this.db.exec('COMMIT');
    }
  }

  private async *oneJob(setup: JobSetup, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const encoder = new RowBytes(setup.shape, setup.layout, setup.separator);
    encoder.checkText = this.textCheck?.forStatement(setup.sql, setup.positional, setup.named) ?? null;
    const rows = this.db.prepare(setup.sql).rows(setup.positional, setup.named);
    const batches = encodeRows(rows, encoder);
    try {
      for (;;) {
        signal.throwIfAborted();
        let next;
        try {
          next = batches.next();
        } catch (error) {
          throw sqliteFailure(error);
        }
        if (next.done === true) break;
        this.rows += next.value.ends.length;
        yield next.value;
      }
    } finally {
      this.notJsonSeen += encoder.notJson;
      rows.return?.();
      this.textCheck?.close();
    }
  }

  fraction(): number | null {
    if (this.key === null || this.args.where !== null || this.args.query !== null) return null;
    const keys = Math.max(0, Number(this.key.max - this.key.min) + 1);
    // --limit N writes N rows at most: they are the whole
    const total = this.args.limit === null ? keys : Math.min(keys, this.args.limit);
    return total === 0 ? null : Math.min(1, this.rows / total);
  }

  notes(): string[] {
    return [...this.extraNotes, ...sourceNotes(this.columns, this.notJsonSeen)];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool?.close().catch(() => {});
    try {
      this.textCheck?.close();
      this.textDb?.close();
      this.db.close();
    } catch {
      // closing is best effort: the process is about to report the real failure, or exit
    }
  }
}

async function open(args: ExportArgs): Promise<Source> {
  checkSelection(args, 'an SQLite');
  const path = args.source.slice('sqlite:'.length);
  const db = await openSqliteDatabase(path);
  try {
    const found = args.table !== null ? sqliteKey(db, args.table) : null;
    const key = typeof found === 'object' ? found : null;
    // A table is read in key order, so --jobs N writes the same bytes as one job.
    const select = selectOf(args, SQLITE, key?.name ?? null);
    const columns = uniqueColumns(db.prepare(select.sql).columns);
    const reason = singleJobReason(args, found);
    const note = args.jobs > 1 && reason !== null ? `--jobs ${args.jobs}: one job used: ${reason}` : null;
    // a table read by key, by pages (split among workers with --jobs N); a page holds the key after the columns
    const paged = reason === null;
    const textDb = args.replaceInvalidUTF8 ? null : await openSqliteDatabase(path);
    const checked = paged ? [...columns.names, (key as SqliteKey).name] : columns.names;
    const textCheck = textDb === null ? null : new SqliteTextCheck(textDb, checked);
    return new SqliteSource(args.source, [path], db, args, select, columns, key, paged, note, textCheck, textDb);
  } catch (error) {
    db.close();
    throw error;
  }
}

export const sqliteSource: SourceKind = {
  matches: (source) => source.startsWith('sqlite:'),
  open: (args) => open(args),
};
