// The walk's stack frames: one per open container, holding where the walk is in it and the
// text that goes between and around its members.

import type { StringDecoder } from 'node:string_decoder';
import type { MapMember } from '../encode/keys.js';

export const enum Kind {
  Root,
  Array,
  Object,
  Map,
  Iter,
  AsyncIter,
  Text,
}

/** Marks "no element held" (undefined is an element). */
export const NONE = Symbol('none');

export class Frame {
  /** Key of the child being written, for error paths and toJSON/replacer. */
  key: string | number = '';
  i = 0;
  /** Members written so far (dropped ones don't count). */
  n = 0;
  len = 0;
  keys: string[] | null = null;
  members: MapMember[] | null = null;
  iter: Iterator<unknown> | AsyncIterator<unknown> | null = null;
  decoder: StringDecoder | null = null;
  /** Plain elements of an async iterator waiting to be written in one native call. */
  run: unknown[] | null = null;
  runCount = 0;
  runUsed = 0;
  /** Levels below this frame where no plain check is tried (see SKIP_LEVELS). */
  skip = 0;
  /** An element pulled from an iterator but not written yet. */
  held: unknown = NONE;
  /** A high surrogate held back from the end of a text chunk, to meet its pair. */
  high = '';

  constructor(
    readonly kind: Kind,
    /** The container (for cycle checks and as the replacer's `this`). */
    readonly holder: object,
    /** Written before the first member and before each later one. */
    readonly first: string,
    readonly next: string,
    /** Written at the end: the closing bracket, after a line break if anything was written. */
    readonly closeFull: string,
    readonly closeEmpty: string,
    readonly top: boolean,
    /** Indentation of the members, and of the closing bracket ('' when compact). */
    readonly inner: string = '',
    readonly outer: string = '',
  ) {}
}

/** The pseudo-frame holding the value itself, as JSON.stringify's `{"": value}` holder. */
export function rootFrame(value: unknown): Frame {
  return new Frame(Kind.Root, { '': value }, '', '', '', '', false);
}

/** A container's frame, laid out compact (`indent` null) or indented one level below `parent`. */
export function containerFrame(kind: Kind, holder: object, parent: Frame, indent: string | null, itemSep: string, close: string): Frame {
  const top = parent.kind === Kind.Root;
  if (indent === null) return new Frame(kind, holder, '', itemSep, close, close, top);
  const outer = parent.inner;
  const brk = '\n' + outer + indent;
  return new Frame(kind, holder, brk, itemSep + brk, '\n' + outer + close, close, top, outer + indent, outer);
}

/** JSON Lines: the records one per line, each followed by a newline, no brackets. */
export function linesFrame(kind: Kind, holder: object): Frame {
  return new Frame(kind, holder, '', '\n', '\n', '', true);
}

/** A byte or text stream written as one JSON string: its opening quote is already out. */
export function textFrame(holder: object): Frame {
  return new Frame(Kind.Text, holder, '', '', '"', '"', false);
}
