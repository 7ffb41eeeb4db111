// A byte-level JSON re-encoder: reads JSON text (UTF-8 bytes, in chunks cut anywhere except
// inside a character: see utf8-chunks.ts) and writes it again with another layout, checking the
// grammar as strictly as JSON.parse. Nothing is decoded that does not need to change: the input
// is copied in spans (numbers, literals, strings without escapes, and, when the layout matches,
// the punctuation between them), and only white space, separators, indentation and the escapes
// that JSON.stringify writes differently interrupt a span. Memory holds the nesting stack and the
// output buffer, whatever the size of a string or of the document.
//
// One byte machine, its parts in layers: the output buffer (byte-output.ts), strings and
// escapes (string-states.ts), records (record-states.ts), and here the structure, white space,
// numbers and literals; errors and positions in input-errors.ts.

import { pathSegment } from '../json-path.js';
import { NEWLINE, QUOTE } from '../text/json-bytes.js';
import type { ReformatFormat } from './format.js';
import { InputPosition, describe, textOf, type JSONInputError } from './input-errors.js';
import { RecordStates } from './record-states.js';
import { ARRAY, Num, OBJECT, St } from './states.js';

export { JSONInputError } from './input-errors.js';

const LITERALS = new Map<number, Uint8Array>([
  [0x74, new TextEncoder().encode('true')],
  [0x66, new TextEncoder().encode('false')],
  [0x6e, new TextEncoder().encode('null')],
]);

// The encoder pauses once this much output is pending, so that the writer takes it in chunks of
// about this size, and a deep document with a large indent cannot fill memory from one input chunk.
const DEFAULT_PAUSE_AT = 1 << 16;

export class ReformatEncoder extends RecordStates {
  private readonly pauseAt: number;
  private readonly position = new InputPosition();
  private kinds = new Uint8Array(64);
  private indices = new Float64Array(64);
  // Number and literal state.
  private num = Num.Int;
  private literal: Uint8Array = LITERALS.get(0x74)!;
  private literalPos = 0;

  constructor(format: ReformatFormat, options: { pauseAt?: number } = {}) {
    const pauseAt = options.pauseAt ?? DEFAULT_PAUSE_AT;
    super(format, pauseAt);
    this.pauseAt = pauseAt;
    if (this.jsonl) {
      // JSON Lines is read as the elements of an array that has no brackets.
      this.push(ARRAY);
      this.state = St.NextRecord;
      if (format.output === 'document') this.writeByte(0x5b);
      else this.recordsTop = true;
    }
  }

  /**
   * Reads buf[start..] until its end or until enough output is pending (see `pending`);
   * returns where it stopped. A chunk must not end inside a UTF-8 character.
   */
  write(buf: Uint8Array, start = 0): number {
    const n = buf.length;
    const position = this.position;
    position.begin(start);
    let i = start;
    this.span = this.state >= St.Escape && this.state <= St.SurrogateU ? -1 : i;
    if (position.consumed === 0 && start === 0 && n >= 3 && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) {
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
          i = this.value(buf, i, this.layout.indent === null || this.inRecordsTop() ? null : this.layout.newline(this.depth));
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
    position.end(i);
    return i;
  }

  /**
   * Makes a 'document' encoder ready for the next document, dropping the output not taken and
   * whatever the last one left (also after an error): one encoder re-lays out many values, such
   * as the JSON of a database column, row after row.
   */
  restart(): void {
    this.state = St.Value;
    this.depth = 0;
    this.span = 0;
    this.values = 0;
    this.items = 0;
    this.single = false;
    this.pos = 0;
    this.position.reset();
    this.resetStrings();
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

  // ------------------------------------------------------------------ structure

  /**
   * A value starts at buf[i] (after white space, which is skipped here); `prefix` is the
   * indentation to write before it, if any.
   */
  protected value(buf: Uint8Array, i: number, prefix: Uint8Array | null): number {
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

  private key(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c <= 0x20 && this.isSpaceAt(buf, i)) return this.skipSpace(buf, i);
    if (c === QUOTE) {
      if (this.state === St.FirstKey && this.layout.indent !== null) this.breakSpan(buf, i, this.layout.newline(this.depth), i);
      this.inKey = true;
      this.state = St.String;
      this.keys.begin(this.depth, buf, i + 1);
      return i + 1;
    }
    if (c === 0x7d && this.state === St.FirstKey) return this.close(buf, i, OBJECT, false);
    const expected = this.state === St.FirstKey ? "a string key or '}'" : 'a string key';
    throw this.error(`expected ${expected}, found ${describe(buf, i)}`, i, buf);
  }

  private colon(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c === 0x3a) {
      if (!this.layout.sameKeySep) this.breakSpan(buf, i, this.layout.keySep, i + 1);
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
      else if (!this.layout.sameItemSep) this.breakSpan(buf, i, this.layout.indent === null ? this.layout.itemSep : this.layout.separatorLine(this.depth), i + 1);
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
    if (nonEmpty && this.layout.indent !== null) this.breakSpan(buf, i, this.layout.newline(this.depth - 1), i);
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
  protected endValue(): void {
    this.values++;
    const d = this.depth;
    if (d === 0) {
      this.state = St.End;
      return;
    }
    this.state = St.After;
    if (d === 1 && this.kinds[1] === ARRAY) this.items++;
  }

  // ------------------------------------------------------------------ white space

  private isSpaceAt(buf: Uint8Array, i: number): boolean {
    const c = buf[i];
    return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
  }

  /** Skips white space from buf[i]; in JSON Lines stops at a line break, which the states decide on. */
  protected skipSpace(buf: Uint8Array, i: number): number {
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
      this.position.lineBreak(i);
    }
    this.span = i;
    return i;
  }

  protected lineBreak(buf: Uint8Array, i: number): number {
    if (this.span >= 0) this.copy(buf, this.span, i);
    this.position.lineBreak(i);
    this.span = i + 1;
    return i + 1;
  }

  // ------------------------------------------------------------------ scalars

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
        throw this.error(`invalid literal: expected '${textOf(literal)}', found ${describe(buf, i)}`, i, buf);
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

  // ------------------------------------------------------------------ errors

  protected error(message: string, i: number, buf: Uint8Array | null): JSONInputError {
    return this.position.error(message, i, buf, this.path());
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
      path += pathSegment(this.keys.text(d));
    }
    return path;
  }

}
