// A byte-level JSON re-encoder: reads JSON text (UTF-8 bytes, in chunks cut anywhere except
// inside a character: see utf8.ts) and writes it again with another layout, checking the
// grammar as strictly as JSON.parse. Nothing is decoded that does not need to change: the input
// is copied in spans (numbers, literals, strings without escapes, and, when the layout matches,
// the punctuation between them), and only white space, separators, indentation and the escapes
// that JSON.stringify writes differently interrupt a span. Memory holds the nesting stack and the
// output buffer, whatever the size of a string or of the document.

import { JSONDumpError } from '../errors.js';
import { pathSegment } from '../json-path.js';
import {
  BACKSLASH,
  KEPT_ESCAPE,
  NEWLINE,
  QUOTE,
  SHORT_ESCAPE,
  hexValue,
  readUtf8,
  utf8Length,
  writeUnicodeEscape,
  writeUtf8,
} from './bytes.js';
import type { ReformatFormat } from './format.js';

/** What the parser expects next. */
const enum St {
  /** A value: the document's, a member's after ':', an element's after ','. */
  Value,
  /** After '[': an element or ']'. */
  FirstElement,
  /** JSON Lines input, between records: a record, a blank line or the end. */
  NextRecord,
  /** After '{': a key or '}'. */
  FirstKey,
  /** After ',' in an object: a key. */
  Key,
  Colon,
  /** After a value inside a container: ',' or the closing bracket (or, in JSON Lines, the end of the line). */
  After,
  /** After the document's value: only white space. */
  End,
  String,
  /** After a backslash in a string. */
  Escape,
  /** Reading the four hex digits of \uXXXX. */
  Unicode,
  /** After the \uXXXX of a high surrogate: a backslash may start its low half. */
  SurrogateBackslash,
  SurrogateU,
  Number,
  Literal,
}

/** Where a number is, digit by digit (the JSON grammar). */
const enum Num {
  Minus,
  Zero,
  Int,
  Dot,
  Frac,
  Exp,
  ExpSign,
  ExpDigits,
}

const OBJECT = 1;
const ARRAY = 2;

const LITERALS = new Map<number, Uint8Array>([
  [0x74, new TextEncoder().encode('true')],
  [0x66, new TextEncoder().encode('false')],
  [0x6e, new TextEncoder().encode('null')],
]);

// Only the start of a key is kept for error paths.
const KEY_MEMORY = 256;
// The encoder pauses once this much output is pending, so that the writer takes it in chunks of
// about this size, and a deep document with a large indent cannot fill memory from one input chunk.
const DEFAULT_PAUSE_AT = 1 << 16;

/** An input error: where it is, as a byte offset and as line and column (in bytes), and the JSON path. */
export class JSONInputError extends JSONDumpError {
  constructor(
    code: 'ERR_INVALID_JSON' | 'ERR_INVALID_UTF8',
    message: string,
    path: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(code, message, path);
    this.name = 'JSONInputError';
  }
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const VISIBLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const codeOf = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The character at buf[i] for an error message: 'x' when it is visible, else U+XXXX. */
function describe(buf: Uint8Array, i: number): string {
  const c = buf[i];
  if (c < 0x80) return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : codeOf(c);
  if (c < 0xc2 || i + utf8Length(c) > buf.length) return `byte 0x${c.toString(16)}`;
  const ch = decoder.decode(buf.subarray(i, i + utf8Length(c)));
  return VISIBLE.test(ch) ? `'${ch}'` : codeOf(ch.codePointAt(0)!);
}

export class ReformatEncoder {
  /** JSON values written so far, at every depth (a top-level array that is not written is not counted). */
  values = 0;
  /** Elements of the top-level array (or records of JSON Lines input) completed so far. */
  items = 0;
  /** Records and lines output: the top-level value is not an array, so it is one record. */
  single = false;

  private readonly f: ReformatFormat;
  private out: Uint8Array;
  private pos = 0;
  /** Record ends noted in the output not yet taken (records output). */
  private ends: number[] = [];
  private readonly pauseAt: number;
  private readonly outputSize: number;

  // Input position, for errors.
  private consumed = 0;
  private base = 0;
  private line = 1;
  private lineStart = 0;

  private state = St.Value;
  /** Where in the current chunk the pending copy starts; -1 inside an escape sequence (written explicitly). */
  private span = 0;
  private depth = 0;
  private kinds = new Uint8Array(64);
  private indices = new Float64Array(64);
  /** The top-level array (or JSON Lines' implicit one) holds records: it is not written itself. */
  private recordsTop = false;
  private readonly jsonl: boolean;

  // The key of each open object, for error paths: a view of the chunk it was read in.
  private keyChunks: (Uint8Array | null)[] = [];
  private keyFrom: number[] = [];
  private keyTo: number[] = [];

  // String state.
  private inKey = false;
  private hex = 0;
  private hexDigits = 0;
  private high = 0;
  // Number and literal state.
  private num = Num.Int;
  private literal: Uint8Array = LITERALS.get(0x74)!;
  private literalPos = 0;

  // The layout, as bytes.
  private readonly table = new Uint8Array(256);
  private readonly indent: Uint8Array | null;
  private readonly newlines: Uint8Array[] = [];
  private readonly separatorLines: Uint8Array[] = [];
  private readonly itemSep: Uint8Array;
  private readonly keySep: Uint8Array;
  /** ',' and ':' of the input are written as they are: no span break at them. */
  private readonly sameItemSep: boolean;
  private readonly sameKeySep: boolean;

  constructor(format: ReformatFormat, options: { pauseAt?: number } = {}) {
    this.f = format;
    this.pauseAt = options.pauseAt ?? DEFAULT_PAUSE_AT;
    this.outputSize = Math.max(4096, this.pauseAt + (this.pauseAt >> 1));
    this.out = Buffer.allocUnsafeSlow(this.outputSize);
    this.jsonl = format.input === 'jsonl';
    this.indent = format.indent === null ? null : utf8.encode(format.indent);
    this.itemSep = utf8.encode(format.itemSep);
    this.keySep = utf8.encode(format.keySep);
    this.sameItemSep = format.indent === null && format.itemSep === ',';
    this.sameKeySep = format.keySep === ':';
    this.buildTable();
    if (this.jsonl) {
      // JSON Lines is read as the elements of an array that has no brackets.
      this.push(ARRAY);
      this.state = St.NextRecord;
      if (format.output === 'document') this.writeByte(0x5b);
      else this.recordsTop = true;
    }
  }

  /** Output bytes not yet taken. */
  get pending(): number {
    return this.pos;
  }

  /**
   * Reads buf[start..] until its end or until enough output is pending (see `pending`);
   * returns where it stopped. A chunk must not end inside a UTF-8 character.
   */
  write(buf: Uint8Array, start = 0): number {
    const n = buf.length;
    this.base = this.consumed - start;
    let i = start;
    this.span = this.state >= St.Escape && this.state <= St.SurrogateU ? -1 : i;
    if (this.consumed === 0 && start === 0 && n >= 3 && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) {
      i += 3; // a byte order mark
      this.span = i;
    }
    while (i < n && this.pos < this.pauseAt) {
      switch (this.state) {
        case St.String:
          i = this.stringPart(buf, i, n);
          break;
        case St.After:
          i = this.after(buf, i);
          break;
        case St.Value:
          i = this.value(buf, i, null);
          break;
        case St.Colon:
          i = this.colon(buf, i);
          break;
        case St.Number:
          i = this.numberPart(buf, i, n);
          break;
        case St.FirstKey:
        case St.Key:
          i = this.key(buf, i);
          break;
        case St.FirstElement:
          i = this.value(buf, i, this.indent === null || this.inRecordsTop() ? null : this.newline(this.depth));
          break;
        case St.NextRecord:
          i = this.nextRecord(buf, i);
          break;
        case St.Literal:
          i = this.literalPart(buf, i, n);
          break;
        case St.End:
          i = this.end(buf, i);
          break;
        case St.Escape:
          i = this.escape(buf, i);
          break;
        case St.Unicode:
          i = this.unicode(buf, i, n);
          break;
        case St.SurrogateBackslash:
          i = this.surrogateBackslash(buf, i);
          break;
        case St.SurrogateU:
          i = this.surrogateU(buf, i);
          break;
      }
    }
    if (this.span >= 0) this.copy(buf, this.span, i);
    this.consumed = this.base + i;
    return i;
  }

  /** After the last chunk: checks that the input was complete and closes what the layout opened. */
  finish(): void {
    if (this.state === St.Number) {
      if (this.num === Num.Zero || this.num === Num.Int || this.num === Num.Frac || this.num === Num.ExpDigits) this.endValueAt(null, 0);
      else throw this.error('the input ends inside a number', 0, null);
    }
    switch (this.state) {
      case St.End:
        return;
      case St.NextRecord:
      case St.After:
        if (this.jsonl && this.depth === 1) return this.closeJsonLines();
        break;
      case St.Value:
        if (this.depth === 0) throw this.error('the input holds no JSON value', 0, null);
        break;
    }
    const inside = this.state >= St.String && this.state <= St.SurrogateU ? 'a string' : this.state === St.Literal ? 'a literal' : this.depth > 0 ? (this.kinds[this.depth] === OBJECT ? 'an object' : 'an array') : 'a value';
    throw this.error(`the input ends inside ${inside}`, 0, null);
  }

  /** The output so far, handed over (the encoder writes into a new buffer from now on). */
  take(): Uint8Array {
    const bytes = this.out.subarray(0, this.pos);
    this.out = Buffer.allocUnsafeSlow(this.outputSize);
    this.pos = 0;
    return bytes;
  }

  /** Records output: the output so far and where each record in it ends (see RecordOutput). */
  takeRecords(): { bytes: Uint8Array; ends: number[] } {
    const ends = this.ends;
    this.ends = [];
    return { bytes: this.take(), ends };
  }

  // ------------------------------------------------------------------ structure

  private inRecordsTop(): boolean {
    return this.recordsTop && this.depth === 1;
  }

  /**
   * A value starts at buf[i] (after white space, which is skipped here); `prefix` is the
   * indentation to write before it, if any.
   */
  private value(buf: Uint8Array, i: number, prefix: Uint8Array | null): number {
    const c = buf[i];
    if (c <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    if (c === 0x5d && this.state === St.FirstElement) return this.close(buf, i, ARRAY, false);
    if (prefix !== null) this.breakSpan(buf, i, prefix, i);
    if (this.depth === 0 && this.f.output !== 'document' && c !== 0x5b) this.single = true;
    switch (c) {
      case QUOTE:
        this.inKey = false;
        this.state = St.String;
        return i + 1;
      case 0x7b: // {
        this.push(OBJECT);
        this.state = St.FirstKey;
        return i + 1;
      case 0x5b: // [
        if (this.depth === 0 && this.f.output !== 'document') {
          // The top-level array of records is not written: each element is a record.
          this.recordsTop = true;
          this.breakSpan(buf, i, null, i + 1);
        }
        this.push(ARRAY);
        this.state = St.FirstElement;
        return i + 1;
      case 0x2d: // -
        this.num = Num.Minus;
        this.state = St.Number;
        return i + 1;
      case 0x30:
        this.num = Num.Zero;
        this.state = St.Number;
        return i + 1;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.num = Num.Int;
      this.state = St.Number;
      return i + 1;
    }
    const literal = LITERALS.get(c);
    if (literal !== undefined) {
      this.literal = literal;
      this.literalPos = 1;
      this.state = St.Literal;
      return i + 1;
    }
    throw this.error(`expected a value, found ${describe(buf, i)}`, i, buf);
  }

  private nextRecord(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c === NEWLINE) return this.lineBreak(buf, i);
    if (c <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    let prefix: Uint8Array | null = null;
    if (!this.recordsTop && this.items > 0) prefix = this.indent === null ? this.itemSep : this.separatorLine();
    else if (!this.recordsTop && this.indent !== null) prefix = this.newline(1);
    return this.value(buf, i, prefix);
  }

  private key(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    if (c === QUOTE) {
      if (this.state === St.FirstKey && this.indent !== null) this.breakSpan(buf, i, this.newline(this.depth), i);
      this.inKey = true;
      this.state = St.String;
      const d = this.depth;
      this.keyChunks[d] = buf;
      this.keyFrom[d] = i + 1;
      this.keyTo[d] = -1;
      return i + 1;
    }
    if (c === 0x7d && this.state === St.FirstKey) return this.close(buf, i, OBJECT, false);
    const expected = this.state === St.FirstKey ? "a string key or '}'" : 'a string key';
    throw this.error(`expected ${expected}, found ${describe(buf, i)}`, i, buf);
  }

  private colon(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c === 0x3a) {
      if (!this.sameKeySep) this.breakSpan(buf, i, this.keySep, i + 1);
      this.state = St.Value;
      return i + 1;
    }
    if (c <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    throw this.error(`expected ':', found ${describe(buf, i)}`, i, buf);
  }

  private after(buf: Uint8Array, i: number): number {
    const c = buf[i];
    const kind = this.kinds[this.depth];
    if (c === 0x2c && !(this.jsonl && this.depth === 1)) {
      this.indices[this.depth]++;
      if (this.inRecordsTop()) this.breakSpan(buf, i, null, i + 1);
      else if (!this.sameItemSep) this.breakSpan(buf, i, this.indent === null ? this.itemSep : this.separatorLine(), i + 1);
      this.state = kind === OBJECT ? St.Key : St.Value;
      return i + 1;
    }
    if (c === 0x5d || c === 0x7d) {
      if (!(this.jsonl && this.depth === 1)) return this.close(buf, i, c === 0x5d ? ARRAY : OBJECT, true);
    } else if (c === NEWLINE && this.jsonl && this.depth === 1) {
      this.indices[1]++;
      this.state = St.NextRecord;
      return this.lineBreak(buf, i);
    } else if (c <= 0x20 && this.isSpaceAt(buf, i)) {
      return this.skipSpace(buf, i);
    }
    const expected = this.jsonl && this.depth === 1 ? 'the end of the line' : kind === OBJECT ? "',' or '}'" : "',' or ']'";
    throw this.error(`expected ${expected}, found ${describe(buf, i)}`, i, buf);
  }

  private end(buf: Uint8Array, i: number): number {
    if (buf[i] <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    throw this.error(`unexpected ${describe(buf, i)} after the JSON value`, i, buf);
  }

  private close(buf: Uint8Array, i: number, kind: number, nonEmpty: boolean): number {
    if (this.kinds[this.depth] !== kind) {
      throw this.error(`expected ${this.kinds[this.depth] === OBJECT ? "',' or '}'" : "',' or ']'"}, found ${describe(buf, i)}`, i, buf);
    }
    if (this.inRecordsTop()) {
      this.breakSpan(buf, i, null, i + 1);
      this.depth--;
      this.state = St.End;
      return i + 1;
    }
    if (nonEmpty && this.indent !== null) this.breakSpan(buf, i, this.newline(this.depth - 1), i);
    this.depth--;
    this.endValueAt(buf, i + 1);
    return i + 1;
  }

  private push(kind: number): void {
    const d = ++this.depth;
    if (d >= this.kinds.length) {
      const kinds = new Uint8Array(this.kinds.length * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
      const indices = new Float64Array(this.indices.length * 2);
      indices.set(this.indices);
      this.indices = indices;
    }
    this.kinds[d] = kind;
    this.indices[d] = 0;
  }

  /** A value ended (its last byte is before the current position). */
  private endValue(): void {
    this.values++;
    const d = this.depth;
    if (d === 0) {
      this.state = St.End;
      return;
    }
    this.state = St.After;
    if (d === 1 && this.kinds[1] === ARRAY) this.items++;
  }

  /**
   * A value ends before buf[next] (null: at the end of the input, all of it copied); when it is
   * a record, lines output writes its line break and records output notes its end.
   */
  private endValueAt(buf: Uint8Array | null, next: number): void {
    this.endValue();
    if (this.f.output === 'document') return;
    if (!((this.inRecordsTop() && this.state === St.After) || (this.depth === 0 && this.single))) return;
    if (buf !== null) {
      if (this.span >= 0) this.copy(buf, this.span, next);
      this.span = next;
    }
    if (this.f.output === 'lines') this.writeByte(NEWLINE);
    else this.ends.push(this.pos);
  }

  private closeJsonLines(): void {
    this.depth = 0;
    this.state = St.End;
    if (this.recordsTop) return;
    if (this.items > 0 && this.indent !== null) this.writeBytes(this.newline(0));
    this.writeByte(0x5d);
    this.values++;
  }

  // ------------------------------------------------------------------ white space

  private isSpaceAt(buf: Uint8Array, i: number): boolean {
    const c = buf[i];
    return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
  }

  /** Skips white space from buf[i]; in JSON Lines stops at a line break, which the states decide on. */
  private skipSpace(buf: Uint8Array, i: number): number {
    if (this.span >= 0) this.copy(buf, this.span, i);
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf[i];
      if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
      if (c !== NEWLINE) break;
      if (this.jsonl) {
        // the states decide on a line break between records; inside one it is an error
        if (this.depth === 1 && (this.state === St.After || this.state === St.NextRecord)) break;
        throw this.error('the line ends inside a record (each JSON Lines record is one line)', i, buf);
      }
      this.line++;
      this.lineStart = this.base + i + 1;
    }
    this.span = i;
    return i;
  }

  private lineBreak(buf: Uint8Array, i: number): number {
    if (this.span >= 0) this.copy(buf, this.span, i);
    this.line++;
    this.lineStart = this.base + i + 1;
    this.span = i + 1;
    return i + 1;
  }

  // ------------------------------------------------------------------ scalars

  /** Reads string bytes from buf[i]: plain ones are left in the span, the rest written. */
  private stringPart(buf: Uint8Array, i: number, n: number): number {
    const table = this.table;
    for (;;) {
      while (i < n && table[buf[i]] === 0) i++;
      if (i === n) return n;
      const c = buf[i];
      if (c === QUOTE) {
        if (this.inKey) {
          const d = this.depth;
          this.keyTo[d] = this.keyChunks[d] === buf ? i : -2;
          this.state = St.Colon;
          return i + 1;
        }
        this.endValueAt(buf, i + 1);
        return i + 1;
      }
      if (c === BACKSLASH) {
        if (i + 1 < n && KEPT_ESCAPE[buf[i + 1]] === 1) {
          i += 2;
          continue;
        }
        this.copy(buf, this.span, i);
        this.span = -1;
        this.state = St.Escape;
        return i + 1;
      }
      if (c < 0x20) throw this.error(`unescaped control character ${describe(buf, i)} in a string`, i, buf);
      this.copy(buf, this.span, i);
      i = this.special(buf, i);
      this.span = i;
    }
  }

  /** A character the format escapes although the input has it raw: DEL, <>&, non-ASCII. */
  private special(buf: Uint8Array, i: number): number {
    const c = buf[i];
    this.ensure(12);
    if (c < 0x80) {
      this.pos = writeUnicodeEscape(this.out, this.pos, c);
      return i + 1;
    }
    const length = utf8Length(c);
    const cp = readUtf8(buf, i);
    if (this.f.ensureAscii) this.writeEscapedCodePoint(cp);
    else if (cp === 0x2028 || cp === 0x2029) this.pos = writeUnicodeEscape(this.out, this.pos, cp);
    else this.copy(buf, i, i + length);
    return i + length;
  }

  private escape(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (KEPT_ESCAPE[c] === 1) {
      this.ensure(2);
      this.out[this.pos++] = BACKSLASH;
      this.out[this.pos++] = c;
      return this.resumeString(i + 1);
    }
    if (c === 0x2f) {
      this.writeByte(0x2f); // \/ is written '/'
      return this.resumeString(i + 1);
    }
    if (c === 0x75) {
      this.hex = 0;
      this.hexDigits = 0;
      this.state = St.Unicode;
      return i + 1;
    }
    throw this.error(`invalid escape '\\${describe(buf, i).replace(/^'|'$/g, '')}' in a string`, i - 1, buf);
  }

  private unicode(buf: Uint8Array, i: number, n: number): number {
    while (i < n && this.hexDigits < 4) {
      const v = hexValue(buf[i]);
      if (v < 0) throw this.error(`invalid \\u escape: ${describe(buf, i)} is not a hex digit`, i, buf);
      this.hex = (this.hex << 4) | v;
      this.hexDigits++;
      i++;
    }
    if (this.hexDigits < 4) return i;
    const unit = this.hex;
    if (this.high !== 0) {
      const high = this.high;
      this.high = 0;
      if (unit >= 0xdc00 && unit <= 0xdfff) {
        this.writeEscapedCodePoint(0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00), true);
        return this.resumeString(i);
      }
      this.writeUnit(high);
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      this.high = unit;
      this.state = St.SurrogateBackslash;
      return i;
    }
    this.writeUnit(unit);
    return this.resumeString(i);
  }

  private surrogateBackslash(buf: Uint8Array, i: number): number {
    if (buf[i] === BACKSLASH) {
      this.state = St.SurrogateU;
      return i + 1;
    }
    this.writeUnit(this.high);
    this.high = 0;
    return this.resumeString(i);
  }

  private surrogateU(buf: Uint8Array, i: number): number {
    if (buf[i] === 0x75) {
      this.hex = 0;
      this.hexDigits = 0;
      this.state = St.Unicode;
      return i + 1;
    }
    // a lone high surrogate followed by another escape
    this.writeUnit(this.high);
    this.high = 0;
    this.state = St.Escape;
    return i;
  }

  private resumeString(i: number): number {
    this.state = St.String;
    this.span = i;
    return i;
  }

  /** A UTF-16 code unit read from a \u escape, written as JSON.stringify writes it. */
  private writeUnit(unit: number): void {
    this.ensure(6);
    const f = this.f;
    if (unit < 0x20) {
      const short = SHORT_ESCAPE[unit];
      if (short === 0) this.pos = writeUnicodeEscape(this.out, this.pos, unit);
      else {
        this.out[this.pos++] = BACKSLASH;
        this.out[this.pos++] = short;
      }
    } else if (unit === QUOTE || unit === BACKSLASH) {
      this.out[this.pos++] = BACKSLASH;
      this.out[this.pos++] = unit;
    } else if (unit < 0x7f) {
      if (f.escapeHTML && (unit === 0x3c || unit === 0x3e || unit === 0x26)) this.pos = writeUnicodeEscape(this.out, this.pos, unit);
      else this.out[this.pos++] = unit;
    } else if (
      (unit >= 0xd800 && unit <= 0xdfff) || // a lone surrogate: JSON.stringify escapes it
      f.ensureAscii ||
      (f.escapeLineTerminators && (unit === 0x2028 || unit === 0x2029))
    ) {
      this.pos = writeUnicodeEscape(this.out, this.pos, unit);
    } else {
      this.pos = writeUtf8(this.out, this.pos, unit);
    }
  }

  /** A code point beyond ASCII: as \uXXXX (two for astral ones) under ensureAscii, else as UTF-8. */
  private writeEscapedCodePoint(cp: number, mayBeRaw = false): void {
    this.ensure(12);
    if (mayBeRaw && !this.f.ensureAscii) {
      this.pos = writeUtf8(this.out, this.pos, cp);
    } else if (cp < 0x10000) {
      this.pos = writeUnicodeEscape(this.out, this.pos, cp);
    } else {
      this.pos = writeUnicodeEscape(this.out, this.pos, 0xd800 + ((cp - 0x10000) >> 10));
      this.pos = writeUnicodeEscape(this.out, this.pos, 0xdc00 + ((cp - 0x10000) & 0x3ff));
    }
  }

  private numberPart(buf: Uint8Array, i: number, n: number): number {
    while (i < n) {
      const c = buf[i];
      const digit = c >= 0x30 && c <= 0x39;
      switch (this.num) {
        case Num.Minus:
          if (!digit) throw this.error(`invalid number: expected a digit after '-', found ${describe(buf, i)}`, i, buf);
          this.num = c === 0x30 ? Num.Zero : Num.Int;
          i++;
          continue;
        case Num.Zero:
          if (digit) throw this.error('invalid number: a leading zero is followed by a digit', i, buf);
          break;
        case Num.Int:
        case Num.Frac:
        case Num.ExpDigits:
          if (digit) {
            i++;
            while (i < n && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
            continue;
          }
          break;
        case Num.Dot:
          if (!digit) throw this.error(`invalid number: expected a digit after '.', found ${describe(buf, i)}`, i, buf);
          this.num = Num.Frac;
          i++;
          continue;
        case Num.Exp:
          if (c === 0x2b || c === 0x2d) this.num = Num.ExpSign;
          else if (digit) this.num = Num.ExpDigits;
          else throw this.error(`invalid number: expected a digit in the exponent, found ${describe(buf, i)}`, i, buf);
          i++;
          continue;
        case Num.ExpSign:
          if (!digit) throw this.error(`invalid number: expected a digit in the exponent, found ${describe(buf, i)}`, i, buf);
          this.num = Num.ExpDigits;
          i++;
          continue;
      }
      // Zero, Int, Frac or ExpDigits followed by a byte that is not a digit
      if (c === 0x2e && (this.num === Num.Zero || this.num === Num.Int)) {
        this.num = Num.Dot;
        i++;
        continue;
      }
      if ((c === 0x65 || c === 0x45) && this.num !== Num.ExpDigits) {
        this.num = Num.Exp;
        i++;
        continue;
      }
      this.endValueAt(buf, i);
      return i;
    }
    return i;
  }

  private literalPart(buf: Uint8Array, i: number, n: number): number {
    const literal = this.literal;
    while (i < n && this.literalPos < literal.length) {
      if (buf[i] !== literal[this.literalPos]) {
        throw this.error(`invalid literal: expected '${decoder.decode(literal)}', found ${describe(buf, i)}`, i, buf);
      }
      this.literalPos++;
      i++;
    }
    if (this.literalPos === literal.length) this.endValueAt(buf, i);
    return i;
  }

  // ------------------------------------------------------------------ output

  /** Ends the pending copy at buf[at], writes `bytes` (if any), and starts the next copy at buf[next]. */
  private breakSpan(buf: Uint8Array, at: number, bytes: Uint8Array | null, next: number): void {
    if (this.span >= 0) this.copy(buf, this.span, at);
    if (bytes !== null) this.writeBytes(bytes);
    this.span = next;
  }

  private copy(buf: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (length <= 0) return;
    this.ensure(length);
    const out = this.out;
    let pos = this.pos;
    if (length < 32) {
      for (let k = from; k < to; k++) out[pos++] = buf[k];
    } else {
      out.set(buf.subarray(from, to), pos);
      pos += length;
    }
    this.pos = pos;
  }

  private writeBytes(bytes: Uint8Array): void {
    const length = bytes.length;
    this.ensure(length);
    if (length < 16) {
      // separators and indentation: a loop beats TypedArray#set at this size
      const out = this.out;
      let pos = this.pos;
      for (let k = 0; k < length; k++) out[pos++] = bytes[k];
      this.pos = pos;
    } else {
      this.out.set(bytes, this.pos);
      this.pos += length;
    }
  }

  private writeByte(byte: number): void {
    this.ensure(1);
    this.out[this.pos++] = byte;
  }

  private ensure(length: number): void {
    if (this.pos + length <= this.out.length) return;
    const out = Buffer.allocUnsafeSlow(Math.max(this.out.length * 2, this.pos + length));
    out.set(this.out.subarray(0, this.pos));
    this.out = out;
  }

  /** A line break and the indentation of `depth` levels. */
  private newline(depth: number): Uint8Array {
    const cached = this.newlines[depth];
    if (cached !== undefined) return cached;
    const indent = this.indent!;
    const line = new Uint8Array(1 + indent.length * depth);
    line[0] = NEWLINE;
    for (let k = 0; k < depth; k++) line.set(indent, 1 + k * indent.length);
    // deep levels are rare: only the first ones are kept
    if (depth < 64) this.newlines[depth] = line;
    return line;
  }

  /** The item separator and the line break after it, at the current depth. */
  private separatorLine(): Uint8Array {
    const depth = this.depth;
    const cached = this.separatorLines[depth];
    if (cached !== undefined) return cached;
    const line = this.newline(depth);
    const bytes = new Uint8Array(this.itemSep.length + line.length);
    bytes.set(this.itemSep);
    bytes.set(line, this.itemSep.length);
    if (depth < 64) this.separatorLines[depth] = bytes;
    return bytes;
  }

  private buildTable(): void {
    const table = this.table;
    table[QUOTE] = 1;
    table[BACKSLASH] = 1;
    table.fill(1, 0, 0x20);
    if (this.f.ensureAscii) table.fill(1, 0x7f, 0x100);
    else if (this.f.escapeLineTerminators) table[0xe2] = 1; // U+2028 and U+2029 start with E2
    if (this.f.escapeHTML) table[0x3c] = table[0x3e] = table[0x26] = 1;
  }

  // ------------------------------------------------------------------ errors

  private error(message: string, i: number, buf: Uint8Array | null): JSONInputError {
    const offset = buf === null ? this.consumed : this.base + i;
    const column = offset - this.lineStart + 1;
    return new JSONInputError('ERR_INVALID_JSON', `invalid JSON: ${message} (line ${this.line}, column ${column}, byte offset ${offset})`, this.path(), offset, this.line, column);
  }

  /** The JSON path of the value being read, as far as it is known. */
  private path(): string {
    let path = '$';
    for (let d = 1; d <= this.depth; d++) {
      const innermost = d === this.depth;
      if (this.kinds[d] === ARRAY) {
        if (innermost && this.state === St.FirstElement) break;
        path += pathSegment(this.indices[d]);
        continue;
      }
      if (innermost && (this.state === St.FirstKey || this.state === St.Key || (this.inKey && this.state >= St.String && this.state <= St.SurrogateU))) break;
      path += pathSegment(this.keyText(d));
    }
    return path;
  }

  private keyText(d: number): string {
    const chunk = this.keyChunks[d];
    if (chunk === null || chunk === undefined) return '';
    const to = this.keyTo[d] >= 0 ? this.keyTo[d] : chunk.length;
    const raw = decoder.decode(chunk.subarray(this.keyFrom[d], Math.min(to, this.keyFrom[d] + KEY_MEMORY)));
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
}
