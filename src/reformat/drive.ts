import type { ChunkSource } from '../drive/pump.js';
import { JSONDumpError } from '../errors.js';
import { Interruptible, unlessAborted, untilAborted, type AbortedBy } from '../interruptible.js';
import type { DumpProgress } from '../options.js';
import type { ReformatEncoder } from './encoder.js';
import type { OpenedInput } from './input.js';
import { utf8Chunks, type InvalidUtf8 } from './utf8-chunks.js';

/**
 * Feeds `chunks` (cut at character boundaries: see utf8Chunks) to `encoder`, and yields each
 * time its output should be taken: `size` bytes or more are pending, the encoder paused, or
 * the input is over (then `finish` has checked it was complete).
 */
export async function* outputTurns(chunks: AsyncIterable<Uint8Array>, encoder: ReformatEncoder, size: number): AsyncGenerator<void> {
  for await (const chunk of chunks) {
    let i = 0;
    do {
      i = encoder.write(chunk, i);
      if (encoder.pending >= size || i < chunk.length) yield;
    } while (i < chunk.length);
  }
  encoder.finish();
  if (encoder.pending > 0) yield;
}

export function abortError(signal: AbortSignal, what: string): JSONDumpError {
  return new JSONDumpError('ERR_ABORTED', `${what} was aborted`, '$', { cause: signal.reason });
}

/** How an abort ends a wait of `what` (see unlessAborted): with ERR_ABORTED. */
export const abortedAs = (what: string): AbortedBy => ({ reason: (signal: AbortSignal) => abortError(signal, what) });

/**
 * reformat's input, re-encoded, as the pump's chunk source: bytes of about `size` each. An abort
 * or a destination's failure ends a wait for the input or the destination at once, and the
 * input is closed (a stream destroyed).
 */
export class ReformatChunks implements ChunkSource {
  private readonly waits = new Interruptible();
  private readonly turns: AsyncGenerator<void>;
  private stopped: unknown = null;
  private readonly aborted: AbortedBy = abortedAs('reformat');

  constructor(
    private readonly encoder: ReformatEncoder,
    private readonly input: OpenedInput,
    private readonly signal: AbortSignal | null,
    invalidUTF8: InvalidUtf8,
    size: number,
  ) {
    const chunks = utf8Chunks(untilAborted(input.chunks, signal, this.aborted), invalidUTF8);
    this.turns = outputTurns(chunks, encoder, size);
  }

  async next(): Promise<Uint8Array | null> {
    this.check();
    const turn = await this.waits.wait(this.turns.next());
    return turn.done === true ? null : this.encoder.take();
  }

  guard<T>(p: Promise<T> | T): Promise<T> {
    this.check();
    return unlessAborted(this.waits.wait(Promise.resolve(p)), this.signal, this.aborted);
  }

  interrupt(err: unknown): void {
    this.stopped ??= err;
    this.waits.interrupt(this.stopped);
  }

  abort(): void {
    this.input.close();
  }

  progress(bytes: number): DumpProgress {
    return { bytes, values: this.encoder.values, items: this.encoder.items };
  }

  private check(): void {
    if (this.stopped !== null) throw this.stopped;
    if (this.signal?.aborted === true) throw abortError(this.signal, 'reformat');
  }
}
