// Recognising the non-plain values the walker handles.

import type { Readable } from 'node:stream';
import { types } from 'node:util';
import { isWebReadable, WEB_STREAM_ITERATOR } from './web-chunks.js';

const promiseThen = Promise.prototype.then;

export function isThenable(v: object): v is PromiseLike<unknown> {
  const then = (v as { then?: unknown }).then;
  // Promise#then on an object that only inherits it (no promise inside) would throw.
  return typeof then === 'function' && (then !== promiseThen || types.isPromise(v));
}

/** A Node Readable (or an old-style readable stream): pulled through its async iterator. */
export function isReadable(v: object): v is Readable {
  const s = v as Partial<Readable>;
  return typeof s.pipe === 'function' && typeof s.read === 'function' && typeof s.on === 'function'
    && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as Iterable<unknown>;

/**
 * Built-in iterators that only work on objects with the built-in's internal slots: an object
 * that inherits one (Object.create(Set.prototype)) is not iterable, but an ordinary object.
 */
const SLOT_ITERATORS = new Map<unknown, (v: object) => boolean>([
  [String.prototype[Symbol.iterator], types.isStringObject],
  [Map.prototype[Symbol.iterator], types.isMap],
  [Set.prototype[Symbol.iterator], types.isSet],
  [TypedArrayPrototype[Symbol.iterator], types.isTypedArray],
]);

export function isIterable(v: object): v is Iterable<unknown> {
  const iterator = (v as Iterable<unknown>)[Symbol.iterator];
  if (typeof iterator !== 'function') return false;
  const hasSlots = SLOT_ITERATORS.get(iterator);
  return hasSlots === undefined || hasSlots(v);
}

/** A Map (or an instance of a subclass): an object with the Map's internal slots. */
export const isMap = types.isMap as (v: object) => v is Map<unknown, unknown>;

export function isAsyncIterable(v: object): v is AsyncIterable<unknown> {
  const iterator = (v as AsyncIterable<unknown>)[Symbol.asyncIterator];
  // A ReadableStream's iterator needs its internal slots, as the built-in iterators above do.
  return typeof iterator === 'function' && (iterator !== WEB_STREAM_ITERATOR || isWebReadable(v));
}

/**
 * The primitive inside a Number, String, Boolean or BigInt box, as JSON.stringify unwraps it:
 * a box is an object with the primitive's internal slot (an object that only inherits from
 * String.prototype is not one), and Number and String boxes are converted as ToNumber and
 * ToString do (through valueOf / toString).
 */
export function unbox(v: object): { value: unknown } | null {
  if (types.isNumberObject(v)) return { value: Number(v) };
  if (types.isStringObject(v)) return { value: String(v) };
  if (types.isBooleanObject(v)) return { value: Boolean.prototype.valueOf.call(v) };
  if (types.isBigIntObject(v)) return { value: BigInt.prototype.valueOf.call(v) };
  return null;
}
