// The walk: a depth-first traversal of the value graph with an explicit stack of frames (no
// recursion, so any depth works), writing JSON text into `out` until about chunkSize characters
// are ready. Async values (promises, async iterables, Readables) suspend the walk: step()
// returns Step.Await with `pending` set, and the driver calls settle() with what it resolved to.

import { StringDecoder } from 'node:string_decoder';
import { JSONDumpError, type JSONDumpErrorCode } from '../errors.js';
import { asciiOnly, quote, quoteAscii } from '../encode/escape.js';
import { KeyProblem, mapMembers } from '../encode/keys.js';
import { NativeFormat, sortKeys } from '../encode/native.js';
import { jsNumber, nonFiniteLiteral, pyNumber } from '../encode/number.js';
import { joinPieces } from '../encode/pieces.js';
import { NonFinite, type Replacer, type Resolved } from '../options.js';
import { rawText } from '../raw-json.js';
import { isAsyncIterable, isIterable, isReadable, isThenable, unbox } from './kinds.js';
import { containerFrame, Frame, Kind, linesFrame, NONE, rootFrame, textFrame } from './frame.js';
import { pathSegment } from '../path.js';
import { NumberRule, PlainCheck } from './plain.js';

export const enum Step {
  Done,
  Chunk,
  Await,
}

const enum Pending {
  None,
  /** A promise standing at a position: its value is placed there. */
  Value,
  /** An async iterator's next(): the next element, or the end of the container. */
  Next,
}

/**
 * How much a plain subtree or run may hold to go through one native JSON.stringify, in values
 * (a string counts one more per 16 characters): about chunkSize / 8, two chunks of text, so a
 * run stays near a chunk and a lazy source is not pulled far ahead of the sink.
 */
function plainBudget(chunkSize: number, ensureAscii: boolean): number {
  // Escaped to ASCII, text grows up to sixfold: smaller runs keep each step short.
  return Math.max(16, Math.min(8192, chunkSize / (ensureAscii ? 32 : 8)));
}

/**
 * Levels below a subtree too deep for the plain check where no check is tried: a chain a
 * million deep is then checked about twice over, not 64 times.
 */
const SKIP_LEVELS = 32;
/** Default calls in a row at one position before a `default` that never settles is an error. */
const MAX_DEFAULTS = 100;

const OBJECT_PROTO = Object.prototype;

export class Walker {
  /** Text ready to be taken: `pieces` (large, flat texts kept apart so that nothing copies them into a rope) then `out` (small tokens). */
  private out = '';
  private pieces: string[] = [];
  /** Characters in `pieces`. */
  private held = 0;
  /** JSON values written, at every depth. */
  values = 0;
  /** Top-level elements written. */
  items = 0;
  pending: Promise<unknown> | null = null;

  private readonly o: Resolved;
  private readonly async: boolean;
  private readonly lines: boolean;
  private readonly chunkSize: number;
  private readonly stack: Frame[] = [];
  private frame: Frame;
  private readonly onPath: Set<object> | null;
  private readonly native: NativeFormat | null;
  /** Runs of plain elements go through one native call (not for JSON Lines: one per line). */
  private readonly batching: boolean;
  private readonly budget: number;
  private readonly check: PlainCheck;
  private readonly sortedKeys: boolean;
  private readonly listKeys: string[] | null;
  private readonly replacer: Replacer | null;
  private readonly quoteText: (s: string) => string;
  /** The last fast() failed on a subtree deeper than the check goes: open() skips checks below. */
  private tooDeep = false;
  /** An element a batch found not plain (or too big alone): fast() need not check it again. */
  private failed: unknown = null;
  private pendingKind = Pending.None;
  private settled: unknown = undefined;

  constructor(value: unknown, o: Resolved, opts: { async: boolean; lines?: boolean; chunkSize?: number }) {
    this.o = o;
    this.async = opts.async;
    this.lines = opts.lines ?? false;
    this.chunkSize = opts.chunkSize ?? o.chunkSize;
    this.onPath = o.checkCircular ? new Set() : null;
    this.native = NativeFormat.for(o);
    this.batching = this.native !== null && !this.lines;
    this.budget = plainBudget(this.chunkSize, o.ensureAscii);
    const numbers = o.python ? NumberRule.Python : o.nonFinite === NonFinite.Null ? NumberRule.Any : NumberRule.Finite;
    this.check = new PlainCheck(numbers, o.sortKeys && o.allowList === null);
    this.sortedKeys = o.sortKeys;
    this.listKeys = o.allowList !== null && o.sortKeys ? sortKeys(o.allowList.slice(), o.python) : o.allowList;
    this.replacer = o.replacer;
    this.quoteText = o.ensureAscii ? quoteAscii : quote;
    const root = rootFrame(value);
    this.frame = root;
    this.stack.push(root);
  }

  /** Walks until a chunk is ready, the value is written, or an async value must be awaited. */
  step(): Step {
    if (this.pendingKind !== Pending.None && this.resume()) return Step.Await;
    const limit = this.chunkSize;
    while (this.held + this.out.length < limit) {
      const f = this.frame;
      switch (f.kind) {
        case Kind.Array:
          if (this.batching && f.skip === 0 && f.i < f.len && this.batchArray(f)) break;
          if (f.i < f.len) {
            const i = f.i++;
            f.key = i;
            if (f.top) this.items++;
            if (this.place((f.holder as unknown[])[i], i, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Object:
          if (f.i < f.len) {
            const k = f.keys![f.i++];
            f.key = k;
            if (this.place((f.holder as Record<string, unknown>)[k], k, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Map:
          if (f.i < f.len) {
            const m = f.members![f.i++];
            f.key = m.text;
            if (this.place(m.value, m.text, f)) return Step.Await;
          } else this.closeFrame(f);
          break;
        case Kind.Iter: {
          if (f.held === NONE && this.batching && f.skip === 0 && this.batchIter(f)) break;
          let v = f.held;
          f.held = NONE;
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
          if (f.top) this.items++;
          if (this.place(v, i, f)) return Step.Await;
          break;
        }
        case Kind.AsyncIter:
        case Kind.Text:
          this.pendingKind = Pending.Next;
          this.pending = (f.iter as AsyncIterator<unknown>).next();
          return Step.Await;
        default:
          if (f.i === 1) return Step.Done;
          f.i = 1;
          if (this.place((f.holder as Record<string, unknown>)[''], '', f)) return Step.Await;
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
    return joinPieces(this.takePieces());
  }

  /**
   * Takes the text written so far, about chunkSize characters (never cut inside a surrogate
   * pair), as a list of flat strings: a file sink encodes each straight into its buffer.
   */
  takePieces(): string[] {
    const size = this.chunkSize;
    if (this.held + this.out.length <= size * 2) {
      const pieces = this.pieces;
      if (this.out !== '') pieces.push(this.out);
      this.pieces = [];
      this.held = 0;
      this.out = '';
      return pieces;
    }
    // A value far larger than a chunk (a long string): cut it.
    const all = this.pieces.join('') + this.out;
    this.pieces = [];
    this.held = 0;
    let cut = size;
    const c = all.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut = cut === 1 ? 2 : cut - 1;
    this.out = all.slice(cut);
    return [all.slice(0, cut)];
  }

  /** Appends a large text as a piece of its own: concatenated, it would be copied again later. */
  private append(text: string): void {
    if (text.length < 1024) {
      this.out += text;
      return;
    }
    if (this.out !== '') {
      this.pieces.push(this.out);
      this.held += this.out.length;
      this.out = '';
    }
    this.pieces.push(text);
    this.held += text.length;
  }

  /** Stops the walk early: ends every open iterator, so generators run their finally blocks. */
  abort(): void {
    for (const frame of this.stack) {
      // A stream's iterator cannot return() while its next() waits for data: destroy it instead.
      if (isReadable(frame.holder)) {
        frame.holder.destroy();
        continue;
      }
      const iter = frame.iter;
      if (iter === null || typeof iter.return !== 'function') continue;
      try {
        const r = iter.return();
        if (r instanceof Promise) r.catch(() => {});
      } catch {
        // The walk is already failing with the error that matters.
      }
    }
    this.stack.length = 0;
  }

  /** The JSON path of the value being written. */
  path(extra?: string | number): string {
    let p = '$';
    for (let d = 1; d < this.stack.length; d++) p += pathSegment(this.stack[d].key);
    return extra === undefined ? p : p + pathSegment(extra);
  }

  private fail(code: JSONDumpErrorCode, message: string, extra?: string | number): never {
    throw new JSONDumpError(code, message, this.path(extra));
  }

  private resume(): boolean {
    const kind = this.pendingKind;
    const value = this.settled;
    this.pendingKind = Pending.None;
    this.pending = null;
    this.settled = undefined;
    const f = this.frame;
    if (kind === Pending.Value) return this.place(value, f.key, f);
    const r = value as IteratorResult<unknown>;
    if (r.done) {
      this.flushRun(f);
      this.closeFrame(f);
      return false;
    }
    if (f.kind === Kind.Text) {
      this.text(f, r.value);
      return false;
    }
    if (this.batching && f.skip === 0 && this.collect(f, r.value)) return false;
    const i = f.i++;
    f.key = i;
    if (f.top) this.items++;
    return this.place(r.value, i, f);
  }

  /** Writes `v` as the member `key` of `f`: toJSON, then the replacer. True: awaiting. */
  private place(v: unknown, key: string | number, f: Frame): boolean {
    if (typeof v === 'object' ? v !== null : typeof v === 'function' || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = toJSON.call(v, String(key));
    }
    if (this.replacer !== null) v = this.replacer.call(f.holder, String(key), v);
    return this.write(v, key, f, 0);
  }

  private write(v: unknown, key: string | number, f: Frame, defaults: number): boolean {
    switch (typeof v) {
      case 'string':
        this.prefix(f, key);
        this.append(this.quoteText(v));
        this.values++;
        return false;
      case 'number':
        this.number(v, key, f);
        return false;
      case 'boolean':
        this.prefix(f, key);
        this.out += v ? 'true' : 'false';
        this.values++;
        return false;
      case 'bigint':
        this.prefix(f, key);
        this.out += v.toString();
        this.values++;
        return false;
      case 'undefined':
        this.missing(f, key, 'undefined');
        return false;
      case 'function':
      case 'symbol':
        if (this.o.default !== null) return this.callDefault(v, key, f, defaults);
        if (this.o.python) this.fail('ERR_UNSERIALIZABLE', `a ${typeof v} is not JSON serializable`);
        this.missing(f, key, `a ${typeof v}`);
        return false;
      default:
        return v === null ? this.literal(f, key, 'null') : this.object(v as object, key, f, defaults);
    }
  }

  private literal(f: Frame, key: string | number, text: string): false {
    this.prefix(f, key);
    this.append(text);
    this.values++;
    return false;
  }

  /** undefined (or a dropped function/symbol): left out of objects, null in arrays. */
  private missing(f: Frame, key: string | number, what: string): void {
    switch (f.kind) {
      case Kind.Object:
      case Kind.Map:
        return;
      case Kind.Root:
        this.fail('ERR_UNSERIALIZABLE', `${what} is not JSON`);
      default:
        // Each line of JSON Lines is a top-level value: undefined is not one.
        if (f.top && this.lines) this.fail('ERR_UNSERIALIZABLE', `${what} is not JSON`);
        this.literal(f, key, 'null');
    }
  }

  private number(n: number, key: string | number, f: Frame): void {
    let text: string;
    if (n - n === 0) text = this.o.python ? pyNumber(n) : jsNumber(n);
    else if (this.o.nonFinite === NonFinite.Null) text = 'null';
    else if (this.o.nonFinite === NonFinite.Literal) text = nonFiniteLiteral(n);
    else this.fail('ERR_NON_FINITE', `${n} is not allowed (allowNaN: false)`);
    this.literal(f, key, text);
  }

  private callDefault(v: unknown, key: string | number, f: Frame, defaults: number): boolean {
    if (defaults >= MAX_DEFAULTS) this.fail('ERR_UNSERIALIZABLE', 'default() keeps returning values it must be called for');
    const r = this.o.default!(v);
    if (r === v) this.fail('ERR_UNSERIALIZABLE', 'default() returned the value it was given');
    if (typeof r === 'object' ? r !== null : typeof r === 'function' || typeof r === 'bigint') {
      const toJSON = (r as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.write(toJSON.call(r, String(key)), key, f, defaults + 1);
    }
    return this.write(r, key, f, defaults + 1);
  }

  private object(v: object, key: string | number, f: Frame, defaults: number): boolean {
    if (Array.isArray(v)) {
      if (this.native !== null && this.fast(v, key, f)) return false;
      this.open(Kind.Array, v, key, f, '[', ']').len = v.length;
      return false;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === OBJECT_PROTO || proto === null) {
      if (this.native !== null && this.fast(v, key, f)) return false;
      // Object literals can be thenables or (async) iterables too.
      if (isThenable(v) || isIterable(v) || isAsyncIterable(v)) return this.special(v, key, f, defaults);
      this.openObject(v, key, f);
      return false;
    }
    return this.special(v, key, f, defaults);
  }

  /** Writes a plain subtree through native JSON.stringify; false if it is not plain. */
  private fast(v: object, key: string | number, f: Frame): boolean {
    if (f.skip > 0 || (f.kind === Kind.Root && this.lines)) return false;
    if (v === this.failed) {
      // A batch just checked it: not plain, or too big alone.
      this.failed = null;
      this.tooDeep = this.check.tooDeep;
      return false;
    }
    this.check.begin();
    const count = this.check.value(v, this.budget);
    if (count < 0) {
      this.tooDeep = this.check.tooDeep;
      return false;
    }
    this.prefix(f, key);
    this.append(this.native!.format(v, f.inner, this.check.keys));
    this.values += count;
    if (f.kind === Kind.Root && Array.isArray(v)) this.items += v.length;
    return true;
  }

  /**
   * Writes the run of plain elements at f.i with one native call on a slice: per-element
   * calls cost a third more on database-like rows. False if the element at f.i is not plain.
   */
  private batchArray(f: Frame): boolean {
    const arr = f.holder as unknown[];
    const check = this.check;
    check.begin();
    const start = f.i;
    let end = start;
    let count = 0;
    // Each element is checked against the whole budget and the run ends once the budget is
    // spent, so no element is checked twice (and one too big alone is not re-checked by fast()).
    for (let used = 0; end < f.len && used < this.budget; end++) {
      const c = check.value(arr[end], this.budget);
      if (c < 0) {
        this.failed = arr[end];
        break;
      }
      count += c;
      used += check.used;
    }
    if (end === start) return false;
    f.i = end;
    this.writeRun(f, start === 0 && end === f.len ? arr : arr.slice(start, end), count);
    return true;
  }

  /** batchArray for iterators (lazy rows): pulls plain elements into a run. */
  private batchIter(f: Frame): boolean {
    const iter = f.iter as Iterator<unknown>;
    const check = this.check;
    check.begin();
    const run: unknown[] = [];
    let count = 0;
    for (let used = 0; used < this.budget; ) {
      const r = iter.next();
      if (r.done) {
        f.i += run.length;
        if (run.length > 0) this.writeRun(f, run, count);
        this.closeFrame(f);
        return true;
      }
      const c = check.value(r.value, this.budget);
      if (c < 0) {
        // Not plain, or too big alone: held for the walker.
        f.held = this.failed = r.value;
        break;
      }
      run.push(r.value);
      count += c;
      used += check.used;
    }
    if (run.length === 0) return false;
    f.i += run.length;
    this.writeRun(f, run, count);
    return true;
  }

  /**
   * batchIter for async iterators: a plain element joins the frame's run, written when a
   * non-plain one comes, the budget is spent or the source ends. False: `v` did not join.
   */
  private collect(f: Frame, v: unknown): boolean {
    const run = (f.run ??= []);
    if (run.length === 0) this.check.begin();
    const c = this.check.value(v, this.budget);
    if (c < 0) {
      this.failed = v;
      this.flushRun(f);
      return false;
    }
    run.push(v);
    f.runCount += c;
    if ((f.runUsed += this.check.used) >= this.budget) this.flushRun(f);
    return true;
  }

  private flushRun(f: Frame): void {
    const run = f.run;
    if (run === null || run.length === 0) return;
    f.i += run.length;
    this.writeRun(f, run, f.runCount);
    f.run = [];
    f.runCount = 0;
    f.runUsed = 0;
  }

  /** Writes `run`, plain elements of `f` holding `count` values, as native text. */
  private writeRun(f: Frame, run: unknown[], count: number): void {
    const text = this.native!.format(run, f.outer, this.check.keys);
    // Strip the slice's brackets (and, indented, the line break before "]"): what is left is
    // exactly the members as this frame writes them, but for the separator before the first.
    const tail = this.o.indent === null ? 1 : 2 + f.outer.length;
    if (f.n > 0) this.out += this.o.itemSep;
    this.append(text.slice(1, text.length - tail));
    f.n += run.length;
    this.values += count;
    if (f.top) this.items += run.length;
  }

  private special(v: object, key: string | number, f: Frame, defaults: number): boolean {
    const raw = rawText(v);
    if (raw !== undefined) return this.literal(f, key, this.o.ensureAscii ? asciiOnly(raw) : raw);
    const boxed = unbox(v);
    if (boxed !== null) return this.write(boxed.value, key, f, defaults);
    if (isThenable(v)) {
      this.needAsync('a promise');
      this.pendingKind = Pending.Value;
      this.pending = Promise.resolve(v);
      return true;
    }
    if (isReadable(v)) {
      this.needAsync('a stream');
      if (v.readableObjectMode) this.open(Kind.AsyncIter, v, key, f, '[', ']').iter = v[Symbol.asyncIterator]();
      else this.openText(v, key, f);
      return false;
    }
    if (v instanceof Map) {
      this.openMap(v, key, f);
      return false;
    }
    if (isIterable(v)) {
      this.open(Kind.Iter, v, key, f, '[', ']').iter = v[Symbol.iterator]();
      return false;
    }
    if (isAsyncIterable(v)) {
      this.needAsync('an async iterable');
      this.open(Kind.AsyncIter, v, key, f, '[', ']').iter = v[Symbol.asyncIterator]();
      return false;
    }
    if (this.o.python) {
      if (this.o.default !== null) return this.callDefault(v, key, f, defaults);
      const name = (v.constructor as { name?: string } | undefined)?.name ?? 'object';
      this.fail('ERR_UNSERIALIZABLE', `an instance of ${name} is not JSON serializable`);
    }
    this.openObject(v, key, f);
    return false;
  }

  private needAsync(what: string): void {
    if (!this.async) this.fail('ERR_ASYNC_VALUE', `${what} cannot be written by a sync function`);
  }

  private openObject(v: object, key: string | number, f: Frame): void {
    let keys = this.listKeys ?? Object.keys(v);
    if (this.sortedKeys && this.listKeys === null) keys = sortKeys(keys, this.o.python);
    const frame = this.open(Kind.Object, v, key, f, '{', '}');
    frame.keys = keys;
    frame.len = keys.length;
  }

  private openMap(v: Map<unknown, unknown>, key: string | number, f: Frame): void {
    const members = mapMembers(v, this.o);
    if (members instanceof KeyProblem) this.fail(members.code, members.message, members.text);
    const frame = this.open(Kind.Map, v, key, f, '{', '}');
    frame.members = members;
    frame.len = members.length;
  }

  private openText(v: AsyncIterable<unknown>, key: string | number, f: Frame): void {
    this.prefix(f, key);
    this.out += '"';
    this.values++;
    const frame = textFrame(v);
    frame.iter = v[Symbol.asyncIterator]();
    frame.decoder = new StringDecoder('utf8');
    this.push(frame);
  }

  /** Appends one chunk of a byte or text stream to the JSON string being written. */
  private text(f: Frame, chunk: unknown): void {
    let s = f.high + (typeof chunk === 'string' ? chunk : f.decoder!.write(chunk as Buffer));
    f.high = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      f.high = s[s.length - 1];
      s = s.slice(0, -1);
    }
    if (s !== '') this.append(this.quoteText(s).slice(1, -1));
  }

  private open(kind: Kind, v: object, key: string | number, f: Frame, openBracket: string, closeBracket: string): Frame {
    if (this.onPath !== null) {
      if (this.onPath.has(v)) this.fail('ERR_CIRCULAR', 'circular reference');
      this.onPath.add(v);
    }
    const top = f.kind === Kind.Root;
    if (top && this.lines) {
      if (kind === Kind.Object || kind === Kind.Map) {
        this.fail('ERR_BAD_OPTION', 'dumpLines() takes an array or an (async) iterable of records');
      }
      this.push(linesFrame(kind, v));
      return this.frame;
    }
    this.values++;
    this.prefix(f, key);
    this.out += openBracket;
    const frame = containerFrame(kind, v, f, this.o.indent, this.o.itemSep, closeBracket);
    frame.skip = this.tooDeep ? SKIP_LEVELS : Math.max(0, f.skip - 1);
    this.tooDeep = false;
    this.push(frame);
    return frame;
  }

  private push(frame: Frame): void {
    this.stack.push(frame);
    this.frame = frame;
  }

  private closeFrame(f: Frame): void {
    if (f.kind === Kind.Text) {
      this.text(f, f.decoder!.end());
      if (f.high !== '') this.out += this.quoteText(f.high).slice(1, -1);
    }
    this.out += f.n > 0 ? f.closeFull : f.closeEmpty;
    this.onPath?.delete(f.holder);
    this.stack.pop();
    this.frame = this.stack[this.stack.length - 1];
  }

  /** Writes what goes before a member: separator, line break and indentation, key. */
  private prefix(f: Frame, key: string | number): void {
    switch (f.kind) {
      case Kind.Root:
        if (this.lines) this.fail('ERR_BAD_OPTION', 'dumpLines() takes an array or an (async) iterable of records');
        return;
      case Kind.Text:
        return;
      case Kind.Object:
      case Kind.Map:
        this.out += (f.n++ === 0 ? f.first : f.next) + this.quoteText(key as string) + this.o.keySep;
        return;
      default:
        this.out += f.n++ === 0 ? f.first : f.next;
    }
  }
}
