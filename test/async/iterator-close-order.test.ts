// When a dump fails, the iterators it has open are closed innermost first, as nested for-of
// loops would close them: an inner generator's finally runs before the outer one's.
import { describe, expect, it } from 'vitest';
import { allVariantsSettled, type Variant } from '../helpers/variants.js';

const boom = new Error('boom');
const failing = { toJSON: (): never => { throw boom; } };

/** outer → middle → inner generators, each logging when it is closed; the inner one's 2nd element throws. */
function nested(log: string[]): unknown {
  function* level(name: string, inner: () => unknown): Generator<unknown> {
    try {
      yield 1;
      yield inner();
    } finally {
      log.push(name);
    }
  }
  return level('outer', () => level('middle', () => level('inner', () => failing)));
}

async function* asyncLevel(name: string, log: string[], inner: () => unknown): AsyncGenerator<unknown> {
  try {
    yield 1;
    yield inner();
  } finally {
    log.push(name);
  }
}

const SYNC: Variant[] = ['dumps', 'stringifyChunksSync', 'dumpSync:path', 'dumpSync:fd'];
const VARIANTS: Variant[] = [...SYNC, 'stringifyChunks', 'createStringifyStream', 'dump:path', 'dump:writable', 'dump:fd', 'dump:filehandle'];

describe('iterators are closed innermost first on failure', () => {
  it('nested generators', async () => {
    for (const variant of VARIANTS) {
      const log: string[] = [];
      const r = (await allVariantsSettled(() => ({ rows: nested(log) }), {}, { only: [variant], async: false }))[variant]!;
      expect(r.ok ? 'ok' : r.error, variant).toBe(boom);
      expect(log, variant).toEqual(['inner', 'middle', 'outer']);
    }
  });

  it('async generators inside a generator', async () => {
    for (const variant of VARIANTS.filter((v) => !SYNC.includes(v))) {
      const log: string[] = [];
      const value = () => [asyncLevel('outer', log, () => asyncLevel('inner', log, () => failing))];
      const r = (await allVariantsSettled(value, {}, { only: [variant], async: true }))[variant]!;
      expect(r.ok ? 'ok' : r.error, variant).toBe(boom);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(log, variant).toEqual(['inner', 'outer']);
    }
  });
});
