// Records from the text SQLite writes (sql/sqlite-text-sql.ts): a key range's rows as one
// buffer, each row a mark and its segments (json_object() runs of the columns SQLite writes, hex
// of the BLOB columns), and the values of the other columns (the holes) read apart. The run texts
// are copied as they are, their braces left out and the separator between members kept; the
// holes are written between them by the row encoder's own code, the BLOBs from their hex as
// --blob asks. The code that stitches a row is generated once per plan, as RowBytes's is.
import type { RecordLayout } from '../records.js';
import { ROW_MARK, SEGMENT_END, type TextPlan } from '../sql/sqlite-text-sql.js';
import { BATCH_BYTES } from './batches.js';
import { columnCode, helpersOf, NumberTexts, numberCollector, type Helpers, type SeparatedBatch } from './row-bytes.js';
import { RowEncoder, type RowShape } from './rows.js';
import { atRow } from './value-errors.js';
import { writeBase64OfHex, writeBytes, writeLowerHexOfHex } from '../../text/json-bytes.js';

type StitchRow = (text: Uint8Array, i: number, end: number, holes: unknown[] | undefined, buf: Uint8Array, off: number) => number;

const OBJECT_OPEN = Buffer.from('{"$base64":');

/** {"$base64": …} of --blob object, compact (a plan is used for compact records only). */
function writeObjectOfHex(text: Uint8Array, from: number, to: number, buf: Uint8Array, off: number): number {
  off = writeBytes(buf, off, OBJECT_OPEN);
  off = writeBase64OfHex(text, from, to, buf, off);
  buf[off] = 0x7d;
  return off + 1;
}

/** text[from, to) copied; past the end of `buf` only counted (the caller then writes the row again elsewhere). */
function copyBytes(text: Uint8Array, from: number, to: number, buf: Uint8Array, off: number): number {
  const length = to - from;
  if (length < 64) {
    for (let k = from; k < to; k++) buf[off++] = text[k];
    return off;
  }
  if (off + length <= buf.length) buf.set(text.subarray(from, to), off);
  return off + length;
}

interface StitchHelpers extends Helpers {
  copy: typeof copyBytes;
  blob: typeof writeBase64OfHex;
}

/** The statements of one slot (JavaScript source inside the generated function). */
function slotCode(plan: TextPlan, s: number, order: readonly number[], native: boolean, blobs: boolean): string {
  const slot = plan.slots[s];
  const texts = plan.slots.filter((x) => x.kind !== 'hole');
  const lastText = slot === texts[texts.length - 1];
  // where this segment ends: at the next segment's mark, or the row's end for the last one
  const segmentEnd = lastText ? 'j = end;' : `j = text.indexOf(${SEGMENT_END}, i);`;
  if (slot.kind === 'hole') return `off = h.writeBytes(buf, off, p[${slot.at}]);\n    ${columnCode(`holes[${slot.hole}]`, order[slot.at], native, false, blobs)}`;
  if (slot.kind === 'blob') {
    return `off = h.writeBytes(buf, off, p[${slot.at}]);
    ${segmentEnd}
    if (j === i + 1 && text[i] === 110) { buf[off] = 110; buf[off + 1] = 117; buf[off + 2] = 108; buf[off + 3] = 108; off += 4; }
    else off = h.blob(text, i, j, buf, off);
    i = j + 1;`;
  }
  // a run: its opening bracket when it opens the record, else the separator between members
  const open = slot.from === 0 ? 'off = h.copy(text, i, j - 1, buf, off);' : 'buf[off++] = 44;\n    off = h.copy(text, i + 1, j - 1, buf, off);';
  return `${segmentEnd}\n    ${open}\n    i = j + 1;`;
}

function stitcher(plan: TextPlan, order: readonly number[], pieces: Uint8Array[], native: boolean, h: StitchHelpers): StitchRow {
  const blobs = h.writeBlob !== null;
  const body = plan.slots.map((_, s) => slotCode(plan, s, order, native, blobs)).join('\n    ');
  const source = `return function stitchRow(text, i, end, holes, buf, off) {
    let v, j;
    ${body}
    return h.writeBytes(buf, off, p[${order.length}]);
  };`;
  return new Function('h', 'p', source)(h, pieces) as StitchRow;
}

/** Encodes key ranges' text and holes into separated batches of about `size` bytes. */
export class TextStitch {
  private readonly stitchRow: StitchRow;
  private readonly collect: ((row: unknown[], into: number[]) => void) | null;
  private readonly numbers = new NumberTexts();
  private readonly numberList: number[] = [];
  private readonly separator: Uint8Array;
  private bytes: Buffer;
  private offset = 0;
  private ends: number[] = [];

  constructor(
    shape: RowShape,
    layout: RecordLayout,
    separator: string,
    plan: TextPlan,
    private readonly size = BATCH_BYTES,
  ) {
    const encoder = new RowEncoder(shape, layout);
    const { order, pieces } = encoder.template;
    const blob = shape.blob === 'base64' ? writeBase64OfHex : shape.blob === 'hex' ? writeLowerHexOfHex : writeObjectOfHex;
    const helpers: StitchHelpers = { ...helpersOf(encoder, shape, this.numbers), copy: copyBytes, blob };
    const encoded = pieces.map((piece) => Buffer.from(piece, 'utf8'));
    this.stitchRow = stitcher(plan, order, encoded, encoder.values.native, helpers);
    const holeColumns = plan.slots.flatMap((slot) => (slot.kind === 'hole' ? [slot.hole] : []));
    this.collect = holeColumns.length === 0 ? null : numberCollector(holeColumns);
    this.separator = Buffer.from(separator, 'utf8');
    this.bytes = Buffer.allocUnsafeSlow(size);
  }

  /**
   * Encodes the rows of `text` (and their `holes`, one row of values each); each batch completed
   * on the way goes to `emit`. Returns the number of rows; a ValueError names its row counted
   * after `before` rows.
   */
  add(text: Uint8Array, holes: unknown[][] | null, before: number, emit: (batch: SeparatedBatch) => void): number {
    if (this.collect !== null && holes !== null) {
      const list = this.numberList;
      list.length = 0;
      for (let r = 0; r < holes.length; r++) this.collect(holes[r], list);
      this.numbers.load(list);
    }
    const n = text.length;
    let rows = 0;
    try {
      for (let i = 0; i < n; rows++) {
        let end = text.indexOf(ROW_MARK, i + 1);
        if (end < 0) end = n;
        this.addRow(text, i + 1, end, holes?.[rows], emit);
        i = end;
      }
    } catch (error) {
      throw atRow(error, before + rows + 1);
    }
    if (holes !== null && holes.length !== rows) throw new Error(`SQLite text of ${rows} rows, but ${holes.length} rows of values`);
    return rows;
  }

  private addRow(text: Uint8Array, i: number, end: number, holes: unknown[] | undefined, emit: (batch: SeparatedBatch) => void): void {
    const mark = this.numbers.position;
    let off = this.stitchRow(text, i, end, holes, this.bytes, writeBytes(this.bytes, this.offset, this.separator));
    if (off > this.bytes.length) {
      // did not fit: the batch ends before this row, which is written again in a new buffer
      const need = off - this.offset;
      this.numbers.position = mark;
      const full = this.take();
      if (full !== null) emit(full);
      if (need > this.bytes.length) this.bytes = Buffer.allocUnsafeSlow(need);
      off = this.stitchRow(text, i, end, holes, this.bytes, writeBytes(this.bytes, 0, this.separator));
    }
    this.offset = off;
    this.ends.push(off);
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
