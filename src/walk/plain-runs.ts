// The native fast path. A plain subtree (walk/plain.ts) is written by one call to V8's native
// JSON.stringify (encode/native.ts) instead of a walk step per token (compare the two tables of
// `node bench/micro/run.js options`: plain rows, and rows the walk writes); so is a run of plain
// elements of an array or an iterator, gathered into one call. This unit decides what goes
// native: it runs the plain check, keeps each subtree and run within a budget, and remembers
// where checks are not worth trying. The writer lays out the text.

import type { Dialect } from '../encode/dialect.js';
import type { Writer } from '../encode/writer.js';
import { type Frame, NONE } from './frame.js';
import { PlainCheck } from './plain.js';

/**
 * The most a plain subtree or run may hold to go through one native call, in values (a
 * string counts one more per 16 characters): about chunkSize / 8, two chunks of text, so a
 * run stays near a chunk and a lazy source is not pulled far ahead of the sink. The budget in
 * use is smaller where the values make more text (see RUN_CHARS).
 */
function plainBudget(chunkSize: number, escaped: boolean): number {
  // Escaped to ASCII, text grows up to sixfold: smaller runs keep each step short.
  return Math.max(16, Math.min(8192, chunkSize / (escaped ? 32 : 8)));
}

/**
 * Characters a native text is kept under. V8 makes a longer string (over 128 KiB: 64K
 * characters once one is beyond Latin-1) a large object, on fresh pages faulted in one by one
 * and kept until a full GC: runs of that size cost three to five times as much per byte as
 * runs of half of it (`node --expose-gc bench/turns.js texts/compact`, and people/compact).
 * Half the limit, as the budget only estimates the text.
 */
const RUN_CHARS = 32768;

/**
 * Levels below a subtree too deep for the plain check where no check is tried: a chain a
 * million deep is then checked about twice over, not 64 times.
 */
const SKIP_LEVELS = 32;

/** What writeIterRun did. */
export const enum IterRun {
  /** Nothing written: the walk writes the next element (`pulled`, if one was pulled). */
  None,
  /** A run of elements written. */
  Written,
  /** The iterator ended (after the run, if any): the walk closes the frame. */
  Ended,
}

export class PlainRuns {
  private readonly checker: PlainCheck;
  /** The budget now: RUN_CHARS of text at the rate learnt so far, at most `maxBudget`. */
  private budget: number;
  private readonly maxBudget: number;
  /**
   * Characters of native text per unit of budget, learnt from the texts written; at first twice
   * the 16 of a string (the text around values is not counted: keys, indentation).
   */
  private charsPerUnit = 32;
  /** Element `run`s are not gathered: each record of JSON Lines has a line of its own. */
  private readonly lines: boolean;
  /** An element a run found not plain (or too big alone): writeValue() need not check it again. */
  private refused: unknown = NONE;
  /** The last check failed on a subtree deeper than it goes: the next frame opened skips checks. */
  private tooDeep = false;
  /** By depth: levels still to go (counting that frame) in which no check is tried. */
  private readonly skips: number[] = [0];
  /**
   * Plain elements of an async iterator, written together once the budget is spent, a
   * non-plain element comes or the source ends. One run at a time: the walk writes it
   * (flush) before it writes anything else.
   */
  private run: unknown[] = [];
  private runCount = 0;
  private runUsed = 0;
  /** maxDepth (+ 1 for JSON Lines): minus the frame's depth, how deep below a member its values may be. */
  private readonly depthBase: number;

  constructor(
    private readonly w: Writer,
    dialect: Dialect,
    chunkSize: number,
    lines: boolean,
    maxDepth: number,
  ) {
    this.checker = new PlainCheck(dialect.nativeNumbers, dialect.orderKeys !== null && dialect.keyList === null, dialect.canonical, dialect.keyList);
    // JSON Lines' records container is not a level of nesting.
    this.depthBase = maxDepth + (lines ? 1 : 0);
    this.maxBudget = plainBudget(chunkSize, dialect.escapeText !== null);
    this.budget = Math.min(this.maxBudget, Math.floor(RUN_CHARS / this.charsPerUnit));
    this.lines = lines;
  }

  /** Writes `v`, the member `key` of the frame at `depth`, as one native text; false if it is not plain. */
  writeValue(v: object, key: string | number, depth: number): boolean {
    // The top-level container of JSON Lines is the walk's: its records go one per line.
    if ((depth === 0 && this.lines) || this.skipping(depth)) return false;
    if (v === this.refused) {
      // A run just checked it: not plain, or too big alone.
      this.refused = NONE;
      return false;
    }
    const checker = this.checker;
    checker.begin(this.depthBase - depth);
    const count = checker.count(v, this.budget);
    if (count < 0) {
      this.tooDeep = checker.tooDeep;
      return false;
    }
    this.w.member(key);
    const before = this.w.size;
    this.w.plain(v, count, checker.keys);
    this.learn(this.w.size - before, checker.used);
    return true;
  }

  /**
   * Writes the run of plain elements at f.i of an array with one native call: per-element
   * calls cost a third more on database-like rows (bench/micro/native.js). The run is a copy
   * of the values read, so that native JSON.stringify does not read an element (a getter) a
   * second time; the element that ends the run is left in f.pulled for the same reason.
   * False if the element at f.i is not plain.
   */
  writeArrayRun(f: Frame, depth: number): boolean {
    if (this.lines || this.skipping(depth)) return false;
    const arr = f.holder as unknown[];
    const checker = this.checker;
    checker.begin(this.depthBase - depth);
    const run: unknown[] = [];
    let count = 0;
    let used = 0;
    // Each element is checked against the whole budget and the run ends once the budget is
    // spent, so no element is checked twice (and one too big alone is not re-checked).
    for (let i = f.i; i < f.len && used < this.budget; i++) {
      const v = arr[i];
      const c = checker.count(v, this.budget);
      if (c < 0) {
        f.pulled = v;
        this.refuse(v);
        break;
      }
      run.push(v);
      count += c;
      used += checker.used;
    }
    if (run.length === 0) return false;
    f.i += run.length;
    const before = this.w.size;
    this.w.plainRun(run, count, checker.keys);
    this.learn(this.w.size - before, used);
    return true;
  }

  /**
   * The keys the last check listed for `v`, the object the walk is about to open, if it listed
   * them (a check refused it: too big, or a member not plain): the walk writes those, and does
   * not list them a second time (a million keys take V8 0.4 s or more to list).
   */
  keysOf(v: object): string[] | null {
    return this.checker.takeKeys(v);
  }

  /** writeArrayRun for iterators (lazy rows): pulls plain elements into a run. */
  writeIterRun(f: Frame, depth: number): IterRun {
    if (this.lines || this.skipping(depth)) return IterRun.None;
    const iter = f.iter as Iterator<unknown>;
    const checker = this.checker;
    checker.begin(this.depthBase - depth);
    const run: unknown[] = [];
    let count = 0;
    let ended = false;
    let used = 0;
    while (used < this.budget) {
      const r = iter.next();
      if (r.done) {
        ended = true;
        break;
      }
      const c = checker.count(r.value, this.budget);
      if (c < 0) {
        // Not plain, or too big alone: left for the walk.
        f.pulled = r.value;
        this.refuse(r.value);
        break;
      }
      run.push(r.value);
      count += c;
      used += checker.used;
    }
    if (run.length > 0) {
      f.i += run.length;
      const before = this.w.size;
      this.w.plainRun(run, count, checker.keys);
      this.learn(this.w.size - before, used);
    }
    return ended ? IterRun.Ended : run.length > 0 ? IterRun.Written : IterRun.None;
  }

  /** Gathers `v`, the next element of the async iterator of `f`, into the run (counted in f.i); false if it did not join. */
  collect(f: Frame, v: unknown, depth: number): boolean {
    if (this.lines || this.skipping(depth)) return false;
    const checker = this.checker;
    if (this.run.length === 0) checker.begin(this.depthBase - depth);
    const c = checker.count(v, this.budget);
    if (c < 0) {
      this.refuse(v);
      this.flush();
      return false;
    }
    this.run.push(v);
    f.i++;
    this.runCount += c;
    if ((this.runUsed += checker.used) >= this.budget) this.flush();
    return true;
  }

  /** Writes the gathered run, if any (the walk is about to write something else). */
  flush(): void {
    const run = this.run;
    if (run.length === 0) return;
    const before = this.w.size;
    this.w.plainRun(run, this.runCount, this.checker.keys);
    this.learn(this.w.size - before, this.runUsed);
    this.run = [];
    this.runCount = 0;
    this.runUsed = 0;
  }

  /** The walk handed out a chunk of text (see PlainCheck.forget). */
  forget(): void {
    this.checker.forget();
    this.checker.dropKeys();
  }

  /** The walk opened a frame at `depth`: below a subtree too deep for the check, no checks for a while. */
  enter(depth: number): void {
    this.skips[depth] = this.tooDeep ? SKIP_LEVELS : Math.max(0, this.skips[depth - 1] - 1);
    this.tooDeep = false;
  }

  /**
   * Learns from a native text of `chars` characters that used `used` of the budget, and sets
   * the budget from it: at once when the text was over RUN_CHARS, else a step of the way (less
   * for a text from a small part of the budget).
   */
  private learn(chars: number, used: number): void {
    if (used <= 0) return;
    const rate = chars / used;
    const weight = chars > RUN_CHARS && rate > this.charsPerUnit ? 1 : Math.min(1, used / this.budget) / 4;
    this.charsPerUnit += (rate - this.charsPerUnit) * weight;
    this.budget = Math.max(16, Math.min(this.maxBudget, Math.floor(RUN_CHARS / this.charsPerUnit)));
  }

  private refuse(v: unknown): void {
    this.refused = v;
    this.tooDeep = this.checker.tooDeep;
  }

  /** No checks in the frame at `depth`: it is within SKIP_LEVELS of a subtree too deep for them. */
  private skipping(depth: number): boolean {
    return this.skips[depth] > 0;
  }
}
