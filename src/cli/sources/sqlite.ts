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
import { keyChunks } from '../sql/key-chunks.js';
import { sqliteKey, type SqliteKey } from '../sql/sqlite-key.js';
import { OrderedPool } from '../jobs/pool.js';
import { RANGE_PARAMS, type JobSetup } from '../jobs/protocol.js';
import { recordFrame } from '../record-frame.js';
import { openSqliteDatabase, type SqliteDatabase } from '../sql/sqlite-driver.js';
import type { RecordBatch, RecordLayout, Source, SourceKind } from '../records.js';

const SQLITE: SqlDialect = { ...ANSI, placeholder: () => '?', named: true, numberParams: true };

// Rows per chunk of a --jobs export: large enough that a chunk's query costs nothing next to its
// rows; small enough that a worker ahead of the one being written can finish its whole chunk
// within its credits (jobs/pool.ts), instead of waiting for the writer. On the 1M-row benchmark
// table (`node bench/export/run.js --jobs sqlite`), 16,384 rows (about 3 MB, 12 batches against 8
// credits) made --jobs 2 take 1.1x the time of one job read in one worker; 4,096 rows (about
// 0.8 MB), 0.8x.
const CHUNK_ROWS = 4096;
const MAX_CHUNKS_PER_JOB = 1024;

const WORKER = new URL('../jobs/sqlite-worker.js', import.meta.url);

/** Why a --jobs export runs as one job, or null when it can be split. */
function singleJobReason(args: ExportArgs, key: SqliteKey | string | null): string | null {
  if (args.query !== null) return 'a --query cannot be split by key';
  if (typeof key === 'string') return key;
  if (args.orderBy !== null) return '--order-by decides the order, not the key';
  if (args.limit !== null) return '--limit counts rows across the whole table';
  return null;
}

/** The same SELECT restricted to one key range (bound by name, never pasted). */
function rangeSelect(args: ExportArgs, columns: string, key: string): string {
  const table = quoteTable(args.table as string, SQLITE);
  const where = args.where === null ? '' : ` AND (${args.where})`;
  return `SELECT ${columns} FROM ${table} WHERE ${key} >= :${RANGE_PARAMS.lo} AND ${key} <= :${RANGE_PARAMS.hi}${where} ORDER BY ${key}`;
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
    private readonly split: boolean,
    note: string | null,
  ) {
    if (note !== null) this.extraNotes.push(note);
  }

  private shape(): RowShape {
    return { columns: this.columns.names, arrays: this.args.arrays, jsonCols: this.args.jsonCols, blob: this.args.blob };
  }

  /**
   * One job reads and encodes here, between writes: a worker of its own cost more (its start,
   * a message per batch, a second heap) than it saved. --jobs N reads the table's key ranges in
   * N workers, and this thread only writes.
   */
  async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    if (this.args.arrays) yield headerBatch(new RowEncoder(this.shape(), layout).header());
    const columns = this.args.columns === null ? '*' : this.args.columns.map(SQLITE.quote).join(', ');
    const options = { ...layout.options };
    delete options.signal;
    delete options.onProgress;
    const setup: JobSetup = {
      path: this.files[0],
      sql: this.split ? rangeSelect(this.args, columns, (this.key as SqliteKey).name) : this.select.sql,
      positional: this.select.values,
      named: this.select.named,
      shape: this.shape(),
      layout: { options, lines: layout.lines },
      separator: recordFrame(layout.options, layout.lines).separator,
    };
    if (!this.split) {
      yield* this.oneJob(setup, signal);
      return;
    }
    this.pool = new OrderedPool(WORKER, setup, this.args.jobs, keyChunks(this.key as SqliteKey, this.args.jobs, CHUNK_ROWS, MAX_CHUNKS_PER_JOB));
    try {
      for await (const batch of this.pool.batches(signal)) {
        this.rows += batch.ends.length;
        yield batch;
      }
    } finally {
      this.notJsonSeen += this.pool.notJson;
      await this.pool.close();
    }
  }

  private async *oneJob(setup: JobSetup, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const encoder = new RowBytes(setup.shape, setup.layout, setup.separator);
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
    }
  }

  fraction(): number | null {
    if (this.key === null || this.args.where !== null || this.args.query !== null) return null;
    const total = Math.max(0, Number(this.key.max - this.key.min) + 1);
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
    let note: string | null = null;
    let split = false;
    if (args.jobs > 1) {
      const reason = singleJobReason(args, found);
      if (reason !== null) note = `--jobs ${args.jobs}: one job used: ${reason}`;
      // the workers name result columns themselves: duplicates must be renamed the same way
      split = reason === null;
    }
    return new SqliteSource(args.source, [path], db, args, select, columns, key, split, note);
  } catch (error) {
    db.close();
    throw error;
  }
}

export const sqliteSource: SourceKind = {
  matches: (source) => source.startsWith('sqlite:'),
  open: (args) => open(args),
};
