// The fast path: a plain subtree (walk/plain.ts) written by V8's native JSON.stringify, then
// reshaped to the requested layout. Native text has newlines only between tokens (strings
// escape them), so layout can be changed by rewriting "\n" + indentation with plain replaces.

import type { Resolved } from '../options.js';
import { asciiOnly } from './escape.js';

const NATIVE_MAX_GAP = 10; // JSON.stringify cuts longer indent strings
const TAB_BREAK = /\n\t*/g;
const TAB_ITEM = /,\n\t*/g;

const enum Shape {
  /** Native text is already right (compact ',' ':'). */
  AsIs,
  /** Native indentation with the wanted gap; deeper subtrees get their prefix after each "\n". */
  Reindent,
  /** Indented with an empty indent (Python indent=0): native '\t' gap, tabs removed. */
  NoIndent,
  /** Compact with key separator ': ' (Python's default ', ' ': '): native '\t' gap, breaks replaced. */
  Spaced,
}

export class NativeFormat {
  private readonly shape: Shape;
  private readonly gap: string | undefined;
  private readonly itemSep: string;
  private readonly ascii: boolean;
  private readonly allowList: string[] | null;
  private readonly python: boolean;

  private constructor(shape: Shape, gap: string | undefined, o: Resolved) {
    this.shape = shape;
    this.gap = gap;
    this.itemSep = o.itemSep.replaceAll('$', '$$$$');
    this.ascii = o.ensureAscii;
    this.allowList = o.allowList === null ? null : o.sortKeys ? sortKeys(o.allowList, o.python) : o.allowList;
    this.python = o.python;
  }

  /** The formatter for these options, or null where native text cannot take their layout. */
  static for(o: Resolved): NativeFormat | null {
    // Native text would call an inherited toJSON a second time on what a toJSON returned.
    if (o.replacer !== null || 'toJSON' in Array.prototype) return null;
    if (o.indent === null) {
      if (o.itemSep === ',' && o.keySep === ':') return new NativeFormat(Shape.AsIs, undefined, o);
      if (o.keySep === ': ' && !o.itemSep.includes('\n')) return new NativeFormat(Shape.Spaced, '\t', o);
      return null;
    }
    if (o.itemSep !== ',' || o.keySep !== ': ') return null;
    if (o.indent === '') return new NativeFormat(Shape.NoIndent, '\t', o);
    if (o.indent.length <= NATIVE_MAX_GAP) return new NativeFormat(Shape.Reindent, o.indent, o);
    return null;
  }

  /**
   * Native text of a plain subtree, laid out for nesting under `prefix` (the current
   * indentation). With sortKeys, `keys` holds every key of the subtree.
   */
  format(value: object, prefix: string, keys: Set<string> | null): string {
    // An allow-list makes JSON.stringify write each object's members in the list's order:
    // the subtree's keys, sorted, give sortKeys at native speed.
    const list = keys !== null ? sortKeys([...keys], this.python) : this.allowList;
    let text = JSON.stringify(value, list, this.gap);
    switch (this.shape) {
      case Shape.Reindent:
        if (prefix !== '') text = text.replaceAll('\n', '\n' + (prefix.includes('$') ? prefix.replaceAll('$', '$$$$') : prefix));
        break;
      case Shape.NoIndent:
        text = text.replace(TAB_BREAK, '\n');
        break;
      case Shape.Spaced:
        text = text.replace(TAB_ITEM, this.itemSep).replace(TAB_BREAK, '');
        break;
    }
    return this.ascii ? asciiOnly(text) : text;
  }
}

const SURROGATE = /[\ud800-\udfff]/;

function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Keys in sortKeys order: UTF-16 code units ('js'), code points ('python'). */
export function sortKeys(keys: string[], python: boolean): string[] {
  // Code point and code unit order differ only when a surrogate meets U+E000..U+FFFF.
  return python && keys.some((k) => SURROGATE.test(k)) ? keys.sort(byCodePoint) : keys.sort();
}
