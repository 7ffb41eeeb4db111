// The encoder: the one place where JSON text is made. The walk (walk/walker.ts) and the token
// re-encoder (encode/tokens.ts) say what comes next — a member, a scalar, a container opening
// or closing, a streamed string, a run of plain members — and the writer writes it: brackets,
// separators, line breaks and indentation by depth, every scalar's text through the dialect
// (encode/dialect.ts), native text for plain subtrees. It buffers the text until a driver
// takes it, and counts the values and the top-level records written.

import { constants } from 'node:buffer';
import { JSONDumpError } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { NativeFormat } from './native.js';
import { joinPieces } from './pieces.js';
import { isWellFormed } from './well-formed.js';

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** Texts at least this long are kept as pieces of their own (see takePieces). */
const PIECE_MIN = 1024;

/** The separators and indentation the options asked for. */
export interface Layout {
  /** null: compact; otherwise the text of one indentation level ('' = line breaks only). */
  readonly indent: string | null;
  readonly itemSep: string;
  readonly keySep: string;
}

/** The text around the members of a container at one depth (one per depth, made once). */
class DepthLayout {
  constructor(
    /** Written before the first member, and before each later one. */
    readonly first: string,
    readonly next: string,
    /** Written at the close of a container that has members: line break, indentation, bracket. */
    readonly endArray: string,
    readonly endObject: string,
    /** Indentation of the members, and of the container's own brackets ('' when compact). */
    readonly inner: string,
    readonly outer: string,
  ) {}
}

/** An open container, or the top level (depth 0). Reused: one per depth. */
class Level {
  /** Members written so far (dropped ones don't count). */
  n = 0;
  first = '';
  next = '';
  /** Written at the close when members were written, and when none were. */
  closeFull = '';
  closeEmpty = '';
  inner = '';
  outer = '';
  /** An object: each member starts with its key. */
  keyed = false;
  /** Its members are the records counted in `items`: the top-level array, or JSON Lines. */
  records = false;
}

/** The error for text longer than a driver can take as one string (`path`: where it outgrew it). */
export function tooLong(limit: number, path = '$'): JSONDumpError {
  return new JSONDumpError('ERR_LIMIT', `the JSON text is longer than one string can be (${limit} characters): write it with dump() or stringifyChunks()`, path);
}

export class Writer {
  /** JSON values written, at every depth. */
  values = 0;
  /** Records written: elements of the top-level array, or lines of JSON Lines. */
  items = 0;

  /** Text ready to be taken: `pieces` (large flat texts, kept apart so that nothing copies them into a rope) then `out` (small tokens). */
  private out = '';
  private pieces: string[] = [];
  /** Characters in `pieces`. */
  private piecesLength = 0;
  private readonly pieceMin: number;
  /** Characters the buffer may hold: a driver that takes all the text at the end needs one string. */
  private readonly limit: number;

  private readonly quote: (s: string) => string;
  private readonly itemSep: string;
  private readonly keySep: string;
  private readonly indent: string | null;
  private readonly layouts: DepthLayout[] = [];
  private readonly levels: Level[] = [];
  private level: Level;
  private depth = 0;
  /** A high surrogate held back from the end of a streamed string's part, to meet its pair. */
  private highSurrogate = '';

  /**
   * `records`: the top level is JSON Lines (a token stream's top-level values, one per line).
   * `pieceMin`: Infinity keeps all text in one string (for consumers that want strings).
   * `limit`: characters the buffer may hold (ERR_LIMIT beyond), for a driver that takes the
   * whole text at the end as one string.
   */
  constructor(
    private readonly dialect: Dialect,
    layout: Layout,
    private readonly native: NativeFormat | null,
    options: { records?: boolean; pieceMin?: number; limit?: number } = {},
  ) {
    this.quote = dialect.quote;
    this.itemSep = layout.itemSep;
    this.keySep = layout.keySep;
    this.indent = layout.indent;
    this.pieceMin = options.pieceMin ?? PIECE_MIN;
    this.limit = options.limit ?? Infinity;
    const top = new Level();
    // Several top-level values (a token stream's) go one per line; JSON Lines ends each line.
    top.next = '\n';
    if (options.records === true) {
      top.records = true;
      top.closeFull = '\n';
    }
    this.levels.push(top);
    this.level = top;
    this.layouts.push(new DepthLayout('', '\n', '', '', '', ''));
  }

  // ---- the buffer ------------------------------------------------------------------------

  /** Characters written and not taken yet. */
  get size(): number {
    return this.piecesLength + this.out.length;
  }

  /** Raises ERR_LIMIT (at `path`) unless the buffer can take the string `s` within `limit`. */
  checkRoom(s: string, path: string): void {
    if (this.limit !== Infinity && this.dialect.quotedLength(s) > this.limit - this.size) throw tooLong(this.limit, path);
  }

  /** The text written and not taken yet, as one string (it stays in the buffer). */
  get text(): string {
    if (this.pieces.length > 0) {
      this.pieces.push(this.out);
      this.out = this.pieces.join('');
      this.pieces = [];
      this.piecesLength = 0;
    }
    return this.out;
  }

  /**
   * Takes the text written so far, about `chunkSize` characters, as a list of flat strings: a
   * file sink encodes each straight into its buffer. A chunk never ends inside a surrogate
   * pair: byte outputs encode each chunk on its own, and would write each half as U+FFFD.
   * Unless `last`, a high surrogate at the end stays behind to meet the text written next
   * (an indent, a separator or rawJSON text can put one right before a pair).
   */
  takePieces(chunkSize: number, last = false): string[] {
    if (this.size <= chunkSize * 2) {
      const pieces = this.pieces;
      if (this.out !== '') pieces.push(this.out);
      this.pieces = [];
      this.piecesLength = 0;
      this.out = '';
      if (!last && pieces.length > 0) this.holdBackHigh(pieces);
      return pieces;
    }
    // A value far larger than a chunk (a long string): cut it, not between a pair's halves.
    const all = this.pieces.join('') + this.out;
    this.pieces = [];
    this.piecesLength = 0;
    let cut = chunkSize;
    if (isHigh(all.charCodeAt(cut - 1)) && isLow(all.charCodeAt(cut))) cut = cut === 1 ? 2 : cut - 1;
    this.out = all.slice(cut);
    return [all.slice(0, cut)];
  }

  /** Moves a high surrogate ending the last of `pieces` back into the buffer. */
  private holdBackHigh(pieces: string[]): void {
    const end = pieces[pieces.length - 1];
    if (!isHigh(end.charCodeAt(end.length - 1))) return;
    this.out = end[end.length - 1];
    if (end.length > 1) pieces[pieces.length - 1] = end.slice(0, -1);
    else pieces.pop();
  }

  /** Takes all the text written so far (`last`: also a high surrogate at its end). */
  take(last = true): string {
    return joinPieces(this.takePieces(Infinity, last));
  }

  /** Appends a large text as a piece of its own: concatenated, it would be copied again later. */
  private append(text: string): void {
    if (text.length < this.pieceMin) {
      this.out += text;
      return;
    }
    if (this.out !== '') {
      this.pieces.push(this.out);
      this.piecesLength += this.out.length;
      this.out = '';
    }
    this.pieces.push(text);
    this.piecesLength += text.length;
    if (this.piecesLength > this.limit) throw tooLong(this.limit);
  }

  // ---- structure -------------------------------------------------------------------------

  /** Starts a member of the open container: separator, line break and indentation, and in an object the key. */
  member(key: string | number): void {
    if (this.level.keyed) this.key(key as string);
    else this.item();
  }

  /** Starts a member of the open object: separator, indentation, key. */
  key(key: string): void {
    const l = this.level;
    this.out += (l.n++ === 0 ? l.first : l.next) + this.quote(key) + this.keySep;
  }

  /** Starts an element of the open array (or a top-level value). */
  item(): void {
    const l = this.level;
    this.out += l.n++ === 0 ? l.first : l.next;
    if (l.records) this.items++;
  }

  openArray(): void {
    this.out += '[';
    this.values++;
    const records = this.depth === 0 && !this.level.records;
    const lay = this.push(false, records);
    this.level.closeFull = lay.endArray;
    this.level.closeEmpty = ']';
  }

  openObject(): void {
    this.out += '{';
    this.values++;
    const lay = this.push(true, false);
    this.level.closeFull = lay.endObject;
    this.level.closeEmpty = '}';
  }

  /** The records of JSON Lines: no brackets, each record on its own line. */
  openRecords(): void {
    this.push(false, true);
    const l = this.level;
    l.first = '';
    l.next = '\n';
    l.closeFull = '\n';
    l.closeEmpty = '';
  }

  /** Closes the innermost open container. */
  close(): void {
    const l = this.level;
    this.out += l.n > 0 ? l.closeFull : l.closeEmpty;
    this.level = this.levels[--this.depth];
  }

  /** After the last top-level value: ends the last line of JSON Lines. */
  end(): void {
    const l = this.levels[0];
    if (l.n > 0) this.out += l.closeFull;
  }

  private push(keyed: boolean, records: boolean): DepthLayout {
    const d = ++this.depth;
    const lay = this.layoutAt(d);
    const l = (this.levels[d] ??= new Level());
    l.n = 0;
    l.first = lay.first;
    l.next = lay.next;
    l.inner = lay.inner;
    l.outer = lay.outer;
    l.keyed = keyed;
    l.records = records;
    this.level = l;
    return lay;
  }

  private layoutAt(d: number): DepthLayout {
    const known = this.layouts[d];
    if (known !== undefined) return known;
    let lay: DepthLayout;
    if (this.indent === null) {
      lay = d > 1 ? this.layouts[1] : new DepthLayout('', this.itemSep, ']', '}', '', '');
    } else {
      // Each level's indentation extends its parent's: a cons string, so a deep chain of
      // levels costs memory per level, not per level squared.
      const outer = this.layoutAt(d - 1).inner;
      if (outer.length + this.indent.length > MAX_STRING_LENGTH) {
        throw new JSONDumpError('ERR_LIMIT', `the indentation at depth ${d} is longer than one string can be (${MAX_STRING_LENGTH} characters)`);
      }
      const inner = outer + this.indent;
      const end = '\n' + outer;
      lay = new DepthLayout('\n' + inner, this.itemSep + '\n' + inner, end + ']', end + '}', inner, outer);
    }
    this.layouts[d] = lay;
    return lay;
  }

  // ---- scalars ---------------------------------------------------------------------------

  string(s: string): void {
    this.append(this.quote(s));
    this.values++;
  }

  /** A number in the dialect's text; false (nothing written) when the dialect refuses it. */
  number(n: number): boolean {
    const text = this.dialect.number(n);
    if (text === null) return false;
    this.out += text;
    this.values++;
    return true;
  }

  /** A bigint in the dialect's text; false (nothing written) when the dialect refuses it. */
  bigint(n: bigint): boolean {
    const text = this.dialect.bigint(n);
    if (text === null) return false;
    this.out += text;
    this.values++;
    return true;
  }

  /** A value's text as it is: true, false, null, a number token's original text. */
  literal(text: string): void {
    this.append(text);
    this.values++;
  }

  /** More text of the literal being written (a number streamed in parts). */
  literalPart(text: string): void {
    this.out += text;
  }

  /** Pre-serialized JSON (rawJSON), escaped as the dialect escapes. */
  raw(text: string): void {
    const escape = this.dialect.escapeText;
    this.literal(escape === null ? text : escape(text));
  }

  // ---- strings written in parts ----------------------------------------------------------

  /** Opens a string value whose text comes in parts (stringPart), then closeString. */
  openString(): void {
    this.out += '"';
    this.values++;
  }

  /** Opens a member of the open object whose key comes in parts, then closeKey. */
  openKey(): void {
    const l = this.level;
    this.out += (l.n++ === 0 ? l.first : l.next) + '"';
  }

  /**
   * Appends a part of the string being written, escaped; a pair split between parts is rejoined.
   * False (nothing written) when the dialect refuses a lone surrogate in it (canonical).
   */
  stringPart(s: string): boolean {
    if (this.highSurrogate !== '') {
      s = this.highSurrogate + s;
      this.highSurrogate = '';
    }
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = s[s.length - 1];
      s = s.slice(0, -1);
    }
    if (this.dialect.canonical && !isWellFormed(s)) return false;
    if (s !== '') this.append(this.quote(s).slice(1, -1));
    return true;
  }

  /** Ends the string being written; false (not ended) when the dialect refuses its last lone surrogate. */
  closeString(): boolean {
    // A high surrogate that never met its pair is a lone surrogate: escaped, as JSON.stringify does.
    if (this.highSurrogate !== '') {
      if (this.dialect.canonical) return false;
      this.out += this.quote(this.highSurrogate).slice(1, -1);
      this.highSurrogate = '';
    }
    this.out += '"';
    return true;
  }

  closeKey(): void {
    this.closeString();
    this.out += this.keySep;
  }

  // ---- native text -----------------------------------------------------------------------

  /** A plain subtree holding `count` values, as one native text (the member is already started). */
  plain(v: object, count: number, keys: Set<string> | null): void {
    this.append(this.native!.format(v, this.level.inner, keys));
    this.values += count;
    if (this.depth === 0 && Array.isArray(v)) this.items += v.length;
  }

  /** Elements of the open array, plain and holding `count` values, as one native text. */
  plainRun(run: unknown[], count: number, keys: Set<string> | null): void {
    const l = this.level;
    const text = this.native!.format(run, l.outer, keys);
    // The run is laid out as an array at this level's indentation: without its "[" and its
    // closing text (line break, indentation, "]"), what is left is exactly the members as this
    // level writes them, but for the separator before the first.
    if (l.n > 0) this.out += this.itemSep;
    this.append(text.slice(1, text.length - l.closeFull.length));
    l.n += run.length;
    this.values += count;
    if (l.records) this.items += run.length;
  }
}
