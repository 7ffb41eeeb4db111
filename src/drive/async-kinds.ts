// The async values the watch (drive/watch.ts) and the sweep (drive/sweep.ts) handle ahead of
// the walk, recognised by their internal slots and prototypes only: no getter is read, no
// method of the value called, no trap of a Proxy run (a Proxy is left to the walk, which reads
// it as any other object when it reaches it).

import { Readable } from 'node:stream';
import { types } from 'node:util';

const { getPrototypeOf, hasOwn } = Object;
const PROMISE_PROTO = Promise.prototype;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;

/** Promise.prototype.then itself: a handler is attached through it, never through the value's own then. */
export const promiseThen = Promise.prototype.then;

export const ignore = (): void => {};

/**
 * A promise whose then() is Promise.prototype.then and whose derived promises are plain
 * Promises: attaching a handler runs no code of the caller's (a thenable's then() may start
 * work, a query builder's for instance).
 */
export function isNativePromise(v: object): v is Promise<unknown> {
  return types.isPromise(v) && getPrototypeOf(v) === PROMISE_PROTO && !hasOwn(v, 'then') && !hasOwn(v, 'constructor');
}

/** What the watch attaches to. */
export const enum Watched {
  Nothing,
  /** A native promise (isNativePromise): a handler. */
  Promise,
  /** A Node Readable: an 'error' listener. */
  Readable,
}

/**
 * What `v`, a member of an open container, is for the watch. Plain objects and arrays, most of
 * what it reads, are told by their prototype (one internal-slot test for a Proxy before, about
 * 30 ns a member; a promise test and instanceof first took twice as long).
 */
export function watched(v: object): Watched {
  if (types.isProxy(v)) return Watched.Nothing;
  const proto = getPrototypeOf(v);
  if (proto === OBJECT_PROTO || proto === ARRAY_PROTO || proto === null) return Watched.Nothing;
  if (proto === PROMISE_PROTO) return isNativePromise(v) ? Watched.Promise : Watched.Nothing;
  return v instanceof Readable ? Watched.Readable : Watched.Nothing;
}
