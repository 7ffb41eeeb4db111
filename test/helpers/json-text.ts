// Random JSON text for the property tests: documents written with random white space, every
// legal spelling of each character (raw, \uXXXX in either case, short escapes, \/), and
// numbers in forms JSON.stringify never writes (1.0, 1E+2, -0, 1e400, long integers).
// Nothing here decides what the output must be: the oracles parse the text themselves.

import fc from 'fast-check';
import { seeded } from './reformat.js';

export type Node =
  | { k: 'num'; text: string }
  | { k: 'str'; v: string }
  | { k: 'lit'; text: 'true' | 'false' | 'null' }
  | { k: 'arr'; items: Node[] }
  | { k: 'obj'; entries: [string, Node][] };

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** A JSON number as text, in any form the grammar allows. */
export const numberText: fc.Arbitrary<string> = fc
  .record({
    minus: fc.boolean(),
    int: fc.oneof(fc.constant('0'), fc.tuple(fc.integer({ min: 1, max: 9 }), digits(0, 25)).map(([a, b]) => `${a}${b}`)),
    frac: fc.option(digits(1, 20), { nil: undefined }),
    exp: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4)), { nil: undefined }),
  })
  .map(({ minus, int, frac, exp }) => `${minus ? '-' : ''}${int}${frac === undefined ? '' : '.' + frac}${exp === undefined ? '' : exp.join('')}`);

/** Characters that exercise every rule: controls, quote, backslash, slash, <>&, DEL, U+2028/9, non-ASCII, astral, lone surrogates. */
export const unit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', ' ', '0', '.', ':', ',', '[', '{') },
  { weight: 2, arbitrary: fc.constantFrom('"', '\\', '/', '<', '>', '&', '\u007f', '\u2028', '\u2029', '\u0000', '\n', '\t', '\b', '\f', '\r', '\u001f') },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);

export const text: fc.Arbitrary<string> = fc.array(unit, { maxLength: 12 }).map((u) => u.join(''));

/** Keys JSON.parse keeps in place: not integer-like ("1" would be moved ahead of the others). */
const key = text.filter((k) => !/^(0|[1-9]\d*)$/.test(k));

export const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText.map((t): Node => ({ k: 'num', text: t })),
    text.map((v): Node => ({ k: 'str', v })),
    fc.constantFrom('true', 'false', 'null').map((t): Node => ({ k: 'lit', text: t as 'true' | 'false' | 'null' })),
    fc.array(tie('node'), { maxLength: 5 }).map((items): Node => ({ k: 'arr', items })),
    fc.uniqueArray(fc.tuple(key, tie('node')), { maxLength: 5, selector: ([k]) => k }).map((entries): Node => ({ k: 'obj', entries })),
  ),
})).node;

const SPACE = ['', '', '', '', ' ', '\n', '\t', '\r\n', '   '];
// JSON Lines records are one line each
const INLINE_SPACE = ['', '', '', '', ' ', '\t', '\r', '   '];

const hex4 = (c: number, upper: boolean) => {
  const h = c.toString(16).padStart(4, '0');
  return '\\u' + (upper ? h.toUpperCase() : h);
};

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One character of a string literal, in a randomly chosen legal spelling. */
function spell(c: string, random: () => number): string {
  const code = c.charCodeAt(0);
  const r = random();
  if (c.length === 2) {
    // an astral character: raw, or a surrogate pair of escapes
    return r < 0.5 ? c : hex4(code, r < 0.75) + hex4(c.charCodeAt(1), r < 0.6);
  }
  if (code >= 0xd800 && code <= 0xdfff) return hex4(code, r < 0.5); // a lone surrogate has no UTF-8 form
  if (SHORT[c] !== undefined && r < 0.6) return SHORT[c];
  if (code < 0x20 || c === '"' || c === '\\') return hex4(code, r < 0.8);
  if (c === '/' && r < 0.5) return '\\/';
  return r < 0.7 ? c : hex4(code, r < 0.85);
}

/** The node as JSON text with random white space (no line break when `inline`) and spellings. */
export function render(n: Node, random: () => number, inline = false): string {
  const spaces = inline ? INLINE_SPACE : SPACE;
  const space = () => spaces[Math.floor(random() * spaces.length)];
  const str = (s: string) => '"' + Array.from(s, (c) => spell(c, random)).join('') + '"';
  switch (n.k) {
    case 'num':
    case 'lit':
      return n.text;
    case 'str':
      return str(n.v);
    case 'arr':
      return '[' + space() + n.items.map((item) => render(item, random, inline) + space()).join(',' + space()) + ']';
    case 'obj':
      return '{' + space() + n.entries.map(([k, v]) => str(k) + space() + ':' + space() + render(v, random, inline) + space()).join(',' + space()) + '}';
  }
}

/** A document: its node and a rendering of it with white space around. */
export const document: fc.Arbitrary<{ node: Node; text: string }> = fc.tuple(node, fc.integer()).map(([n, seed]) => ({
  node: n,
  text: SPACE[seed & 7] + render(n, seeded(seed)) + SPACE[(seed >>> 3) & 7],
}));

/** JSON Lines: records one per line, with blank lines, CRLF and a final line break or not. */
export const jsonLines: fc.Arbitrary<{ records: string[]; text: string }> = fc.tuple(fc.array(node, { maxLength: 6 }), fc.integer()).map(([nodes, seed]) => {
  const random = seeded(seed);
  const records = nodes.map((n) => render(n, random, true));
  const lines = records.map((r) => INLINE_SPACE[Math.floor(random() * INLINE_SPACE.length)] + r + (random() < 0.2 ? '\r' : ''));
  if (random() < 0.3) lines.splice(Math.floor(random() * (lines.length + 1)), 0, '', '  ');
  return { records, text: lines.join('\n') + (random() < 0.5 ? '\n' : '') };
});
