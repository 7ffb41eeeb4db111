// Rows written as UTF-8 record bytes straight into batch buffers, each record preceded by the
// output's separator: no string per row and no separate encoding pass. The code that writes a
// row is generated once per result shape from the record template (the library's own text
// between values), so that a row is a straight run of stores. Values JSON.stringify writes as
// the library does are written by the loops of text/json-bytes.ts; doubles take one JSON.stringify
// call per group of rows (a string per double costs about four times as much); anything else
// (bytes, --json-cols text, other dialects) takes the library's text of the value.
import type { RecordBatch, RecordLayout } from '../records.js';
import { BATCH_BYTES } from './batches.js';
import { looksLikeJson } from './json-text.js';
import { RowEncoder, type RowShape } from './rows.js';
import { noteReplacement, replacementWritten, writeBase64String, writeBigInt, writeBytes, writeHexString, writeJsonString, writeText } from '../../text/json-bytes.js';
import { atRow } from './value-errors.js';

/** A batch whose records each follow the output's separator (see RecordBatch). */
export type SeparatedBatch = Extract<RecordBatch, { kind: 'encoded' }> & { ends: number[]; separated: true };

/** The texts of a group of doubles, from one JSON.stringify call, handed out in order. */
export class NumberTexts {
  private text = '';
  private at = 0;

  load(numbers: number[]): void {
    this.text = JSON.stringify(numbers);
    this.at = 1;
  }

  get position(): number {
    return this.at;
  }

  set position(at: number) {
    this.at = at;
  }

  /** Writes the next number's text (ASCII: digits, sign, point, exponent, or null). */
  write(buf: Uint8Array, off: number): number {
    const text = this.text;
    let i = this.at;
    for (let c = text.charCodeAt(i); c !== 44 && c !== 93; c = text.charCodeAt(++i)) buf[off++] = c;
    this.at = i + 1;
    return off;
  }
}

type WriteRow = (row: unknown[], buf: Uint8Array, off: number) => number;

/** What the generated code of a value calls. */
export interface Helpers {
  writeBytes: typeof writeBytes;
  writeJsonString: typeof writeJsonString;
  writeBigInt: typeof writeBigInt;
  looksLikeJson: typeof looksLikeJson;
  /** Bytes as --blob base64 or hex writes them (a string); null for --blob object. */
  writeBlob: typeof writeBase64String | null;
  numbers: NumberTexts;
  /** The library's text of the value of column `col` (a ValueError when it has none). */
  slow: (buf: Uint8Array, off: number, value: unknown, col: number) => number;
}

/** The helpers of the generated code of `encoder`'s values, doubles taken from `numbers`. */
export function helpersOf(encoder: RowEncoder, shape: RowShape, numbers: NumberTexts): Helpers {
  return {
    writeBytes,
    writeJsonString,
    writeBigInt,
    looksLikeJson,
    writeBlob: shape.blob === 'base64' ? writeBase64String : shape.blob === 'hex' ? writeHexString : null,
    numbers,
    slow: (buf, off, value, col) => {
      if (typeof value === 'string' && value.includes('\uFFFD')) noteReplacement();
      return writeText(buf, off, encoder.columnText(value, col));
    },
  };
}

/**
 * The statements that write `value` (JavaScript source for the generated functions, with `buf`,
 * `off`, `v` and the helpers `h` in scope), the value of column `col`. A double is the next of
 * `h.numbers`: the caller has loaded the doubles in the order the code takes them.
 */
export function columnCode(value: string, col: number, native: boolean, jsonCols: boolean, blobs: boolean): string {
  if (!native) return `off = h.slow(buf, off, ${value}, ${col});`;
  const blob = blobs ? `else if (v instanceof Uint8Array) off = h.writeBlob(buf, off, v);\n    ` : '';
  const text = jsonCols ? `h.looksLikeJson(v) ? h.slow(buf, off, v, ${col}) : h.writeJsonString(buf, off, v)` : `h.writeJsonString(buf, off, v)`;
  return `v = ${value};
    if (typeof v === 'string') off = ${text};
    else if (v === null) { buf[off] = 110; buf[off + 1] = 117; buf[off + 2] = 108; buf[off + 3] = 108; off += 4; }
    else if (typeof v === 'bigint') off = h.writeBigInt(buf, off, v);
    else if (typeof v === 'number') off = h.numbers.write(buf, off);
    ${blob}else off = h.slow(buf, off, v, ${col});`;
}

/** Writes the record of a row from the template's pieces and the values, in template order. */
function rowWriter(order: number[], pieces: Uint8Array[], native: boolean, jsonCols: boolean, h: Helpers): WriteRow {
  const blobs = h.writeBlob !== null;
  const body = order.map((col, k) => `off = h.writeBytes(buf, off, p[${k}]);\n    ${columnCode(`row[${col}]`, col, native, jsonCols, blobs)}`).join('\n    ');
  const source = `return function writeRow(row, buf, off) {
    let v;
    ${body}
    return h.writeBytes(buf, off, p[${order.length}]);
  };`;
  return new Function('h', 'p', source)(h, pieces) as WriteRow;
}

/** Pushes a row's doubles (of the columns `order`) in the order the generated code takes them. */
export function numberCollector(order: readonly number[]): (row: unknown[], into: number[]) => void {
  const body = order.map((col) => `if (typeof row[${col}] === 'number') into.push(row[${col}]);`).join('\n  ');
  return new Function('row', 'into', body) as (row: unknown[], into: number[]) => void;
}

/** Encodes groups of rows into separated batches of about `size` bytes. */
export class RowBytes {
  private readonly encoder: RowEncoder;
  private readonly writeRow: WriteRow;
  private readonly collect: ((row: unknown[], into: number[]) => void) | null;
  private readonly numbers = new NumberTexts();
  private readonly numberList: number[] = [];
  private readonly separator: Uint8Array;
  private bytes: Buffer;
  private offset = 0;
  private ends: number[] = [];
  /** Rows encoded since the count was last set to 0: the row a ValueError names counts from there. */
  rows = 0;
  /**
   * Checks a row with text that holds U+FFFD (its `row`-th since `rows` was 0), which a driver
   * may have put for bytes that are not UTF-8; throws a ValueError when it did. Null: not checked.
   */
  checkText: ((row: unknown[], rowNumber: number) => void) | null = null;

  constructor(
    shape: RowShape,
    layout: RecordLayout,
    separator: string,
    private readonly size = BATCH_BYTES,
  ) {
    const encoder = (this.encoder = new RowEncoder(shape, layout));
    const { order, pieces } = encoder.template;
    const native = encoder.values.native;
    const helpers = helpersOf(encoder, shape, this.numbers);
    const encoded = pieces.map((piece) => Buffer.from(piece, 'utf8'));
    this.writeRow = rowWriter(order, encoded, native, shape.jsonCols, helpers);
    this.collect = native ? numberCollector(order) : null;
    this.separator = Buffer.from(separator, 'utf8');
    this.bytes = Buffer.allocUnsafeSlow(size);
  }

  /** --json-cols values that were not JSON, so far. */
  get notJson(): number {
    return this.encoder.notJson;
  }

  set notJson(n: number) {
    this.encoder.notJson = n;
  }

  /** Encodes rows[0 … count); each batch completed on the way goes to `emit`. A ValueError names its row (see `rows`). */
  add(rows: unknown[][], count: number, emit: (batch: SeparatedBatch) => void): void {
    if (this.collect !== null) {
      const list = this.numberList;
      list.length = 0;
      for (let i = 0; i < count; i++) this.collect(rows[i], list);
      this.numbers.load(list);
    }
    let i = 0;
    replacementWritten(); // from here on
    try {
      for (; i < count; i++) {
        this.addRow(rows[i], emit);
        if (this.checkText !== null && replacementWritten()) this.checkText(rows[i], this.rows + i + 1);
      }
    } catch (error) {
      throw atRow(error, this.rows + i + 1);
    }
    this.rows += count;
  }

  private addRow(row: unknown[], emit: (batch: SeparatedBatch) => void): void {
    const mark = this.numbers.position;
    const notJson = this.encoder.notJson;
    let end = this.writeRow(row, this.bytes, writeBytes(this.bytes, this.offset, this.separator));
    if (end > this.bytes.length) {
      // did not fit: the batch ends before this row, which is written again in a new buffer
      const need = end - this.offset;
      this.numbers.position = mark;
      this.encoder.notJson = notJson;
      const full = this.take();
      if (full !== null) emit(full);
      if (need > this.bytes.length) this.bytes = Buffer.allocUnsafeSlow(need);
      end = this.writeRow(row, this.bytes, writeBytes(this.bytes, 0, this.separator));
    }
    this.offset = end;
    this.ends.push(end);
  }

  /** The records encoded so far (null if none); a new buffer is started. */
  take(): SeparatedBatch | null {
    if (this.ends.length === 0) return null;
    const batch: SeparatedBatch = { kind: 'encoded', bytes: this.bytes.subarray(0, this.offset), ends: this.ends, separated: true };
    this.bytes = Buffer.allocUnsafeSlow(this.size);
    this.offset = 0;
    this.ends = [];
    return batch;
  }
}
