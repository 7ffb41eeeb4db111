// A promise beyond the first chunk rejects while the consumer of the chunks is busy between
// two of them: the next chunk asked for fails with it.
import { describe, expect, it } from 'vitest';
import { createStringifyStream, createStringifyWebStream, stringifyChunks } from '../../src/index.js';
import { expectNothingLeaked, rejectsSoon, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';

const events = recordProcessEvents({ uncaught: true });

/** Reads `chunks` with a timer between two chunks; the error it ends with. */
async function slowly(chunks: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of chunks) await tick(5);
  } catch (err) {
    return err;
  }
  return 'no error';
}

describe('a promise beyond the first chunk rejects while the consumer waits on a timer', () => {
  it('stringifyChunks', async () => {
    const boom = new Error('rejects between two chunks');
    expect(await slowly(stringifyChunks({ rows: rows(), p: rejectsSoon(boom) }))).toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('createStringifyStream', async () => {
    const boom = new Error('rejects between two reads');
    expect(await slowly(createStringifyStream({ rows: rows(), p: rejectsSoon(boom) }))).toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('createStringifyWebStream', async () => {
    const boom = new Error('rejects between two reads of a web stream');
    expect(await slowly(createStringifyWebStream({ rows: rows(), p: rejectsSoon(boom) }))).toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });
});
