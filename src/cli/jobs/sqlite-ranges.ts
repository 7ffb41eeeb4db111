// A table's key range read page by page on one connection (the main thread's for one job, a
// worker's for --jobs N), each page encoded into separated batches. A page is a LIMIT of rows
// from a key on, sized from the bytes the last page made, so memory stays bounded whatever the
// rows' size or the key's gaps. Where SQLite can write the records' text (sql/sqlite-text-sql.ts),
// a page is its text and the values of the holes, stitched (rows/text-stitch.ts); a page with
// a value SQLite cannot write (a REAL in an INTEGER column, text that is not UTF-8, …) is read
// again as values and encoded by the row encoder, with every check of that path.
import { isUtf8 } from 'node:buffer';
import { encodeRows } from '../rows/encode-rows.js';
import { RowBytes, type SeparatedBatch } from '../rows/row-bytes.js';
import { TextStitch } from '../rows/text-stitch.js';
import { afterRows } from '../rows/value-errors.js';
import { joinRecord } from '../rows/layout.js';
import { RowEncoder } from '../rows/rows.js';
import type { SqliteDatabase, SqliteStatement } from '../sql/sqlite-driver.js';
import { ODD_MARK, templateProbe, textPlan } from '../sql/sqlite-text-sql.js';
import type { SqliteTextCheck } from '../sql/sqlite-text-check.js';
import { RANGE_PARAMS, type JobSetup } from './protocol.js';

// Bytes of output a page aims at: about one batch, so that a page's values (or text) never hold
// much more than the batch they make.
const PAGE_BYTES = 256 * 1024;
const FIRST_PAGE_ROWS = 256;
const MAX_PAGE_ROWS = 16384;
const INT64_MAX = 2n ** 63n - 1n;

// Pages read as values after SQLite's text had a value it could not write: past this many (and
// a quarter of the pages), the rest is read as values at once, not twice.
const FALLBACKS_BEFORE_VALUES = 4;

interface Page {
  rows: number;
  bytes: number;
  /** The key of the page's last row. */
  last: bigint | null;
}

/** What a page of SQLite's text needs; null when the output or the columns leave SQLite nothing to write. */
interface TextStatements {
  text: SqliteStatement;
  holes: SqliteStatement | null;
  stitch: TextStitch;
}

function textStatements(db: SqliteDatabase, setup: JobSetup, values: SqliteStatement): TextStatements | null {
  const { shape, layout } = setup;
  const encoder = new RowEncoder(shape, layout);
  if (!encoder.values.native || shape.jsonCols) return null;
  const { order } = encoder.template;
  // SQLite writes keys and brackets as the library does only for compact records: check it
  const probe = db.prepare(templateProbe(shape.columns, order, shape.arrays)).all([], {});
  if (probe[0]?.[0] !== joinRecord(encoder.template, order.map(() => 'null'))) return null;
  const types = values.types.slice(0, shape.columns.length);
  const plan = textPlan(setup.sql, shape.columns, types, order, shape.arrays);
  if (plan === null) return null;
  return {
    text: db.prepare(plan.textSql),
    holes: plan.holesSql === null ? null : db.prepare(plan.holesSql),
    stitch: new TextStitch(shape, layout, setup.separator, plan),
  };
}

/** Whether a hole's text holds U+FFFD, which a driver puts for bytes that are not UTF-8. */
function replacementIn(rows: unknown[][]): boolean {
  for (const row of rows) for (const v of row) if (typeof v === 'string' && v.includes('\uFFFD')) return true;
  return false;
}

/** Page sizes: the rows of the first page, and the output bytes the next ones aim at. */
export interface PageSizes {
  firstRows: number;
  bytes: number;
}

export class SqliteRangeReader {
  /** Pages of SQLite's text, and pages read as values (after a text page that could not be used, or all of them). */
  textPages = 0;
  valuePages = 0;
  private readonly values: SqliteStatement;
  private readonly encoder: RowBytes;
  /** Null once SQLite's text is given up (most pages had values it cannot write). */
  private text: TextStatements | null;
  /** The stitcher of the text pages, kept when the text is given up: it may hold rows not yet taken. */
  private readonly stitch: TextStitch | null;
  private fallbacks = 0;

  constructor(
    db: SqliteDatabase,
    private readonly setup: JobSetup,
    /** Checks text holding U+FFFD against its bytes, for the statement `setup.sql` (its columns and the key); null: not checked. */
    private readonly textCheck: SqliteTextCheck | null,
    private readonly sizes: PageSizes = { firstRows: FIRST_PAGE_ROWS, bytes: PAGE_BYTES },
  ) {
    this.values = db.prepare(setup.sql);
    this.encoder = new RowBytes(setup.shape, setup.layout, setup.separator);
    this.text = textStatements(db, setup, this.values);
    this.stitch = this.text?.stitch ?? null;
  }

  /** --json-cols values that were not JSON, so far. */
  get notJson(): number {
    return this.encoder.notJson;
  }

  set notJson(n: number) {
    this.encoder.notJson = n;
  }

  /** Whether SQLite writes the text of this export's records (else every page is read as values). */
  get sqliteText(): boolean {
    return this.text !== null;
  }

  /**
   * The batches of the rows whose key is in lo…hi, in key order; a ValueError's row counts
   * from the range's first row.
   */
  *batches(lo: bigint, hi: bigint): Generator<SeparatedBatch> {
    let rows = this.sizes.firstRows;
    let before = 0;
    for (let from = lo; from <= hi; ) {
      const full: SeparatedBatch[] = [];
      const page = this.page(from, hi, rows, before, (batch) => full.push(batch));
      yield* full;
      before += page.rows;
      if (page.rows < rows || page.last === null || page.last >= INT64_MAX) break;
      from = page.last + 1n;
      const perRow = Math.max(1, page.bytes / page.rows);
      rows = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.round(this.sizes.bytes / perRow)));
    }
    const last = this.encoder.take() ?? this.stitch?.take() ?? null;
    if (last !== null) yield last;
  }

  private page(from: bigint, hi: bigint, rows: number, before: number, emit: (batch: SeparatedBatch) => void): Page {
    const named = { ...this.setup.named, [RANGE_PARAMS.lo]: from, [RANGE_PARAMS.hi]: hi, [RANGE_PARAMS.limit]: BigInt(rows) };
    if (this.text !== null) {
      const page = this.textPage(this.text, named, before, emit);
      if (page !== null) return page;
      this.fallbacks++;
      if (this.fallbacks > FALLBACKS_BEFORE_VALUES && this.fallbacks * 4 > this.textPages + this.fallbacks) this.text = null;
    }
    return this.valuesPage(named, before, emit);
  }

  /** A page of SQLite's text, or null when it holds a value SQLite could not write. */
  private textPage(text: TextStatements, named: Record<string, unknown>, before: number, emit: (batch: SeparatedBatch) => void): Page | null {
    let page;
    try {
      page = text.text.all(this.setup.positional, named)[0] as [Uint8Array | null, bigint, bigint | null];
    } catch {
      return null; // e.g. a text longer than SQLite's largest string: the values may still be written
    }
    const [bytes, count, last] = page;
    if (bytes !== null && (bytes.indexOf(ODD_MARK) >= 0 || !isUtf8(bytes))) return null;
    const holes = text.holes === null ? null : text.holes.all(this.setup.positional, named);
    if (holes !== null && replacementIn(holes)) return null;
    const flushed = this.encoder.take();
    if (flushed !== null) emit(flushed);
    let size = 0;
    const counted = (batch: SeparatedBatch) => {
      size += batch.bytes.length;
      emit(batch);
    };
    const buffer = bytes === null ? Buffer.alloc(0) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const rows = text.stitch.add(buffer, holes, before, counted);
    this.textPages++;
    if (rows !== Number(count)) throw new Error(`SQLite wrote the text of ${rows} rows of ${count}`);
    return { rows, bytes: Math.max(size, buffer.length), last };
  }

  /** A page read as values and encoded by the row encoder. */
  private valuesPage(named: Record<string, unknown>, before: number, emit: (batch: SeparatedBatch) => void): Page {
    const flushed = this.stitch?.take() ?? null;
    if (flushed !== null) emit(flushed);
    const encoder = this.encoder;
    encoder.rows = 0;
    encoder.checkText = this.textCheck?.forStatement(this.setup.sql, this.setup.positional, named) ?? null;
    const rows = this.values.all(this.setup.positional, named);
    this.valuePages++;
    let size = 0;
    try {
      for (const batch of encodeRows(rows[Symbol.iterator](), encoder)) {
        size += batch.bytes.length;
        emit(batch);
      }
    } catch (error) {
      throw afterRows(error, before);
    }
    const key = this.setup.shape.columns.length;
    return { rows: rows.length, bytes: size, last: rows.length === 0 ? null : (rows[rows.length - 1][key] as bigint) };
  }
}
