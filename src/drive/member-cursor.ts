// A cursor over the members of an open frame that the walk has not reached yet, for the watch
// of a running dump (drive/watch.ts) and the sweep of a failed one (drive/sweep.ts). It reads
// them without running code of the caller's: a getter is not read (the walk reads it once, at
// its turn), a Map's or a Set's values come from the built-in iterators, a Proxy container is
// not looked into, and an iterable that is neither (a generator) has no members before the
// walk pulls them. It follows the walk: members the walk has passed since are skipped.

import { types } from 'node:util';
import type { MapMember } from '../encode/member-order.js';
import { type Frame, Kind, NONE } from '../walk/frame.js';

const lookupGetter = (Object.prototype as { __lookupGetter__(key: PropertyKey): unknown }).__lookupGetter__;
const mapValues = Map.prototype.values;
const setValues = Set.prototype.values;

/**
 * Takes an object member found (only objects can be async values or hold them); returns what
 * handling it cost beyond reading it, in members' worth (see MemberCursor.read).
 */
export type Visit = (v: object) => number;

/** A Map's or Set's values after the first `skip`, from the built-in iterator. */
function valuesAfter(c: Map<unknown, unknown> | Set<unknown>, skip: number): Iterator<unknown> {
  const it = (types.isMap(c) ? mapValues.call(c as Map<unknown, unknown>) : setValues.call(c as Set<unknown>)) as Iterator<unknown>;
  for (let i = 0; i < skip && !it.next().done; i++);
  return it;
}

/**
 * Nothing of `f` is left to read: an array, object or ordered Map the walk has gone through to
 * its last member (every level of a deep chain, at the yield after it was opened), or a frame
 * with no members to read.
 */
export function nothingLeft(f: Frame): boolean {
  if (f.pulled !== NONE) return false;
  switch (f.kind) {
    case Kind.Array:
    case Kind.Object:
      return f.i >= f.len;
    case Kind.Map:
      return f.members !== null && f.i >= f.len;
    case Kind.Root:
      return f.i > 0;
    case Kind.Iter:
      return false;
    default:
      return true;
  }
}

export class MemberCursor {
  /** Nothing is left to read. */
  done = false;
  /** The next index to read (an array's elements, an object's keys, a sorted Map's members). */
  private at: number;
  /** A Map's or Set's values, read from their built-in iterator. */
  private values: Iterator<unknown> | null = null;
  /** An element the walk took from its source but has not written yet (Frame.pulled). */
  private pulled: unknown;

  constructor(
    readonly frame: Frame,
    /** The frame's place in the walk's stack: while it is still there, the container is open. */
    readonly depth: number,
  ) {
    this.at = frame.i;
    this.pulled = frame.pulled;
    const h = frame.holder;
    if (types.isProxy(h)) this.done = true;
    else if (frame.kind === Kind.Map && frame.members === null) this.values = valuesAfter(h as Map<unknown, unknown>, frame.i);
    else if (frame.kind === Kind.Iter && types.isSet(h)) this.values = valuesAfter(h as Set<unknown>, frame.i + (frame.pulled === NONE ? 0 : 1));
    else if (frame.kind !== Kind.Array && frame.kind !== Kind.Object && frame.kind !== Kind.Map && frame.kind !== Kind.Root) this.done = true;
  }

  /**
   * Reads members until `budget` is spent, giving those that are objects to `visit`: a member
   * costs one unit and what `visit` returns. Returns the units spent.
   */
  read(budget: number, visit: Visit): number {
    let spent = 0;
    const p = this.pulled;
    this.pulled = NONE;
    if (typeof p === 'object' && p !== null) spent += visit(p);
    if (this.done) return spent;
    if (this.values !== null) return spent + this.readValues(budget - spent, visit);
    const f = this.frame;
    if (f.kind === Kind.Root) {
      // The root's pseudo-frame: its one member, the value, until the walk starts writing it.
      const v = (f.holder as { '': unknown })[''];
      this.done = true;
      return f.i === 0 && typeof v === 'object' && v !== null ? spent + 1 + visit(v) : spent;
    }
    // The walk may have gone past the cursor since: what it has reached needs no reading.
    const from = Math.max(this.at, f.i);
    // One loop per kind, each over one kind of key and holder.
    if (f.kind === Kind.Array) spent += this.readElements(f.holder as unknown[], from, f.len, budget - spent, visit);
    else if (f.kind === Kind.Object) spent += this.readKeys(f.holder, f.keys!, from, f.len, budget - spent, visit);
    else spent += this.readMembers(f.members!, from, f.len, budget - spent, visit);
    this.done = this.at >= f.len;
    return spent;
  }

  private readElements(arr: unknown[], from: number, end: number, budget: number, visit: Visit): number {
    let spent = 0;
    let i = from;
    for (; i < end && spent < budget; i++) {
      spent++;
      if (lookupGetter.call(arr, i) !== undefined) continue;
      const v = arr[i];
      if (typeof v === 'object' && v !== null) spent += visit(v);
    }
    this.at = i;
    return spent;
  }

  private readKeys(o: object, keys: readonly string[], from: number, end: number, budget: number, visit: Visit): number {
    let spent = 0;
    let i = from;
    for (; i < end && spent < budget; i++) {
      spent++;
      const k = keys[i];
      if (lookupGetter.call(o, k) !== undefined) continue;
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) spent += visit(v);
    }
    this.at = i;
    return spent;
  }

  private readMembers(members: readonly MapMember[], from: number, end: number, budget: number, visit: Visit): number {
    let spent = 0;
    let i = from;
    for (; i < end && spent < budget; i++) {
      spent++;
      const v = members[i].value;
      if (typeof v === 'object' && v !== null) spent += visit(v);
    }
    this.at = i;
    return spent;
  }

  private readValues(budget: number, visit: Visit): number {
    const it = this.values!;
    let spent = 0;
    while (spent < budget) {
      const r = it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      spent++;
      const v = r.value;
      if (typeof v === 'object' && v !== null) spent += visit(v);
    }
    return spent;
  }
}
