// What a failed dump leaves: when a dump fails, is stopped, or a call is refused before its
// walk starts, everything in the value that the walk has not reached is let go of at once —
// native promises get a handler (and what they resolve to later is let go of in turn), Node
// Readables are destroyed, Web streams cancelled, generators returned — so that nothing of it
// surfaces later as an unhandled rejection or an 'error' nobody listens to, and no file or
// cursor stays open. Unlike the watch of a running dump (drive/watch.ts), the sweep goes as deep
// as the value does: nothing of it will be walked any more. It reads no getter and calls no
// code of the caller's but the built-in destroy(), cancel() and return() of what it ends.

import { Readable } from 'node:stream';
import { types } from 'node:util';
import type { Frame } from '../walk/frame.js';
import { cancelUnlocked, isBlob, isWebReadable } from '../walk/web-chunks.js';
import { ignore, isNativePromise, promiseThen } from './async-kinds.js';
import { MemberCursor } from './member-cursor.js';

const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;
const mapValues = Map.prototype.values;
const setValues = Set.prototype.values;
const { getPrototypeOf } = Object;
const GeneratorPrototype = getPrototypeOf(getPrototypeOf((function* () {})())) as Generator<unknown>;
const AsyncGeneratorPrototype = getPrototypeOf(getPrototypeOf((async function* () {})())) as AsyncGenerator<unknown>;

/** What a walk leaves when it stops: its open frames, what it waits on, what it was writing. */
export interface LeftOver {
  readonly stack: readonly Frame[];
  readonly pending: Promise<unknown> | null;
  readonly writing: object | null;
}

/** Ends a generator with the built-in return(): a suspended one runs its finally blocks; a failure there is dropped. */
function returnGenerator(g: object): void {
  try {
    if (AsyncGeneratorPrototype.isPrototypeOf(g)) (AsyncGeneratorPrototype.return.call(g, undefined) as Promise<unknown>).catch(ignore);
    else if (GeneratorPrototype.isPrototypeOf(g)) GeneratorPrototype.return.call(g, undefined);
  } catch {
    // A generator running (it is the one that failed) or failing in its finally: nothing more to end.
  }
}

/** Destroys a stream; one that fails as it is destroyed must not end the process either. */
function destroy(stream: Readable): void {
  stream.on('error', ignore);
  stream.destroy();
}

/**
 * One sweep: depth-first through what it is given. A container is remembered once something
 * it holds holds objects itself (every container on a cycle does, so cycles end; a DAG's
 * shared parts are met again only while their own subtrees are being swept): a row of scalars
 * is not remembered. A Set of every object swept cost 2.5 s for two million small rows (V8's
 * hash tables slow down as they grow past a few hundred thousand entries), against 0.1 s for
 * 200,000.
 */
class Sweep {
  private readonly todo: object[] = [];
  /** Beside each object of `todo`: the container it was found in (null: given to the sweep). */
  private readonly holders: (object | null)[] = [];
  private readonly seen = new Set<object>();
  /** The container whose members are being added, or null. */
  private holder: object | null = null;
  private any = false;
  readonly add = (v: object): number => {
    this.todo.push(v);
    this.holders.push(this.holder);
    this.any = true;
    return 0;
  };

  run(): void {
    const { todo, holders, seen } = this;
    let v: object | undefined;
    while ((v = todo.pop()) !== undefined) {
      const holder = holders.pop()!;
      if (seen.has(v)) continue;
      this.holder = v;
      this.any = false;
      this.letGoOf(v);
      if (this.any && holder !== null) seen.add(holder);
    }
    this.holder = null;
  }

  private letGoOf(v: object): void {
    if (types.isProxy(v) || ArrayBuffer.isView(v) || isBlob(v)) return;
    if (types.isPromise(v)) {
      if (isNativePromise(v)) letGoLater(v);
    } else if (v instanceof Readable) destroy(v);
    else if (isWebReadable(v)) cancelUnlocked(v);
    else if (types.isGeneratorObject(v)) returnGenerator(v);
    else if (types.isMap(v)) this.addAll(mapValues.call(v as Map<unknown, unknown>));
    else if (types.isSet(v)) this.addAll(setValues.call(v as Set<unknown>));
    else this.addMembers(v, Array.isArray(v) ? null : Object.keys(v));
  }

  private addAll(values: Iterable<unknown>): void {
    for (const x of values) if (typeof x === 'object' && x !== null) this.add(x);
  }

  /** The members of `o` that are objects: an array's elements (`keys` null), else the keys given. */
  private addMembers(o: object, keys: string[] | null): void {
    const n = keys === null ? (o as unknown[]).length : keys.length;
    for (let i = 0; i < n; i++) {
      const k = keys === null ? i : keys[i];
      if (lookupGetter.call(o, k) !== undefined) continue;
      const x = (o as Record<PropertyKey, unknown>)[k];
      if (typeof x === 'object' && x !== null) this.add(x);
    }
  }
}

/** Lets go of what the walk `w` has not reached (the driver's, when its dump fails or stops). */
export function sweepWalk(w: LeftOver): void {
  const sweep = new Sweep();
  w.stack.forEach((f, depth) => new MemberCursor(f, depth).read(Infinity, sweep.add));
  // The object the walk failed on before a frame held it (a Map whose keys cannot be sorted, a
  // promise a sync walk refused).
  if (w.writing !== null) sweep.add(w.writing);
  sweep.run();
  // What the walk waited on settles later: a failure then is handled, a value let go of.
  if (w.pending !== null) letGoLater(w.pending);
}

/** Lets go of `value` and everything in it. */
function sweepValue(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const sweep = new Sweep();
  sweep.add(value);
  sweep.run();
}

/** Promises given to letGoLater: one that resolves to a value holding itself is let go of once. */
const lettingGo = new WeakSet<Promise<unknown>>();

/** Handles `p`'s rejection, and lets go of what it resolves to (once per promise). */
function letGoLater(p: Promise<unknown>): void {
  if (lettingGo.has(p)) return;
  lettingGo.add(p);
  promiseThen.call(p, sweepValue, ignore);
}

/**
 * Runs the checks a call makes before its walk starts (options, destination); if one refuses
 * the call, the value is let go of as a failed dump lets go of what it did not reach, before
 * the error is thrown.
 */
export function checkFirst<T>(value: unknown, check: () => T): T {
  try {
    return check();
  } catch (err) {
    sweepValue(value);
    throw err;
  }
}
