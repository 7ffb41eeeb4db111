// One part of the output as the library's pump sees it: a chunk source (the framed records'
// bytes, up to the part's end) and a sink (the part's Output; finishing it completes the part
// in its target). The pump brings the waits, backpressure and abort; the CLI keeps the parts.
import type { ChunkSource } from '../../drive/pump.js';
import { Interruptible, unlessAborted } from '../../interruptible.js';
import type { DumpProgress } from '../../options.js';
import type { Sink } from '../../sink/sink.js';
import type { Output } from './output-file.js';
import type { Target } from './targets.js';

/** What the record writer queues: bytes to write, or the end of a part and the records it holds. */
export type Step = Buffer | { partRows: number };

/** Where a part's steps come from: the record writer, which reads batches as it needs them. */
export interface StepQueue {
  /** The next step, reading and framing more batches when none is queued; null once everything is out. */
  nextStep(): Promise<Step | null>;
}

/** The chunks of one part: the queue's bytes up to the part's end. */
export class PartChunks implements ChunkSource {
  /** The records of the part, once its end is reached. */
  rows = 0;
  private readonly waits = new Interruptible();
  private stopped: unknown = null;

  constructor(
    private readonly queue: StepQueue,
    private readonly signal: AbortSignal,
  ) {}

  async next(): Promise<Uint8Array | null> {
    this.check();
    const step = await this.waits.wait(this.queue.nextStep());
    if (step === null) throw new Error('the records ended inside a part');
    if (step instanceof Uint8Array) return step;
    this.rows = step.partRows;
    return null;
  }

  /** A destination that takes no more (a full pipe) does not hold up an abort. */
  guard<T>(p: Promise<T> | T): Promise<T> {
    this.check();
    return unlessAborted(this.waits.wait(Promise.resolve(p)), this.signal);
  }

  interrupt(err: unknown): void {
    this.stopped ??= err;
    this.waits.interrupt(this.stopped);
  }

  /** The export's failure path closes the source and discards the target (export.ts). */
  abort(): void {}

  progress(bytes: number): DumpProgress {
    return { bytes, values: this.rows, items: this.rows };
  }

  private check(): void {
    if (this.stopped !== null) throw this.stopped;
    this.signal.throwIfAborted();
  }
}

/**
 * A part's Output as a library sink: bytes go to it as they are; finishing completes the part
 * in `target` (a file fsynced and renamed, a part's size and hash kept for the manifest).
 */
export function partSink(target: Target, output: Output, part: PartChunks): Sink {
  const sink = {
    bytes: 0,
    write(): never {
      throw new Error('a part is written in bytes');
    },
    writeBytes(bytes: Uint8Array): Promise<void> {
      sink.bytes += bytes.length;
      return output.write(bytes);
    },
    flush(): void {},
    finish: () => target.done(output, part.rows),
    // The target discards its outputs when the export fails (export.ts): nothing to do twice
    fail(): void {},
  };
  return sink;
}
