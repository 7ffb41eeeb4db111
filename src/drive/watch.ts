// The local rule for async values of an async dump: the own members of every container the
// walk has opened, and the value itself, are watched — a native promise gets a handler
// (through Promise.prototype.then), a Node Readable an 'error' listener — so that one failing
// before the walk reaches it fails the dump with its own error instead of reaching the process
// as an unhandled rejection or an 'error' nobody listens to. Nothing deeper is looked into: a
// promise in a container the walk has not opened is the caller's, as any promise in Node is.
// (A Web stream or a Blob cannot fail before a reader takes it, nor an async iterator before
// it is pulled: the sweep of a failed dump, drive/sweep.ts, handles those with the rest.)
//
// Code outside the walk runs only when the dump yields (to wait on an async value or the
// destination, for a turn of the event loop, or when a consumer takes a chunk), so the members
// of the frames opened since the last yield are watched just before it: to anything outside
// the walk they are watched from the moment their container opened, and the containers the
// walk opens and closes between two yields, nearly all of them, cost nothing. A container's
// members are read a slice at a time (SLICE): the first slice before the yield, the rest a
// slice per turn of the event loop, so that opening a large container never holds the loop.

import type { Readable } from 'node:stream';
import type { Frame } from '../walk/frame.js';
import { ignore, promiseThen, watched, Watched } from './async-kinds.js';
import { MemberCursor, nothingLeft } from './member-cursor.js';

/**
 * The work of one slice, in members read. 16,384 database-like rows or short strings took 2 to
 * 2.5 ms, as many pending promises 36 ms (then() makes a promise each, and the young
 * generation's collections copy them): `node --expose-gc bench/watch.js`, medians of 15 on a
 * busy two-core machine. So a promise or a stream counts as ATTACH members more: a slice
 * stays near 2 ms whatever the container holds.
 */
const SLICE = 1 << 14;
const ATTACH = 16;

export class Watch {
  /** The frames whose members are watched, by depth (a frame popped and another pushed in its place is new). */
  private readonly watched: Frame[] = [];
  /** Containers with members left to read, innermost last: read a slice per turn. */
  private readonly cursors: MemberCursor[] = [];
  private readonly streams = new Set<Readable>();
  private turn: NodeJS.Immediate | null = null;
  private readonly onFailure: (err: unknown) => void;
  private readonly visit = (v: object): number => {
    switch (watched(v)) {
      case Watched.Promise:
        promiseThen.call(v, undefined, this.onFailure);
        return ATTACH;
      case Watched.Readable:
        if (this.streams.has(v as Readable)) return 0;
        (v as Readable).on('error', this.onFailure);
        this.streams.add(v as Readable);
        return ATTACH;
      default:
        return 0;
    }
  };
  private readonly onTurn = (): void => {
    this.turn = null;
    this.readSlice();
  };

  constructor(
    /** The walk's stack of frames (Walker.stack), read as it is at each yield. */
    private readonly stack: readonly Frame[],
    /** Told the first failure of a watched value; null: failures are only handled (the walk meets them when it reaches the value). */
    onFailure: ((err: unknown) => void) | null,
  ) {
    this.onFailure = onFailure ?? ignore;
  }

  /** The dump is about to yield: the members of the frames opened since the last yield are watched from now on. */
  update(): void {
    const { stack, watched } = this;
    const top = stack.length - 1;
    // A frame still in its place has every frame below it in place too.
    let d = Math.min(top, watched.length - 1);
    while (d >= 0 && watched[d] !== stack[d]) d--;
    // The element the top frame took from its source and will write next came after its frame was watched.
    if (d === top && top >= 0) {
      const p = stack[top].pulled;
      if (typeof p === 'object' && p !== null) this.visit(p);
    }
    watched.length = d + 1;
    for (d++; d <= top; d++) {
      watched.push(stack[d]);
      if (nothingLeft(stack[d])) continue;
      const cursor = new MemberCursor(stack[d], d);
      cursor.read(SLICE, this.visit);
      if (!cursor.done) this.cursors.push(cursor);
    }
    if (this.cursors.length > 0 && this.turn === null) this.turn = setImmediate(this.onTurn);
  }

  /** The dump is over (written, failed or stopped): listeners are removed, no slice is read any more. */
  stop(): void {
    if (this.turn !== null) clearImmediate(this.turn);
    this.turn = null;
    this.cursors.length = this.watched.length = 0;
    for (const s of this.streams) s.off('error', this.onFailure);
    this.streams.clear();
  }

  /** Reads a slice of the members of the open containers that have members left, innermost first. */
  private readSlice(): void {
    const { cursors, stack } = this;
    let left = SLICE;
    while (left > 0 && cursors.length > 0) {
      const c = cursors[cursors.length - 1];
      // A container the walk has closed: it reached every member.
      if (stack[c.depth] === c.frame) left -= c.read(left, this.visit);
      if (c.done || stack[c.depth] !== c.frame) cursors.pop();
    }
    if (cursors.length > 0) this.turn = setImmediate(this.onTurn);
  }
}
