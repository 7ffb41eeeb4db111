// dumps runs through the same sync driver as the other functions: an abort from inside the walk
// (a getter, toJSON, a generator, a replacer) stops it, and a failure closes what the walk
// opened, as stringifyChunksSync and dumpSync do.
import { describe, expect, it } from 'vitest';
import { dumps, JSONDumpError } from '../../src/index.js';
import { describeError } from '../helpers/describe-error.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('dumps: an abort during the walk', () => {
  it('from a generator: ERR_ABORTED, the generator is closed, nothing more is pulled', () => {
    const ac = new AbortController();
    let pulled = 0;
    let finalized = false;
    function* rows(): Generator<unknown> {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          pulled++;
          if (i === 50_000) ac.abort();
          yield { i, pad: 'x'.repeat(20) };
        }
      } finally {
        finalized = true;
      }
    }
    const err = thrown(() => dumps({ rows: rows() }, { signal: ac.signal }));
    // The position within the generator is the walker's to name (`$.rows[50000]` or so).
    expect(describeError(err)).toMatch(/^ERR_ABORTED \$\.rows\[/);
    expect((err as JSONDumpError).cause).toBe(ac.signal.reason);
    expect(finalized).toBe(true);
    expect(pulled).toBeLessThan(60_000);
  });

  it('from a getter, with a chunkSize as small as it goes', () => {
    const ac = new AbortController();
    const value = Array.from({ length: 200 }, (_, i) => ({
      get v() {
        if (i === 100) ac.abort(new Error('enough'));
        return i;
      },
    }));
    const err = thrown(() => dumps(value, { signal: ac.signal, chunkSize: 1 }));
    expect(describeError(err)).toMatch(/^ERR_ABORTED \$\[/);
    expect((err as JSONDumpError).cause).toEqual(new Error('enough'));
  });
});

describe('dumps: a failure closes what the walk opened', () => {
  it('generators nested in generators all run their finally blocks', () => {
    const closed: string[] = [];
    const boom = new Error('toJSON failed');
    function* inner(): Generator<unknown> {
      try {
        yield 1;
        yield { toJSON: () => { throw boom; } };
        yield 3;
      } finally {
        closed.push('inner');
      }
    }
    function* outer(): Generator<unknown> {
      try {
        yield 'a';
        yield inner();
        yield 'never';
      } finally {
        closed.push('outer');
      }
    }
    expect(thrown(() => dumps({ list: outer() }))).toBe(boom);
    expect(closed.sort()).toEqual(['inner', 'outer']);
  });

  it('an iterator with return(): return() is called once', () => {
    let returned = 0;
    let i = 0;
    const iterable = {
      [Symbol.iterator]: () => ({
        next: () => (i++ < 5 ? { value: i, done: false } : { value: Symbol('not JSON at the root'), done: false }),
        return: () => {
          returned++;
          return { value: undefined, done: true };
        },
      }),
    };
    const err = thrown(() => dumps({ x: iterable }, { dialect: 'python' }));
    expect(describeError(err)).toBe('ERR_UNSERIALIZABLE $.x[5]');
    expect(returned).toBe(1);
  });
});
