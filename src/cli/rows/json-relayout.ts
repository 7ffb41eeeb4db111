// JSON text from a database column (json, jsonb, a type the server writes with to_json, text
// under --json-cols) laid out again as the output asks, byte by byte, by the library's
// re-encoder: no value is built, numbers keep their text, and the value's lines are indented
// for the place it has in its record. A value of any size goes through in pieces.
import { ReformatEncoder } from '../../reformat/encoder.js';
import type { ReformatFormat } from '../../reformat/format.js';
import type { RecordBytes } from './record-bytes.js';

// The encoder hands its output over every this many bytes (a value larger than that in pieces).
const PAUSE_AT = 1 << 16;

/** The length of the UTF-8 sequence a lead byte starts. */
function sequenceLength(lead: number): number {
  return lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** Where the last whole UTF-8 character of data[start, end) ends (end, or the start of an incomplete one). */
function wholeCharacters(data: Uint8Array, start: number, end: number): number {
  for (let at = end - 1; at >= start && at >= end - 4; at--) {
    const byte = data[at];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte
    return byte >= 0xc0 && at + sequenceLength(byte) > end ? at : end;
  }
  return end;
}

export class JsonRelayout {
  private readonly encoders: ReformatEncoder[] = [];
  /** The value being streamed (see `begin`). */
  private streaming: ReformatEncoder | null = null;
  /** The first bytes of a character cut by the end of the last piece. */
  private carry = new Uint8Array(4);
  private carried = 0;

  constructor(private readonly format: ReformatFormat) {}

  /** The encoder of values `depth` levels deep. */
  private encoder(depth: number): ReformatEncoder {
    let encoder = this.encoders[depth];
    if (encoder === undefined) encoder = this.encoders[depth] = new ReformatEncoder({ ...this.format, input: 'json', output: 'document', depth }, { pauseAt: PAUSE_AT });
    encoder.restart();
    return encoder;
  }

  /** The JSON text data[start, end) written at `depth`; invalid JSON throws JSONInputError (the output then holds part of it). */
  write(data: Buffer, start: number, end: number, out: RecordBytes, depth: number): void {
    const encoder = this.encoder(depth);
    this.feed(encoder, data.subarray(start, end), out);
    encoder.finish();
    drain(encoder, out);
  }

  /** Starts a value that comes in pieces (`part`, then `end`). */
  begin(depth: number): void {
    this.streaming = this.encoder(depth);
    this.carried = 0;
  }

  /** The next piece of the value begun; it may end inside a character. */
  part(data: Buffer, start: number, end: number, out: RecordBytes): void {
    const encoder = this.streaming as ReformatEncoder;
    if (this.carried > 0) start = this.completeCarried(encoder, data, start, end, out);
    const whole = wholeCharacters(data, start, end);
    if (whole > start) this.feed(encoder, data.subarray(start, whole), out);
    for (let at = whole; at < end; at++) this.carry[this.carried++] = data[at];
  }

  /** The end of the value begun. */
  end(out: RecordBytes): void {
    const encoder = this.streaming as ReformatEncoder;
    this.streaming = null;
    if (this.carried > 0) this.feed(encoder, this.carry.slice(0, this.carried), out); // the encoder reports the cut character
    encoder.finish();
    drain(encoder, out);
  }

  /** Completes the character cut by the last piece from this one's first bytes; returns where the rest starts. */
  private completeCarried(encoder: ReformatEncoder, data: Buffer, start: number, end: number, out: RecordBytes): number {
    const need = Math.min(sequenceLength(this.carry[0]) - this.carried, end - start);
    for (let k = 0; k < need; k++) this.carry[this.carried++] = data[start + k];
    if (this.carried < sequenceLength(this.carry[0])) return end;
    this.feed(encoder, this.carry.slice(0, this.carried), out);
    this.carried = 0;
    return start + need;
  }

  private feed(encoder: ReformatEncoder, bytes: Uint8Array, out: RecordBytes): void {
    let at = 0;
    do {
      at = encoder.write(bytes, at);
      drain(encoder, out);
    } while (at < bytes.length);
  }
}

function drain(encoder: ReformatEncoder, out: RecordBytes): void {
  const pending = encoder.pending;
  if (pending === 0) return;
  out.ensure(pending);
  out.pos = encoder.moveTo(out.buf, out.pos);
}
