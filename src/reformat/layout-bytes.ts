// The output's layout as bytes, made once from the format: separators, and a line break with
// the indentation of each depth (cached for the first levels).

import { NEWLINE } from '../text/json-bytes.js';
import type { ReformatFormat } from './format.js';

const utf8 = new TextEncoder();
// Deep levels are rare: only the lines of the first ones are kept.
const CACHED_DEPTHS = 64;

export class LayoutBytes {
  /** null: compact. */
  readonly indent: Uint8Array | null;
  readonly itemSep: Uint8Array;
  readonly keySep: Uint8Array;
  /** ',' and ':' of the input are written as they are: no span break at them. */
  readonly sameItemSep: boolean;
  readonly sameKeySep: boolean;
  private readonly newlines: Uint8Array[] = [];
  private readonly separatorLines: Uint8Array[] = [];
  /** Levels of indentation below the document's own: see ReformatFormat.depth. */
  private readonly base: number;

  constructor(format: ReformatFormat) {
    this.base = format.depth ?? 0;
    this.indent = format.indent === null ? null : utf8.encode(format.indent);
    this.itemSep = utf8.encode(format.itemSep);
    this.keySep = utf8.encode(format.keySep);
    this.sameItemSep = format.indent === null && format.itemSep === ',';
    this.sameKeySep = format.keySep === ':';
  }

  /** A line break and the indentation of `depth` levels (indenting layouts only). */
  newline(depth: number): Uint8Array {
    const cached = this.newlines[depth];
    if (cached !== undefined) return cached;
    const indent = this.indent!;
    const levels = depth + this.base;
    const line = new Uint8Array(1 + indent.length * levels);
    line[0] = NEWLINE;
    for (let k = 0; k < levels; k++) line.set(indent, 1 + k * indent.length);
    if (depth < CACHED_DEPTHS) this.newlines[depth] = line;
    return line;
  }

  /** The item separator and the line break after it, at `depth`. */
  separatorLine(depth: number): Uint8Array {
    const cached = this.separatorLines[depth];
    if (cached !== undefined) return cached;
    const line = this.newline(depth);
    const bytes = new Uint8Array(this.itemSep.length + line.length);
    bytes.set(this.itemSep);
    bytes.set(line, this.itemSep.length);
    if (depth < CACHED_DEPTHS) this.separatorLines[depth] = bytes;
    return bytes;
  }
}
