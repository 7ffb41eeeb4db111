// The string states of the re-encoder's byte machine: the bytes of a string (a value or a key)
// are copied as they are wherever the output's rules write them the same, and only what must
// change is written: escapes that JSON.stringify writes otherwise, and the characters the
// layout escapes (non-ASCII under ensureAscii, <>& under escapeHTML, U+2028/U+2029).

import { BACKSLASH, KEPT_ESCAPE, QUOTE, SHORT_ESCAPE, hexValue, readUtf8, utf8Length, writeCodePoint, writeUnicodeEscape } from '../text/json-bytes.js';
import { ByteOutput } from './byte-output.js';
import { KeyMemory, describe, type JSONInputError } from './input-errors.js';
import type { ReformatFormat } from './format.js';
import { St } from './states.js';

export abstract class StringStates extends ByteOutput {
  protected readonly f: ReformatFormat;
  protected state = St.Value;
  /** Where in the current chunk the pending copy starts; -1 inside an escape sequence (written explicitly). */
  protected span = 0;
  protected depth = 0;
  /** The key of each open object, for error paths. */
  protected readonly keys = new KeyMemory();
  /** The string being read is a key. */
  protected inKey = false;
  private hex = 0;
  private hexDigits = 0;
  private high = 0;
  /** 1 for each byte that ends a run of string bytes copied as they are. */
  private readonly table = new Uint8Array(256);

  constructor(format: ReformatFormat, pauseAt: number) {
    super(pauseAt);
    this.f = format;
    this.buildTable();
  }

  /** A value ended before buf[next] (null: at the end of the input). */
  protected abstract endValueAt(buf: Uint8Array | null, next: number): void;
  protected abstract error(message: string, i: number, buf: Uint8Array | null): JSONInputError;

  /** Reads string bytes from buf[i]: plain ones are left in the span, the rest written. */
  protected stringPart(buf: Uint8Array, i: number, n: number): number {
    const table = this.table;
    for (;;) {
      while (i < n && table[buf[i]] === 0) i++;
      if (i === n) return n;
      const c = buf[i];
      if (c === QUOTE) {
        if (this.inKey) {
          this.keys.end(this.depth, buf, i);
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

  protected escape(buf: Uint8Array, i: number): number {
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

  protected unicode(buf: Uint8Array, i: number, n: number): number {
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

  protected surrogateBackslash(buf: Uint8Array, i: number): number {
    if (buf[i] === BACKSLASH) {
      this.state = St.SurrogateU;
      return i + 1;
    }
    this.writeUnit(this.high);
    this.high = 0;
    return this.resumeString(i);
  }

  protected surrogateU(buf: Uint8Array, i: number): number {
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

  /** Forgets a string or escape being read (see ReformatEncoder.restart). */
  protected resetStrings(): void {
    this.inKey = false;
    this.hex = 0;
    this.hexDigits = 0;
    this.high = 0;
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
      this.pos = writeCodePoint(this.out, this.pos, unit);
    }
  }

  /** A code point beyond ASCII: as \uXXXX (two for astral ones) under ensureAscii, else as UTF-8. */
  private writeEscapedCodePoint(cp: number, mayBeRaw = false): void {
    this.ensure(12);
    if (mayBeRaw && !this.f.ensureAscii) {
      this.pos = writeCodePoint(this.out, this.pos, cp);
    } else if (cp < 0x10000) {
      this.pos = writeUnicodeEscape(this.out, this.pos, cp);
    } else {
      this.pos = writeUnicodeEscape(this.out, this.pos, 0xd800 + ((cp - 0x10000) >> 10));
      this.pos = writeUnicodeEscape(this.out, this.pos, 0xdc00 + ((cp - 0x10000) & 0x3ff));
    }
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
}
