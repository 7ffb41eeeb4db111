// The walk: a depth-first traversal of the value graph with an explicit stack of frames (no
// recursion, so any depth works; walk/stack.ts). It applies JSON's rules — toJSON, the
// replacer, `default`, boxed and raw values, what the dialect refuses — and tells the writer
// (encode/writer.ts) what comes next, until about chunkSize characters are ready. Plain
// subtrees and runs go to native JSON.stringify through walk/plain-runs.ts; streams and long
// strings are written a part at a time (walk/strings.ts). Async values (promises, async
// iterables, Readables) suspend the walk: step() returns Step.Await with `pending` set, and the
// driver calls settle() with what it resolved to. Watching the async values the walk has not
// reached, and letting go of them when a dump fails, is the async driver's (src/drive/).

import { constants } from 'node:buffer';
import { dialectOf } from '../encode/dialect.js';
import { keyText } from '../encode/keys.js';
import { KeyProblem } from '../encode/member-order.js';
import { NativeFormat } from '../encode/native.js';
import { joinPieces } from '../encode/pieces.js';
import { Writer } from '../encode/writer.js';
import { JSONDumpError } from '../errors.js';
import { isWellFormed } from '../encode/well-formed.js';
import type { CircularPolicy, Replacer, Resolved } from '../options.js';
import { canonicalRefusal } from '../encode/canonical-fragment.js';
import { rawText } from '../raw-json.js';
import { Frame, Kind, NONE } from './frame.js';
import { isAsyncIterable, isIterable, isMap, isReadable, isThenable, unbox } from './kinds.js';
import { IterRun, PlainRuns } from './plain-runs.js';
import { StringFrames } from './strings.js';
import { isBlob, isLocked, isWebReadable, WebChunks } from './web-chunks.js';

export const enum Step {
  Done,
  Chunk,
  Await,
}

const enum Pending {
  None,
  /** A promise standing at a position: its value is written there. */
  Value,
  /** An async iterator's next(): the next element, or the end of the container. */
  Next,
}

/** Default calls in a row at one position before a `default` that never settles is an error. */
const MAX_DEFAULTS = 100;

const OBJECT_PROTO = Object.prototype;
/**
 * Strings longer than this are written a slice at a time, over as many steps and chunks as
 * they need: escaped whole (sixfold under ensureAscii), they would take memory in proportion.
 */
const LONG_STRING = 1 << 15;

/**
 * Levels a step goes down at most: a step normally ends when a chunk of text is ready, but
 * going down costs a frame per level and writes a character or two, so a chunk of a deeply
 * nested array took 64K levels and held the event loop 0.5 s and more (an array 100,000 deep,
 * test/async/deep-array.test.ts). 4,096 levels took 14 ms, the median step of an array 200,000
 * deep on a busy two-core machine (the longer gaps left are the collector's).
 */
const LEVELS_PER_STEP = 4096;

/** What ends a line of JSON Lines (white space JSON text may hold between tokens). */
const LINE_BREAK = /[\n\r]/;

export class Walker extends StringFrames {
  /** What the walk waits on (Step.Await): the driver awaits it, and lets go of it if the dump fails. */
  pending: Promise<unknown> | null = null;
  /** The object being written: if writing it fails (a Map whose keys cannot be sorted), no frame holds it yet. */
  writing: object | null = null;

  private readonly async: boolean;
  private readonly chunkSize: number;
  private readonly circular: CircularPolicy;
  private readonly canonical: boolean;
  private readonly replacer: Replacer | null;
  private readonly default: ((value: unknown) => unknown) | null;
  private pendingKind = Pending.None;
  private settled: unknown = undefined;

  constructor(value: unknown, o: Resolved, opts: { async: boolean; lines?: boolean; chunkSize?: number }) {
    const lines = opts.lines ?? false;
    const chunkSize = opts.chunkSize ?? o.chunkSize;
    const dialect = dialectOf(o);
    const native = NativeFormat.for(o, dialect);
    // With no chunks (dumps), the whole text is taken as one string at the end.
    const w = new Writer(dialect, o, native, { limit: chunkSize === Infinity ? constants.MAX_STRING_LENGTH : Infinity });
    const plain = native === null ? null : new PlainRuns(w, dialect, chunkSize, lines, o.maxDepth);
    super(w, dialect, plain, value, { checkCircular: o.checkCircular, maxDepth: o.maxDepth, madeDepth: o.madeDepth, lines, invalidUTF8: o.invalidUTF8 });
    this.async = opts.async;
    this.chunkSize = chunkSize;
    this.circular = o.circular;
    this.canonical = o.canonical;
    this.replacer = o.replacer;
    this.default = o.default;
  }

  /** JSON values written, at every depth. */
  get values(): number {
    return this.w.values;
  }

  /** Top-level elements written (lines, for JSON Lines). */
  get items(): number {
    return this.w.items;
  }

  /** Walks until a chunk is ready, the value is written, or an async value must be awaited. */
  step(): Step {
    // Between two steps, code outside the walk may run and change the value.
    this.plain?.forget();
    if (this.pendingKind !== Pending.None && this.resume()) return Step.Await;
    const w = this.w;
    const limit = this.chunkSize;
    const deepest = this.stack.length + LEVELS_PER_STEP;
    while (w.size < limit && this.stack.length < deepest) {
      const f = this.frame;
      switch (f.kind) {
        case Kind.Array:
          if (f.i < f.len) {
            if (f.pulled === NONE && this.plain !== null && this.plain.writeArrayRun(f, this.stack.length - 1)) break;
            let v = f.pulled;
            f.pulled = NONE;
            const i = f.i++;
            if (v === NONE) v = (f.holder as unknown[])[i];
            f.key = i;
            if (this.writeMember(v, i, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Object:
          if (f.i < f.len) {
            const k = f.keys![f.i++];
            f.key = k;
            if (this.writeMember((f.holder as Record<string, unknown>)[k], k, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Map:
          if (f.members === null) {
            if (this.writeEntry(f)) return Step.Await;
          } else if (f.i < f.len) {
            const m = f.members[f.i++];
            f.key = m.text;
            if (this.writeMember(m.value, m.text, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Iter: {
          if (f.pulled === NONE && this.plain !== null) {
            const run = this.plain.writeIterRun(f, this.stack.length - 1);
            if (run === IterRun.Ended) this.closeFrame(f);
            if (run !== IterRun.None) break;
          }
          let v = f.pulled;
          f.pulled = NONE;
          if (v === NONE) {
            const r = (f.iter as Iterator<unknown>).next();
            if (r.done) {
              this.closeFrame(f);
              break;
            }
            v = r.value;
          }
          const i = f.i++;
          f.key = i;
          if (this.writeMember(v, i, f)) return Step.Await;
          break;
        }
        case Kind.Slices:
          this.writeSlice(f);
          break;
        case Kind.AsyncIter:
        case Kind.Text:
        case Kind.WebStream:
          this.pendingKind = Pending.Next;
          this.pending = Promise.resolve((f.iter as AsyncIterator<unknown>).next());
          return Step.Await;
        default:
          if (f.i === 1) return Step.Done;
          f.i = 1;
          if (this.writeMember((f.holder as Record<string, unknown>)[''], '', f)) return Step.Await;
      }
    }
    return Step.Chunk;
  }

  /** Hands the walk what the pending promise resolved to; the next step() goes on from there. */
  settle(value: unknown): void {
    this.settled = value;
  }

  /** Takes the text written so far as one string (see takePieces). */
  take(): string {
    return joinPieces(this.takePieces(true));
  }

  /**
   * Takes the text written so far, about chunkSize characters (never cut inside a surrogate
   * pair), as a list of flat strings: a file sink encodes each straight into its buffer.
   * `last`: the walk is done (see Writer.takePieces).
   */
  takePieces(last = false): string[] {
    return this.w.takePieces(this.chunkSize, last);
  }

  /** Stops the walk early: every open iterator and stream is closed (walk/strings.ts). */
  abort(): void {
    this.closeAll();
  }

  /**
   * The JSON path of where the walk is, for a driver's error: the member whose promise it
   * waits for, or the element a cursor's next() will give; between steps, the member written
   * last (a run of plain elements counts by position: it leaves no key), else the container.
   */
  path(): string {
    const f = this.frame;
    switch (this.pendingKind) {
      case Pending.Value:
        return this.pathOf(f.key);
      case Pending.Next:
        return this.pathOf(f.kind === Kind.AsyncIter ? f.i : undefined);
      default:
        return this.pathOf(f.i === 0 ? undefined : f.kind === Kind.Object || f.kind === Kind.Map ? f.key : f.i - 1);
    }
  }

  private resume(): boolean {
    const kind = this.pendingKind;
    const value = this.settled;
    this.pendingKind = Pending.None;
    this.pending = null;
    this.settled = undefined;
    const f = this.frame;
    if (kind === Pending.Value) return this.writeMember(value, f.key, f);
    return this.writeNext(f, value as IteratorResult<unknown>);
  }

  /** Writes what the next() of the frame's async iterator gave. True: awaiting. */
  private writeNext(f: Frame, r: IteratorResult<unknown>): boolean {
    if (f.kind === Kind.WebStream) return this.writeNext(this.openWebStream(f, r), r);
    if (f.kind === Kind.Text) {
      if (r.done) this.closeFrame(f);
      else this.writeTextPart(f, r.value);
      return false;
    }
    if (r.done) {
      this.plain?.flush();
      this.closeFrame(f);
      return false;
    }
    if (this.plain !== null && this.plain.collect(f, r.value, this.stack.length - 1)) return false;
    const i = f.i++;
    f.key = i;
    return this.writeMember(r.value, i, f);
  }

  /**
   * Writes the next entry of the Map of `f`, taken from its own iterator, or closes the frame
   * at its end. True: awaiting.
   */
  private writeEntry(f: Frame): boolean {
    const r = (f.iter as Iterator<[unknown, unknown]>).next();
    if (r.done) {
      this.closeFrame(f);
      return false;
    }
    f.i++;
    const [key, value] = r.value;
    const text = keyText(key, this.dialect);
    // skipKeys: the member is left out.
    if (text === undefined) return false;
    // A key that cannot be written is the Map's error, as when its members are taken at once.
    if (text instanceof KeyProblem) throw new JSONDumpError(text.code, text.message, this.pathOf(undefined, text.text));
    f.key = text;
    return this.writeMember(value, text, f);
  }

  /** Writes `v` as the member `key` of `f`: toJSON, then the replacer. True: awaiting. */
  private writeMember(v: unknown, key: string | number, f: Frame): boolean {
    const found = v;
    if (typeof v === 'object' ? v !== null : typeof v === 'function' || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = toJSON.call(v, String(key));
    }
    if (this.replacer !== null) v = this.replacer.call(f.holder, String(key), v);
    this.made = v !== found;
    return this.writeValue(v, key, f, 0);
  }

  /** Writes `v` by JSON's rules for its type; `defaults`: calls of `default` that led here. */
  private writeValue(v: unknown, key: string | number, f: Frame, defaults: number): boolean {
    switch (typeof v) {
      case 'string':
        if (this.canonical && !isWellFormed(v)) this.failLoneSurrogate();
        this.startMember(f, key);
        if (v.length > LONG_STRING) this.openSlices(v);
        else this.w.string(v);
        return false;
      case 'number':
        this.startMember(f, key);
        if (!this.w.number(v)) this.failNumber(v);
        return false;
      case 'boolean':
        this.startMember(f, key);
        this.w.literal(v ? 'true' : 'false');
        return false;
      case 'bigint':
        this.startMember(f, key);
        if (!this.w.bigint(v)) this.failBigint(v);
        return false;
      case 'undefined':
        this.writeMissing(f, key, 'undefined');
        return false;
      case 'function':
      case 'symbol':
        if (this.default !== null) return this.callDefault(v, key, f, defaults);
        if (this.dialect.refusesFunctions) this.fail('ERR_UNSERIALIZABLE', `a ${typeof v} is not JSON serializable`);
        this.writeMissing(f, key, `a ${typeof v}`);
        return false;
      default:
        if (v !== null) return this.writeObject(v as object, key, f, defaults);
        this.startMember(f, key);
        this.w.literal('null');
        return false;
    }
  }

  /** undefined (or a dropped function/symbol): left out of objects, null in arrays. */
  private writeMissing(f: Frame, key: string | number, what: string): void {
    switch (f.kind) {
      case Kind.Object:
      case Kind.Map:
        return;
      case Kind.Root:
        this.fail('ERR_UNSERIALIZABLE', `${what} is not JSON`);
      default:
        // Each line of JSON Lines is a top-level value: undefined is not one.
        if (this.lines && f === this.stack[1]) this.fail('ERR_UNSERIALIZABLE', `${what} is not JSON`);
        this.startMember(f, key);
        this.w.literal('null');
    }
  }

  private callDefault(v: unknown, key: string | number, f: Frame, defaults: number): boolean {
    if (defaults >= MAX_DEFAULTS) this.fail('ERR_UNSERIALIZABLE', 'default() keeps returning values it must be called for');
    const r = this.default!(v);
    if (r === v) this.fail('ERR_UNSERIALIZABLE', 'default() returned the value it was given');
    this.made = true;
    if (typeof r === 'object' ? r !== null : typeof r === 'function' || typeof r === 'bigint') {
      const toJSON = (r as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.writeValue(toJSON.call(r, String(key)), key, f, defaults + 1);
    }
    return this.writeValue(r, key, f, defaults + 1);
  }

  private writeObject(v: object, key: string | number, f: Frame, defaults: number): boolean {
    this.writing = v;
    const isArray = Array.isArray(v);
    const proto = isArray ? null : Object.getPrototypeOf(v);
    const ordinary = isArray || proto === OBJECT_PROTO || proto === null;
    if (ordinary && this.plain !== null && this.plain.writeValue(v, key, this.stack.length - 1)) return false;
    // A plain subtree holds no cycle: only what the walk opens is looked up on the path.
    if (this.onPath !== null && this.onPath.has(v)) return this.writeCycle(v, key, f, defaults);
    if (isArray) {
      this.open(Kind.Array, v, key, f).len = (v as unknown[]).length;
      return false;
    }
    // Object literals can be thenables or (async) iterables too.
    if (ordinary && !isThenable(v) && !isIterable(v) && !isAsyncIterable(v)) {
      this.openObject(v, key, f);
      return false;
    }
    return this.writeByKind(v, key, f, defaults);
  }

  /**
   * Writes an object that is not a plain object or array by what it is: raw JSON, a boxed
   * primitive, a promise, a stream, a Map, an (async) iterable, or an instance of a class.
   */
  private writeByKind(v: object, key: string | number, f: Frame, defaults: number): boolean {
    const raw = rawText(v);
    if (raw !== undefined) {
      // Canonical text is the value's, whatever the spelling of the fragment: parsed, written anew.
      if (this.dialect.canonical) {
        const refusal = canonicalRefusal(raw);
        if (refusal !== null) this.fail('ERR_UNSERIALIZABLE', refusal);
        return this.writeValue(JSON.parse(raw), key, f, defaults);
      }
      if (this.lines && LINE_BREAK.test(raw)) this.fail('ERR_BAD_OPTION', 'a rawJSON fragment holding a line break cannot be part of a JSON Lines record');
      this.startMember(f, key);
      this.w.raw(raw);
      return false;
    }
    const boxed = unbox(v);
    if (boxed !== null) return this.writeValue(boxed.value, key, f, defaults);
    if (isThenable(v)) {
      this.needAsync('a promise');
      this.pendingKind = Pending.Value;
      this.pending = Promise.resolve(v);
      return true;
    }
    if (isReadable(v)) {
      this.needAsync('a stream');
      if (v.readableObjectMode) this.open(Kind.AsyncIter, v, key, f).iter = v[Symbol.asyncIterator]();
      else this.openText(v, v[Symbol.asyncIterator](), key, f);
      return false;
    }
    if (isMap(v)) {
      this.openMap(v, key, f);
      return false;
    }
    if (isIterable(v)) {
      this.open(Kind.Iter, v, key, f).iter = v[Symbol.iterator]();
      return false;
    }
    if (isWebReadable(v)) {
      this.needAsync('a ReadableStream');
      if (isLocked(v)) this.fail('ERR_UNSERIALIZABLE', 'a locked ReadableStream cannot be read (another reader holds it)');
      // Bytes or strings make a string, other chunks an array: the first chunk tells (openWebStream).
      this.push(new Frame(Kind.WebStream, v)).iter = new WebChunks(v);
      return false;
    }
    if (isBlob(v)) {
      this.needAsync('a Blob');
      this.openText(v, WebChunks.ofBlob(v), key, f);
      return false;
    }
    if (isAsyncIterable(v)) {
      this.needAsync('an async iterable');
      this.open(Kind.AsyncIter, v, key, f).iter = v[Symbol.asyncIterator]();
      return false;
    }
    if (this.dialect.refusesInstances) {
      if (this.default !== null) return this.callDefault(v, key, f, defaults);
      const name = (v.constructor as { name?: string } | undefined)?.name ?? 'object';
      this.fail('ERR_UNSERIALIZABLE', `an instance of ${name} is not JSON serializable`);
    }
    this.openObject(v, key, f);
    return false;
  }

  /** A sync walk refuses async values (the driver then lets go of `writing`, the value refused). */
  private needAsync(what: string): void {
    if (!this.async) this.fail('ERR_ASYNC_VALUE', `${what} cannot be written by a sync function`);
  }

  /** A cycle closes at the member `key` of `f`: `v` is already on the path. Written as `circular` says. */
  private writeCycle(v: object, key: string | number, f: Frame, defaults: number): boolean {
    const policy = this.circular;
    switch (policy) {
      case 'error':
        return this.fail('ERR_CIRCULAR', 'circular reference');
      case 'null':
        this.startMember(f, key);
        this.w.literal('null');
        return false;
      case 'omit':
        this.writeMissing(f, key, 'a circular reference');
        return false;
      default: {
        let r = policy(this.pathOf(key), v, this.pathTo(this.onPath!.get(v)!));
        if (typeof r === 'object' ? r !== null : typeof r === 'function' || typeof r === 'bigint') {
          const toJSON = (r as { toJSON?: unknown }).toJSON;
          if (typeof toJSON === 'function') r = toJSON.call(r, String(key));
        }
        // Writing an object of the path again would only meet the same cycle again.
        if (typeof r === 'object' && r !== null && this.onPath!.has(r)) this.fail('ERR_CIRCULAR', 'circular() returned an object on the current path');
        this.made = true;
        return this.writeValue(r, key, f, defaults);
      }
    }
  }
}
