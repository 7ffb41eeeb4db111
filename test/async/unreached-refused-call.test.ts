// A call refused before the walk starts (a bad option, a bad destination) fails like any dump:
// the promises and streams in the value it was given are handled, not left to end the process.
import { describe, expect, it } from 'vitest';
import { createStringifyStream, createStringifyWebStream, dump, dumpLines, dumps, dumpSync, measure, measureSync, stringifyChunks, stringifyChunksSync } from '../../src/index.js';
import { expectNothingLeaked, failsSoon, rejectsSoon } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-refused');

/** A value whose promise rejects and whose stream fails soon after the call. */
const failing = (what: string) => [{ p: rejectsSoon(new Error(`${what}: promise`)), s: failsSoon(new Error(`${what}: stream`)) }];

const refusals: Record<string, (v: unknown) => Promise<unknown>> = {
  'dumpLines with indent': (v) => dumpLines(v, tmp.file(), { indent: 2 } as never),
  'dump to a bad destination': (v) => dump(v, {} as never),
  'dump with a bad option': (v) => dump(v, tmp.file(), { chunkSize: 0 }),
  'measure with a bad option': (v) => measure(v, { chunkSize: 0 }),
  'stringifyChunks with a bad option': async (v) => {
    for await (const _ of stringifyChunks(v, { chunkSize: 0 }));
  },
  'createStringifyStream with a bad option': async (v) => createStringifyStream(v, { chunkSize: 0 }),
  'createStringifyWebStream with a bad option': async (v) => createStringifyWebStream(v, { chunkSize: 0 }),
  // The sync calls throw before they would refuse the value's first async value (ERR_ASYNC_VALUE).
  'dumps with a bad option': async (v) => dumps(v, { chunkSize: 0 }),
  'dumpSync with a bad option': async (v) => dumpSync(v, tmp.file(), { chunkSize: 0 }),
  'dumpSync to a bad destination': async (v) => dumpSync(v, {} as never),
  'stringifyChunksSync with a bad option': async (v) => {
    for (const _ of stringifyChunksSync(v, { chunkSize: 0 }));
  },
  'measureSync with a bad option': async (v) => measureSync(v, { chunkSize: 0 }),
};

describe('a call refused before the walk starts handles what the value holds', () => {
  for (const [name, call] of Object.entries(refusals)) {
    it(name, async () => {
      await expect(call(failing(name))).rejects.toMatchObject({ code: 'ERR_BAD_OPTION' });
      await settle();
      expectNothingLeaked(events);
    });
  }
});

it('dumpSync to a file that cannot be opened handles what the value holds', async () => {
  expect(() => dumpSync(failing('unopened'), tmp.file('no-such-dir/out.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  await settle();
  expectNothingLeaked(events);
});
