// Which values dumpLines and encodeTokens apply to, found by looking at a fresh value (never
// serialized, never running its getters): dumpLines takes records sources whose elements are
// records on their own; encodeTokens re-encodes JSON text, the oracle's or the value's own.

import { Readable } from 'node:stream';
import { types } from 'node:util';
import { RawJSON } from '../../src/index.js';
import type { RunContext } from './variants.js';

function isRecord(v: unknown): v is Record<PropertyKey, unknown> {
  return typeof v === 'object' && v !== null;
}

/** An element dumpLines writes as the line dumps writes for it inside an array. */
function lineSafe(e: unknown, o: Record<string, unknown>): boolean {
  if (e === undefined) return false; // null in an array, ERR_UNSERIALIZABLE as a record
  if ((typeof e === 'function' || typeof e === 'symbol') && o.dialect !== 'python' && o.default === undefined) return false;
  if (isRecord(e) && typeof e.then === 'function') return false; // may resolve to undefined
  if (isRecord(e) && typeof e.toJSON === 'function' && !(e instanceof Date)) return false; // may return undefined
  return true;
}

/** A sync iterable (a fresh one: this consumes it) whose elements are each line-safe. */
function iteratedLineSafe(it: Iterable<unknown>, o: Record<string, unknown>): string | null {
  try {
    let n = 0;
    for (const e of it) {
      const safe = lineSafe(e, o);
      // Made only to be looked at (a generator's element): no dump will handle what is in it.
      discard(e);
      if (!safe) return 'an element is not a record on its own';
      if (++n > 1e6) break;
    }
  } catch {
    // an iterator that throws: dumpLines must let the same error through
  }
  return null;
}

/**
 * null when dumpLines(value) writes, line by line, the elements `dumps(value)` writes: an array,
 * Set or typed array of line-safe elements, a generator or other iterator, an async iterable, an
 * object-mode Readable; no indent (refused), no replacer function (it sees the collection).
 */
export function linesSkip(c: RunContext): string | null {
  const o = (c.options ?? {}) as Record<string, unknown>;
  if (c.lines === false) return 'not a records source (flag)';
  if (o.indent !== undefined && o.indent !== null) return 'indent (dumpLines refuses it)';
  if (typeof o.replacer === 'function') return 'replacer function';
  // Each line is a JSON value of its own: its depth counts from the record, not from the source.
  if (o.maxDepth !== undefined) return 'maxDepth (each line is a value of its own)';
  const seps = o.separators;
  if (Array.isArray(seps) && seps.some((s) => typeof s === 'string' && /[\n\r]/.test(s))) return 'separators with a line break (refused)';
  if (c.lines === true) return null;
  const v = c.probe();
  if (!isRecord(v) || typeof v.toJSON === 'function') return 'not a collection';
  if (Array.isArray(v) || types.isSet(v)) {
    const elements = Array.isArray(v) ? Array.from({ length: v.length }, (_, i) => v[i]) : [...v];
    return elements.every((e) => lineSafe(e, o)) ? null : 'an element is not a record on its own';
  }
  if (ArrayBuffer.isView(v)) return v instanceof DataView || Buffer.isBuffer(v) ? 'not a collection' : null;
  if (v instanceof Readable) return v.readableObjectMode ? null : 'a byte Readable';
  if (types.isMap(v) || v instanceof String || typeof v.then === 'function') return 'not a collection';
  // Bytes or strings make it one JSON string, other values records: its first chunk decides.
  if (v instanceof ReadableStream) return 'a Web ReadableStream (what it holds is known only once read)';
  if (typeof v[Symbol.asyncIterator] === 'function') return null;
  const iterator = v[Symbol.iterator];
  if (typeof iterator === 'function') {
    // A built-in's iterator on an object without the built-in's slots (Object.create(Map.prototype)):
    // an ordinary object, as JSON.stringify writes it.
    const slots = SLOT_ITERATORS.get(iterator);
    if (slots !== undefined && !slots(v)) return 'not a collection';
    return iteratedLineSafe(v as unknown as Iterable<unknown>, o);
  }
  return 'not a collection';
}

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype) as Iterable<unknown>;

/** Built-in iterators that work only on objects with the built-in's internal slots, and the check for them. */
const SLOT_ITERATORS = new Map<unknown, (v: object) => boolean>([
  [String.prototype[Symbol.iterator], types.isStringObject],
  [Map.prototype[Symbol.iterator], types.isMap],
  [Set.prototype[Symbol.iterator], types.isSet],
  [TYPED_ARRAY_PROTOTYPE[Symbol.iterator], types.isTypedArray],
]);

/** The data members of an object (a probe must not run the value's getters). */
function dataMembers(v: object): unknown[] {
  return Object.values(Object.getOwnPropertyDescriptors(v)).flatMap((d) => ('value' in d && d.enumerable ? [d.value] : []));
}

/**
 * Plain JSON data: what JSON.parse can return (finite numbers; data members only; no object
 * reached twice). Iterative: values can be a million levels deep.
 */
export function isPlainJSON(root: unknown, safeIntegersOnly = false): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (safeIntegersOnly && !Number.isSafeInteger(v))) return false;
      continue;
    }
    if (!isRecord(v) || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) {
      // An array's own toJSON is called by JSON.stringify; a getter (a hole) is no data.
      if (Object.getPrototypeOf(v) !== Array.prototype || 'toJSON' in v) return false;
      for (let i = 0; i < v.length; i++) {
        const d = Object.getOwnPropertyDescriptor(v, i);
        if (d === undefined || !('value' in d)) return false;
        stack.push(d.value);
      }
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v || Object.getOwnPropertySymbols(v).length > 0) return false;
    for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) {
      if (!('value' in d) || !d.enumerable) return false;
      stack.push(d.value);
    }
  }
  return true;
}

/** Every object in the value's arrays, objects (data members), Maps and Sets, each once; iterative. */
function* reachable(root: unknown): Generator<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (!isRecord(v) || seen.has(v)) continue;
    seen.add(v);
    yield v;
    // By their internal slots: an object that only inherits from Map.prototype is no Map.
    if (types.isMap(v)) for (const [k, x] of v as Map<unknown, unknown>) stack.push(k, x);
    else if (types.isSet(v)) for (const x of v as Set<unknown>) stack.push(x);
    else if (!ArrayBuffer.isView(v)) stack.push(...dataMembers(v));
  }
}

/** True when a rawJSON fragment is in the value (written verbatim, not re-encoded). */
export function holdsRawJSON(v: unknown): boolean {
  const isRaw = (x: object): boolean => x instanceof RawJSON || ('isRawJSON' in JSON && (JSON as { isRawJSON(y: unknown): boolean }).isRawJSON(x));
  for (const x of reachable(v)) if (isRaw(x)) return true;
  return false;
}

/** Promises whose values discard() or handleRejections() follow: a promise holding itself is followed once. */
const followed = new WeakSet<object>();

/**
 * Lets go of a value made only to look at: a rejected promise in it must not be reported as
 * unhandled (the library never saw it).
 */
export function discard(v: unknown): void {
  for (const x of reachable(v)) {
    // What a promise resolves to is made then (helpers/faults.ts): discarded in turn.
    if (types.isPromise(x) && !followed.has(x)) {
      followed.add(x);
      Promise.prototype.then.call(x, discard, () => {});
    }
    else if (x instanceof Readable) x.destroy();
  }
}

/**
 * Handles the rejections of a value made only to look at, as soon as it is made: its promises
 * may reject while the variants run, before discard() comes.
 */
export function handleRejections(v: unknown): void {
  for (const x of reachable(v)) {
    // What a promise resolves to is made then (helpers/faults.ts): handled in turn.
    if (types.isPromise(x) && !followed.has(x)) {
      followed.add(x);
      Promise.prototype.then.call(x, handleRejections, () => {});
    }
  }
}

/**
 * The JSON text encodeTokens is fed: the oracle's text when it is JSON (it already reflects
 * replacer and sortKeys, which encodeTokens refuses) unless rawJSON fragments were copied into
 * it verbatim, or else JSON.stringify of a plain-JSON
 * value (only without replacer and sortKeys; in the python dialect only with integer numbers,
 * whose text both dialects share).
 */
export function tokensSource(c: RunContext): string | null {
  const o = (c.options ?? {}) as Record<string, unknown>;
  if (c.oracle !== undefined && isJSON(c.oracle)) return holdsRawJSON(c.probe()) ? null : c.oracle;
  if (o.replacer !== undefined && o.replacer !== null) return null;
  if (o.sortKeys === true) return null;
  const v = c.probe();
  return isPlainJSON(v, o.dialect === 'python') ? JSON.stringify(v) : null;
}

/** Text in pieces of about `size` characters, never between the halves of a surrogate pair. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + size, text.length);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}


/** True when the text is one JSON value. */
export function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
