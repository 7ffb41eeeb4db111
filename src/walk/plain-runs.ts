// The native fast path. A plain subtree (walk/plain.ts) is written by one call to V8's native
// JSON.stringify (encode/native.ts) instead of a walk step per token (compare the two tables of
// `node bench/micro/run.js options`: plain rows, and rows the walk writes); so is a run of plain
// elements of an array or an iterator, gathered into one call. This unit decides what goes
// native: it runs the plain check, keeps each subtree and run within a budget, and remembers
// where checks are not worth trying. The writer lays out the text.

import type { Dialect } from '../encode/dialect.js';
import type { Writer } from '../encode/writer.js';
import { Frame, NONE } from './frame.js';
import { PlainCheck } from './plain.js';
import { RecentMap } from './recent.js';

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

/** An element not checked ahead (not an object, or a getter). */
const UNCHECKED = -1;
/** An element found not plain ahead: the walk writes it, without checking it again. */
const NOT_PLAIN = -2;
/** An element found deeper than the check goes (see `tooDeep`). */
const TOO_DEEP = -3;

/** The first size of Ahead's tables, doubled as they fill. */
const AHEAD_FIRST = 256;

/**
 * How far ahead of the walk (in elements of one array) the checks go: their tables stay
 * under 2 MB. Tables for every element of a large array are memory outside V8's heap, and
 * V8 answers their growth with full collections: 1.7M strings made stalls of 35 to 147 ms,
 * against 33 ms at most without the tables (`strings`, python dialect, a 5 ms timer beside
 * `dump` to a file).
 */
const AHEAD_LEAD = 1 << 18;

/**
 * Elements of an array checked before the walk reached them (nextNotPlain): the search of
 * unreached async values (walk/unreached.ts) must look at them before the dump yields, and a
 * plain element holds none, so its check is kept and writeArrayRun does not make it again.
 * What the walk writes is what it would write with its own check, as long as nobody changes
 * the elements while the dump runs (JSON.stringify, synchronous, never has to ask).
 *
 * The checks kept are those of the elements `from` to `end`, made in order; the tables grow as
 * the checks go on (tables for a whole array of 1.7M strings, made at the first yield, took
 * 26 ms of the 78 ms the first search held the event loop, `strings`, python dialect), and
 * drop what the walk has passed before they grow.
 */
export class Ahead {
  /** The first element whose check is kept. */
  private from: number;
  /** The element after the last one checked. */
  private end: number;
  /** Per element from `from`: the JSON values it writes, or UNCHECKED, NOT_PLAIN, TOO_DEEP. */
  private counts = new Int32Array(AHEAD_FIRST);
  /** Per element: the budget its check used. */
  private used = new Int32Array(AHEAD_FIRST);

  constructor(
    from: number,
    /** The nesting the check allowed: the walk uses it only where it allows the same. */
    readonly depthLimit: number,
  ) {
    this.from = this.end = from;
  }

  /** What the check of element `i` found: its count of values, or UNCHECKED, NOT_PLAIN, TOO_DEEP. */
  count(i: number): number {
    return i >= this.from && i < this.end ? this.counts[i - this.from] : UNCHECKED;
  }

  /** The budget the check of element `i` used (if count(i) is one). */
  usedBy(i: number): number {
    return this.used[i - this.from];
  }

  /**
   * Keeps the check of element `i`, the next one checked (those in between were not); the
   * walk is at element `walkAt`.
   */
  keep(i: number, count: number, used: number, walkAt: number): void {
    let at = i - this.from;
    if (at >= this.counts.length) {
      if (walkAt > this.from) this.drop(Math.min(walkAt, this.end));
      at = i - this.from;
      while (at >= this.counts.length) this.grow();
    }
    if (i > this.end) this.counts.fill(UNCHECKED, this.end - this.from, at);
    this.counts[at] = count;
    this.used[at] = used;
    this.end = i + 1;
  }

  /** The checks go on from element `i`: the walk has passed those kept, of no more use. */
  skipTo(i: number): void {
    this.from = this.end = i;
  }

  /** Drops the checks before element `k`, which the walk has passed. */
  private drop(k: number): void {
    const n = k - this.from;
    this.counts.copyWithin(0, n, this.end - this.from);
    this.used.copyWithin(0, n, this.end - this.from);
    this.from = k;
  }

  private grow(): void {
    const counts = new Int32Array(this.counts.length * 2);
    const used = new Int32Array(counts.length);
    counts.set(this.counts);
    used.set(this.used);
    this.counts = counts;
    this.used = used;
  }
}

const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;

/** Where the checks ahead of an array's elements are (PlainRuns.nextNotPlain). */
export class AheadCursor {
  constructor(
    readonly arr: unknown[],
    /** The next element to check. */
    public next: number,
    readonly depthLimit: number,
    /** Where the checks are kept, if they are. */
    readonly ahead: Ahead | null,
    /**
     * The walk's frame for the array, once it has one: the checks go on from where the walk is
     * if it is further on (the elements it passed are no longer unreached).
     */
    public frame: Frame | null,
  ) {
    this.start = next;
  }

  /** The first element checked: where the walk is counted from until it opens the array. */
  readonly start: number;
}

/** A value isPlain() found plain before the walk reached it (a member of an object, of a Map…). */
class Checked {
  constructor(
    readonly count: number,
    readonly used: number,
    readonly depthLimit: number,
  ) {}
}

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
  /** The checks made ahead of the walk (nextNotPlain, isPlain): their own checker, so the walk's state (big, used) stays its own. */
  private aheadChecker: PlainCheck | null = null;
  /** Arrays checked ahead before the walk opened them, for opened(). */
  private readonly aheadOf = new RecentMap<unknown[], AheadCursor>();
  /** Values isPlain() found plain, for writeValue(). */
  private readonly checkedAhead = new RecentMap<object, Checked>();
  /** The budget the check writeValue() found ahead used. */
  private usedAhead = 0;
  private readonly dialect: Dialect;

  constructor(
    private readonly w: Writer,
    dialect: Dialect,
    chunkSize: number,
    lines: boolean,
    maxDepth: number,
  ) {
    this.dialect = dialect;
    this.checker = new PlainCheck(dialect.nativeNumbers, dialect.orderKeys !== null && dialect.keyList === null, dialect.canonical, dialect.keyList);
    // JSON Lines' records container is not a level of nesting.
    this.depthBase = maxDepth + (lines ? 1 : 0);
    this.maxBudget = plainBudget(chunkSize, dialect.escapeText !== null);
    this.budget = Math.min(this.maxBudget, Math.floor(RUN_CHARS / this.charsPerUnit));
    this.lines = lines;
  }

  /** Writes `v`, the member `key` of the frame `f` at `depth`, as one native text; false if it is not plain. */
  writeValue(v: object, key: string | number, f: Frame, depth: number): boolean {
    // The top-level container of JSON Lines is the walk's: its records go one per line.
    if ((depth === 0 && this.lines) || this.skipping(depth)) return false;
    if (v === this.refused) {
      // A run just checked it: not plain, or too big alone.
      this.refused = NONE;
      return false;
    }
    const checker = this.checker;
    checker.begin(this.depthBase - depth);
    const known = this.aheadChecker === null ? UNCHECKED : this.checkedBefore(v, key, f, checker.depthLimit);
    const count = known !== UNCHECKED ? known : checker.count(v, this.budget);
    if (count < 0) {
      this.tooDeep = known === UNCHECKED ? checker.tooDeep : known === TOO_DEEP;
      return false;
    }
    this.w.member(key);
    const before = this.w.size;
    this.w.plain(v, count, checker.keys);
    this.learn(this.w.size - before, known !== UNCHECKED ? this.usedAhead : checker.used);
    return true;
  }

  /**
   * What the search found of `v`, the member `key` of `f`, before the walk reached it (an
   * element's check in f.ahead, or isPlain()'s): its count (usedAhead: its budget), NOT_PLAIN
   * or TOO_DEEP; UNCHECKED if nothing that holds under `depthLimit` and the budget now.
   */
  private checkedBefore(v: object, key: string | number, f: Frame, depthLimit: number): number {
    const ahead = f.ahead;
    if (ahead !== null && typeof key === 'number' && ahead.depthLimit === depthLimit) {
      const c = ahead.count(key);
      if (c !== UNCHECKED) {
        if (c < 0) return c;
        this.usedAhead = ahead.usedBy(key);
        return this.usedAhead <= this.budget ? c : UNCHECKED;
      }
    }
    const checked = this.checkedAhead.get(v);
    if (checked === undefined || checked.depthLimit !== depthLimit || checked.used > this.budget) return UNCHECKED;
    this.usedAhead = checked.used;
    return checked.count;
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
    // Elements checked ahead (by the search of unreached async values) are not checked again.
    const ahead = f.ahead !== null && f.ahead.depthLimit === checker.depthLimit ? f.ahead : null;
    const run: unknown[] = [];
    let count = 0;
    let used = 0;
    // Each element is checked against the whole budget and the run ends once the budget is
    // spent, so no element is checked twice (and one too big alone is not re-checked).
    for (let i = f.i; i < f.len && used < this.budget; i++) {
      const v = arr[i];
      const known = ahead === null ? UNCHECKED : ahead.count(i);
      if (known >= 0 && ahead!.usedBy(i) <= this.budget) {
        run.push(v);
        count += known;
        used += ahead!.usedBy(i);
        continue;
      }
      if (known === NOT_PLAIN || known === TOO_DEEP) {
        f.pulled = v;
        this.refused = v;
        this.tooDeep = known === TOO_DEEP;
        break;
      }
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
   * Starts the checks of the elements of `arr` from `from` on, before the walk reaches them
   * (nextNotPlain() makes them). `frame`: the walk's frame for the array at `depth`, or null
   * (and -1) for an array the walk has not opened. The checks are kept for writeArrayRun and
   * writeValue (in the frame's `ahead`, or for opened()), unless sortKeys needs the keys of
   * each run.
   */
  startAhead(arr: unknown[], from: number, depth: number, frame: Frame | null): AheadCursor {
    const checker = this.ahead();
    checker.begin(frame === null ? Infinity : this.depthBase - depth);
    const ahead = this.checker.keys === null ? new Ahead(from, checker.depthLimit) : null;
    const cursor = new AheadCursor(arr, from, checker.depthLimit, ahead, frame);
    if (frame === null) this.aheadOf.set(arr, cursor);
    return cursor;
  }

  /**
   * Checks the elements of the cursor's array on, up to the first one that is an object and
   * not plain (nor a getter, which is not read): returns it, the cursor past it (tooDeepAhead:
   * whether it is deeper than the check goes), or null at the end; undefined once the checks
   * have used `units` of budget (see `spentAhead`) or are AHEAD_LEAD elements ahead of the
   * walk in an array it has opened (`leadFull`), the cursor at the next element. The search
   * looks into the element returned before the check goes on, as the walk writes: depth-first,
   * in order, on data still in the processor's caches (checking a whole level first made the
   * `deep` dataset a third slower).
   */
  nextNotPlain(cursor: AheadCursor, units: number): object | null | undefined {
    const checker = this.ahead();
    checker.begin(cursor.depthLimit);
    const { arr, ahead, frame } = cursor;
    // The walk's budget now: an element too big for it is looked into (its frames will be searched).
    const budget = this.budget;
    const until = this.spentAhead + units;
    // Between two yields the walk can write more than a slice of the search checks: checks of
    // what it passed would be made twice (`deep` records: the walk's own checks cost as much
    // as the search's, `node --expose-gc bench/turns.js deep/compact`).
    let from = cursor.next;
    if (frame !== null && frame.i > from) {
      from = frame.i;
      ahead?.skipTo(from);
    }
    const walkAt = frame !== null ? frame.i : cursor.start;
    const lead = walkAt + AHEAD_LEAD;
    this.leadFull = false;
    for (let i = from; i < arr.length; i++) {
      // Ahead of the walk by the lead, the checks wait for the walk in an array it has opened;
      // in one it has not (it may be long before it does), they go on without being kept.
      if (this.spentAhead >= until || (i >= lead && frame !== null && (this.leadFull = true))) {
        cursor.next = i;
        return undefined;
      }
      this.spentAhead++;
      if (lookupGetter.call(arr, i) !== undefined) continue;
      const v = arr[i];
      if (typeof v !== 'object' || v === null) continue;
      const c = checker.count(v, budget);
      this.spentAhead += checker.used;
      if (ahead !== null && i < lead) ahead.keep(i, c >= 0 ? c : checker.tooDeep ? TOO_DEEP : NOT_PLAIN, checker.used, walkAt);
      if (c < 0) {
        cursor.next = i + 1;
        return v;
      }
    }
    cursor.next = arr.length;
    return null;
  }

  /** Budget the checks ahead have used so far (nextNotPlain, isPlain): the search's measure of its work. */
  spentAhead = 0;

  /** The last nextNotPlain() stopped AHEAD_LEAD elements ahead of the walk: the search waits for it. */
  leadFull = false;

  /** isPlain() failed because `v` is deeper than the check goes. */
  get tooDeepAhead(): boolean {
    return this.aheadChecker!.tooDeep;
  }

  /** `v` is plain: it holds no async value (checked for the search of unreached ones). */
  isPlain(v: object): boolean {
    const checker = this.ahead();
    checker.begin(Infinity);
    const c = checker.count(v, this.budget);
    this.spentAhead += checker.used + 1;
    if (c < 0) return false;
    // sortKeys needs the keys of what is written (checker.keys): checked again then.
    if (this.checker.keys === null) this.checkedAhead.set(v, new Checked(c, checker.used, checker.depthLimit));
    return true;
  }

  /**
   * The walk opened `frame` for `arr`, checked ahead before: what the checks kept, and from
   * now on they go on from where the walk is.
   */
  opened(arr: unknown[], frame: Frame): Ahead | null {
    const cursor = this.aheadOf.get(arr);
    if (cursor === undefined) return null;
    cursor.frame ??= frame;
    return cursor.ahead;
  }

  private ahead(): PlainCheck {
    const d = this.dialect;
    return (this.aheadChecker ??= new PlainCheck(d.nativeNumbers, d.orderKeys !== null && d.keyList === null, d.canonical, d.keyList));
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
