// What the re-encoder says about bad input: the error class, where the reader is (byte offset,
// line and column), the start of each open object's key for the JSON path, and how a byte is
// named in a message.

import { JSONDumpError } from '../errors.js';
import { utf8Length } from '../text/json-bytes.js';

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

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const VISIBLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const codeOf = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text of UTF-8 bytes, for messages. */
export function textOf(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The character at buf[i] for an error message: 'x' when it is visible, else U+XXXX. */
export function describe(buf: Uint8Array, i: number): string {
  const c = buf[i];
  if (c < 0x80) return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : codeOf(c);
  if (c < 0xc2 || i + utf8Length(c) > buf.length) return `byte 0x${c.toString(16)}`;
  const ch = decoder.decode(buf.subarray(i, i + utf8Length(c)));
  return VISIBLE.test(ch) ? `'${ch}'` : codeOf(ch.codePointAt(0)!);
}

/** Where the reader is in the whole input: only kept for the messages of errors. */
export class InputPosition {
  /** Bytes of the input read before the current chunk's `start`, plus that chunk's read bytes at its end. */
  consumed = 0;
  /** The input offset of byte 0 of the current chunk. */
  base = 0;
  line = 1;
  lineStart = 0;

  /** Back to the start of an input. */
  reset(): void {
    this.consumed = 0;
    this.base = 0;
    this.line = 1;
    this.lineStart = 0;
  }

  /** A chunk is read from `start`. */
  begin(start: number): void {
    this.base = this.consumed - start;
  }

  /** The chunk was read up to `end`. */
  end(end: number): void {
    this.consumed = this.base + end;
  }

  /** A line break at byte i of the current chunk. */
  lineBreak(i: number): void {
    this.line++;
    this.lineStart = this.base + i + 1;
  }

  /** The error at byte i of the current chunk (`buf` null: at the end of the input). */
  error(message: string, i: number, buf: Uint8Array | null, path: string): JSONInputError {
    const offset = buf === null ? this.consumed : this.base + i;
    const column = offset - this.lineStart + 1;
    return new JSONInputError('ERR_INVALID_JSON', `invalid JSON: ${message} (line ${this.line}, column ${column}, byte offset ${offset})`, path, offset, this.line, column);
  }
}

// Only the start of a key is kept for error paths.
const KEY_MEMORY = 256;

/** The key of each open object, for error paths: a view of the chunk it was read in (no copy). */
export class KeyMemory {
  private chunks: (Uint8Array | null)[] = [];
  private from: number[] = [];
  private to: number[] = [];

  /** The key of the object at depth d starts at buf[i]. */
  begin(d: number, buf: Uint8Array, i: number): void {
    this.chunks[d] = buf;
    this.from[d] = i;
    this.to[d] = -1;
  }

  /** The key ends before buf[i]: -2 when it began in another chunk (then its start is all there is). */
  end(d: number, buf: Uint8Array, i: number): void {
    this.to[d] = this.chunks[d] === buf ? i : -2;
  }

  /** The key of the object at depth d, as far as it is known. */
  text(d: number): string {
    const chunk = this.chunks[d];
    if (chunk === null || chunk === undefined) return '';
    const to = this.to[d] >= 0 ? this.to[d] : chunk.length;
    const raw = decoder.decode(chunk.subarray(this.from[d], Math.min(to, this.from[d] + KEY_MEMORY)));
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
}
