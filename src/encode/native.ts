// Native text: a plain subtree (walk/plain.ts) written by V8's JSON.stringify, then reshaped
// to the requested layout. Native text has newlines only between tokens (strings escape them),
// so layout can be changed by rewriting "\n" + indentation with plain replaces.

import type { Resolved } from '../options.js';
import type { Dialect } from './dialect.js';

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

/** A regex replacement string that inserts `s` literally. */
const literally = (s: string): string => (s.includes('$') ? s.replaceAll('$', '$$$$') : s);

export class NativeFormat {
  private readonly itemSep: string;

  private constructor(
    private readonly shape: Shape,
    private readonly gap: string | undefined,
    o: Resolved,
    private readonly dialect: Dialect,
  ) {
    this.itemSep = literally(o.itemSep);
  }

  /** The formatter for these options, or null where native text cannot take their layout. */
  static for(o: Resolved, dialect: Dialect): NativeFormat | null {
    // Native text would call an inherited toJSON a second time on what a toJSON returned.
    if (o.replacer !== null || 'toJSON' in Array.prototype) return null;
    // The dialect's escapes rewrite the native text whole: indentation or separators they would
    // change (ensureAscii on 'é', escapeHTML on '<') must be written by the writer, as given.
    const escape = dialect.escapeText;
    if (escape !== null && [o.indent ?? '', o.itemSep, o.keySep].some((s) => escape(s) !== s)) return null;
    if (o.indent === null) {
      if (o.itemSep === ',' && o.keySep === ':') return new NativeFormat(Shape.AsIs, undefined, o, dialect);
      if (o.keySep === ': ' && !o.itemSep.includes('\n')) return new NativeFormat(Shape.Spaced, '\t', o, dialect);
      return null;
    }
    if (o.itemSep !== ',' || o.keySep !== ': ') return null;
    if (o.indent === '') return new NativeFormat(Shape.NoIndent, '\t', o, dialect);
    // Re-indenting rewrites every "\n" of the text: one inside the indent itself would be
    // rewritten too. V8 cuts an indent string at its first U+0000 (the specification keeps it).
    if (o.indent.length <= NATIVE_MAX_GAP && !/[\n\0]/.test(o.indent)) return new NativeFormat(Shape.Reindent, o.indent, o, dialect);
    return null;
  }

  /**
   * Native text of a plain subtree, laid out for nesting under `prefix` (the current
   * indentation). With sortKeys, `keys` holds every key of the subtree.
   */
  format(value: object, prefix: string, keys: Set<string> | null): string {
    // An allow-list makes JSON.stringify write each object's members in the list's order:
    // the subtree's keys, sorted, give sortKeys at native speed.
    const list = keys !== null ? this.dialect.orderKeys!([...keys]) : this.dialect.keyList;
    let text = JSON.stringify(value, list, this.gap);
    switch (this.shape) {
      case Shape.Reindent:
        if (prefix !== '') text = text.replaceAll('\n', '\n' + literally(prefix));
        break;
      case Shape.NoIndent:
        text = text.replace(TAB_BREAK, '\n');
        break;
      case Shape.Spaced:
        text = text.replace(TAB_ITEM, this.itemSep).replace(TAB_BREAK, '');
        break;
    }
    const escape = this.dialect.escapeText;
    return escape === null ? text : escape(text);
  }
}
