// stdin without --from is read as JSON Lines; a single JSON document piped in must not become
// one record in silence (`cat users.json | jsondump export -` would write `[[…]]`). When the
// input starts with `[` or `{`, the guard holds the output back until the input shows which it
// is: a second record (JSON Lines), a line break inside the first value (a pretty-printed
// document: refused), or the end of the input after one array (refused: both readings are
// possible and they differ). Refusals name --from, which settles it.
import { JSONInputError } from '../../reformat/encoder.js';
import { SourceError } from '../errors.js';

type EncodedBatch = { kind: 'encoded'; bytes: Uint8Array; ends: ArrayLike<number> };

/**
 * Output held back at most, so that a document refused at its end has written nothing on
 * stdout; a longer first record is passed on (memory stays flat) and still refused at the end.
 */
const HOLD_BYTES = 1 << 20;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

export class StdinShapeGuard {
  /** The first byte of the input that is not white space (a byte order mark aside), or -1. */
  private first = -1;
  private seen = 0;
  private held: EncodedBatch[] = [];
  private heldBytes = 0;
  /** The input proved to be JSON Lines (or not to start like a document): nothing held from now on. */
  private settled = false;

  /** `chunks`, watched for their first byte that is not white space. */
  async *watch(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      if (this.first < 0) this.look(chunk);
      yield chunk;
    }
  }

  /** The batches to pass on now, `batch` among them or held back; `records`: records completed so far. */
  pass(batch: EncodedBatch, records: number): EncodedBatch[] {
    if (!this.settled && (records >= 2 || (this.first >= 0 && !this.documentLike()) || this.heldBytes + batch.bytes.length > HOLD_BYTES)) {
      this.settled = true;
    }
    if (this.settled) return this.release(batch);
    this.held.push(batch);
    this.heldBytes += batch.bytes.length;
    return [];
  }

  /** At the end of the input: what is still held, or the refusal of one array that is the whole input. */
  end(records: number): EncodedBatch[] {
    if (records === 1 && this.first === 0x5b) {
      throw new SourceError('stdin holds one JSON array and nothing else: --from json reads its elements as records, --from jsonl reads it as one record');
    }
    return this.release(null);
  }

  /** The refusal that replaces `error`, when it is a line break inside the first record; else null. */
  refusal(error: unknown, records: number): SourceError | null {
    if (!(error instanceof JSONInputError) || records > 0 || !/the line ends inside a record/.test(error.message)) return null;
    return new SourceError('stdin: the first value spans lines, so stdin holds one JSON document, not JSON Lines (one record per line): read it with --from json');
  }

  private documentLike(): boolean {
    return this.first === 0x5b || this.first === 0x7b;
  }

  private release(batch: EncodedBatch | null): EncodedBatch[] {
    const out = this.held;
    this.held = [];
    this.heldBytes = 0;
    if (batch !== null) out.push(batch);
    return out;
  }

  private look(chunk: Uint8Array): void {
    let i = 0;
    // a byte order mark at the very start is skipped by the encoder too
    if (this.seen === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    while (i < chunk.length && isSpace(chunk[i])) i++;
    this.seen += chunk.length;
    if (i < chunk.length) this.first = chunk[i];
  }
}
