// The walk's stack of open frames (walk/frame.ts) and what goes with opening and closing one:
// the writer's brackets, the objects on the path (cycles), maxDepth, the native path's
// per-level state, the keys a container is opened with, and the JSON path that every error of
// the walk names. The rules for values (walk/walker.ts) build on it; so does the reading of
// streams as strings (walk/strings.ts).

import type { Dialect } from '../encode/dialect.js';
import type { Writer } from '../encode/writer.js';
import { JSONDumpError, type JSONDumpErrorCode } from '../errors.js';
import { isWellFormed } from '../encode/well-formed.js';
import { mapMembers } from '../encode/keys.js';
import { KeyProblem } from '../encode/member-order.js';
import { pathSegment } from '../json-path.js';
import { Frame, Kind } from './frame.js';
import type { PlainRuns } from './plain-runs.js';

/** What the frames need from the walk's options. */
export interface StackOptions {
  checkCircular: boolean;
  maxDepth: number;
  /** How many containers made by toJSON, the replacer, `default` or `circular` may be open at once (Resolved.madeDepth). */
  madeDepth: number;
  lines: boolean;
}

const NOT_RECORDS = 'dumpLines() takes an array or an (async) iterable of records';

export class FrameStack {
  /** The open frames, the root's pseudo-frame at the bottom; the driver's sweep reads what they have not reached. */
  readonly stack: Frame[] = [];
  /** The innermost frame (the top of `stack`). */
  protected frame: Frame;
  /** The containers on the path from the root, with their stack index (the target of a cycle; null: checkCircular is off). */
  protected readonly onPath: Map<object, number> | null;
  protected readonly lines: boolean;
  /** Stack length at which a value written is deeper than maxDepth: the root value is depth 0 (each record, in JSON Lines). */
  private readonly maxStack: number;
  private readonly maxDepth: number;
  private readonly madeDepth: number;
  /** The value being written was made by toJSON, the replacer, `default` or `circular` (not found in the value). */
  protected made = false;
  /** The stack indices of the open containers that were made. */
  private readonly madeAt: number[] = [];
  /** pathTo's prefixes by stack index, with the frame and key each was made for (see pathTo). */
  private readonly prefixes: string[] = [];
  private readonly prefixFrames: Frame[] = [];
  private readonly prefixKeys: (string | number)[] = [];

  constructor(
    protected readonly w: Writer,
    protected readonly dialect: Dialect,
    /** The native fast path; null where native text cannot take the options' layout. */
    protected readonly plain: PlainRuns | null,
    value: unknown,
    o: StackOptions,
  ) {
    this.lines = o.lines;
    this.onPath = o.checkCircular ? new Map() : null;
    this.maxDepth = o.maxDepth;
    this.madeDepth = o.madeDepth;
    this.maxStack = o.maxDepth + (o.lines ? 3 : 2);
    // The pseudo-frame holding the value itself, as JSON.stringify's `{"": value}` holder.
    const root = new Frame(Kind.Root, { '': value });
    this.frame = root;
    this.stack.push(root);
  }

  /** Opens a container `v` (an array, object, Map or iterable) as the member `key` of `f`. */
  protected open(kind: Kind, v: object, key: string | number, f: Frame): Frame {
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

  /** Opens the plain object or class instance `v`: its keys are listed (and ordered) once, here. */
  protected openObject(v: object, key: string | number, f: Frame): void {
    const d = this.dialect;
    let keys = d.keyList;
    if (keys === null) {
      keys = this.plain?.keysOf(v) ?? Object.keys(v);
      if (d.orderKeys !== null) d.orderKeys(keys);
    }
    if (d.canonical) this.checkKeys(keys);
    const frame = this.open(Kind.Object, v, key, f);
    frame.keys = keys;
    frame.len = keys.length;
  }

  /**
   * A Map in its own order is read from its iterator as the walk goes: a large one is not
   * coerced whole before its first member is written (two million entries held the event loop
   * 0.7 s). Sorted, or in an allow-list's order, its members are all taken first.
   */
  protected openMap(v: Map<unknown, unknown>, key: string | number, f: Frame): void {
    const d = this.dialect;
    if (d.orderMembers === null && d.keyList === null) {
      this.open(Kind.Map, v, key, f).iter = v[Symbol.iterator]();
      return;
    }
    const members = mapMembers(v, d);
    if (members instanceof KeyProblem) this.fail(members.code, members.message, members.text);
    if (d.canonical) this.checkKeys(members.map((m) => m.text));
    const frame = this.open(Kind.Map, v, key, f);
    frame.members = members;
    frame.len = members.length;
  }

  protected push(frame: Frame): Frame {
    this.stack.push(frame);
    this.frame = frame;
    return frame;
  }

  /** Pops `f` off the stack; `close` has written its end. */
  protected pop(f: Frame): void {
    this.onPath?.delete(f.holder);
    if (this.madeAt.length !== 0 && this.madeAt[this.madeAt.length - 1] === this.stack.length - 1) this.madeAt.pop();
    this.stack.pop();
    this.frame = this.stack[this.stack.length - 1];
  }

  /** Starts the member `key` of `f` in the text: separator, indentation, key. */
  protected startMember(f: Frame, key: string | number): void {
    // Each line of JSON Lines holds one record of the container; a value has no line of its own.
    if (f.kind === Kind.Root && this.lines) this.fail('ERR_BAD_OPTION', NOT_RECORDS);
    if (this.stack.length >= this.maxStack) this.failDepth();
    this.w.member(key);
  }

  /**
   * The JSON path of the container in the frame at `depth`. The prefix up to each frame is kept:
   * while a frame stays on the stack, the frames below it keep their keys, so a kept prefix whose
   * frame and key are still there holds. A `circular` function is called with a path at every
   * cycle: built anew, each cost the whole depth (a function making deeper values took hours).
   */
  protected pathTo(depth: number): string {
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
  protected pathOf(last: string | number | undefined, extra?: string | number): string {
    const top = this.stack.length - 1;
    let p = this.pathTo(top);
    // Text, Slices and WebStream frames are a string (or a stream not yet known), not a container.
    const kind = this.stack[top].kind;
    if (top > 0 && last !== undefined && kind !== Kind.Text && kind !== Kind.Slices && kind !== Kind.WebStream) p += pathSegment(last);
    return extra === undefined ? p : p + pathSegment(extra);
  }

  /** Raises an error at the member being written (and `extra` inside it). */
  protected fail(code: JSONDumpErrorCode, message: string, extra?: string | number): never {
    throw new JSONDumpError(code, message, this.pathOf(this.frame.key, extra));
  }

  // The refusals have methods of their own: the methods that write values stay small enough to be inlined.
  protected failNumber(n: number): never {
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

  protected failBigint(n: bigint): never {
    this.fail('ERR_UNSERIALIZABLE', `${n} is past 2^53, which RFC 8785 (canonical) numbers cannot hold exactly (bigint: 'string' writes it as a string)`);
  }

  protected failLoneSurrogate(extra?: string | number): never {
    this.fail('ERR_UNSERIALIZABLE', 'a lone surrogate has no RFC 8785 (canonical) text (it is not Unicode)', extra);
  }

  /** Canonical output: every key of the container about to open is well-formed Unicode. */
  protected checkKeys(keys: string[]): void {
    for (const k of keys) if (!isWellFormed(k)) this.failLoneSurrogate(k);
  }
}
