// Recognises "plain" subtrees: only plain objects, arrays, strings, booleans, null, undefined,
// numbers whose text V8 writes exactly as the dialect does, and Dates with the built-in toJSON.
// For such a subtree V8's native JSON.stringify writes the very text the walker would, several
// times faster (walk/plain-runs.ts sends it to encode/native.ts). The check also counts the
// JSON values the subtree writes, for DumpStats.

import { NativeNumbers } from '../encode/dialect.js';
import { isWellFormed } from '../encode/well-formed.js';

const OBJECT_PROTO = Object.prototype;
const DATE_PROTO = Date.prototype;
const DATE_TO_JSON = Date.prototype.toJSON;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

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

  constructor(numbers: NativeNumbers, collectKeys: boolean, wellFormed: boolean) {
    this.numbers = numbers;
    this.keys = collectKeys ? new Set() : null;
    this.wellFormed = wellFormed;
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
   * Starts the check of a subtree, or of a run of elements written together; `maxDepth`: how
   * deep containers may nest in it (0: one level), from the maxDepth option.
   */
  begin(maxDepth: number): void {
    this.keys?.clear();
    this.maxDepth = maxDepth < MAX_DEPTH ? maxDepth : MAX_DEPTH;
  }

  /**
   * The number of JSON values `v` writes as an array element if it is plain and weighs at most
   * `budget` (values, plus one per 16 characters of strings), else -1.
   */
  count(v: unknown, budget: number): number {
    this.tooDeep = false;
    if (this.big.size !== 0 && this.big.has(v as object)) return -1;
    this.budget = budget;
    this.half = budget / 2;
    this.outOfBudget = false;
    this.path.length = 0;
    const n = this.element(v);
    this.used = budget - this.budget;
    if (this.outOfBudget) {
      this.big.clear();
      for (const o of this.path) this.big.add(o);
    }
    return n;
  }

  private element(v: unknown): number {
    if (--this.budget < 0) return this.exhausted();
    switch (typeof v) {
      case 'string':
        if (this.wellFormed && !isWellFormed(v)) return -1;
        return (this.budget -= v.length >> 4) < 0 ? this.exhausted() : 1;
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
    if (Array.isArray(v)) return this.array(v, depth);
    const proto = Object.getPrototypeOf(v);
    if (proto === OBJECT_PROTO || proto === null) return this.object(v, depth);
    if (proto === DATE_PROTO && (v as Date).toJSON === DATE_TO_JSON) return 1;
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

  // Hot loop: one switch per value, no closures; Object.values beat for-in and Object.keys
  // here (bench/micro/native.js).
  private values(vals: unknown[], inArray: boolean, depth: number): number {
    let n = 0;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      switch (typeof v) {
        case 'string':
          if (this.wellFormed && !isWellFormed(v)) return -1;
          // Long strings weigh more: the budget bounds the text, not just the value count.
          this.budget -= v.length >> 4;
          n++;
          break;
        case 'boolean':
          n++;
          break;
        case 'number':
          if (!this.number(v)) return -1;
          n++;
          break;
        case 'undefined':
          if (inArray) n++;
          break;
        case 'object': {
          if (v === null) {
            n++;
            break;
          }
          const c = this.child(v, depth + 1);
          if (c < 0) return -1;
          n += c;
          break;
        }
        default:
          return -1; // functions (a toJSON member or `default`), symbols, bigints
      }
    }
    return n;
  }

  private exhausted(): -1 {
    this.outOfBudget = true;
    return -1;
  }

  /** On the way out of a failed check: remembers a container that was too big. */
  private unwind(o: object, entry: number): -1 {
    if (this.outOfBudget && entry >= this.half) this.path.push(o);
    return -1;
  }

  private array(a: unknown[], depth: number): number {
    const entry = this.budget;
    // Holes read as undefined and are written as null, as JSON.stringify does.
    const n = (this.budget -= a.length + 1) < 0 ? this.exhausted() : this.values(a, true, depth);
    return n < 0 ? this.unwind(a, entry) : n + 1;
  }

  private object(o: object, depth: number): number {
    // Symbol keys are not among the values: an object literal can still be an iterable.
    if ((o as Iterable<unknown>)[Symbol.iterator] !== undefined || (o as AsyncIterable<unknown>)[Symbol.asyncIterator] !== undefined) {
      return -1;
    }
    const entry = this.budget;
    const vals = Object.values(o);
    if ((this.budget -= vals.length + 1) < 0) {
      this.exhausted();
      return this.unwind(o, entry);
    }
    if (this.keys !== null) {
      for (const k of Object.keys(o)) {
        // JSON.stringify reads allow-listed keys with [[Get]]: "__proto__" would find the prototype.
        if (k === '__proto__') return -1;
        if (this.wellFormed && !isWellFormed(k)) return -1;
        this.keys.add(k);
      }
    } else if (this.wellFormed) {
      for (const k of Object.keys(o)) if (!isWellFormed(k)) return -1;
    }
    const n = this.values(vals, false, depth);
    return n < 0 ? this.unwind(o, entry) : n + 1;
  }
}
