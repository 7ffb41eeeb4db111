// A chunk travels from the walk to a sink as a list of pieces: the large flat strings that
// native JSON.stringify returned, and the small tokens between them. Joining them into one
// string would copy every character once more before the UTF-8 encoding copies it again.

/** One string of a chunk's pieces. */
export function joinPieces(pieces: string[]): string {
  return pieces.length === 1 ? pieces[0] : pieces.join('');
}

function charCount(pieces: string[]): number {
  let chars = 0;
  for (const p of pieces) chars += p.length;
  return chars;
}

function encodeInto(buf: Buffer, pieces: string[]): Buffer {
  let offset = 0;
  for (const p of pieces) offset += buf.write(p, offset);
  return buf.subarray(0, offset);
}

/** The UTF-8 bytes of `pieces` in a new buffer (for consumers that keep it). */
export function encodePieces(pieces: string[]): Buffer {
  return encodeInto(Buffer.allocUnsafe(charCount(pieces) * 3), pieces);
}

/**
 * Gathers chunks as UTF-8 bytes in two reusable buffers, in turn: a file sink writes the bytes
 * of one while the next chunks are encoded into the other, and no memory is allocated per
 * chunk (fresh memory costs a page fault per 4 KiB the first time it is touched).
 */
export class Utf8Gather {
  private readonly buffers = [Buffer.allocUnsafe(0), Buffer.allocUnsafe(0)];
  private turn = 0;
  /** Bytes gathered since the last take(). */
  size = 0;

  /** Appends the UTF-8 bytes of `pieces`; returns how many. */
  append(pieces: string[]): number {
    const buf = this.room(charCount(pieces) * 3);
    const start = this.size;
    let offset = start;
    for (const p of pieces) offset += buf.write(p, offset);
    this.size = offset;
    return offset - start;
  }

  /** Appends a copy of `bytes`; returns how many. */
  appendBytes(bytes: Uint8Array): number {
    this.room(bytes.length).set(bytes, this.size);
    this.size += bytes.length;
    return bytes.length;
  }

  /**
   * The bytes gathered, valid until the take() after next; what comes next is gathered in the
   * other buffer.
   */
  take(): Buffer {
    const bytes = this.buffers[this.turn].subarray(0, this.size);
    this.turn ^= 1;
    this.size = 0;
    return bytes;
  }

  /** The current buffer, with room for `bytes` more. */
  private room(bytes: number): Buffer {
    const buf = this.buffers[this.turn];
    if (buf.length - this.size >= bytes) return buf;
    const grown = Buffer.allocUnsafe(Math.max(this.size + bytes, buf.length * 2, 1 << 16));
    buf.copy(grown, 0, 0, this.size);
    return (this.buffers[this.turn] = grown);
  }
}
