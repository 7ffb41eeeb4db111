// Async values the walk has not reached yet. While the walk waits on one value, a promise
// further on may reject or a stream further on may fail, with nobody listening: Node would
// end the process (an unhandled rejection, an 'error' event with no listener). So before the
// walk waits, the part of the value it has not reached is searched for native promises and
// Node Readables, and each gets a listener: its failure then fails the dump at once (or, when
// a replacer may put something else in its place, waits until the walk reaches it). When the
// dump fails, the same search handles what is left and destroys the streams. Web
// ReadableStreams are remembered too: their failures reach nobody until a reader takes them
// (so they cannot end the process), but a failed dump cancels them, as it destroys Readables.
//
// The search reads no getter (descriptors only; the walk reads each getter once, later) and
// calls no user code: only native promises are touched (a thenable's then() may start work,
// a query builder's for instance), and only through Promise.prototype.then.

import { Readable } from 'node:stream';
import { types } from 'node:util';
import type { ReadableStream } from 'node:stream/web';
import type { Dialect } from '../encode/dialect.js';
import { Interruptible } from '../interruptible.js';
import { Frame, Kind, NONE } from './frame.js';
import { cancelUnlocked, isBlob, isWebReadable } from './web-chunks.js';

const { getOwnPropertyDescriptor, getPrototypeOf, keys: ownKeys } = Object;
const promiseThen = Promise.prototype.then;
const mapValues = Map.prototype.values;
const setValues = Set.prototype.values;
const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;
const ignore = (): void => {};

/** Destroys an unreached stream; one that fails as it is destroyed must not end the process either. */
function destroy(stream: Readable): void {
  stream.on('error', ignore);
  stream.destroy();
}

/** A promise whose then() is Promise.prototype.then and whose derived promises are plain Promises. */
function isNativePromise(v: object): v is Promise<unknown> {
  return types.isPromise(v) && getPrototypeOf(v) === Promise.prototype && !Object.hasOwn(v, 'then') && !Object.hasOwn(v, 'constructor');
}

export class Unreached {
  /** Containers and values searched already (the search visits each once). */
  private readonly seen = new WeakSet<object>();
  /** Native promises are listened to: a wait must race their failures. */
  private watching = false;
  /** Streams listened to, and the listener to remove once the walk reaches them or ends. */
  private readonly streams = new Map<Readable, (err: unknown) => void>();
  /** Web ReadableStreams found, to cancel if the dump fails before the walk reaches them. */
  private readonly webStreams = new Set<ReadableStream<unknown>>();
  /** The first failure of an unreached value, once there is one (NONE: none). */
  private failure: unknown = NONE;
  /** The wait in progress, cut short by a failure (see wait()). */
  private readonly waits = new Interruptible();
  private readonly onFailure = (err: unknown): void => {
    if (this.failure !== NONE) return;
    this.failure = err;
    this.waits.interrupt(err);
  };

  constructor(
    private readonly dialect: Dialect,
    /** A failure fails the dump at once; false when a replacer may put something else in the value's place. */
    private readonly failFast: boolean,
  ) {}

  /**
   * Before the walk waits on `p`: listens to the async values of the frames' unreached
   * members; the wait rejects as soon as one of them fails.
   */
  wait<T>(p: Promise<T>, stack: Frame[]): Promise<T> {
    this.search(stack, false);
    if (this.failure !== NONE) return Promise.reject(this.failure);
    if (!this.failFast || (this.streams.size === 0 && !this.watching)) return p;
    return this.waits.wait(p);
  }

  /** The walk reached `stream`: from now on its failures reach the walk through its iterator. */
  reached(stream: Readable | ReadableStream<unknown>): void {
    if (!(stream instanceof Readable)) {
      this.webStreams.delete(stream);
      return;
    }
    const listener = this.streams.get(stream);
    if (listener === undefined) return;
    stream.off('error', listener);
    this.streams.delete(stream);
  }

  /** The walk is done: listeners are removed. */
  finish(): void {
    for (const [stream, listener] of this.streams) stream.off('error', listener);
    this.streams.clear();
    this.webStreams.clear();
  }

  /** The walk refused `v` (an async value in a sync walk): it is handled as an unreached one. */
  drop(v: object): void {
    if (isNativePromise(v)) promiseThen.call(v, undefined, ignore);
    else if (v instanceof Readable) destroy(v);
    else if (isWebReadable(v)) cancelUnlocked(v);
  }

  /** The dump failed: every unreached promise is handled and every unreached stream destroyed. */
  abort(stack: Frame[]): void {
    this.search(stack, true);
    this.abortStreams();
  }

  private abortStreams(): void {
    for (const [stream, listener] of this.streams) {
      stream.off('error', listener);
      destroy(stream);
    }
    this.streams.clear();
    for (const stream of this.webStreams) cancelUnlocked(stream);
    this.webStreams.clear();
  }

  /**
   * Searches the frames not searched yet: new frames are pushed on top, so they are the top
   * ones down to the first one searched (`destroying`: every frame, as the dump failed).
   */
  private search(stack: Frame[], destroying: boolean): void {
    let d = stack.length - 1;
    while (d >= 0 && (destroying || !stack[d].searched)) d--;
    for (d++; d < stack.length; d++) {
      this.searchFrame(stack[d], destroying);
      stack[d].searched = true;
    }
  }

  private searchFrame(f: Frame, destroying: boolean): void {
    const todo: unknown[] = [];
    if (f.pulled !== NONE) todo.push(f.pulled);
    switch (f.kind) {
      case Kind.Root:
        // Not written yet: a dump stopped before it started.
        if (f.i === 0) todo.push((f.holder as { '': unknown })['']);
        break;
      case Kind.Array: {
        const a = f.holder as unknown[];
        for (let i = f.i; i < f.len; i++) if (lookupGetter.call(a, i) === undefined) todo.push(a[i]);
        break;
      }
      case Kind.Object:
        for (let i = f.i; i < f.len; i++) {
          const d = getOwnPropertyDescriptor(f.holder, f.keys![i]);
          if (d !== undefined && d.get === undefined) todo.push(d.value);
        }
        break;
      case Kind.Map:
        for (let i = f.i; i < f.len; i++) todo.push(f.members![i].value);
        break;
      default:
        // An iterator's elements are not pulled before their turn; a stream's text is its own.
        break;
    }
    this.searchValues(todo, destroying);
  }

  /** Depth-first through plain data, Maps and Sets, listening to the promises and streams in it. */
  private searchValues(todo: unknown[], destroying: boolean): void {
    const seen = this.seen;
    while (todo.length > 0) {
      const v = todo.pop();
      if (typeof v !== 'object' || v === null || seen.has(v)) continue;
      seen.add(v);
      if (types.isPromise(v)) {
        if (isNativePromise(v)) {
          promiseThen.call(v, undefined, destroying || !this.failFast ? ignore : this.onFailure);
          this.watching = true;
        }
        continue;
      }
      if (v instanceof Readable) {
        this.listen(v);
        continue;
      }
      if (isWebReadable(v)) {
        this.webStreams.add(v);
        continue;
      }
      // A Blob is read only when the walk reaches it: nothing is open before.
      if (isBlob(v)) continue;
      // A toJSON decides what is written in its place; the walk will see what it returns.
      if ('toJSON' in v) continue;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (lookupGetter.call(v, i) === undefined) todo.push(v[i]);
      } else if (types.isMap(v)) {
        for (const x of mapValues.call(v)) todo.push(x);
      } else if (types.isSet(v)) {
        for (const x of setValues.call(v)) todo.push(x);
      } else {
        const proto = getPrototypeOf(v);
        const plain = proto === Object.prototype || proto === null;
        // Class instances the dialect refuses go to `default`; iterables are walked by their iterator.
        if ((!plain && this.dialect.refusesInstances) || Symbol.iterator in v || Symbol.asyncIterator in v) continue;
        for (const k of this.dialect.keyList ?? ownKeys(v)) {
          const d = getOwnPropertyDescriptor(v, k);
          if (d !== undefined && d.get === undefined) todo.push(d.value);
        }
      }
    }
  }

  private listen(stream: Readable): void {
    if (this.streams.has(stream)) return;
    const listener = (err: unknown): void => {
      if (this.failFast) this.onFailure(err);
    };
    stream.on('error', listener);
    this.streams.set(stream, listener);
  }
}
