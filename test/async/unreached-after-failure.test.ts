// A promise still pending when its dump fails resolves later, to a value the dump will never
// walk: what that value holds is let go of as the rest of a failed dump is (its promises
// handled, its streams destroyed), not left to end the process.
import { describe, expect, it } from 'vitest';
import { dump, dumps, stringifyChunks } from '../../src/index.js';
import { expectNothingLeaked, failsSoon, rejectsSoon } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { useTempDir } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });
const tmp = useTempDir('unreached-after-failure');

/** A promise resolving on a later timer turn to what `make` makes then (as a query's callback would). */
const later = <T>(make: () => T, ms = 5): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(make()), ms));

/** A promise settled by hand, with no handler but the dump's. */
function byHand(): { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: Error) => void } {
  let resolve!: (v: unknown) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Waits until every timer of the values above has fired. */
const afterTimers = () => new Promise((r) => setTimeout(r, 30)).then(settle);

describe('what a pending promise resolves to after its dump failed', () => {
  it('the promise the walk waits on: its value\'s rejecting promise is handled, its stream destroyed', async () => {
    const controller = new AbortController();
    let resolve!: (v: unknown) => void;
    const value = { head: 1, body: new Promise((r) => (resolve = r)) };
    const dumped = dump(value, tmp.file(), { signal: controller.signal });
    controller.abort();
    await expect(dumped).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    resolve([rejectsSoon(new Error('inner')), failsSoon(new Error('inner stream'))]);
    await afterTimers();
    expectNothingLeaked(events);
  });

  it('the promise the walk waits on inside what an awaited promise gave', async () => {
    const controller = new AbortController();
    let resolve!: (v: unknown) => void;
    const value = { body: Promise.resolve([new Promise((r) => (resolve = r))]) };
    const dumped = dump(value, tmp.file(), { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(dumped).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    resolve({ inner: rejectsSoon(new Error('inner')) });
    await afterTimers();
    expectNothingLeaked(events);
  });

  it('a promise that resolves to a value holding itself is let go of once', async () => {
    const controller = new AbortController();
    let resolve!: (v: unknown) => void;
    const p = new Promise((r) => (resolve = r));
    const dumped = dump({ p }, tmp.file(), { signal: controller.signal });
    controller.abort();
    await expect(dumped).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    resolve([p, rejectsSoon(new Error('inner'))]);
    await afterTimers();
    expectNothingLeaked(events);
  });

  // Resolved and rejected by hand, in this order, after the failure: on a busy machine, timers
  // could fire after the check and let the test pass without testing anything.
  it('a member of the opened root the walk had not reached resolves after the failure', async () => {
    const failure = new Error('first');
    const inner = byHand();
    const member = byHand();
    await expect(dump([Promise.reject(failure), member.promise], tmp.file())).rejects.toBe(failure);
    member.resolve({ inner: inner.promise });
    await settle();
    inner.reject(new Error('inner'));
    await settle();
    expectNothingLeaked(events);
  });

  it('stringifyChunks left by its consumer', async () => {
    const inner = byHand();
    const member = byHand();
    for await (const _ of stringifyChunks([{ a: 1 }, member.promise], { chunkSize: 1 })) break;
    member.resolve([inner.promise]);
    await settle();
    inner.reject(new Error('inner'));
    await settle();
    expectNothingLeaked(events);
  });

  it('a value the dump fails on as it opens it (a Map whose keys cannot be sorted)', async () => {
    const value = { rows: new Map<unknown, unknown>([[-3, rejectsSoon(new Error('inner'))], ['z', failsSoon(new Error('inner stream'))]]) };
    await expect(dump(value, tmp.file(), { dialect: 'python', sortKeys: true })).rejects.toMatchObject({ code: 'ERR_KEY_TYPE' });
    await afterTimers();
    expectNothingLeaked(events);
  });

  it('dumps refusing a promise (a sync call)', async () => {
    const value = { p: later(() => [rejectsSoon(new Error('inner'))]) };
    expect(() => dumps(value)).toThrow(expect.objectContaining({ code: 'ERR_ASYNC_VALUE' }));
    await afterTimers();
    expectNothingLeaked(events);
  });
});
