// Async values the walk has not reached yet: while it waits on an earlier one, a promise or a
// stream further on in a container it has opened may fail. That must fail the dump (not end
// the process with an unhandled rejection or an 'error' nobody listens to); one deeper, in a
// container not opened yet, is the caller's (docs/API.md). When a dump fails, the streams it
// did not reach are destroyed. Watching must not read getters or call a thenable's then().
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { stringifyChunksSync, dumpSync } from '../../src/index.js';
import { allVariantsSettled, ASYNC_VARIANTS, describeError, VARIANT_NAMES } from '../helpers/variants.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';
import { useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached');
/** A promise resolving to `value` after `ms`. */
const later = <T>(value: T, ms: number): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
/** A promise rejecting with `error` after `ms` (nobody handles it but the dump). */
const failsLater = (error: Error, ms: number): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(error), ms));
/** A byte stream that fails with `error` after `ms`. */
function streamFailsLater(error: Error, ms: number): Readable {
  const s = new PassThrough();
  setTimeout(() => s.destroy(error), ms);
  return s;
}

/** Runs `make()` through every async variant; each must fail with exactly `error`, and nothing reaches the process. */
async function expectFailure(make: () => unknown, error: Error): Promise<void> {
  const settled = await allVariantsSettled(make, {}, { async: true });
  await settle();
  for (const [variant, r] of Object.entries(settled)) {
    expect(r.ok ? 'ok' : r.error, `${variant}: ${r.ok ? 'ok' : describeError(r.error)}`).toBe(error);
  }
  expect(events.unhandled).toEqual([]);
  expect(events.uncaught).toEqual([]);
}

describe('a later async value fails while the walk waits on an earlier one', () => {
  it('a promise further on in the array rejects', async () => {
    const boom = new Error('later promise');
    await expectFailure(() => [later(1, 80), failsLater(boom, 10)], boom);
  });

  it('a promise deep in a later row, handled by the caller as the docs advise, fails the dump when the walk reaches it', async () => {
    const boom = new Error('deep promise');
    await expectFailure(() => {
      // In a row the walk has not opened while it waits on `first`: the caller's to handle.
      const p = failsLater(boom, 10);
      p.catch(() => {});
      return { first: later('a', 80), rows: [{ id: 1, more: { p } }] };
    }, boom);
  });

  it('a member of a Map and of a Set the walk has opened rejects', async () => {
    const boom = new Error('in a Map');
    await expectFailure(() => new Map<string, unknown>([['first', later(1, 80)], ['k', failsLater(boom, 10)]]), boom);
    const boom2 = new Error('in a Set');
    await expectFailure(() => new Set([later(1, 80), failsLater(boom2, 10)]), boom2);
  });

  it('a stream further on fails', async () => {
    const boom = new Error('later stream');
    await expectFailure(() => ({ a: later(1, 80), b: streamFailsLater(boom, 10) }), boom);
  });

  it('a later promise that failed before the walk started fails the dump too', async () => {
    const boom = new Error('already rejected');
    await expectFailure(() => {
      const p = Promise.reject(boom);
      return [later(1, 30), p];
    }, boom);
  });

  it('while the walk waits on a cursor, a promise after the cursor rejects', async () => {
    const boom = new Error('after the cursor');
    async function* rows(): AsyncGenerator<unknown> {
      for (let i = 0; i < 3; i++) {
        await tick(20);
        yield { i };
      }
    }
    await expectFailure(() => ({ rows: rows(), total: failsLater(boom, 10) }), boom);
  });
});

describe('watching touches nothing it should not', () => {
  it('a getter further on is read once, when its turn comes', async () => {
    for (const variant of ASYNC_VARIANTS) {
      let reads = 0;
      const make = () => [later(1, 20), { get x() { reads++; return 2; } }];
      const r = (await allVariantsSettled(make, {}, { only: [variant], async: true }))[variant];
      if (r === undefined) continue; // the variant does not apply to this value
      expect(r.ok ? r.text : describeError(r.error), variant).toBe('[1,{"x":2}]');
      expect(reads, variant).toBe(1);
    }
  });

  it("a thenable further on: its then() is called once, when the walk reaches it", async () => {
    for (const variant of ASYNC_VARIANTS) {
      const calls: number[] = [];
      const started = Date.now();
      const thenable = { then(resolve: (v: unknown) => void) { calls.push(Date.now() - started); resolve('done'); } };
      const r = (await allVariantsSettled(() => [later(1, 60), thenable], {}, { only: [variant], async: true }))[variant];
      if (r === undefined) continue; // the variant does not apply to this value
      expect(r.ok ? r.text : describeError(r.error), variant).toBe('[1,"done"]');
      expect(calls.length, variant).toBe(1);
      expect(calls[0], variant).toBeGreaterThanOrEqual(50);
    }
  });

  it('a promise further on that a replacer replaces does not fail the dump', async () => {
    const boom = new Error('replaced away');
    const replacer = (_k: string, v: unknown) => (v instanceof Promise && (v as { drop?: boolean }).drop ? 'replaced' : v);
    for (const variant of ASYNC_VARIANTS) {
      const make = () => {
        const p = failsLater(boom, 10) as Promise<never> & { drop?: boolean };
        p.drop = true;
        return [later(1, 60), p];
      };
      const r = (await allVariantsSettled(make, { replacer } as never, { only: [variant], async: true }))[variant];
      if (r === undefined) continue; // the variant does not apply to this value
      expect(r.ok ? r.text : describeError(r.error), variant).toBe('[1,"replaced"]');
    }
    await settle();
    expect(events.unhandled).toEqual([]);
  });
});

describe('after a failed dump, what the walk did not reach is cleaned up', () => {
  const boom = new Error('first element fails');
  const failing = { toJSON: (): never => { throw boom; } };

  it('100 failed dumps leave no file stream open', async () => {
    const file = tmp.file('data.txt');
    fs.writeFileSync(file, 'some text');
    const streams: fs.ReadStream[] = [];
    for (let i = 0; i < 100; i++) {
      const variant = ASYNC_VARIANTS[i % ASYNC_VARIANTS.length];
      const make = () => {
        const s = fs.createReadStream(file);
        streams.push(s);
        return [failing, { s }];
      };
      const r = (await allVariantsSettled(make, {}, { only: [variant], async: true }))[variant];
      if (r === undefined) continue; // the variant does not apply to this value
      expect(r.ok ? 'ok' : r.error, variant).toBe(boom);
    }
    await settle();
    expect(streams.filter((s) => !s.destroyed)).toHaveLength(0);
    await Promise.all(streams.map((s) => (s.closed ? null : new Promise<void>((resolve) => s.once('close', () => resolve())))));
    expect(events.unhandled).toEqual([]);
  });

  it('a promise the failed walk did not reach rejects later: handled', async () => {
    const late = new Error('rejects after the failure');
    for (const variant of VARIANT_NAMES) {
      await allVariantsSettled(() => [failing, { p: failsLater(late, 5) }], {}, { only: [variant], async: false });
    }
    await tick(30);
    await settle();
    expect(events.unhandled).toEqual([]);
  });

  it('a sync function refusing a promise or a stream: the promise is handled, the stream destroyed', async () => {
    const late = new Error('rejects after ERR_ASYNC_VALUE');
    expect(() => [...stringifyChunksSync({ p: failsLater(late, 5) })]).toThrow('a promise cannot be written by a sync function');
    const s = new PassThrough();
    expect(() => dumpSync({ s }, tmp.file())).toThrow('a stream cannot be written by a sync function');
    await tick(30);
    await settle();
    expect(s.destroyed).toBe(true);
    expect(events.unhandled).toEqual([]);
  });
});
