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
 * Encodes chunks into two reusable buffers, in turn: a file sink writes one while the next
 * chunk is encoded into the other, and no buffer is allocated per chunk.
 */
export class Utf8Buffers {
  private readonly buffers = [Buffer.allocUnsafe(0), Buffer.allocUnsafe(0)];
  private turn = 0;

  /** The UTF-8 bytes of `pieces`, valid until the call after next. */
  encode(pieces: string[]): Buffer {
    const bytes = charCount(pieces) * 3;
    let buf = this.buffers[this.turn];
    if (buf.length < bytes) buf = this.buffers[this.turn] = Buffer.allocUnsafe(Math.max(bytes, 1 << 16));
    this.turn ^= 1;
    return encodeInto(buf, pieces);
  }
}
