// Runs chunks (key ranges) on N workers and hands their batches out in chunk order. At most
// `window` chunks are handed out beyond the one being written, so memory stays bounded when the
// destination is slower than the workers.
import { Worker } from 'node:worker_threads';
import type { EncodedBatch } from '../rows/batches.js';
import { SourceError } from '../errors.js';
import type { JobReply, JobRequest, JobSetup } from './protocol.js';

export interface Chunk {
  lo: bigint | null;
  hi: bigint | null;
}

// Batches a worker may post ahead of the writer (of BATCH_BYTES each): its share of memory,
// 4 MB. A worker out of credits waits, so they must hold a whole chunk (see CHUNK_ROWS in
// sources/sqlite.ts) for the workers to run side by side.
const CREDITS = 16;

// A worker's young generation: its rows die young, and a small one keeps them in the CPU's caches
// and the worker's memory from growing with the rows read. With V8's default, peak RSS of
// --jobs 2 went from 200 MiB at 1M rows to 242 MiB at 10M; with 8 MB, 184 and 192 MiB
// (`/usr/bin/time -v jsondump export sqlite:… --jobs 2`, the benchmark table). With 4 MB, on 1M
// rows of the everyday mix (and SQLite's page cache at 2 MB, sql/sqlite-driver.ts): 186 MiB
// against 201 MiB with 8 MB, and no more CPU time (8.7 s against 9.0 s).
const YOUNG_GENERATION_MB = 4;

interface ChunkState {
  batches: { batch: EncodedBatch; slot: number }[];
  done: boolean;
  /** A value of this chunk that cannot be written: raised once the rows before it are written. */
  failure: { row: number; error: string } | null;
}

export class OrderedPool {
  /** Text values --json-cols tried that were not JSON, over every finished chunk. */
  notJson = 0;
  private readonly workers: Worker[] = [];
  private readonly states = new Map<number, ChunkState>();
  private next = 0; // the next chunk to hand out
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly credits: Int32Array;
  private readonly slots = new Map<Worker, number>();
  /** Workers whose read transaction has begun, since the last request for one. */
  private snapshots = 0;

  constructor(
    script: URL,
    setup: JobSetup,
    jobs: number,
    private readonly chunks: readonly Chunk[],
    private readonly window = 2 * jobs,
  ) {
    this.credits = new Int32Array(new SharedArrayBuffer(4 * jobs)).fill(CREDITS);
    for (let slot = 0; slot < jobs; slot++) {
      const worker = new Worker(script, { workerData: { setup, credits: this.credits, slot }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      this.slots.set(worker, slot);
      worker.on('message', (reply: JobReply) => this.receive(worker, reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`an export worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  /**
   * Has every worker begin the read transaction it reads all its chunks in, and checks that they
   * all see one committed state: `version()` (the database's data_version, read apart from the
   * workers) must be the same before the first began and after the last did, so that nothing
   * was committed in between. Tried `attempts` times; false when every attempt saw a commit.
   */
  async shareSnapshot(version: () => unknown, attempts: number): Promise<boolean> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const before = version();
      this.snapshots = 0;
      for (const worker of this.workers) worker.postMessage({ snapshot: true } satisfies JobRequest);
      while (this.snapshots < this.workers.length) {
        if (this.failure !== null) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      if (version() === before) return true;
    }
    return false;
  }

  /** The batches of every chunk, in order. */
  async *batches(signal: AbortSignal): AsyncGenerator<EncodedBatch> {
    for (const worker of this.workers) {
      this.assign(worker);
      this.assign(worker);
    }
    let written = 0;
    for (let chunk = 0; chunk < this.chunks.length; chunk++) {
      const before = written;
      for (;;) {
        signal.throwIfAborted();
        if (this.failure !== null) throw this.failure;
        const state = this.states.get(chunk);
        if (state !== undefined && state.batches.length > 0) {
          const { batch, slot } = state.batches.shift() as ChunkState['batches'][number];
          written += batch.ends.length;
          yield batch;
          // written: the worker may post another
          Atomics.add(this.credits, slot, 1);
          Atomics.notify(this.credits, slot);
          continue;
        }
        if (state?.failure) throw new SourceError(`row ${before + state.failure.row}, ${state.failure.error}`);
        if (state?.done) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      this.states.delete(chunk);
      for (const worker of this.workers) this.assign(worker);
    }
  }

  private inFlight = new Map<Worker, number>();

  /** Gives `worker` the next chunk, if the window allows. */
  private assign(worker: Worker): void {
    const busy = this.inFlight.get(worker) ?? 0;
    const written = Math.min(...[...this.states.keys(), this.next]);
    if (busy >= 2 || this.next >= this.chunks.length || this.next > written + this.window) return;
    const chunk = this.next++;
    this.states.set(chunk, { batches: [], done: false, failure: null });
    this.inFlight.set(worker, busy + 1);
    const request: JobRequest = { chunk, ...this.chunks[chunk] };
    worker.postMessage(request);
  }

  private receive(worker: Worker, reply: JobReply): void {
    if ('snapshot' in reply) {
      this.snapshots++;
      this.wake?.();
      return;
    }
    if ('error' in reply && !('row' in reply)) {
      this.fail(reply.source ? new SourceError(reply.error) : new Error(reply.error));
      return;
    }
    const state = this.states.get(reply.chunk) as ChunkState;
    if ('row' in reply) {
      state.failure = { row: reply.row, error: reply.error };
    } else if ('done' in reply) {
      state.done = true;
      this.notJson += reply.notJson;
      this.inFlight.set(worker, (this.inFlight.get(worker) ?? 1) - 1);
      this.assign(worker);
    } else {
      state.batches.push({ batch: { kind: 'encoded', bytes: reply.bytes, ends: reply.ends, separated: true }, slot: this.slots.get(worker) as number });
    }
    this.wake?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
