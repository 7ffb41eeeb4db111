// Recognises "plain" subtrees: only plain objects, arrays, strings, booleans, null, undefined,
// numbers whose text V8 writes exactly as the dialect does, and Dates with the built-in toJSON.
// For such a subtree V8's native JSON.stringify writes the very text the walker would, in one
// call instead of a walk step per token (walk/plain-runs.ts sends it to encode/native.ts). The check also counts the
// JSON values the subtree writes, for DumpStats.

import { NativeNumbers } from '../encode/dialect.js';
import { isWellFormed } from '../encode/well-formed.js';

const OBJECT_PROTO = Object.prototype;
const DATE_PROTO = Date.prototype;
const DATE_TO_JSON = Date.prototype.toJSON;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const { hasOwn, getOwnPropertyDescriptor } = Object;
// Finds an array element's getter without calling it or allocating a descriptor: a third of
// the cost of getOwnPropertyDescriptor per element (bench/micro/native.js, "array elements";
// for an object's members the descriptor, which brings the value too, is the cheaper). It looks
// along the prototype chain, but stops at an own data property.
const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;

/** Deeper subtrees are left to the walker (which then skips checks for a few levels). */
const MAX_DEPTH = 64;

export class PlainCheck {
  private budget = 0;
  /** The last check failed because the subtree is deeper than MAX_DEPTH. */
  tooDeep = false;
  private readonly numbers: NativeNumbers;
  /** With sortKeys, every key of the subtree is collected here (see encode/native.ts). */
  readonly keys: Set<string> | null;
  /** Canonical output: a string or key with a lone surrogate is not plain (the walker refuses it). */
  private readonly wellFormed: boolean;
  /** Containers nested deeper than this in the checked subtree are not plain (MAX_DEPTH, or less under maxDepth). */
  private maxDepth = MAX_DEPTH;
  /** From maxDepth: the deepest a value of the checked subtree may be (0: the value itself); Infinity without. */
  private deepest = Infinity;

  /** An allow-list replacer's keys (without repeats): native JSON.stringify reads and writes these members only. */
  private readonly allowed: string[] | null;

  constructor(numbers: NativeNumbers, collectKeys: boolean, wellFormed: boolean, allowList: readonly string[] | null) {
    this.numbers = numbers;
    this.keys = collectKeys ? new Set() : null;
    this.wellFormed = wellFormed;
    this.allowed = allowList === null ? null : [...new Set(allowList)];
  }

  /** How much of its budget the last count() used. */
  used = 0;
  /**
   * Containers the last check that ran out of budget was inside, entered with half the budget
   * or more left: too big to be checked again on the way down (each try would cost the whole
   * budget again, level after level).
   */
  readonly big = new Set<object>();
  private path: object[] = [];
  private half = 0;
  private outOfBudget = false;

  /**
   * Subtrees found plain by a check that then ran out of budget, with their value counts and
   * budget used: the walk goes down into the containers that were too big and checks their
   * members one by one, and those found here are not checked a second time. Without this,
   * trees a little over the budget were checked one and a half times over
   * (`node --expose-gc bench/turns.js deep/compact`). Only subtrees of a sixteenth of the
   * budget or more are kept.
   *
   * What was found stays true only while no user code can have run since the check: until the
   * walk passes the point where the check ran out (it has then checked again a container on
   * that path, taking the kept subtrees inside it, or taken every kept subtree) or hands out a
   * chunk (forget()).
   * Kept subtrees are in the order the walk reaches them, so taking one drops those before it,
   * the subtrees inside it among them.
   */
  private readonly kept = new Map<object, number>();
  private readonly keptObjects: object[] = [];
  private readonly keptCounts: number[] = [];
  private readonly keptUsed: number[] = [];
  private keptFrom = 0;
  /** The containers the check that ran out of budget was inside, innermost first. */
  private readonly outPath: object[] = [];
  /** The same for the check in progress. */
  private readonly checkPath: object[] = [];
  /** The subtrees of the check in progress that could be kept, with counts and budget used. */
  private readonly found: object[] = [];
  private readonly foundCounts: number[] = [];
  private readonly foundUsed: number[] = [];
  private keepFrom = 0;
  /** The check in progress is on the path of the one that ran out: it takes kept subtrees as they are. */
  private again = false;
  /** The object at the top of the last check whose keys it listed, and those keys (see takeKeys). */
  private listedOf: object | null = null;
  private listedKeys: string[] | null = null;

  /**
   * Starts the check of a subtree, or of a run of elements written together; `deepest`: how deep
   * below what is checked its values may be (0: no member; below 0: nothing), from the maxDepth
   * option. Deeper values are left to the walk, which raises the limit's error.
   */
  begin(deepest: number): void {
    this.keys?.clear();
    this.deepest = deepest;
    this.maxDepth = deepest < MAX_DEPTH ? deepest : MAX_DEPTH;
  }

  /**
   * The keys the last check listed for `o` if `o` was at its top: the walk opening `o` right
   * after the check refused it writes those. No user code runs in between (toJSON and the
   * replacer ran before the check), and they are the keys JSON.stringify would list at that point.
   */
  takeKeys(o: object): string[] | null {
    if (this.listedOf !== o) return null;
    const keys = this.listedKeys;
    this.listedOf = this.listedKeys = null;
    return keys;
  }

  /** Code outside the walk may run (a chunk is handed out): the keys listed may be out of date. */
  dropKeys(): void {
    this.listedOf = this.listedKeys = null;
  }

  /** How deep values may be in what is checked since begin(). */
  get depthLimit(): number {
    return this.deepest;
  }

  /**
   * The number of JSON values `v` writes as an array element if it is plain and weighs at most
   * `budget` (values, plus one per 16 characters of strings), else -1.
   */
  count(v: unknown, budget: number): number {
    this.listedOf = null;
    this.tooDeep = this.deepest < 0;
    if (this.tooDeep) return -1;
    if (typeof v !== 'object' || v === null) return this.primitive(v, budget);
    if (this.big.size !== 0 && this.big.has(v)) return -1;
    let again = false;
    if (this.kept.size !== 0) {
      const at = this.kept.get(v);
      if (at !== undefined && this.keptUsed[at] <= budget) return this.recall(at);
      // The walk is back on the check's path: this check takes the subtrees kept inside `v`.
      again = at === undefined && this.outPath.includes(v);
    }
    this.budget = budget;
    this.half = budget / 2;
    // Collecting keys (sortKeys), a subtree's own check is what collects them: nothing is kept.
    this.keepFrom = this.keys === null ? budget / 16 : Infinity;
    this.outOfBudget = false;
    this.again = again;
    const n = this.element(v);
    this.again = false;
    this.used = budget - this.budget;
    // (Lengths set only where something was pushed: setting one is a call into V8's runtime,
    // which cost as much as the checks of a dataset of short strings, `strings` in python.)
    if (this.outOfBudget) {
      this.big.clear();
      for (const o of this.path) this.big.add(o);
      this.keep();
      this.path.length = this.checkPath.length = 0;
    } else if (again) {
      // The walk goes past the point where the first check ran out, where user code may run.
      this.forget();
    }
    if (this.found.length !== 0) this.found.length = this.foundCounts.length = this.foundUsed.length = 0;
    return n;
  }

  /** count() of a string, number, boolean or undefined: nothing in it to keep or remember. */
  private primitive(v: unknown, budget: number): number {
    this.budget = budget;
    this.outOfBudget = false;
    const n = this.element(v);
    this.used = budget - this.budget;
    if (this.outOfBudget) {
      // As an object too big: what was found before is not kept.
      this.big.clear();
      this.forget();
    }
    return n;
  }

  /** The walk may hand out text or call user code: nothing found plain is kept. */
  forget(): void {
    if (this.kept.size === 0 && this.outPath.length === 0) return;
    this.kept.clear();
    this.keptObjects.length = this.keptCounts.length = this.keptUsed.length = this.outPath.length = 0;
    this.keptFrom = 0;
  }

  /** Keeps what the check that just ran out of budget found (outPath is its path). */
  private keep(): void {
    this.forget();
    const found = this.found;
    for (let i = 0; i < found.length; i++) {
      this.kept.set(found[i], i);
      this.keptObjects.push(found[i]);
      this.keptCounts.push(this.foundCounts[i]);
      this.keptUsed.push(this.foundUsed[i]);
    }
    for (const o of this.checkPath) this.outPath.push(o);
  }

  /** The count of kept subtree `at`, dropping it and those the walk has passed. */
  private recall(at: number): number {
    for (let i = this.keptFrom; i <= at; i++) this.kept.delete(this.keptObjects[i]);
    this.keptFrom = at + 1;
    this.used = this.keptUsed[at];
    return this.keptCounts[at];
  }

  /**
   * A subtree kept from the check that ran out, met again inside a container on its path: the
   * walk has written only what that check found plain since, so no user code has run; and a
   * check starting lower down allows at least the nesting it allowed. Without this, the checks
   * of deep trees read 1.2 times their objects; with it, 1.1 (calls counted on the `deep`
   * dataset of bench/datasets.js).
   */
  private reuse(o: object, at: number): number {
    const entry = this.budget;
    this.budget -= this.keptUsed[at];
    return this.plain(o, this.keptCounts[at], entry);
  }

  /** A container found plain, holding `n` values: kept if big enough, in case the check runs out of budget. */
  private plain(o: object, n: number, entry: number): number {
    const used = entry - this.budget;
    if (used >= this.keepFrom) {
      this.found.push(o);
      this.foundCounts.push(n);
      this.foundUsed.push(used);
    }
    return n;
  }

  private element(v: unknown): number {
    if (--this.budget < 0) return this.exhausted();
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'boolean':
      case 'undefined':
        return 1;
      case 'number':
        return this.number(v) ? 1 : -1;
      case 'object':
        return v === null ? 1 : this.child(v, 0);
      default:
        return -1;
    }
  }

  private child(v: object, depth: number): number {
    if (depth > this.maxDepth) {
      this.tooDeep = true;
      return -1;
    }
    if (this.again) {
      const at = this.kept.get(v);
      if (at !== undefined && this.keptUsed[at] <= this.budget) return this.reuse(v, at);
    }
    if (Array.isArray(v)) return this.array(v, depth);
    const proto = Object.getPrototypeOf(v);
    if (proto === OBJECT_PROTO || proto === null) return this.object(v, depth);
    if (proto === DATE_PROTO && !hasOwn(v, 'toJSON') && DATE_PROTO.toJSON === DATE_TO_JSON) return 1;
    return -1;
  }

  private number(n: number): boolean {
    switch (this.numbers) {
      case NativeNumbers.Any:
        return true;
      case NativeNumbers.Finite:
        return n - n === 0;
      default:
        return n % 1 === 0 ? n <= MAX_SAFE && n >= -MAX_SAFE : n - n === 0 && (n >= 1e-4 || n <= -1e-4);
    }
  }

  /** The values `v` writes as a member (undefined in an object writes nothing), or -1 if not plain. */
  private member(v: unknown, inArray: boolean, depth: number): number {
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'boolean':
        return 1;
      case 'number':
        return this.number(v) ? 1 : -1;
      case 'undefined':
        return inArray ? 1 : 0;
      case 'object':
        return v === null ? 1 : this.child(v, depth + 1);
      default:
        return -1; // functions (a toJSON member or `default`), symbols, bigints
    }
  }

  private string(s: string): number {
    if (this.wellFormed && !isWellFormed(s)) return -1;
    // Long strings weigh more: the budget bounds the text, not just the value count.
    return (this.budget -= s.length >> 4) < 0 ? this.exhausted() : 1;
  }

  /** A container at the deepest a value may be holds members: left to the walk, which raises the limit's error. */
  private tooDeepAt(o: object, entry: number): -1 {
    this.tooDeep = true;
    return this.refuse(o, entry);
  }

  private exhausted(): -1 {
    this.outOfBudget = true;
    return -1;
  }

  /** Not plain, or over budget: on the way out, remembers a container that was too big. */
  private refuse(o: object, entry: number): -1 {
    if (this.outOfBudget) {
      if (entry >= this.half) this.path.push(o);
      this.checkPath.push(o);
    }
    return -1;
  }

  private array(a: unknown[], depth: number): number {
    const entry = this.budget;
    if ((this.budget -= a.length + 1) < 0) {
      this.exhausted();
      return this.refuse(a, entry);
    }
    // Native JSON.stringify calls an array's toJSON: the walk applies it by its own rules.
    if ('toJSON' in a) return this.refuse(a, entry);
    // At the deepest a value may be: its elements would be deeper.
    if (depth === this.deepest && a.length !== 0) return this.tooDeepAt(a, entry);
    let n = 1;
    for (let i = 0; i < a.length; i++) {
      // An accessor is left to the walk, which reads it once; native JSON.stringify would read it again.
      if (lookupGetter.call(a, i) !== undefined) return this.refuse(a, entry);
      // Holes read as undefined and are written as null, as JSON.stringify does.
      const c = this.member(a[i], true, depth);
      if (c < 0) return this.refuse(a, entry);
      n += c;
    }
    return this.plain(a, n, entry);
  }

  private object(o: object, depth: number): number {
    const entry = this.budget;
    // Symbol keys are not among the keys: an object literal can still be an iterable. A toJSON
    // Object.keys does not show (non-enumerable, or inherited) is still called by native
    // JSON.stringify. (`in` finds a property without calling a getter.)
    if (Symbol.iterator in o || Symbol.asyncIterator in o || 'toJSON' in o) return this.refuse(o, entry);
    // With an allow-list, JSON.stringify reads each listed key with [[Get]]: a member it leaves
    // out is neither written nor counted (DumpStats.values), a non-enumerable one is written.
    let keys = this.allowed;
    if (keys === null) {
      keys = Object.keys(o);
      if (depth === 0) {
        this.listedOf = o;
        this.listedKeys = keys;
      }
    }
    if ((this.budget -= keys.length + 1) < 0) {
      this.exhausted();
      return this.refuse(o, entry);
    }
    // At the deepest a value may be: its members would be deeper (unless all are dropped: the walk sees).
    if (depth === this.deepest && keys.length !== 0) return this.tooDeepAt(o, entry);
    let n = 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (this.allowed !== null && !hasOwn(o, k)) {
        // Absent, or inherited: "__proto__" reads the prototype, which the walk writes.
        if (k in o) return this.refuse(o, entry);
        continue;
      }
      if (this.keys !== null) {
        // JSON.stringify reads allow-listed keys with [[Get]]: "__proto__" would find the prototype.
        if (k === '__proto__') return this.refuse(o, entry);
        this.keys.add(k);
      }
      if (this.wellFormed && !isWellFormed(k)) return this.refuse(o, entry);
      // An accessor is left to the walk, which reads it once (native JSON.stringify would read
      // it a second time). A setter-only accessor reads undefined, as JSON.stringify's read
      // would. The descriptor gives the value too: one call instead of __lookupGetter__ and a
      // read, a tenth less time checking objects (bench/micro/native.js).
      const d = getOwnPropertyDescriptor(o, k);
      if (d === undefined || d.get !== undefined) return this.refuse(o, entry);
      const c = this.member(d.value, false, depth);
      if (c < 0) return this.refuse(o, entry);
      n += c;
    }
    return this.plain(o, n, entry);
  }
}
