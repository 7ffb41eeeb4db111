// PostgreSQL values in the binary format of COPY (each type's send function) written as JSON
// bytes, as README's PostgreSQL table says and as the server's own to_json writes them: the
// server only sends what it holds, and the text is made here, on the other core. Integers and
// numeric keep every digit; floats are written as the dialect writes numbers; dates and times
// as to_json writes them in a session with TimeZone UTC; arrays of any dimension; json and
// jsonb re-laid out. What is not written directly (a bigint past 2^53, a non-finite float,
// strings under ensureAscii, --blob object) takes the library's text of the value.
import { RawJSON } from '../../index.js';
import type { LayoutBytes } from '../../reformat/layout-bytes.js';
import { blobValue, type BlobFormat } from './values.js';
import { pythonFloatText } from './floats.js';
import { finiteFloatText, writeFloatText } from './float-text.js';
import type { JsonRelayout } from './json-relayout.js';
import { compactJson, type JsonbCompact } from './jsonb-compact.js';
import type { RecordBytes } from './record-bytes.js';
import { textBytesRoom, writeTextBytes } from './text-bytes.js';

/** Writes the value data[start, end) at `depth` (the depth its lines are indented for). */
export type BinaryWriter = (data: Buffer, start: number, end: number, out: RecordBytes, depth: number) => void;

/** What the writers need of the output. */
export interface BinaryContext {
  python: boolean;
  /** float8 comes as the server's text (see `sentAs`), not as its binary value. */
  floatText: boolean;
  /** Text is escaped as JSON.stringify escapes it: no ensureAscii, escapeHTML or escapeLineTerminators. */
  directStrings: boolean;
  /** RFC 8785: numeric's text is the library's to write. */
  canonical: boolean;
  blob: BlobFormat;
  layout: LayoutBytes;
  json: JsonRelayout;
  /** jsonb's text made compact by dropping spaces (see jsonb-compact.ts), or null: the general re-encoder. */
  jsonb: JsonbCompact | null;
  /** The library's text of `value` at `depth`, written into `out`. */
  library(value: unknown, depth: number, out: RecordBytes): void;
}

/** A type as far as its binary value goes (see sql/pg-types.ts): a scalar by OID, or an array. */
export type BinaryType = { kind: 'scalar'; oid: number } | { kind: 'array'; element: BinaryType };

export const OIDS = {
  bool: 16, bytea: 17, name: 19, int8: 20, int2: 21, int4: 23, text: 25, oid: 26, json: 114,
  float4: 700, float8: 701, bpchar: 1042, varchar: 1043, date: 1082, timestamp: 1114,
  timestamptz: 1184, numeric: 1700, uuid: 2950, jsonb: 3802,
} as const;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const HEX = Buffer.from('0123456789abcdef');
const TWO_32 = 4294967296;

/** Writes ASCII text (numbers, dates) at out.pos. */
function ascii(out: RecordBytes, text: string): void {
  out.ensure(text.length);
  const buf = out.buf;
  let pos = out.pos;
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  out.pos = pos;
}

/** A safe integer's digits at out.pos (no string made). */
function digits(out: RecordBytes, n: number): void {
  out.ensure(17);
  const buf = out.buf;
  let pos = out.pos;
  if (n < 0) {
    buf[pos++] = 45;
    n = -n;
  }
  let count = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) count++;
  const end = pos + count;
  for (let at = end - 1; at >= pos; at--) {
    const q = Math.floor(n / 10);
    buf[at] = 48 + (n - q * 10);
    n = q;
  }
  out.pos = end;
}

/** `n` (0 ≤ n < 10^width) zero-padded to `width` digits at buf[pos]; returns the end. */
function padded(buf: Uint8Array, pos: number, n: number, width: number): number {
  for (let at = pos + width - 1; at >= pos; at--) {
    const q = Math.floor(n / 10);
    buf[at] = 48 + (n - q * 10);
    n = q;
  }
  return pos + width;
}

function writeBool(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  out.bytes(data[start] !== 0 ? TRUE : FALSE);
}

function writeInt2(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  digits(out, data.readInt16BE(start));
}

function writeInt4(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  digits(out, data.readInt32BE(start));
}

function writeOid(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  digits(out, data.readUInt32BE(start));
}

/**
 * float4 is sent as PostgreSQL's text of it (see `sentAs`): its own shortest digits (1.1, not the
 * double 1.100000023841858), which Ryu picks among equally short ones as JavaScript cannot. So is
 * float8 with `floatText` (a server that writes the shortest digits, PostgreSQL 12 on): its text
 * in the dialect's notation (float-text.ts) costs a fraction of String() of the double.
 */
function floatValue(data: Buffer, start: number, end: number): number {
  return Number(data.toString('latin1', start, end)); // 'NaN', 'Infinity' and '-Infinity' included
}

/** The cast a column of `type` is sent with ('::text' for float4, and float8 with `floatText`; '::text[]' for their arrays), or ''. */
export function sentAs(type: BinaryType, floatText: boolean): string {
  if (type.kind === 'array') return sentAs(type.element, floatText) === '' ? '' : '::text[]';
  return type.oid === OIDS.float4 || (floatText && type.oid === OIDS.float8) ? '::text' : '';
}

/** Writers of the scalars whose text depends on the output. */
function scalarWriters(ctx: BinaryContext): Map<number, BinaryWriter> {
  const double = (n: number, out: RecordBytes, depth: number): void => {
    if (!Number.isFinite(n)) ctx.library(n, depth, out);
    else ascii(out, ctx.python ? pythonFloatText(n) : String(n));
  };
  const python = ctx.python;
  // from 1e15 up the double itself (see float-text.ts); non-finite values as the dialect and
  // allowNaN write them (null, NaN, or refused)
  const floatText: BinaryWriter = (data, start, end, out, depth) => {
    if (!finiteFloatText(data, start) || !writeFloatText(data, start, end, out, python)) double(floatValue(data, start, end), out, depth);
  };
  const writeInt8 = (data: Buffer, start: number, _end: number, out: RecordBytes, depth: number): void => {
    const high = data.readInt32BE(start);
    const low = data.readUInt32BE(start + 4);
    // |n| < 2^53: the number is exact; beyond, --bigint and --canonical decide (the library)
    if (high >= -0x200000 && high < 0x200000) digits(out, high * TWO_32 + low);
    else ctx.library(data.readBigInt64BE(start), depth, out);
  };
  const text: BinaryWriter = ctx.directStrings
    ? (data, start, end, out) => {
        out.ensure(textBytesRoom(end - start));
        out.pos = writeTextBytes(out.buf, out.pos, data, start, end);
      }
    : (data, start, end, out, depth) => ctx.library(data.toString('utf8', start, end), depth, out);
  const numeric: BinaryWriter = ctx.canonical
    ? (data, start, _end, out, depth) => {
        const value = numericText(data, start);
        ctx.library(value.startsWith('"') ? JSON.parse(value) : new RawJSON(value), depth, out);
      }
    : writeNumeric;
  const compact = ctx.jsonb;
  // jsonb: a version byte (1), then the text
  const jsonb: BinaryWriter =
    compact !== null ? (data, start, end, out) => compact.write(data, start + 1, end, out) : (data, start, end, out, depth) => ctx.json.write(data, start + 1, end, out, depth);
  const bytea: BinaryWriter =
    ctx.blob === 'object'
      ? (data, start, end, out, depth) => ctx.library(blobValue(data.subarray(start, end), 'object'), depth, out)
      : (data, start, end, out) => ascii(out, `"${data.toString(ctx.blob === 'hex' ? 'hex' : 'base64', start, end)}"`);
  return new Map<number, BinaryWriter>([
    [OIDS.bool, writeBool],
    [OIDS.int2, writeInt2],
    [OIDS.int4, writeInt4],
    [OIDS.oid, writeOid],
    [OIDS.int8, writeInt8],
    [OIDS.float8, ctx.floatText ? floatText : (data, start, _end, out, depth) => double(data.readDoubleBE(start), out, depth)],
    [OIDS.float4, floatText],
    [OIDS.numeric, numeric],
    [OIDS.text, text],
    [OIDS.varchar, text],
    [OIDS.bpchar, text],
    [OIDS.name, text],
    [OIDS.bytea, bytea],
    [OIDS.date, (data, start, _end, out) => ascii(out, `"${dateText(data.readInt32BE(start))}"`)],
    [OIDS.timestamp, (data, start, _end, out) => writeTimestamp(data, start, out, false)],
    [OIDS.timestamptz, (data, start, _end, out) => writeTimestamp(data, start, out, true)],
    [OIDS.uuid, writeUuid],
    [OIDS.json, compact !== null ? (data, start, end, out, depth) => compactJson(data, start, end, out) || ctx.json.write(data, start, end, out, depth) : (data, start, end, out, depth) => ctx.json.write(data, start, end, out, depth)],
    [OIDS.jsonb, jsonb],
  ]);
}

/** The scalar types written from their binary value. */
export const BINARY_SCALARS: ReadonlySet<number> = new Set(Object.values(OIDS));

function writeUuid(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  out.ensure(38);
  const buf = out.buf;
  let pos = out.pos;
  buf[pos++] = 34;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) buf[pos++] = 45;
    const byte = data[start + i];
    buf[pos++] = HEX[byte >> 4];
    buf[pos++] = HEX[byte & 15];
  }
  buf[pos++] = 34;
  out.pos = pos;
}

/**
 * numeric's text as numeric_out writes it: ndigits, weight, sign and dscale, then base-10000
 * digits; NaN and ±Infinity as the JSON strings to_json writes.
 */
export function numericText(data: Buffer, start: number): string {
  const ndigits = data.readInt16BE(start);
  const weight = data.readInt16BE(start + 2);
  const sign = data.readUInt16BE(start + 4);
  const dscale = data.readInt16BE(start + 6);
  if (sign === 0xc000) return '"NaN"';
  if (sign === 0xd000) return '"Infinity"';
  if (sign === 0xf000) return '"-Infinity"';
  const digit = (d: number): number => (d >= 0 && d < ndigits ? data.readInt16BE(start + 8 + 2 * d) : 0);
  let text = sign === 0x4000 ? '-' : '';
  if (weight < 0) text += '0';
  else {
    text += String(digit(0));
    for (let d = 1; d <= weight; d++) text += String(digit(d) + 10000).slice(1);
  }
  if (dscale > 0) {
    let fraction = '';
    for (let d = weight + 1; fraction.length < dscale; d++) fraction += String(digit(d) + 10000).slice(1);
    text += '.' + fraction.slice(0, dscale);
  }
  return text;
}

/** numeric's text (see numericText) written straight into the output, digit by digit. */
function writeNumeric(data: Buffer, start: number, _end: number, out: RecordBytes): void {
  const ndigits = data.readInt16BE(start);
  const weight = data.readInt16BE(start + 2);
  const sign = data.readUInt16BE(start + 4);
  const dscale = data.readInt16BE(start + 6);
  if (sign >= 0xc000) return ascii(out, numericText(data, start));
  out.ensure(4 * Math.max(weight + 1, 1) + dscale + 6);
  const buf = out.buf;
  let pos = out.pos;
  if (sign === 0x4000) buf[pos++] = 45;
  if (weight < 0) buf[pos++] = 48;
  else {
    const first = ndigits > 0 ? data.readInt16BE(start + 8) : 0;
    const width = first >= 1000 ? 4 : first >= 100 ? 3 : first >= 10 ? 2 : 1;
    pos = padded(buf, pos, first, width);
    for (let d = 1; d <= weight; d++) pos = padded(buf, pos, d < ndigits ? data.readInt16BE(start + 8 + 2 * d) : 0, 4);
  }
  if (dscale > 0) {
    buf[pos++] = 46;
    const end = pos + dscale;
    for (let d = weight + 1; pos < end; d++) {
      const digit = d >= 0 && d < ndigits ? data.readInt16BE(start + 8 + 2 * d) : 0;
      if (end - pos >= 4) pos = padded(buf, pos, digit, 4);
      else {
        // the last group, cut at dscale
        const scratch = padded(GROUP, 0, digit, 4);
        for (let k = 0; pos < end && k < scratch; k++) buf[pos++] = GROUP[k];
      }
    }
  }
  out.pos = pos;
}

const GROUP = new Uint8Array(4);

// PostgreSQL's dates count days from 2000-01-01; 10957 days after 1970-01-01.
const DAYS_1970_TO_2000 = 10957;
const DAY_MICROS = 86400000000;

/** The proleptic Gregorian date of `days` after 2000-01-01, as to_json writes it ("0044-03-15 BC"). */
function civilDate(days: number): { text: string; bc: boolean } {
  // Howard Hinnant's days_from_civil inverse; year 0 is 1 BC
  const z = days + DAYS_1970_TO_2000 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const bc = year <= 0;
  const shown = bc ? 1 - year : year;
  return { text: `${String(shown).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`, bc };
}

function dateText(days: number): string {
  if (days === 0x7fffffff) return 'infinity';
  if (days === -0x80000000) return '-infinity';
  const date = civilDate(days);
  return date.bc ? `${date.text} BC` : date.text;
}

/** A timestamp (microseconds from 2000-01-01, int64) as to_json writes it; `zone`: timestamptz, in UTC. */
function timestampText(data: Buffer, start: number, zone: boolean): string {
  const high = data.readInt32BE(start);
  const low = data.readUInt32BE(start + 4);
  if (high === 0x7fffffff && low === 0xffffffff) return 'infinity';
  if (high === -0x80000000 && low === 0) return '-infinity';
  let days: number;
  let micros: number;
  if (high >= -0x100000 && high < 0x100000) {
    const total = high * TWO_32 + low; // |total| < 2^52: exact
    days = Math.floor(total / DAY_MICROS);
    micros = total - days * DAY_MICROS;
  } else {
    const total = data.readBigInt64BE(start);
    const day = BigInt(DAY_MICROS);
    let whole = total / day;
    if (total % day < 0n) whole -= 1n;
    days = Number(whole);
    micros = Number(total - whole * day);
  }
  const date = civilDate(days);
  const seconds = Math.floor(micros / 1000000);
  const fraction = micros - seconds * 1000000;
  const time = Buffer.allocUnsafe(15);
  let pos = padded(time, 0, Math.floor(seconds / 3600), 2);
  time[pos++] = 58;
  pos = padded(time, pos, Math.floor(seconds / 60) % 60, 2);
  time[pos++] = 58;
  pos = padded(time, pos, seconds % 60, 2);
  if (fraction !== 0) {
    time[pos++] = 46;
    pos = padded(time, pos, fraction, 6);
    while (time[pos - 1] === 48) pos--;
  }
  return `${date.text}T${time.toString('latin1', 0, pos)}${zone ? '+00:00' : ''}${date.bc ? ' BC' : ''}`;
}

const ZONE = Buffer.from('+00:00"');

/** A timestamp as timestampText writes it, straight into the output for the years 1000 to 9999 (AD). */
function writeTimestamp(data: Buffer, start: number, out: RecordBytes, zone: boolean): void {
  const high = data.readInt32BE(start);
  // |micros| < 2^52: from 2000-01-01 ± 142 years
  if (high < -0x100000 || high >= 0x100000) return ascii(out, `"${timestampText(data, start, zone)}"`);
  const total = high * TWO_32 + data.readUInt32BE(start + 4);
  const days = Math.floor(total / DAY_MICROS);
  const micros = total - days * DAY_MICROS;
  const seconds = Math.floor(micros / 1000000);
  const fraction = micros - seconds * 1000000;
  out.ensure(40);
  const buf = out.buf;
  let pos = out.pos;
  buf[pos++] = 34;
  pos = writeCivil(buf, pos, days);
  buf[pos++] = 84; // T
  pos = padded(buf, pos, Math.floor(seconds / 3600), 2);
  buf[pos++] = 58;
  pos = padded(buf, pos, Math.floor(seconds / 60) % 60, 2);
  buf[pos++] = 58;
  pos = padded(buf, pos, seconds % 60, 2);
  if (fraction !== 0) {
    buf[pos++] = 46;
    pos = padded(buf, pos, fraction, 6);
    while (buf[pos - 1] === 48) pos--;
  }
  if (zone) for (let k = 0; k < ZONE.length; k++) buf[pos++] = ZONE[k];
  else buf[pos++] = 34;
  out.pos = pos;
}

/** YYYY-MM-DD of `days` after 2000-01-01 (a year from 1858 to 2141: four digits, AD). */
function writeCivil(buf: Uint8Array, pos: number, days: number): number {
  const z = days + DAYS_1970_TO_2000 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  pos = padded(buf, pos, yoe + era * 400 + (month <= 2 ? 1 : 0), 4);
  buf[pos++] = 45;
  pos = padded(buf, pos, month, 2);
  buf[pos++] = 45;
  return padded(buf, pos, day, 2);
}

/** Whether every type inside `type` has a binary writer. */
export function binaryWritable(type: BinaryType): boolean {
  return type.kind === 'array' ? binaryWritable(type.element) : BINARY_SCALARS.has(type.oid);
}

/** The writers of a result's types, made once per output. */
export class BinaryWriters {
  private readonly scalars: Map<number, BinaryWriter>;

  constructor(private readonly ctx: BinaryContext) {
    this.scalars = scalarWriters(ctx);
  }

  /** The writer of values of `type` (binaryWritable). */
  of(type: BinaryType): BinaryWriter {
    if (type.kind === 'scalar') return this.scalars.get(type.oid) as BinaryWriter;
    return this.array(this.of(type.element));
  }

  /** An array of any dimension (lower bounds left out, as to_json leaves them), laid out as the output lays out arrays. */
  private array(element: BinaryWriter): BinaryWriter {
    const layout = this.ctx.layout;
    const flat = layout.indent === null;
    return (data, start, _end, out, depth) => {
      const dims = data.readInt32BE(start);
      if (dims === 0) {
        out.bytes(EMPTY);
        return;
      }
      if (dims === 1 && flat) return oneDimension(data, start, out, depth, element, layout.itemSep);
      const sizes: number[] = [];
      for (let k = 0; k < dims; k++) sizes.push(data.readInt32BE(start + 12 + 8 * k));
      let at = start + 12 + 8 * dims;
      const level = (k: number, d: number): void => {
        out.bytes(OPEN);
        const size = sizes[k];
        for (let i = 0; i < size; i++) {
          if (layout.indent !== null) out.bytes(i === 0 ? layout.newline(d + 1) : layout.separatorLine(d + 1));
          else if (i > 0) out.bytes(layout.itemSep);
          if (k < dims - 1) {
            level(k + 1, d + 1);
            continue;
          }
          const length = data.readInt32BE(at);
          at += 4;
          if (length < 0) out.bytes(NULL);
          else {
            element(data, at, at + length, out, d + 1);
            at += length;
          }
        }
        if (layout.indent !== null && size > 0) out.bytes(layout.newline(d));
        out.bytes(CLOSE);
      };
      level(0, depth);
    };
  }
}

/** A one-dimensional array in a layout without line breaks (most arrays): no level to recurse into. */
function oneDimension(data: Buffer, start: number, out: RecordBytes, depth: number, element: BinaryWriter, itemSep: Uint8Array): void {
  const size = data.readInt32BE(start + 12);
  let at = start + 20;
  out.bytes(OPEN);
  for (let i = 0; i < size; i++) {
    if (i > 0) out.bytes(itemSep);
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0) out.bytes(NULL);
    else {
      element(data, at, at + length, out, depth + 1);
      at += length;
    }
  }
  out.bytes(CLOSE);
}

const EMPTY = Buffer.from('[]');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');
const NULL = Buffer.from('null');
