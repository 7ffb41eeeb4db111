// Recognising the non-plain values the walker handles.

import type { Readable } from 'node:stream';

export function isThenable(v: object): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown }).then === 'function';
}

/** A Node Readable (or an old-style readable stream): pulled through its async iterator. */
export function isReadable(v: object): v is Readable {
  const s = v as Partial<Readable>;
  return typeof s.pipe === 'function' && typeof s.read === 'function' && typeof s.on === 'function'
    && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

export function isIterable(v: object): v is Iterable<unknown> {
  return typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

export function isAsyncIterable(v: object): v is AsyncIterable<unknown> {
  return typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** The primitive inside a Number, String, Boolean or BigInt box, as JSON.stringify unwraps it. */
export function unbox(v: object): { value: unknown } | null {
  if (v instanceof Number) return { value: Number(v) };
  if (v instanceof String) return { value: String(v) };
  if (v instanceof Boolean) return { value: Boolean.prototype.valueOf.call(v) };
  if (v instanceof BigInt) return { value: BigInt.prototype.valueOf.call(v) };
  return null;
}
