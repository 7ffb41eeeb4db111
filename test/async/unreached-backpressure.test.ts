// A promise beyond the first chunk rejects while the dump waits for a slow destination to
// drain: the dump fails with it, and the destination is destroyed with it.
import { describe, expect, it } from 'vitest';
import { WritableStream } from 'node:stream/web';
import { dump } from '../../src/index.js';
import { expectNothingLeaked, rejectsSoon, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';
import { collector } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });

describe('a promise beyond the first chunk rejects while the sink applies backpressure', () => {
  it('a slow Writable', async () => {
    const boom = new Error('rejects during backpressure');
    const c = collector({ highWaterMark: 1024, delay: 20, ignoreErrors: true });
    await expect(dump({ rows: rows(), p: rejectsSoon(boom) }, c.w)).rejects.toBe(boom);
    expect(c.w.destroyed).toBe(true);
    await settle();
    expectNothingLeaked(events);
  });

  it('a slow WritableStream', async () => {
    const boom = new Error('rejects while a WritableStream is busy');
    const ws = new WritableStream<Uint8Array>({ write: () => tick(20) }, { highWaterMark: 1 });
    await expect(dump({ rows: rows(), p: rejectsSoon(boom) }, ws)).rejects.toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });
});
