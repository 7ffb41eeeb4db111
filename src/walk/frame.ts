// The walk's stack frames: one per open container, holding where the walk is in it.
//
// Every frame has the same fields, whatever its kind, so that V8 sees one object shape and the
// walk's hot loop stays monomorphic (a class per kind would make every `f.i` a polymorphic
// access). Which kind uses which field:
//
//   kind       holder                  i / len               keys / members / iter       decoder   pulled
//   Root       { '': value }           0, then 1 when done   –                           –         –
//   Array      the array               index / length        –                           –         an element
//   Object     the object              index / keys.length   keys: the keys to write     –         –
//   Map        the Map                 members taken / –     members: coerced, ordered   –         –
//                                      (index / length)      or iter: its entries, taken one at a time
//   Iter       the iterable            elements written      iter: its iterator          –         an element
//   AsyncIter  the async iterable      elements written      iter: its async iterator    –         –
//   Text       the byte/text stream    –                     iter: its async iterator    bytes     –
//   WebStream  a Web ReadableStream    –                     iter: its reader (WebChunks) –        –
//   Slices     (none: a frozen {})     offset / text.length  text: a long string         –         –
//
// A Map is read from its own iterator as the walk goes (`iter`), unless its members must all be
// known first to be ordered (sortKeys, an allow-list): then `members` holds them, coerced and
// ordered, and i / len index them. `key` is the member being written (error paths, toJSON and
// the replacer). The layout of the text around the members is the writer's (encode/writer.ts).

import type { MapMember } from '../encode/member-order.js';
import type { ByteDecoder } from './utf8.js';

export const enum Kind {
  Root,
  Array,
  Object,
  Map,
  Iter,
  AsyncIter,
  /** A byte or text stream written as one JSON string. */
  Text,
  /**
   * A Web ReadableStream before its first chunk, which tells whether it is written as a string
   * (bytes or strings) or an array (anything else): then replaced by a Text or AsyncIter frame.
   */
  WebStream,
  /** A long string written a slice at a time. */
  Slices,
}

/** Marks "no element pulled" (undefined is an element). */
export const NONE = Symbol('none');

export class Frame {
  /** Key of the member being written, for error paths and toJSON/replacer. */
  key: string | number = '';
  i = 0;
  len = 0;
  keys: string[] | null = null;
  members: MapMember[] | null = null;
  iter: Iterator<unknown> | AsyncIterator<unknown> | null = null;
  decoder: ByteDecoder | null = null;
  text = '';
  /** An element read (pulled from the iterator) but not written yet: the plain runs looked at it first. */
  pulled: unknown = NONE;

  constructor(
    readonly kind: Kind,
    /** The container (for cycle checks and as the replacer's `this`). */
    readonly holder: object,
  ) {}
}
