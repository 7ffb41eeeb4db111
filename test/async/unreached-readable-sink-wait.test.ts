// A Readable beyond the first chunk, a member of a container the walk has opened, fails while
// the dump waits on its destination: the dump fails with the stream's error instead of an
// 'error' event nobody listens to.
import { describe, expect, it } from 'vitest';
import { dump } from '../../src/index.js';
import { expectNothingLeaked, expectPathKept, failsSoon, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { collector, useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-readable');

describe('a Readable beyond the first chunk fails while the sink waits', () => {
  it('to a slow Writable', async () => {
    const boom = new Error('the stream fails during backpressure');
    const s = failsSoon(boom);
    const c = collector({ highWaterMark: 1024, delay: 20, ignoreErrors: true });
    await expect(dump({ rows: rows(), s }, c.w)).rejects.toBe(boom);
    await settle();
    expect(s.destroyed).toBe(true);
    expectNothingLeaked(events);
  });

  it('to a path', async () => {
    const boom = new Error('the stream fails while the file opens');
    await expectPathKept(tmp.dir(), (target) => dump({ rows: rows(), s: failsSoon(boom) }, target), boom);
    await settle();
    expectNothingLeaked(events);
  });
});
