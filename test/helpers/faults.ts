// Values with faults in them, for "every output is valid JSON or an error". A value is
// generated as a Plan (plain data: fast-check can shrink and print it) and built fresh for each
// run by `build`, since what it holds is consumed (generators, streams) or settles once
// (promises). The faults are the caller's own code failing: getters and toJSON that throw,
// promises that reject (at once or later), generators and async generators that throw after
// some elements, Readables (object mode or bytes) that error after some chunks; and values the
// library refuses: NaN with allowNaN false, a cycle. Each fault throws its own FaultError, so a
// rejection can be traced to the value that caused it.
//
// No vitest here: a child process (test/helpers/exit-check.ts) builds the same values.

import fc from 'fast-check';
import { Readable } from 'node:stream';

/** The caller's own error, as thrown by one fault of one built value. */
export class FaultError extends Error {
  constructor(readonly fault: string) {
    super(`fault: ${fault}`);
    this.name = 'FaultError';
  }
}

export type Plan =
  | { k: 'json'; v: unknown }
  | { k: 'nan' }
  | { k: 'cycle' }
  | { k: 'arr'; items: Plan[] }
  | { k: 'obj'; entries: [string, Plan][] }
  | { k: 'map'; entries: [string | number, Plan][] }
  | { k: 'set'; items: Plan[] }
  /** A sync generator; with `throwAt`, it throws after that many elements. */
  | { k: 'gen'; items: Plan[]; throwAt?: number }
  | { k: 'agen'; items: Plan[]; throwAt?: number; delay: Delay }
  /** An object-mode Readable; with `errorAt`, it is destroyed with an error after that many elements. */
  | { k: 'readable'; items: Plan[]; errorAt?: number; delay: Delay }
  | { k: 'bytes'; text: string; errorAt?: number; delay: Delay }
  | { k: 'promise'; inner: Plan; delay: Delay; reject: boolean }
  | { k: 'getter'; inner: Plan; throws: boolean }
  | { k: 'toJSON'; inner: Plan; throws: boolean };

/** How long an async part takes: now (already settled), a microtask, the next turn, a few ms. */
export type Delay = 'now' | 'micro' | 'turn' | 1 | 3;

const wait = (d: Delay): Promise<void> =>
  d === 'now' || d === 'micro' ? Promise.resolve() : d === 'turn' ? new Promise((r) => setImmediate(r)) : new Promise((r) => setTimeout(r, d));

// ---- plans --------------------------------------------------------------------------------

const delay = fc.constantFrom<Delay>('now', 'micro', 'turn', 1, 3);
const at = fc.option(fc.nat(3), { nil: undefined, freq: 3 });
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('é😀', '"\\\n', '\u2028', 'x'.repeat(40)));
const json = fc.oneof(fc.constantFrom<unknown>(null, true, 0, -1.5, 1e21), text).map((v): Plan => ({ k: 'json', v }));

/** Plans with async parts (promises, async generators, Readables) when `async`, without them otherwise. */
export function planArb(async: boolean): fc.Arbitrary<Plan> {
  // What a Readable holds is in its buffer before anyone reads it (and lost there when it
  // errors): its elements have no async parts, so that nothing rejects unseen by the library.
  const readableItems = async ? fc.array(planArb(false), { maxLength: 4 }) : fc.constant<Plan[]>([]);
  return fc.letrec<{ plan: Plan }>((tie) => {
    const items = fc.array(tie('plan'), { maxLength: 4 });
    const syncKinds: fc.WeightedArbitrary<Plan>[] = [
      { weight: 6, arbitrary: json },
      { weight: 1, arbitrary: fc.constant<Plan>({ k: 'nan' }) },
      { weight: 1, arbitrary: fc.constant<Plan>({ k: 'cycle' }) },
      { weight: 3, arbitrary: items.map((xs): Plan => ({ k: 'arr', items: xs })) },
      { weight: 3, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'é', ''), tie('plan')), { maxLength: 4 }).map((entries): Plan => ({ k: 'obj', entries })) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom('k', 'z'), fc.integer({ min: -3, max: 3 })), tie('plan')), { maxLength: 3 }).map((entries): Plan => ({ k: 'map', entries })) },
      { weight: 1, arbitrary: items.map((xs): Plan => ({ k: 'set', items: xs })) },
      { weight: 2, arbitrary: fc.record({ items, throwAt: at }, { requiredKeys: ['items'] }).map((r): Plan => ({ k: 'gen', ...r })) },
      { weight: 2, arbitrary: fc.record({ inner: tie('plan'), throws: fc.boolean() }).map((r): Plan => ({ k: 'getter', ...r })) },
      { weight: 2, arbitrary: fc.record({ inner: tie('plan'), throws: fc.boolean() }).map((r): Plan => ({ k: 'toJSON', ...r })) },
    ];
    const asyncKinds: fc.WeightedArbitrary<Plan>[] = [
      { weight: 3, arbitrary: fc.record({ inner: tie('plan'), delay, reject: fc.boolean() }).map((r): Plan => ({ k: 'promise', ...r })) },
      { weight: 2, arbitrary: fc.record({ items, throwAt: at, delay }, { requiredKeys: ['items', 'delay'] }).map((r): Plan => ({ k: 'agen', ...r })) },
      { weight: 2, arbitrary: fc.record({ items: readableItems, errorAt: at, delay }, { requiredKeys: ['items', 'delay'] }).map((r): Plan => ({ k: 'readable', ...r })) },
      { weight: 1, arbitrary: fc.record({ text, errorAt: at, delay }, { requiredKeys: ['text', 'delay'] }).map((r): Plan => ({ k: 'bytes', ...r })) },
    ];
    return { plan: fc.oneof({ depthSize: 'small', maxDepth: 3 }, ...syncKinds, ...(async ? asyncKinds : [])) };
  }).plan;
}

/** True when the plan holds a promise, async generator or Readable. */
export function isAsyncPlan(p: Plan): boolean {
  switch (p.k) {
    case 'promise':
    case 'agen':
    case 'readable':
    case 'bytes':
      return true;
    case 'arr':
    case 'set':
    case 'gen':
      return p.items.some(isAsyncPlan);
    case 'obj':
    case 'map':
      return p.entries.some(([, x]) => isAsyncPlan(x));
    case 'getter':
    case 'toJSON':
      return isAsyncPlan(p.inner);
    default:
      return false;
  }
}

// ---- building -----------------------------------------------------------------------------

/**
 * The value a plan describes (fresh on every call); `faults` collects every FaultError it can
 * throw. What a generator yields, a Readable pushes, a promise resolves to, a getter or toJSON
 * returns is made when it is handed over, not before: a promise the library has not been
 * given cannot be the library's to handle. And as docs/API.md's rule for async values has it,
 * the library watches a promise from the moment the walk reaches it or opens the container it
 * is a member of: the root value and what a getter, toJSON or a generator gives the walk are
 * reached as they are made (`depth` 0), their members are watched (`depth` 1). A promise
 * deeper than that (in a container the walk has not opened, what a promise resolves to on its
 * own timer, what a Readable buffers before the walk reads it) is the caller's, who attaches a
 * handler as the docs advise; the dump still fails with its error when the walk reaches it.
 */
export function build(plan: Plan, faults: Set<FaultError> = new Set()): unknown {
  let n = 0;
  const fault = (what: string): FaultError => {
    const e = new FaultError(`${what} #${n++}`);
    faults.add(e);
    return e;
  };
  const make = (p: Plan, depth = 0): unknown => {
    switch (p.k) {
      case 'json':
        return p.v;
      case 'nan':
        return NaN;
      case 'cycle': {
        const o: Record<string, unknown> = { before: 1 };
        o.self = o;
        return o;
      }
      case 'arr':
        return p.items.map((x) => make(x, depth + 1));
      // A key given twice keeps its place and its last value: only that value is made (one
      // made and dropped, a rejected promise say, would be seen by no dump).
      case 'obj': {
        const o: Record<string, unknown> = {};
        for (const [k, x] of new Map(p.entries)) o[k] = make(x, depth + 1);
        return o;
      }
      case 'map':
        return new Map([...new Map(p.entries)].map(([k, x]) => [k, make(x, depth + 1)]));
      case 'set':
        return new Set(p.items.map((x) => make(x, depth + 1)));
      case 'gen': {
        const err = p.throwAt === undefined ? null : fault('generator');
        return (function* () {
          for (let i = 0; i < p.items.length; i++) {
            if (i === p.throwAt) throw err;
            yield make(p.items[i]!);
          }
          if (err !== null && p.throwAt! >= p.items.length) throw err;
        })();
      }
      case 'agen': {
        const err = p.throwAt === undefined ? null : fault('async generator');
        return (async function* () {
          for (let i = 0; i < p.items.length; i++) {
            await wait(p.delay);
            if (i === p.throwAt) throw err;
            yield make(p.items[i]!);
          }
          if (err !== null && p.throwAt! >= p.items.length) throw err;
        })();
      }
      case 'readable': {
        const err = p.errorAt === undefined ? null : fault('object Readable');
        let i = 0;
        const r = new Readable({
          objectMode: true,
          read() {
            void wait(p.delay).then(() => {
              if (err !== null && i === p.errorAt) return void r.destroy(err);
              if (i === p.items.length) return void (err !== null ? r.destroy(err) : r.push(null));
              const x = make(p.items[i++]!, depth + 2);
              r.push(x === null || x === undefined ? 'null item' : x); // null would end an object stream
            });
          },
        });
        return r;
      }
      case 'bytes': {
        const bytes = Buffer.from(p.text);
        const err = p.errorAt === undefined ? null : fault('byte Readable');
        let i = 0;
        const r = new Readable({
          read() {
            void wait(p.delay).then(() => {
              if (err !== null && i === p.errorAt) r.destroy(err);
              else if (i < bytes.length) r.push(bytes.subarray(i, (i += 3)));
              else if (err !== null) r.destroy(err);
              else r.push(null);
            });
          },
        });
        return r;
      }
      case 'promise': {
        const err = p.reject ? fault('promise') : null;
        let promise: Promise<unknown>;
        if (p.delay === 'now') promise = err === null ? Promise.resolve(make(p.inner, depth + 1)) : Promise.reject(err);
        else {
          promise = wait(p.delay).then(() => {
            if (err !== null) throw err;
            return make(p.inner, depth + 1);
          });
        }
        if (depth >= 2) promise.catch(() => {});
        return promise;
      }
      case 'getter': {
        const err = p.throws ? fault('getter') : null;
        const o = { before: true };
        Object.defineProperty(o, 'got', {
          enumerable: true,
          get() {
            if (err !== null) throw err;
            return make(p.inner);
          },
        });
        return o;
      }
      case 'toJSON': {
        const err = p.throws ? fault('toJSON') : null;
        return {
          toJSON() {
            if (err !== null) throw err;
            return make(p.inner);
          },
        };
      }
    }
  };
  return make(plan);
}

// ---- options ------------------------------------------------------------------------------

/** Options whose output is JSON: whitespace-only layout, no NaN literals. */
export const jsonOptionsArb = fc
  .record(
    {
      dialect: fc.constantFrom<'js' | 'python'>('js', 'python'),
      allowNaN: fc.constantFrom(undefined, false),
      indent: fc.constantFrom<number | string | undefined>(undefined, 0, 2, '\t', ' ', '\r\n'),
      separators: fc.option(fc.tuple(fc.constantFrom(',', ', ', ' ,\n'), fc.constantFrom(':', ': ', '\t: ')), { nil: undefined }),
      sortKeys: fc.boolean(),
      skipKeys: fc.boolean(),
      ensureAscii: fc.boolean(),
      chunkSize: fc.constantFrom(undefined, 1, 7, 64),
    },
    { requiredKeys: [] },
  )
  .map((o) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    // The python dialect writes NaN literals unless told not to.
    if (out.dialect === 'python') out.allowNaN = false;
    return out;
  });

export const JSONDUMP_CODES = new Set([
  'ERR_CIRCULAR', 'ERR_NON_FINITE', 'ERR_KEY_TYPE', 'ERR_ASYNC_VALUE', 'ERR_ABORTED', 'ERR_BAD_OPTION', 'ERR_UNSERIALIZABLE',
  'ERR_LIMIT', 'ERR_INVALID_UTF8',
]);

/** null when `text` parses as JSON (or, for JSON Lines, every line does); else what is wrong. */
export function notJSON(text: string, lines = false): string | null {
  const parts = lines ? (text === '' ? [] : text.endsWith('\n') ? text.slice(0, -1).split('\n') : [text + ' (no final line break)']) : [text];
  for (const part of parts) {
    try {
      JSON.parse(part);
    } catch (e) {
      return `${(e as Error).message} in ${JSON.stringify(part.slice(0, 200))}`;
    }
  }
  return null;
}
