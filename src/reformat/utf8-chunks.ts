// The UTF-8 stage in front of the re-encoder: checks the input natively (buffer.isUtf8) and cuts
// it so that no chunk ends inside a character. Everything after it can take a multi-byte
// sequence as whole, and copy bytes without decoding them.

import { isUtf8 } from 'node:buffer';
import { JSONDumpError } from '../errors.js';

/** What to do with bytes that are not UTF-8: fail, or write U+FFFD in their place as TextDecoder does. */
export type InvalidUtf8 = 'error' | 'replace';

/** The length of the sequence a lead byte starts, and the range of its second byte; 0 for a byte that starts none. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0; // a continuation byte, or an overlong two-byte lead
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 0;
}

function secondByteFits(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf; // no overlong forms
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f; // no surrogates
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f; // nothing past U+10FFFF
  return second >= 0x80 && second <= 0xbf;
}

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;

/** The bytes of bytes[from..to) that form a correct (possibly unfinished) sequence starting at `from`. */
function fittingPrefix(bytes: Uint8Array, from: number, to: number): number {
  const length = sequenceLength(bytes[from]);
  if (length <= 1) return length;
  let k = 1;
  for (; k < length && from + k < to; k++) {
    const byte = bytes[from + k];
    if (k === 1 ? !secondByteFits(bytes[from], byte) : !isContinuation(byte)) return k;
  }
  return k;
}

/** Index of the first byte of bytes[from..to) that starts an ill-formed sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0, to = bytes.length): number {
  for (let i = from; i < to; ) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes[i]);
    if (length === 0 || i + length > to || fittingPrefix(bytes, i, to) < length) return i;
    i += length;
  }
  return -1;
}

/** How many bytes at the end of bytes[0..to) begin a character that the next chunk may finish. */
function unfinishedTail(bytes: Uint8Array, to: number): number {
  for (let back = 1; back <= 3 && back <= to; back++) {
    const start = to - back;
    if (isContinuation(bytes[start])) continue;
    const length = sequenceLength(bytes[start]);
    return length > back && fittingPrefix(bytes, start, to) === back ? back : 0;
  }
  return 0;
}

function invalidUtf8(offset: number, atEnd: boolean): JSONDumpError {
  const what = atEnd ? 'the input ends inside a UTF-8 sequence' : 'the input is not valid UTF-8';
  return new JSONDumpError('ERR_INVALID_UTF8', `${what} (byte offset ${offset})`);
}

// ignoreBOM: decode() called on a chunk would otherwise drop a U+FEFF that starts it, which is
// data there (only the input's first bytes can be a byte order mark, and the encoder skips those)
const replacing = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Cuts a byte stream at character boundaries and checks it: each call to `push` returns the
 * part of the input that is complete, as one or two arrays (the character a previous chunk
 * left unfinished, then the rest), and keeps an unfinished character for the next call.
 * Invalid input in 'error' mode: `push` returns the part before the first ill-formed sequence,
 * and `check` then throws, so that the caller meets the errors in input order whatever the
 * chunks (a syntax error before the bad bytes is the one reported).
 */
export class Utf8Chunker {
  /** Bytes of input taken so far. */
  offset = 0;
  private tail: Uint8Array = new Uint8Array(0);
  private failure: JSONDumpError | null = null;

  constructor(private readonly mode: InvalidUtf8) {}

  push(chunk: Uint8Array): Uint8Array[] {
    this.check();
    const out: Uint8Array[] = [];
    let from = 0;
    if (this.tail.length > 0) {
      // Only continuation bytes can finish the held character: a lead byte starts the next one.
      const need = sequenceLength(this.tail[0]) - this.tail.length;
      while (from < need && from < chunk.length && isContinuation(chunk[from])) from++;
      const joined = new Uint8Array(this.tail.length + from);
      joined.set(this.tail);
      joined.set(chunk.subarray(0, from), this.tail.length);
      this.tail = joined;
      if (from === need || from < chunk.length) {
        const start = this.offset - (joined.length - from);
        this.tail = new Uint8Array(0);
        out.push(this.checked(joined, start));
        if (this.failure !== null) return out;
      }
    }
    const end = chunk.length - unfinishedTail(chunk, chunk.length);
    if (from === chunk.length) {
      this.offset += chunk.length;
      return out;
    }
    if (end > from) out.push(this.checked(chunk.subarray(from, end), this.offset + from));
    if (end < chunk.length) this.tail = chunk.slice(end);
    this.offset += chunk.length;
    return out;
  }

  /** Throws the error found by the last `push`, once its valid part has been read. */
  check(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** At the end of the input: a character left unfinished is invalid. */
  end(): Uint8Array[] {
    this.check();
    const tail = this.tail;
    if (tail.length === 0) return [];
    this.tail = new Uint8Array(0);
    if (this.mode === 'error') throw invalidUtf8(this.offset - tail.length, true);
    return [Buffer.from(replacing.decode(tail))];
  }

  private checked(bytes: Uint8Array, offset: number): Uint8Array {
    if (isUtf8(bytes)) return bytes;
    if (this.mode === 'replace') return Buffer.from(replacing.decode(bytes));
    const bad = firstInvalidUtf8(bytes);
    this.failure = invalidUtf8(offset + bad, false);
    return bytes.subarray(0, bad);
  }
}

/** The chunks of `source`, checked and cut at character boundaries (see Utf8Chunker). */
export async function* utf8Chunks(source: AsyncIterable<Uint8Array>, mode: InvalidUtf8): AsyncGenerator<Uint8Array> {
  const chunker = new Utf8Chunker(mode);
  for await (const chunk of source) {
    yield* chunker.push(chunk);
    chunker.check();
  }
  yield* chunker.end();
}
