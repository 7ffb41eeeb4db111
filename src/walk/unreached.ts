// Async values the walk has not reached yet. Whenever a dump yields to the event loop — to
// wait on an async value of the walk, but also while its destination opens, while the sink
// applies backpressure, at the turn it gives the event loop every few milliseconds, or while a
// consumer holds a chunk — a promise further on may reject or a stream further on may fail,
// with nobody listening: Node would end the process (an unhandled rejection, an 'error' event
// with no listener). So before every yield, the part of the value the walk has not reached is
// searched for native promises and Node Readables, and each gets a listener: its failure then
// fails the dump (at once, or, when a replacer may put something else in its place, when the
// walk reaches it). When the dump fails, the same search handles what is left and destroys the
// streams. Web ReadableStreams are remembered too: their failures reach nobody until a reader
// takes them (so they cannot end the process), but a failed dump cancels them, as it destroys
// Readables.
//
// Each frame is searched once (Frame.searched): after the first search only the frames opened
// since (deeper levels, what toJSON, a getter or a generator gave) are new, so a dump makes one
// pass over its value. That pass is cut into slices of SEARCH_UNITS of work, one before each
// yield, nearest values first: a dump never holds the event loop for the search of a whole
// large value. In a value bigger than a slice, what lies beyond the part searched is covered at
// the following yields (an array's elements from the walk's place in it, once the walk has
// passed the search); a promise there that rejects before then is as unhandled as it would
// be without the dump. The search reads no getter (the walk reads each getter once, later) and
// calls no user code: only native promises are touched (a thenable's then() may start work, a
// query builder's for instance), and only through Promise.prototype.then.

import { Readable } from 'node:stream';
import { types } from 'node:util';
import type { ReadableStream } from 'node:stream/web';
import type { Dialect } from '../encode/dialect.js';
import { Interruptible } from '../interruptible.js';
import { Frame, Kind, NONE } from './frame.js';
import type { AheadCursor, PlainRuns } from './plain-runs.js';
import { cancelUnlocked, isBlob, isWebReadable } from './web-chunks.js';

const { getPrototypeOf, keys: ownKeys } = Object;
const OBJECT_PROTO = Object.prototype;
const promiseThen = Promise.prototype.then;
const mapValues = Map.prototype.values;
const setValues = Set.prototype.values;
const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;
const ignore = (): void => {};
/** Levels looked into without plain checks below an object deeper than they go (see Unreached.skips). */
const SKIP_LEVELS = 32;
/** In Unreached.skips: not an object to look into but where the checks of an array's elements go on. */
const RESUME = -1;
/** In Unreached.skips: not an object to look into but where a scan of an array's elements goes on. */
const SCAN = -2;
/**
 * The most work the search does before one yield, in units of the plain check's budget (a
 * value, or 16 characters of a string; one per object looked into or element checked). A first
 * search of the whole value held the event loop for up to 1.2 s (people, 570k rows) where the
 * dump's longest stall had been 38 ms, against a target of under 50 ms (`npm run bench`, its
 * stall target). 2^15 units took 5 to 8 ms on people rows (2^16: 12 to 15 ms): about 6,000
 * small rows are searched before the first yield, and a value of that size whole.
 */
const SEARCH_UNITS = 32768;

/**
 * An array's elements looked at one by one, without plain checks (nothing goes native, or
 * below a value deeper than the checks go): its objects are looked into as they are found.
 */
class ElementScan {
  /** An object was found in the array: its holder was told (see Unreached.holds). */
  any = false;

  constructor(
    readonly arr: unknown[],
    /** The next element to look at. */
    public next: number,
    /** The levels its objects are looked into without a plain check (see Unreached.skips). */
    readonly skip: number,
    /** The walk's frame for the array, if it is one: the scan goes on from where the walk is. */
    readonly frame: Frame | null,
    /** The container holding the array (see Unreached.holders). */
    readonly holder: object | null,
  ) {}
}

/** Destroys an unreached stream; one that fails as it is destroyed must not end the process either. */
function destroy(stream: Readable): void {
  stream.on('error', ignore);
  stream.destroy();
}

/** A promise whose then() is Promise.prototype.then and whose derived promises are plain Promises. */
function isNativePromise(v: object): v is Promise<unknown> {
  return types.isPromise(v) && getPrototypeOf(v) === Promise.prototype && !Object.hasOwn(v, 'then') && !Object.hasOwn(v, 'constructor');
}

/** A Set the walk iterates with Set.prototype's own iterator (its elements in insertion order). */
function isOwnSet(v: object): v is Set<unknown> {
  return types.isSet(v) && getPrototypeOf(v) === Set.prototype && !Object.hasOwn(v, Symbol.iterator) && Set.prototype[Symbol.iterator] === setValues;
}

export class Unreached {
  /**
   * What the search looked into (not plain, or below a value too deep for the checks): the
   * containers whose members were searched (covers()), and the async values found.
   */
  private readonly seen = new WeakSet<object>();
  /** Native promises are listened to: a wait must race their failures. */
  private watching = false;
  /** The promises listened to: if the dump fails, what each resolves to is let go of (see letGo). */
  private readonly watched: Promise<unknown>[] = [];
  /** Streams listened to, and the listener to remove once the walk reaches them or ends. */
  private readonly streams = new Map<Readable, (err: unknown) => void>();
  /** Web ReadableStreams found, to cancel if the dump fails before the walk reaches them. */
  private readonly webStreams = new Set<ReadableStream<unknown>>();
  /** The first failure of an unreached value, once there is one (NONE: none). */
  private failure: unknown = NONE;
  /** The search's stack of objects to look into (kept: one array for every search). */
  private readonly todo: object[] = [];
  /**
   * Beside each object of `todo`: the container it was found in (null: a frame's member).
   * A container goes into `seen` once something it holds is found to hold objects itself
   * (see look()): a row holding only flat objects and arrays is not remembered. A million such
   * rows, remembered each, made the WeakSet's rehashes stall the event loop for 150 ms, then
   * 300 (with a replacer function, which takes nothing native, so every row is looked into).
   */
  private readonly holders: (object | null)[] = [];
  /**
   * Beside each object of `todo`: how many levels, counting its own, are looked into without
   * a plain check (0: it is checked). An object already found not plain is not checked again,
   * and below one deeper than the check goes, checks pause for SKIP_LEVELS levels: a chain a
   * million deep is not checked 64 levels down at each of its levels.
   */
  private readonly skips: number[] = [];
  /** The search in progress is the one of a failed dump: promises get a handler that ignores them. */
  private destroying = false;
  /** The wait in progress, cut short by a failure (see wait()). */
  private readonly waits = new Interruptible();
  private readonly onFailure = (err: unknown): void => {
    if (this.failure !== NONE) return;
    this.failure = err;
    this.waits.interrupt(err);
  };

  constructor(
    /** The keys written (an allow-list) and whether class instances are refused: what the walk will read. */
    private readonly dialect: Pick<Dialect, 'keyList' | 'refusesInstances'>,
    /** A failure fails the dump at once; false when a replacer may put something else in the value's place. */
    private readonly failFast: boolean,
    /** The walk's plain runs, which check ahead what is plain (null: the walk writes no native text). */
    private readonly plain: PlainRuns | null,
  ) {}

  /** The walk opens a frame for `container`: true if what it holds was searched already. */
  covers(container: object): boolean {
    return this.seen.has(container);
  }

  /**
   * Before the dump yields to the event loop (a consumer takes a chunk): listens to the async
   * values of the frames' unreached members. A failure is thrown by the next check().
   */
  watch(stack: Frame[]): void {
    this.search(stack, false);
  }

  /**
   * Before the dump waits on `p` (an async value of the walk, the destination, a turn of the
   * event loop): watch(), and the wait rejects as soon as a watched value fails.
   */
  wait<T>(p: Promise<T>, stack: Frame[]): Promise<T> {
    this.search(stack, false);
    if (this.failure !== NONE) return Promise.reject(this.failure);
    if (!this.failFast || (this.streams.size === 0 && !this.watching)) return p;
    return this.waits.wait(p);
  }

  /** Throws the failure of a watched value, if one failed (while a consumer held a chunk). */
  check(): void {
    if (this.failure !== NONE) throw this.failure;
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
    // What the search had still to look into was reached by the walk.
    this.todo.length = this.skips.length = this.holders.length = 0;
    for (const [stream, listener] of this.streams) stream.off('error', listener);
    this.streams.clear();
    this.webStreams.clear();
  }

  /** The walk refused `v` (an async value in a sync walk): it is handled as an unreached one. */
  drop(v: object): void {
    if (isNativePromise(v)) letGoLater(v);
    else if (v instanceof Readable) destroy(v);
    else if (isWebReadable(v)) cancelUnlocked(v);
  }

  /**
   * The dump failed: every unreached promise is handled and every unreached stream destroyed.
   * What a promise still pending resolves to later (`pending`, the one the walk waited on, among
   * them) is let go of in the same way; so is `writing`, the object the walk failed on before a
   * frame held it.
   */
  abort(stack: Frame[], pending: Promise<unknown> | null = null, writing: object | null = null): void {
    this.search(stack, true);
    if (writing !== null) this.search([new Frame(Kind.Root, { '': writing })], true);
    this.abortStreams();
    for (const p of this.watched) letGoLater(p);
    this.watched.length = 0;
    if (pending !== null) letGoLater(pending);
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
   * ones down to the first one searched (the members of a searched frame that the walk has not
   * reached have their listeners already, also when the dump failed). The element a plain run
   * pulled from an iterator and left for the walk (Frame.pulled) is searched too: it came
   * after its frame was searched, and its frame is the top one.
   */
  private search(stack: Frame[], destroying: boolean): void {
    this.destroying = destroying;
    // A failed dump lets go of everything at once: nothing of it runs after.
    this.until = destroying ? Infinity : this.spent() + SEARCH_UNITS;
    const top = stack.length - 1;
    let d = top;
    while (d >= 0 && !stack[d].searched) d--;
    for (d++; d <= top; d++) {
      this.searchFrame(stack[d], d);
      stack[d].searched = true;
    }
    const pulled = top >= 0 ? stack[top].pulled : NONE;
    if (typeof pulled === 'object' && pulled !== null) this.push(pulled, 0);
    this.searchValues();
  }

  /** The search's work so far: the budget its checks used, and one per object looked into. */
  private spent(): number {
    return this.looked + (this.plain === null ? 0 : this.plain.spentAhead);
  }

  /** Objects looked into (see spent()). */
  private looked = 0;

  /** Pushes the members of the frame at `depth` that the walk has not reached. */
  private searchFrame(f: Frame, depth: number): void {
    switch (f.kind) {
      case Kind.Root: {
        // Not written yet: a dump stopped before it started.
        const v = (f.holder as { '': unknown })[''];
        if (f.i === 0 && typeof v === 'object' && v !== null) this.push(v, 0);
        break;
      }
      case Kind.Array:
        if (this.plain === null) this.scanElements(new ElementScan(f.holder as unknown[], f.i, 0, f, null));
        else {
          const cursor = this.plain.startAhead(f.holder as unknown[], f.i, depth, f);
          f.ahead = cursor.ahead;
          this.checkElements(cursor);
        }
        break;
      case Kind.Object:
        this.pushMembers(f.holder, f.keys!, f.i, 0, null);
        break;
      case Kind.Map:
        for (let i = f.i; i < f.len; i++) {
          const v = f.members![i].value;
          if (typeof v === 'object' && v !== null) this.push(v, 0);
        }
        break;
      case Kind.Iter:
        // A Set's elements are all there before their turn, in the order its own iterator
        // gives them: the ones after those consumed (written, or pulled) are searched.
        if (isOwnSet(f.holder)) this.pushSetValues(f.holder, f.i + (f.pulled === NONE ? 0 : 1), 0, null);
        break;
      default:
        // Another iterator's elements are not pulled before their turn; a stream's text is its own.
        break;
    }
  }

  /**
   * Depth-first through what was pushed, listening to the promises and streams in it. Every
   * async dump pays for it: one pass over its value, a slice before each yield. What is
   * plain (walk/plain.ts) holds no async value and is not looked into, and the checks of an
   * array's elements are kept for the walk's plain runs (PlainRuns.nextNotPlain), which then do
   * not make them again. Measured with `node --expose-gc bench/turns.js <dataset> --contenders
   * native,jd-dump-noatomic --dist <before>,dist`: records (plain rows) and strings cost
   * nothing more; deep (trees bigger than a plain run) 0 to 3% more since the checks go on from
   * where the walk is (before that, the walk outran the search and both checked the same
   * trees: a quarter more); a pass of its own, without the checks, cost half again.
   */
  private searchValues(): void {
    const { todo, skips, seen, plain } = this;
    let v: object | undefined;
    while ((v = todo.pop()) !== undefined) {
      if (this.spent() >= this.until) {
        todo.push(v);
        return;
      }
      let skip = skips.pop()!;
      const holder = this.holders.pop()!;
      if (skip === RESUME) {
        this.checkElements(v as AheadCursor);
        continue;
      }
      if (skip === SCAN) {
        this.scanElements(v as ElementScan);
        continue;
      }
      this.looked++;
      if (seen.has(v)) continue;
      if (skip === 0 && plain !== null) {
        if (plain.isPlain(v)) continue;
        if (plain.tooDeepAhead) skip = SKIP_LEVELS;
      }
      this.look(v, skip > 0 ? skip - 1 : 0, holder);
    }
  }

  private push(v: object, skip: number, holder: object | null = null): void {
    this.todo.push(v);
    this.skips.push(skip);
    this.holders.push(holder);
  }

  /** `holder` holds a container that holds objects: a cycle may go through it (see `holders`). */
  private holds(holder: object | null): void {
    if (holder !== null) this.seen.add(holder);
  }

  /**
   * Checks the elements at the cursor on (PlainRuns.nextNotPlain) up to one that is not plain,
   * which is pushed to be looked into (without another check, see `skips`) before the checks
   * go on from where they stopped (the cursor pushed beneath it).
   */
  private checkElements(cursor: AheadCursor): void {
    const v = this.plain!.nextNotPlain(cursor, Math.max(0, this.until - this.spent()));
    if (v === null) return;
    this.push(cursor, RESUME);
    // undefined: the slice's work is done, the checks go on from the cursor at the next search
    if (v !== undefined) this.push(v, this.plain!.tooDeepAhead ? SKIP_LEVELS : 1, cursor.arr);
    // ...or they are as far ahead of the walk as they go: the slice ends there.
    else if (this.plain!.leadFull) this.until = this.spent();
  }

  /** Where the slice of the search in progress ends, in spent() units. */
  private until = Infinity;

  /**
   * Looks into `v`, an object that is not plain, found in `holder`: listens to it, or pushes
   * what it holds (with `skip`, see `skips`). A container is remembered in `seen` once what it
   * holds is searched, if it holds a container that holds objects (see `holders`): every
   * container on a cycle does, and searching again one that does not costs little. The walk's
   * frame for a container remembered is not searched again (covers()).
   */
  private look(v: object, skip: number, holder: object | null): void {
    if (Array.isArray(v)) {
      // Its toJSON decides what is written in its place: the walk will see what it returns.
      if ('toJSON' in v) return;
      if (this.plain !== null && skip === 0) {
        // Its elements' checks are kept (PlainRuns.opened): the walk's frame must not check
        // them a second time, so it is remembered whatever it holds.
        this.seen.add(v);
        this.holds(holder);
        this.checkElements(this.plain.startAhead(v, 0, -1, null));
      } else this.scanElements(new ElementScan(v, 0, skip, null, holder));
      return;
    }
    const proto = getPrototypeOf(v);
    if (proto === OBJECT_PROTO || proto === null) {
      // A toJSON decides what is written in its place (the walk will see what it returns);
      // an object literal that is iterable is walked by its iterator.
      if ('toJSON' in v || Symbol.iterator in v || Symbol.asyncIterator in v) return;
      if (this.pushMembers(v, this.dialect.keyList ?? ownKeys(v), 0, skip, v)) this.holds(holder);
      return;
    }
    this.lookIntoInstance(v, skip, holder);
  }

  /**
   * Looks at the elements at the scan on (no getter is read) up to one that is an object,
   * which is pushed to be looked into before the scan goes on from the next (the scan pushed
   * beneath it); the scan is pushed again where the slice's work ends. One unit per element:
   * an array of a million rows pushed whole held the event loop for 200 to 300 ms before the
   * first chunk (a dump with a replacer function, which takes nothing native).
   */
  private scanElements(scan: ElementScan): void {
    const { arr, frame } = scan;
    let i = frame !== null && frame.i > scan.next ? frame.i : scan.next;
    for (; i < arr.length; i++) {
      if (this.spent() >= this.until) break;
      this.looked++;
      if (lookupGetter.call(arr, i) !== undefined) continue;
      const v = arr[i];
      if (typeof v !== 'object' || v === null) continue;
      scan.next = i + 1;
      if (!scan.any) this.holds(scan.holder);
      scan.any = true;
      this.push(scan, SCAN);
      this.push(v, scan.skip, frame === null ? arr : null);
      return;
    }
    scan.next = i;
    if (i < arr.length) this.push(scan, SCAN);
  }

  /**
   * Pushes the members `keys[from…]` of `o` that are objects (no getter is read), found in
   * `holder` (`o`, or null for a frame's members); true if any.
   */
  private pushMembers(o: object, keys: readonly string[], from: number, skip: number, holder: object | null): boolean {
    let any = false;
    for (let i = from; i < keys.length; i++) {
      const k = keys[i];
      if (lookupGetter.call(o, k) !== undefined) continue;
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) {
        this.push(v, skip, holder);
        any = true;
      }
    }
    return any;
  }

  /** Pushes the values of `set` after the first `from` that are objects; true if any. */
  private pushSetValues(set: Set<unknown>, from: number, skip: number, holder: Set<unknown> | null): boolean {
    let i = 0;
    let any = false;
    for (const x of setValues.call(set)) {
      if (i++ >= from && typeof x === 'object' && x !== null) {
        this.push(x, skip, holder);
        any = true;
      }
    }
    return any;
  }

  /** An object that is neither a plain object nor an array: an async value, a Map, a Set, or an instance. */
  private lookIntoInstance(v: object, skip: number, holder: object | null): void {
    const seen = this.seen;
    if (types.isPromise(v)) {
      seen.add(v);
      if (isNativePromise(v)) {
        if (this.destroying) letGoLater(v);
        else {
          promiseThen.call(v, undefined, this.failFast ? this.onFailure : ignore);
          this.watched.push(v);
          this.watching = true;
        }
      }
      return;
    }
    if (v instanceof Readable) {
      seen.add(v);
      return this.listen(v);
    }
    if (isWebReadable(v)) {
      seen.add(v);
      this.webStreams.add(v);
      return;
    }
    // A Blob is read only when the walk reaches it: nothing is open before. A toJSON decides
    // what is written in its place.
    if (isBlob(v) || 'toJSON' in v) return;
    if (types.isMap(v)) {
      let any = false;
      for (const x of mapValues.call(v)) {
        if (typeof x === 'object' && x !== null) {
          this.push(x, skip, v);
          any = true;
        }
      }
      if (any) this.holds(holder);
      return;
    }
    if (types.isSet(v)) {
      if (this.pushSetValues(v, 0, skip, v)) this.holds(holder);
      return;
    }
    // Class instances the dialect refuses go to `default`; iterables are walked by their iterator.
    if (this.dialect.refusesInstances || Symbol.iterator in v || Symbol.asyncIterator in v) return;
    if (this.pushMembers(v, this.dialect.keyList ?? ownKeys(v), 0, skip, v)) this.holds(holder);
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

/** What a value refused before its walk may hold: every own key, instances included. */
const EVERY_MEMBER = { keyList: null, refusesInstances: false };

/**
 * What a promise resolves to after its dump failed, which no walk will reach: its promises are
 * handled and its streams destroyed, as those of the failed dump's value were.
 */
function letGo(value: unknown): void {
  if (typeof value === 'object' && value !== null) new Unreached(EVERY_MEMBER, false, null).abort([new Frame(Kind.Root, { '': value })]);
}

/** Promises given to letGoLater: one that resolves to a value holding itself is let go of once. */
const lettingGo = new WeakSet<Promise<unknown>>();

/** Handles `p`'s rejection, and lets go of what it resolves to (once per promise). */
function letGoLater(p: Promise<unknown>): void {
  if (lettingGo.has(p)) return;
  lettingGo.add(p);
  promiseThen.call(p, letGo, ignore);
}

/**
 * Runs the checks a call makes before its walk starts (options, destination); if one refuses
 * the call, the value is let go of as a failed dump lets go of what it did not reach: its
 * promises are handled and its streams destroyed before the error is thrown.
 */
export function checkFirst<T>(value: unknown, check: () => T): T {
  try {
    return check();
  } catch (err) {
    new Unreached(EVERY_MEMBER, false, null).abort([new Frame(Kind.Root, { '': value })]);
    throw err;
  }
}
