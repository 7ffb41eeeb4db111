// The walk: a depth-first traversal of the value graph with an explicit stack of frames (no
// recursion, so any depth works). It applies JSON's rules — toJSON, the replacer, `default`,
// boxed and raw values, what the dialect refuses — and tells the writer (encode/writer.ts)
// what comes next, until about chunkSize characters are ready. Plain subtrees and runs go to
// native JSON.stringify through walk/plain-runs.ts. Async values (promises, async iterables,
// Readables) suspend the walk: step() returns Step.Await with `pending` set, and the driver
// calls settle() with what it resolved to.

import { constants } from 'node:buffer';
import { dialectOf, type Dialect } from '../encode/dialect.js';
import { KeyProblem, mapMembers } from '../encode/keys.js';
import { NativeFormat } from '../encode/native.js';
import { joinPieces } from '../encode/pieces.js';
import { Writer } from '../encode/writer.js';
import { JSONDumpError, type JSONDumpErrorCode } from '../errors.js';
import { isWellFormed } from '../encode/well-formed.js';
import type { CircularPolicy, Replacer, Resolved } from '../options.js';
import { pathSegment } from '../json-path.js';
import { canonicalRefusal } from '../encode/canonical-fragment.js';
import { rawText } from '../raw-json.js';
import { Frame, Kind, NONE } from './frame.js';
import { isAsyncIterable, isIterable, isMap, isReadable, isThenable, unbox } from './kinds.js';
import { IterRun, PlainRuns } from './plain-runs.js';
import { isBlob, isBytes, isLocked, isWebReadable, WebChunks } from './web-chunks.js';
import { Unreached } from './unreached.js';
import { byteDecoder, InvalidUTF8 } from './utf8.js';

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
const NOT_RECORDS = 'dumpLines() takes an array or an (async) iterable of records';
/**
 * Strings longer than this are written a slice at a time, over as many steps and chunks as
 * they need: escaped whole (sixfold under ensureAscii), they would take memory in proportion.
 */
const LONG_STRING = 1 << 15;
const SLICE = 1 << 14;
/** The holder of frames that hold no container (a string's slices). */
const NO_HOLDER = Object.freeze({});

/** What ends a line of JSON Lines (white space JSON text may hold between tokens). */
const LINE_BREAK = /[\n\r]/;

/** Ends the iterator or stream of `f`; a promise while an async iterator is still closing. */
function closeIterator(f: Frame): Promise<unknown> | undefined {
  // A stream's iterator cannot return() while its next() waits for data: destroy it instead.
  if (isReadable(f.holder)) {
    f.holder.destroy();
    return undefined;
  }
  const iter = f.iter;
  if (iter === null || typeof iter.return !== 'function') return undefined;
  try {
    const r = iter.return();
    // The walk is already failing with the error that matters: a failure to close is dropped.
    return r instanceof Promise ? r.catch(() => {}) : undefined;
  } catch {
    return undefined;
  }
}

export class Walker {
  pending: Promise<unknown> | null = null;
  /** What `pending` waits on, as given (pending itself may be cut short): let go of if the dump fails. */
  private awaited: Promise<unknown> | null = null;
  /** The object being written: if writing it fails (a Map whose keys cannot be sorted), no frame holds it yet. */
  private writing: object | null = null;

  private readonly w: Writer;
  private readonly dialect: Dialect;
  /** The native fast path; null where native text cannot take the options' layout. */
  private readonly plain: PlainRuns | null;
  private readonly async: boolean;
  private readonly lines: boolean;
  private readonly chunkSize: number;
  private readonly stack: Frame[] = [];
  private frame: Frame;
  /** The containers on the path from the root, with their stack index (the target of a cycle). */
  private readonly onPath: Map<object, number> | null;
  private readonly circular: CircularPolicy;
  private readonly canonical: boolean;
  /** Stack length at which a value written is deeper than maxDepth: the root value is depth 0 (each record, in JSON Lines). */
  private readonly maxStack: number;
  private readonly maxDepth: number;
  /** How many containers made by toJSON, the replacer, `default` or `circular` may be open at once (Resolved.madeDepth). */
  private readonly madeDepth: number;
  /** The value being written was made by one of those functions (not found in the value). */
  private made = false;
  /** The stack indices of the open containers that were made. */
  private readonly madeAt: number[] = [];
  /** pathTo's prefixes by stack index, with the frame and key each was made for (see pathTo). */
  private readonly prefixes: string[] = [];
  private readonly prefixFrames: Frame[] = [];
  private readonly prefixKeys: (string | number)[] = [];
  private readonly replacer: Replacer | null;
  private readonly default: ((value: unknown) => unknown) | null;
  private readonly invalidUTF8: 'error' | 'replace';
  /** The async values the walk has not reached (made at the first wait or failure). */
  private unreachedValues: Unreached | null = null;
  private pendingKind = Pending.None;
  private settled: unknown = undefined;

  constructor(value: unknown, o: Resolved, opts: { async: boolean; lines?: boolean; chunkSize?: number }) {
    this.async = opts.async;
    this.lines = opts.lines ?? false;
    this.chunkSize = opts.chunkSize ?? o.chunkSize;
    this.dialect = dialectOf(o);
    const native = NativeFormat.for(o, this.dialect);
    // With no chunks (dumps), the whole text is taken as one string at the end.
    this.w = new Writer(this.dialect, o, native, { limit: this.chunkSize === Infinity ? constants.MAX_STRING_LENGTH : Infinity });
    this.invalidUTF8 = o.invalidUTF8;
    this.plain = native === null ? null : new PlainRuns(this.w, this.dialect, this.chunkSize, this.lines, o.maxDepth);
    this.onPath = o.checkCircular ? new Map() : null;
    this.circular = o.circular;
    this.canonical = o.canonical;
    this.maxDepth = o.maxDepth;
    this.madeDepth = o.madeDepth;
    this.maxStack = o.maxDepth + (this.lines ? 3 : 2);
    this.replacer = o.replacer;
    this.default = o.default;
    // The pseudo-frame holding the value itself, as JSON.stringify's `{"": value}` holder.
    const root = new Frame(Kind.Root, { '': value });
    this.frame = root;
    this.stack.push(root);
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
    try {
      // An async value further on failed while the dump was yielding (see beforeYield()).
      this.unreachedValues?.check();
      return this.walk();
    } catch (err) {
      // The dump fails: what the walk did not reach must not fail later with nobody listening
      // (the driver's abort() may come only after a file has opened).
      this.letGo();
      throw err;
    }
  }

  private walk(): Step {
    if (this.pendingKind !== Pending.None && this.resume()) return Step.Await;
    const w = this.w;
    const limit = this.chunkSize;
    while (w.size < limit) {
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
          if (f.i < f.len) {
            const m = f.members![f.i++];
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
        case Kind.Slices: {
          const end = Math.min(f.i + SLICE, f.len);
          w.stringPart(f.text.slice(f.i, end));
          f.i = end;
          if (end === f.len) this.closeFrame(f);
          break;
        }
        case Kind.AsyncIter:
        case Kind.Text:
        case Kind.WebStream:
          this.pendingKind = Pending.Next;
          this.awaited = (f.iter as AsyncIterator<unknown>).next();
          this.pending = this.guard(this.awaited);
          return Step.Await;
        default:
          if (f.i === 1) {
            this.unreachedValues?.finish();
            return Step.Done;
          }
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

  /**
   * The dump failed: what the walk did not reach is let go of (walk/unreached.ts), and so is
   * what it waits on; the wait itself, cut short, must not fail later with nobody listening.
   */
  private letGo(): void {
    this.unreached.abort(this.stack, this.awaited, this.writing);
    this.pending?.then(undefined, () => {});
  }

  /**
   * Stops the walk early: ends every open iterator, innermost first as nested loops would, so
   * generators run their finally blocks (an outer one after an inner async one has finished).
   */
  abort(): void {
    this.letGo();
    let closing: Promise<unknown> | undefined;
    for (let d = this.stack.length - 1; d > 0; d--) {
      const f = this.stack[d];
      closing = closing === undefined ? closeIterator(f) : closing.then(() => closeIterator(f));
    }
    this.stack.length = 0;
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

  /**
   * The JSON path of the container in the frame at `depth`. The prefix up to each frame is kept:
   * while a frame stays on the stack, the frames below it keep their keys, so a kept prefix whose
   * frame and key are still there holds. A `circular` function is called with a path at every
   * cycle: built anew, each cost the whole depth (a function making deeper values took hours).
   */
  private pathTo(depth: number): string {
    const stack = this.stack;
    // Frame 0 is the root's holder.
    let d = depth - 1;
    while (d > 0 && (this.prefixFrames[d] !== stack[d] || this.prefixKeys[d] !== stack[d].key)) d--;
    let p = d > 0 ? this.prefixes[d] : '$';
    for (d++; d < depth; d++) {
      p += pathSegment(stack[d].key);
      this.prefixes[d] = p;
      this.prefixFrames[d] = stack[d];
      this.prefixKeys[d] = stack[d].key;
    }
    // Frames popped since are let go of.
    if (this.prefixFrames.length > stack.length) this.prefixes.length = this.prefixFrames.length = this.prefixKeys.length = stack.length;
    return p;
  }

  /** The path of the innermost frame's member `last` (of the innermost frame itself if undefined), then `extra`. */
  private pathOf(last: string | number | undefined, extra?: string | number): string {
    const top = this.stack.length - 1;
    let p = this.pathTo(top);
    // Text, Slices and WebStream frames are a string (or a stream not yet known), not a container.
    const kind = this.stack[top].kind;
    if (top > 0 && last !== undefined && kind !== Kind.Text && kind !== Kind.Slices && kind !== Kind.WebStream) p += pathSegment(last);
    return extra === undefined ? p : p + pathSegment(extra);
  }

  /** Raises an error at the member being written (and `extra` inside it). */
  private fail(code: JSONDumpErrorCode, message: string, extra?: string | number): never {
    throw new JSONDumpError(code, message, this.pathOf(this.frame.key, extra));
  }

  private get unreached(): Unreached {
    // A replacer may put something else in the place of a value: its failure waits until the walk reaches it.
    return (this.unreachedValues ??= new Unreached(this.dialect, this.replacer === null, this.plain));
  }

  /**
   * A wait of the walk (an async value) or of the async driver (the destination, a turn of the
   * event loop): `p`, failing early if an async value the walk has not reached fails.
   */
  guard<T>(p: Promise<T>): Promise<T> {
    return this.unreached.wait(p, this.stack);
  }

  /**
   * The async driver is about to hand a chunk over, so its consumer may yield to the event
   * loop: what the walk has not reached gets its listeners now (a failure is thrown by the
   * next step()). The sync drivers never yield: they do not call it.
   */
  beforeYield(): void {
    this.unreached.watch(this.stack);
  }

  private resume(): boolean {
    const kind = this.pendingKind;
    const value = this.settled;
    this.pendingKind = Pending.None;
    this.pending = this.awaited = null;
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

  /** Starts the member `key` of `f` in the text: separator, indentation, key. */
  private startMember(f: Frame, key: string | number): void {
    // Each line of JSON Lines holds one record of the container; a value has no line of its own.
    if (f.kind === Kind.Root && this.lines) this.fail('ERR_BAD_OPTION', NOT_RECORDS);
    if (this.stack.length >= this.maxStack) this.failDepth();
    this.w.member(key);
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
    if (ordinary && this.plain !== null && !this.searched(v) && this.plain.writeValue(v, key, f, this.stack.length - 1)) return false;
    // A plain subtree holds no cycle: only what the walk opens is looked up on the path.
    if (this.onPath !== null && this.onPath.has(v)) return this.writeCycle(v, key, f, defaults);
    if (isArray) {
      const frame = this.open(Kind.Array, v, key, f);
      frame.len = (v as unknown[]).length;
      // Its elements checked by the search of unreached values, before the walk reached them.
      if (frame.searched) frame.ahead = this.plain?.opened(v as unknown[], frame) ?? null;
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
      this.needAsync('a promise', v);
      this.pendingKind = Pending.Value;
      this.awaited = Promise.resolve(v);
      this.pending = this.guard(this.awaited);
      return true;
    }
    if (isReadable(v)) {
      this.needAsync('a stream', v);
      this.unreachedValues?.reached(v);
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
      this.needAsync('a ReadableStream', v);
      this.unreachedValues?.reached(v);
      if (isLocked(v)) this.fail('ERR_UNSERIALIZABLE', 'a locked ReadableStream cannot be read (another reader holds it)');
      // Bytes or strings make a string, other chunks an array: the first chunk tells (openWebStream).
      this.push(new Frame(Kind.WebStream, v)).iter = new WebChunks(v);
      return false;
    }
    if (isBlob(v)) {
      this.needAsync('a Blob', v);
      this.openText(v, WebChunks.ofBlob(v), key, f);
      return false;
    }
    if (isAsyncIterable(v)) {
      this.needAsync('an async iterable', v);
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

  private needAsync(what: string, v: object): void {
    if (this.async) return;
    // Refused, it is left unreached: a rejection later must not end the process.
    this.unreached.drop(v);
    this.fail('ERR_ASYNC_VALUE', `${what} cannot be written by a sync function`);
  }

  private openObject(v: object, key: string | number, f: Frame): void {
    const d = this.dialect;
    let keys = d.keyList;
    if (keys === null) {
      keys = Object.keys(v);
      if (d.orderKeys !== null) d.orderKeys(keys);
    }
    if (d.canonical) this.checkKeys(keys);
    const frame = this.open(Kind.Object, v, key, f);
    frame.keys = keys;
    frame.len = keys.length;
  }

  private openMap(v: Map<unknown, unknown>, key: string | number, f: Frame): void {
    const members = mapMembers(v, this.dialect);
    if (members instanceof KeyProblem) this.fail(members.code, members.message, members.text);
    if (this.dialect.canonical) this.checkKeys(members.map((m) => m.text));
    const frame = this.open(Kind.Map, v, key, f);
    frame.members = members;
    frame.len = members.length;
  }

  /** A long string: one JSON string, written a slice per step. */
  private openSlices(v: string): void {
    // Taken whole at the end (dumps), a text too long for one string fails here, before escaping.
    this.w.checkRoom(v, this.pathOf(this.frame.key));
    this.w.openString();
    const frame = this.push(new Frame(Kind.Slices, NO_HOLDER));
    frame.text = v;
    frame.len = v.length;
  }

  /** A byte or text stream (`v`, read through `iter`): one JSON string, written as its chunks come. */
  private openText(v: object, iter: AsyncIterator<unknown>, key: string | number, f: Frame): Frame {
    this.startMember(f, key);
    this.w.openString();
    const frame = this.push(new Frame(Kind.Text, v));
    frame.iter = iter;
    frame.decoder = byteDecoder(this.invalidUTF8);
    return frame;
  }

  /** The text of the next chunk of bytes of the stream of `f` (null: the end of the stream). */
  private decode(f: Frame, bytes: Uint8Array | null): string {
    try {
      return bytes === null ? f.decoder!.end() : f.decoder!.write(bytes as Buffer);
    } catch (err) {
      if (err instanceof InvalidUTF8) this.fail('ERR_INVALID_UTF8', `the byte stream is not valid UTF-8 (byte ${err.offset})`);
      throw err;
    }
  }

  /** One chunk of a byte or text stream (a string, or bytes decoded as UTF-8). */
  private writeTextPart(f: Frame, chunk: unknown): void {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else if (f.iter instanceof WebChunks && !isBytes(chunk)) this.fail('ERR_UNSERIALIZABLE', `a ReadableStream of text gave a chunk that is not a string or bytes (${typeOf(chunk)})`);
    else text = this.decode(f, chunk as Uint8Array);
    if (!this.w.stringPart(text)) this.failLoneSurrogate();
  }

  /**
   * The first chunk of a Web ReadableStream decides what it is written as: bytes or a string
   * make a JSON string (as a Node byte Readable), anything else an array (as an object-mode
   * Readable); a stream that ends without a chunk is "", as Node's and the platform's readers
   * (Readable.fromWeb, Response, stream/consumers) take an untyped stream to be bytes.
   * Replaces the WebStream frame `f` with the frame of that string or array.
   */
  private openWebStream(f: Frame, r: IteratorResult<unknown>): Frame {
    this.stack.pop();
    const parent = (this.frame = this.stack[this.stack.length - 1]);
    const iter = f.iter as WebChunks;
    try {
      const text = r.done || typeof r.value === 'string' || isBytes(r.value);
      if (text) return this.openText(f.holder, iter, parent.key, parent);
      const frame = this.open(Kind.AsyncIter, f.holder, parent.key, parent);
      frame.iter = iter;
      return frame;
    } catch (err) {
      // Off the stack, the stream would not be cancelled by abort().
      iter.return().catch(() => {});
      throw err;
    }
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

  // The refusals have methods of their own: writeValue stays small enough to be inlined.
  private failNumber(n: number): never {
    if (this.dialect.canonical) this.fail('ERR_UNSERIALIZABLE', `${n} has no RFC 8785 (canonical) text`);
    this.fail('ERR_NON_FINITE', `${n} is not allowed (allowNaN: false)`);
  }

  /** A container made by a function opens: counted against madeDepth. */
  private openMade(): void {
    this.made = false;
    if (this.madeAt.length >= this.madeDepth) {
      this.fail('ERR_LIMIT', `values made by toJSON, a replacer, default or circular nest deeper than ${this.madeDepth} levels (a function that keeps making deeper values?); maxDepth sets the limit`);
    }
    this.madeAt.push(this.stack.length);
  }

  private failDepth(): never {
    this.fail('ERR_LIMIT', `nesting deeper than maxDepth (${this.maxDepth})`);
  }

  private failBigint(n: bigint): never {
    this.fail('ERR_UNSERIALIZABLE', `${n} is past 2^53, which RFC 8785 (canonical) numbers cannot hold exactly (bigint: 'string' writes it as a string)`);
  }

  private failLoneSurrogate(extra?: string | number): never {
    this.fail('ERR_UNSERIALIZABLE', 'a lone surrogate has no RFC 8785 (canonical) text (it is not Unicode)', extra);
  }

  /** Canonical output: every key of the container about to open is well-formed Unicode. */
  private checkKeys(keys: string[]): void {
    for (const k of keys) if (!isWellFormed(k)) this.failLoneSurrogate(k);
  }

  private open(kind: Kind, v: object, key: string | number, f: Frame): Frame {
    // Checked before anything of the container is written.
    if (this.stack.length >= this.maxStack) this.failDepth();
    if (this.made) this.openMade();
    this.onPath?.set(v, this.stack.length);
    const isObject = kind === Kind.Object || kind === Kind.Map;
    if (f.kind === Kind.Root && this.lines) {
      if (isObject) this.fail('ERR_BAD_OPTION', NOT_RECORDS);
      this.w.openRecords();
    } else {
      this.w.member(key);
      if (isObject) this.w.openObject();
      else this.w.openArray();
    }
    this.plain?.enter(this.stack.length);
    return this.push(new Frame(kind, v));
  }

  /**
   * The search of unreached values looked into `container`: it holds nothing the search has not
   * heard of, and it was not plain (or below a value too deep for the checks), so the plain
   * check is not made again.
   */
  private searched(container: object): boolean {
    return this.unreachedValues !== null && this.unreachedValues.covers(container);
  }

  private push(frame: Frame): Frame {
    frame.searched = this.searched(frame.holder);
    this.stack.push(frame);
    this.frame = frame;
    return frame;
  }

  private closeFrame(f: Frame): void {
    if (f.kind === Kind.Text) {
      if (!this.w.stringPart(this.decode(f, null)) || !this.w.closeString()) this.failLoneSurrogate();
    } else if (f.kind === Kind.Slices) {
      if (!this.w.closeString()) this.failLoneSurrogate();
    } else {
      this.w.close();
    }
    this.onPath?.delete(f.holder);
    if (this.madeAt.length !== 0 && this.madeAt[this.madeAt.length - 1] === this.stack.length - 1) this.madeAt.pop();
    this.stack.pop();
    this.frame = this.stack[this.stack.length - 1];
  }
}

/** A short name of a value's type for messages. */
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v.constructor as { name?: string } | undefined)?.name ?? 'object';
}
