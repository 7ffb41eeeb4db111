// A promise that is already rejected when the value is passed in, beyond the first chunk:
// Node reports it at the end of the caller's tick unless the dump handles it first.
import { describe, expect, it } from 'vitest';
import { dump, stringifyChunks } from '../../src/index.js';
import { expectNothingLeaked, expectPathKept, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';
import { collector, useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-rejected');

describe('a promise already rejected beyond the first chunk', () => {
  it('dump to a path fails with it, the target kept', async () => {
    const boom = new Error('rejected before the dump');
    await expectPathKept(tmp.dir(), (target) => dump({ rows: rows(), p: Promise.reject(boom) }, target), boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('dump to a Writable fails with it', async () => {
    const boom = new Error('rejected before the dump to a Writable');
    const c = collector({ ignoreErrors: true });
    await expect(dump({ rows: rows(), p: Promise.reject(boom) }, c.w)).rejects.toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('stringifyChunks read slowly fails with it', async () => {
    const boom = new Error('rejected before stringifyChunks');
    let error: unknown = 'no error';
    try {
      for await (const _ of stringifyChunks({ rows: rows(), p: Promise.reject(boom) })) await tick(0);
    } catch (err) {
      error = err;
    }
    expect(error).toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });
});
