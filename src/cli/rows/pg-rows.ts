// PostgreSQL rows written as records, column by column, into batch buffers. How each column is
// read and written is planned once per result (see `planColumns`):
// - 'binary': the server sends the value in its binary form (COPY … FORMAT binary) and it is
//   written here (rows/pg-binary.ts): the server does the least, the other core the rest;
// - 'copy': the server writes the value's JSON (to_json), already the output's text: copied;
// - 'json': the server writes the value's JSON, re-laid out byte by byte (rows/json-relayout.ts);
// - 'value': the server writes the value's JSON, parsed into values and written by the library:
//   where a conversion inside it is needed (floats and int8 in a composite type) or the output
//   sorts keys (--sort-keys, --canonical);
// - 'jsonCols': text under --json-cols: embedded when it holds a JSON object or array.
import { LayoutBytes } from '../../reformat/layout-bytes.js';
import type { RecordLayout } from '../records.js';
import type { PgShape } from '../sql/pg-types.js';
import { JsonRelayout } from './json-relayout.js';
import { reformatFormat } from './json-text-relayout.js';
import { compactsJsonb, JsonbCompact } from './jsonb-compact.js';
import { looksLikeJson, parseJson } from './json-text.js';
import { recordTemplate, type RecordTemplate } from './layout.js';
import { binaryWritable, BinaryWriters, OIDS, type BinaryContext, type BinaryType, type BinaryWriter } from './pg-binary.js';
import { pgConverters } from './pg-values.js';
import { RecordBytes } from './record-bytes.js';
import { textBytesRoom, writeTextBytes } from './text-bytes.js';
import { atRow, valueFailure } from './value-errors.js';
import { nativeScalars, ValueEncoder, type BlobFormat } from './values.js';
import type { EncodedBatch } from './batches.js';
import { recordFrame } from '../record-frame.js';

/** A column of the result, as the plan needs it. */
export interface PgColumn {
  name: string;
  oid: number;
  /** How its binary value is written, or null when it cannot be. */
  binary: BinaryType | null;
  shape: PgShape;
}

export type ColumnPlan =
  | { kind: 'binary'; type: BinaryType }
  | { kind: 'copy' }
  | { kind: 'json' }
  | { kind: 'value' }
  | { kind: 'jsonCols' };

/**
 * Types whose to_json text is compact JSON written as JSON.stringify writes the value (json,
 * jsonb and unknown types may hold spaces; arrays of float4 and float8 hold PostgreSQL's float
 * text, "NaN" and 1e-07).
 */
const COMPACT = new Set([
  16, 18, 19, 20, 21, 23, 25, 26, 1042, 1043, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 17,
  1000, 1002, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1182, 1115, 1185, 1187, 1231, 2951, 1001,
]);

const TEXT_TYPES = new Set<number>([OIDS.text, OIDS.varchar, OIDS.bpchar, OIDS.name]);

/** Whether the output sorts the members of objects: embedded JSON is then parsed into values. */
function sorting(layout: RecordLayout): boolean {
  const o = layout.options as Record<string, unknown>;
  return o.sortKeys === true || o.canonical === true;
}

function holdsJson(type: BinaryType): boolean {
  return type.kind === 'array' ? holdsJson(type.element) : type.oid === OIDS.json || type.oid === OIDS.jsonb;
}

/**
 * How each column is read and written. `binary`: the rows come through COPY in binary (a
 * cursor's rows are text: every column is then the server's JSON, or text under --json-cols).
 */
export function planColumns(columns: readonly PgColumn[], layout: RecordLayout, jsonCols: boolean, binary: boolean): ColumnPlan[] {
  const sorted = sorting(layout);
  const native = nativeScalars(layout.options) && (layout.options as { separators?: unknown }).separators === undefined && !sorted;
  const indent = (layout.options as { indent?: unknown }).indent;
  const compact = native && (indent === undefined || indent === null);
  return columns.map((column): ColumnPlan => {
    const type = column.binary;
    if (jsonCols && type !== null && type.kind === 'scalar' && TEXT_TYPES.has(type.oid) && TEXT_TYPES.has(column.oid)) return { kind: 'jsonCols' };
    if (binary && type !== null && binaryWritable(type) && !(sorted && holdsJson(type))) return { kind: 'binary', type };
    if (column.shape.kind !== 'other' || sorted) return { kind: 'value' };
    return compact && COMPACT.has(column.oid) ? { kind: 'copy' } : { kind: 'json' };
  });
}

/** What a row writer needs besides the plan. */
export interface RowContext {
  columns: readonly PgColumn[];
  plans: readonly ColumnPlan[];
  layout: RecordLayout;
  arrays: boolean;
  blob: BlobFormat;
  /** Column names, unique (as the records' keys). */
  names: readonly string[];
  /** float8 is sent as the server's text (its shortest digits: PostgreSQL 12 on), not as its binary value. */
  floatText: boolean;
}

/** Receives a COPY's (or a cursor's) rows field by field, in the order of `RowWriter.order`. */
export interface FieldSink {
  /** A whole value: data[start, end); start < 0 for NULL. */
  value(field: number, data: Buffer, start: number, end: number): void;
  /** Whether field `field` may come in pieces (a large value, streamed). */
  streams(field: number): boolean;
  /** A piece of a value; `last` ends it. */
  piece(field: number, data: Buffer, start: number, end: number, last: boolean): void;
  /** The row's last field was read. */
  endRow(): void;
}

const NULL_BYTES = Buffer.from('null');

/** The library's text of values, at any depth, with the output's options. */
class LibraryText {
  private readonly encoders: ValueEncoder[] = [];

  constructor(
    private readonly layout: RecordLayout,
    private readonly blob: BlobFormat,
  ) {}

  write(value: unknown, depth: number, out: RecordBytes): void {
    const encoder = (this.encoders[depth] ??= new ValueEncoder(this.layout.options, this.blob, depth));
    const text = encoder.text(value);
    out.ensure(3 * text.length);
    out.pos += out.buf.write(text, out.pos);
  }
}

/**
 * Writes rows as records (see FieldSink) into separated batches handed to `emit`. Rows are
 * counted from this writer's first: a ValueError names its row from there.
 */
export class RowWriter implements FieldSink {
  /** --json-cols values that were not JSON. */
  notJson = 0;
  /** Rows written. */
  rows = 0;
  private readonly out: RecordBytes;
  private readonly template: RecordTemplate;
  private readonly pieces: Buffer[];
  /** By field (template order): the column it is. */
  private readonly fieldColumns: number[];
  private readonly writers: BinaryWriter[];
  private readonly streaming: boolean[];
  private readonly relayout: JsonRelayout;
  /** jsonb made compact (see jsonb-compact.ts), or null when the output's layout needs the re-encoder. */
  private readonly jsonb: JsonbCompact | null;
  /** By field: a jsonb value (binary: a version byte first). */
  private readonly isJsonb: boolean[];
  /** A field being streamed has begun. */
  private begun = false;

  constructor(private readonly ctx: RowContext, emit: (batch: EncodedBatch) => void) {
    const { layout } = ctx;
    this.template = recordTemplate(ctx.names, layout, ctx.arrays);
    this.pieces = this.template.pieces.map((piece) => Buffer.from(piece, 'utf8'));
    this.fieldColumns = this.template.order;
    const format = reformatFormat(layout);
    this.relayout = new JsonRelayout(format);
    this.jsonb = compactsJsonb(format) ? new JsonbCompact() : null;
    const library = new LibraryText(layout, ctx.blob);
    const o = layout.options as Record<string, unknown>;
    const binaryContext: BinaryContext = {
      python: o.dialect === 'python',
      floatText: ctx.floatText,
      directStrings: !format.ensureAscii && !format.escapeHTML && !format.escapeLineTerminators,
      canonical: o.canonical === true,
      blob: ctx.blob,
      layout: new LayoutBytes(format),
      json: this.relayout,
      jsonb: this.jsonb,
      library: (value, depth, out) => library.write(value, depth, out),
    };
    const binaries = new BinaryWriters(binaryContext);
    const converters = new Map(pgConverters(ctx.columns.map((c) => c.shape), o.dialect === 'python'));
    this.writers = this.fieldColumns.map((column) => this.writerOf(column, binaries, binaryContext, library, converters.get(column) ?? null));
    this.streaming = this.fieldColumns.map((column) => {
      const plan = ctx.plans[column];
      return plan.kind === 'json' || (plan.kind === 'binary' && plan.type.kind === 'scalar' && (plan.type.oid === OIDS.json || plan.type.oid === OIDS.jsonb));
    });
    this.isJsonb = this.fieldColumns.map((column) => {
      const plan = ctx.plans[column];
      return plan.kind === 'binary' && plan.type.kind === 'scalar' && plan.type.oid === OIDS.jsonb;
    });
    this.out = new RecordBytes(Buffer.from(recordFrame(layout.options, layout.lines).separator), emit);
  }

  /** The order the fields must come in (column indexes): the order the record writes them. */
  get order(): readonly number[] {
    return this.fieldColumns;
  }

  private writerOf(column: number, binaries: BinaryWriters, ctx: BinaryContext, library: LibraryText, convert: ((v: unknown) => unknown) | null): BinaryWriter {
    const plan = this.ctx.plans[column];
    switch (plan.kind) {
      case 'binary':
        return binaries.of(plan.type);
      case 'copy':
        return (data, start, end, out) => {
          out.ensure(end - start);
          out.buf.set(data.subarray(start, end), out.pos);
          out.pos += end - start;
        };
      case 'json':
        return (data, start, end, out, depth) => this.relayout.write(data, start, end, out, depth);
      case 'value':
        return (data, start, end, out, depth) => {
          const value = parseJson(data.toString('utf8', start, end));
          library.write(convert === null ? value : convert(value), depth, out);
        };
      case 'jsonCols':
        return (data, start, end, out, depth) => this.jsonColsText(data, start, end, out, depth, ctx, library);
    }
  }

  /** Text under --json-cols: embedded when it holds a JSON object or array, else a string (counted when it looked like JSON). */
  private jsonColsText(data: Buffer, start: number, end: number, out: RecordBytes, depth: number, ctx: BinaryContext, library: LibraryText): void {
    const text = data.toString('utf8', start, end);
    if (looksLikeJson(text)) {
      if (sortingOptions(this.ctx.layout)) {
        const value = parseJson(text);
        if (value !== undefined) return library.write(value, depth, out);
      } else if (isJson(text)) {
        return this.relayout.write(data, start, end, out, depth);
      }
      this.notJson++;
    }
    if (!ctx.directStrings) return library.write(text, depth, out);
    out.ensure(textBytesRoom(end - start));
    out.pos = writeTextBytes(out.buf, out.pos, data, start, end);
  }

  value(field: number, data: Buffer, start: number, end: number): void {
    const out = this.out;
    if (field === 0) out.beginRecord();
    out.bytes(this.pieces[field]);
    if (start < 0) out.bytes(NULL_BYTES);
    else {
      try {
        this.writers[field](data, start, end, out, this.template.depth);
      } catch (error) {
        throw this.failure(error, field);
      }
    }
  }

  streams(field: number): boolean {
    return this.streaming[field];
  }

  piece(field: number, data: Buffer, start: number, end: number, last: boolean): void {
    const out = this.out;
    const compact = this.isJsonb[field] ? this.jsonb : null;
    try {
      if (!this.begun) {
        if (field === 0) out.beginRecord();
        out.bytes(this.pieces[field]);
        this.begun = true;
        // jsonb's binary value starts with a version byte
        if (this.isJsonb[field]) start++;
        if (compact !== null) compact.begin();
        else this.relayout.begin(this.template.depth);
      }
      if (compact !== null) compact.part(data, start, end, out);
      else this.relayout.part(data, start, end, out);
      if (last) {
        this.begun = false;
        if (compact === null) this.relayout.end(out);
      }
    } catch (error) {
      throw this.failure(error, field);
    }
  }

  endRow(): void {
    const out = this.out;
    if (this.pieces.length === 1) out.beginRecord(); // a row of no columns
    out.bytes(this.pieces[this.pieces.length - 1]);
    out.endRecord();
    this.rows++;
  }

  /** The records not handed out yet. */
  take(): EncodedBatch | null {
    return this.out.take();
  }

  private failure(error: unknown, field: number): unknown {
    return atRow(valueFailure(error, this.ctx.names[this.fieldColumns[field]]), this.rows + 1);
  }
}

function sortingOptions(layout: RecordLayout): boolean {
  return sorting(layout);
}

/** Whether `text` is JSON (the re-encoder trusts nothing, but a failure half-way would leave part of it written). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
