// A promise beyond the first chunk rejects while the destination opens: the dump walks the
// first chunk while the file opens, and must not leave the rest of the value unhandled then.
import { describe, it } from 'vitest';
import { dump, dumpLines } from '../../src/index.js';
import { expectNothingLeaked, expectPathKept, rejectsSoon, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-open');

describe('a promise beyond the first chunk rejects while the file opens', () => {
  it('dump to a path fails with it, the target kept', async () => {
    const boom = new Error('rejects while the file opens');
    await expectPathKept(tmp.dir(), (target) => dump({ rows: rows(), p: rejectsSoon(boom) }, target), boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('dumpLines to a path fails with it, the target kept', async () => {
    // A record that is a promise: a member of the records, which the walk has opened.
    const boom = new Error('a later record rejects while the file opens');
    await expectPathKept(tmp.dir(), (target) => dumpLines([...rows(), rejectsSoon(boom)], target), boom);
    await settle();
    expectNothingLeaked(events);
  });
});
