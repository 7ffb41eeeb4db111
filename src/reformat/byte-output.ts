// The re-encoder's output: bytes written into a buffer that grows as needed, handed over whole
// (take) so that the writer gets them in chunks of about the size the encoder pauses at.

export class ByteOutput {
  protected out: Uint8Array;
  protected pos = 0;
  private readonly outputSize: number;

  constructor(pauseAt: number) {
    this.outputSize = Math.max(4096, pauseAt + (pauseAt >> 1));
    this.out = Buffer.allocUnsafeSlow(this.outputSize);
  }

  /** Output bytes not yet taken. */
  get pending(): number {
    return this.pos;
  }

  /** The output so far, handed over (the encoder writes into a new buffer from now on). */
  take(): Uint8Array {
    const bytes = this.out.subarray(0, this.pos);
    this.out = Buffer.allocUnsafeSlow(this.outputSize);
    this.pos = 0;
    return bytes;
  }

  /**
   * Moves the output not yet taken into `target` at `at` (the caller made room for `pending`
   * bytes); returns the offset after it. Unlike `take`, no buffer is made: for a caller that
   * copies many small outputs (a value per database row) into its own.
   */
  moveTo(target: Uint8Array, at: number): number {
    const out = this.out;
    const length = this.pos;
    if (length < 64) {
      for (let k = 0; k < length; k++) target[at + k] = out[k];
    } else {
      target.set(out.subarray(0, length), at);
    }
    this.pos = 0;
    return at + length;
  }

  protected copy(buf: Uint8Array, from: number, to: number): void {
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

  protected writeBytes(bytes: Uint8Array): void {
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

  protected writeByte(byte: number): void {
    this.ensure(1);
    this.out[this.pos++] = byte;
  }

  protected ensure(length: number): void {
    if (this.pos + length <= this.out.length) return;
    const out = Buffer.allocUnsafeSlow(Math.max(this.out.length * 2, this.pos + length));
    out.set(this.out.subarray(0, this.pos));
    this.out = out;
  }
}
