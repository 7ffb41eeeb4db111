// toJSON, a getter or a generator gives, when the walk reaches it, a structure with a promise
// beyond the first chunk that rejects later: the walk opens what they give, and its members are
// watched as those of any container it opens.
import { describe, expect, it } from 'vitest';
import { dump, stringifyChunks } from '../../src/index.js';
import { expectNothingLeaked, expectPathKept, rejectsSoon, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';
import { useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-new');

/** Values that make `{ rows, p }` only when the walk reaches them, `p` rejecting with `boom`. */
const makers: Record<string, (boom: Error) => unknown> = {
  toJSON: (boom) => ({ a: { toJSON: () => ({ rows: rows(), p: rejectsSoon(boom) }) } }),
  getter: (boom) => ({ get a() { return { rows: rows(), p: rejectsSoon(boom) }; } }),
  generator: (boom) => ({
    *a() { yield { rows: rows(), p: rejectsSoon(boom) }; },
  }.a()),
};

describe('a structure made when the walk reaches it, with a promise rejecting beyond the first chunk', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: dump to a path fails with it, the target kept`, async () => {
      const boom = new Error(`from a ${name}, while the file opens`);
      await expectPathKept(tmp.dir(), (target) => dump(make(boom), target), boom);
      await settle();
      expectNothingLeaked(events);
    });

    it(`${name}: stringifyChunks read slowly fails with it`, async () => {
      const boom = new Error(`from a ${name}, between two chunks`);
      let error: unknown = 'no error';
      try {
        for await (const _ of stringifyChunks(make(boom))) await tick(5);
      } catch (err) {
        error = err;
      }
      expect(error).toBe(boom);
      await settle();
      expectNothingLeaked(events);
    });
  }
});
