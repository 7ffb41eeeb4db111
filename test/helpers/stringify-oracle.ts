// JSON.stringify as the oracle for every 'js' dialect option, not only the replacer and the
// 1–10 indent it takes itself. JSON.stringify writes the value (toJSON, replacer, boxes, holes,
// dropped members, number text, string escapes); its text is then rewritten token by token,
// outside strings only, where the options differ from its own:
//   indent      JSON.stringify indents with a one-character marker that cannot appear raw in
//               its output (U+0001 is always escaped in strings); the marker becomes the indent
//               text (any length, any characters; `0`/negative/'' → newlines only).
//   separators  each structural `,` becomes the item separator and each `:` (with the space
//               JSON.stringify writes after it when indenting) the key separator.
//   ensureAscii every code unit from U+007F up in a string becomes `\uxxxx` (lowercase hex,
//               astral characters as their surrogate pairs, lone surrogates already escaped).
//   allowNaN    a replacer marks non-finite numbers as strings; the mark becomes the literal.
//   default     a replacer puts default(x) in place of functions and symbols.
//   sortKeys    for plain data: an allow-list of every key, sorted (JSON.stringify writes an
//               allow-list's keys in the list's order).
// Unlike V8's JSON.stringify, which cuts an indent string at its first U+0000 (the ECMAScript
// specification takes its first 10 code units, whatever they are), the marker keeps every
// character of the indent: the contract's "string → used verbatim per level".
// The rewriting reads JSON.stringify's output only, which is JSON with markers: a string starts
// and ends with an unescaped `"`, everything else is punctuation, literals and whitespace.

export type Replacer = ((this: unknown, key: string, value: unknown) => unknown) | readonly (string | number)[];

export interface StringifyLikeOptions {
  replacer?: Replacer;
  indent?: number | string | null;
  separators?: readonly [string, string];
  ensureAscii?: boolean;
  allowNaN?: boolean;
  default?: (value: unknown) => unknown;
  sortKeys?: boolean;
}

const INDENT_MARK = '\u0001';
const NON_FINITE_MARK = '\u0002';

function indentText(indent: number | string | null | undefined): string | null {
  if (indent === undefined || indent === null) return null;
  if (typeof indent === 'number') return indent > 0 ? ' '.repeat(indent) : '';
  return indent;
}

/** Every key of every object in plain data. */
function allKeys(v: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) allKeys(x, into);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) allKeys(x, into.add(k));
  return into;
}

/** Thrown for options JSON.stringify cannot express (the caller skips the case). */
export class NoEquivalent extends Error {}

/** JSON.stringify's replacer argument for these options (undefined: none). */
function replacerFor(value: unknown, o: StringifyLikeOptions): Replacer | undefined {
  if (o.sortKeys) {
    if (typeof o.replacer === 'function') throw new NoEquivalent('sortKeys with a replacer function');
    const keys = o.replacer === undefined ? [...allKeys(value)] : [...new Set(o.replacer.map(String))];
    // An allow-list reads inherited members too: "__proto__" would pick up Object.prototype.
    if (keys.includes('__proto__')) throw new NoEquivalent('sortKeys with a "__proto__" key');
    return keys.sort();
  }
  const user = o.replacer;
  if (o.allowNaN !== true && o.allowNaN !== false && o.default === undefined) return user;
  if (Array.isArray(user)) throw new NoEquivalent('allowNaN or default with an allow-list');
  const fn = user as ((this: unknown, key: string, value: unknown) => unknown) | undefined;
  const dflt = o.default;
  const markNonFinite = o.allowNaN !== undefined;
  return function (this: unknown, key: string, v: unknown): unknown {
    let x = fn === undefined ? v : fn.call(this, key, v);
    if (dflt !== undefined && (typeof x === 'function' || typeof x === 'symbol')) x = dflt(x);
    if (markNonFinite) {
      const n = typeof x === 'number' ? x : x instanceof Number ? x.valueOf() : null;
      if (n !== null && !Number.isFinite(n)) return NON_FINITE_MARK + String(n);
    }
    return x;
  };
}

const MARKED = new Map(['NaN', 'Infinity', '-Infinity'].map((t) => [JSON.stringify(NON_FINITE_MARK + t), t]));

function asciiOnly(stringToken: string): string {
  let out = '';
  for (let i = 0; i < stringToken.length; i++) {
    const c = stringToken.charCodeAt(i);
    out += c >= 0x7f ? '\\u' + c.toString(16).padStart(4, '0') : stringToken[i];
  }
  return out;
}

/** Thrown when allowNaN is false and the value holds a non-finite number. */
export class NonFiniteInValue extends Error {}

/**
 * The text dumps(value, {dialect: 'js', ...o}) must write, from JSON.stringify; undefined
 * where JSON.stringify returns undefined (not JSON). Throws NonFiniteInValue for allowNaN
 * false and a non-finite number; JSON.stringify's own errors propagate.
 */
export function stringifyLike(value: unknown, o: StringifyLikeOptions): string | undefined {
  const indent = indentText(o.indent);
  const text = JSON.stringify(value, replacerFor(value, o) as never, indent === null ? undefined : INDENT_MARK) as string | undefined;
  if (text === undefined) return undefined;
  const [itemSep, keySep] = o.separators ?? (indent === null ? [',', ':'] : [',', ': ']);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const token = text.slice(i, j + 1);
      const literal = MARKED.get(token);
      if (literal !== undefined) {
        if (o.allowNaN === false) throw new NonFiniteInValue(literal);
        out += literal;
      } else {
        out += o.ensureAscii ? asciiOnly(token) : token;
      }
      i = j;
    } else if (ch === INDENT_MARK) {
      out += indent;
    } else if (ch === ',') {
      out += itemSep;
    } else if (ch === ':') {
      out += keySep;
      if (indent !== null) i++; // the space JSON.stringify writes after it
    } else {
      out += ch;
    }
  }
  return out;
}
