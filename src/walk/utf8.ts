// The bytes of a stream inside the value, decoded as UTF-8 as its chunks come. By default
// bytes that are not UTF-8 are an error naming the offset of the first bad sequence; with
// invalidUTF8: 'replace' each bad sequence becomes U+FFFD (as TextDecoder replaces them).

import { StringDecoder } from 'node:string_decoder';

/** Decodes chunks; a sequence cut between two chunks is completed by the next one. */
export interface ByteDecoder {
  write(bytes: Buffer): string;
  /** After the last chunk: what an unfinished sequence leaves. */
  end(): string;
}

/** Bytes that are not UTF-8, `offset` bytes into the stream. */
export class InvalidUTF8 extends Error {
  constructor(readonly offset: number) {
    super(`invalid UTF-8 at byte ${offset}`);
  }
}

export function byteDecoder(invalid: 'error' | 'replace'): ByteDecoder {
  return invalid === 'replace' ? new StringDecoder('utf8') : new StrictDecoder();
}

/**
 * V8's fatal TextDecoder decodes (and checks) each chunk at native speed; only when it
 * refuses one is the offset of the bad sequence looked for, in JS.
 */
class StrictDecoder implements ByteDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Bytes of the stream before the current chunk. */
  private offset = 0;
  /** The unfinished sequence at the end of the chunks so far (at most 3 bytes). */
  private tail: number[] = [];

  write(bytes: Buffer): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: true });
    } catch {
      const all = [...this.tail, ...bytes];
      const bad = firstInvalid(all);
      throw new InvalidUTF8(this.offset - this.tail.length + (bad < 0 ? all.length : bad));
    }
    this.tail = unfinished(this.tail, bytes);
    this.offset += bytes.length;
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw new InvalidUTF8(this.offset - this.tail.length);
    }
  }
}

/** Bytes a sequence starting with `lead` has, or 0 if no sequence starts with it. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The unfinished sequence at the end of `tail` + `bytes`, which are valid UTF-8 up to it. */
function unfinished(tail: number[], bytes: Buffer): number[] {
  const last = [...tail, ...bytes.subarray(Math.max(0, bytes.length - 3))].slice(-3);
  for (let i = last.length - 1; i >= 0; i--) {
    if ((last[i] & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    return sequenceLength(last[i]) > last.length - i ? last.slice(i) : [];
  }
  return [];
}

/** The index of the first sequence of `b` that is not well-formed UTF-8 (Unicode table 3-7), or -1. */
function firstInvalid(b: number[]): number {
  for (let i = 0; i < b.length; ) {
    const need = sequenceLength(b[i]);
    if (need === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const lo = b[i] === 0xe0 ? 0xa0 : b[i] === 0xf0 ? 0x90 : 0x80;
    const hi = b[i] === 0xed ? 0x9f : b[i] === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < need; k++) {
      if (i + k >= b.length) return -1; // unfinished: the next chunk may complete it
      const x = b[i + k];
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need;
  }
  return -1;
}
