// The shared table of named cases. Every case is a value factory, the options, and an oracle
// for the expected text:
//   { js: () => text }     JSON.stringify (directly, or of the equivalent plain value for the
//                          kinds JSON.stringify cannot take: Map, Set, iterables, promises,
//                          streams, bigint, rawJSON — substituted back textually);
//   { python: PyCase }      CPython's json.dumps of the same value (see python.ts).
// cases.test.ts runs every case through every variant of variants.ts at several chunk sizes.

import { Readable } from 'node:stream';
import { rawJSON } from '../../src/index.js';
import type { Options } from './variants.js';
import { K, N, toJS, type PyCase, type PyNode } from './python.js';

export type Oracle = { js: () => string } | { python: PyCase };

export interface Case {
  name: string;
  /** Called once per variant: a fresh value each time. */
  value: () => unknown;
  options?: Options;
  oracle: Oracle;
  /** The value holds promises / async iterables / streams: the sync variants are skipped. */
  async?: boolean;
}

// ---- oracle helpers -----------------------------------------------------------------------

type Indent = number | string | undefined;
type Replacer = ((this: unknown, key: string, value: unknown) => unknown) | (string | number)[];

/** A case whose expected text is JSON.stringify(value, replacer, indent). */
function js(name: string, value: () => unknown, replacer?: Replacer, indent?: Indent): Case {
  const options: Options = {};
  if (replacer !== undefined) (options as Record<string, unknown>).replacer = replacer;
  if (indent !== undefined) (options as Record<string, unknown>).indent = indent;
  return {
    name,
    value,
    options,
    oracle: { js: () => JSON.stringify(value(), replacer as never, indent) as string },
  };
}

const KEY_MARK = '\u0001';
/**
 * The text JSON.stringify would write for an object with these members in this order (object
 * keys that look like integers would be reordered by a real object, so each key is marked, then
 * the mark is removed from the text).
 */
function keyed(entries: [unknown, unknown][], indent?: Indent): string {
  const o = Object.fromEntries(entries.map(([k, v]) => [KEY_MARK + String(k), v]));
  return JSON.stringify(o, null, indent).split('"\\u0001').join('"');
}

const BIG_MARK = '\u0002';
/** JSON.stringify where bigints are written as their digits. */
function withBigInts(value: unknown, indent?: Indent): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? BIG_MARK + v.toString() : v), indent);
  return text.replace(/"\\u0002(-?\d+)"/g, '$1');
}

const RAW_MARK = '\u0003';
/** JSON.stringify where each `raw(i)` placeholder is replaced by texts[i] verbatim. */
function withRaw(value: unknown, texts: string[], indent?: Indent): string {
  return JSON.stringify(value, null, indent).replace(/"\\u0003(\d+)"/g, (_m, i: string) => texts[Number(i)]!);
}
const raw = (i: number): string => RAW_MARK + i;

const py = (name: string, node: PyNode, kwargs: PyCase['kwargs'] = {}, value?: () => unknown, async?: boolean): Case => {
  const options: Record<string, unknown> = { dialect: 'python' };
  if (kwargs.indent !== undefined) options.indent = kwargs.indent;
  if (kwargs.separators) options.separators = kwargs.separators;
  if (kwargs.sort_keys !== undefined) options.sortKeys = kwargs.sort_keys;
  if (kwargs.skipkeys !== undefined) options.skipKeys = kwargs.skipkeys;
  if (kwargs.ensure_ascii !== undefined) options.ensureAscii = kwargs.ensure_ascii;
  if (kwargs.allow_nan !== undefined) options.allowNaN = kwargs.allow_nan;
  return { name, value: value ?? (() => toJS(node)), options: options as Options, oracle: { python: { node, kwargs } }, async };
};

// ---- values -------------------------------------------------------------------------------

const LONE = ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83d', '\ude00b', '\ude00\ud83d', 'x\ud800\ud800y'];
const ESCAPES = '"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u2028\u2029\ufeff\uffff';
const UNICODE = 'é ß Ω 東京 🎉 😀 𝄞 \u{10ffff} ﬀ';
const ASTRAL = '😀'.repeat(150);
const MIXED = 'a😀'.repeat(100) + 'é東😀"\n'.repeat(40);

function deep(n: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 ? [v, i] : { ['k' + i]: v, n: i };
  return v;
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  get norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

class WithToJSON {
  constructor(private readonly secret: string) {}
  toJSON(key: string): unknown {
    return { key, len: this.secret.length };
  }
}

function shared(): unknown {
  const x = { a: [1, 2], s: 'shared' };
  return { first: x, second: x, list: [x, x, [x]] };
}

function sparse(): unknown[] {
  const a: unknown[] = [];
  a[1] = 'one';
  a[4] = { four: 4 };
  a.length = 7;
  return a;
}

function arrayWithExtras(): unknown {
  const a: unknown[] & { extra?: string } = [1, 2];
  a.extra = 'ignored';
  return a;
}

function nullProto(): unknown {
  const o = Object.create(null) as Record<string, unknown>;
  o.b = 1;
  o.a = [null];
  return o;
}

function getters(): unknown {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, 'visible', { get: () => 'got', enumerable: true });
  Object.defineProperty(o, 'hidden', { value: 'no', enumerable: false });
  (o as Record<symbol, unknown>)[Symbol('s')] = 'symbol keys are skipped';
  o.after = 2;
  return o;
}

const records = (n: number): { id: number; name: string; tags: string[]; score: number }[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, name: `name ${i} é😀`, tags: ['t' + (i % 3)], score: i / 3 }));

function* gen<T>(items: readonly T[]): Generator<T> {
  yield* items;
}

async function* agen<T>(items: readonly T[], lateLast = false): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i++) {
    if (lateLast && i === items.length - 1) await new Promise((r) => setTimeout(r, 20));
    else if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    yield items[i]!;
  }
}

/** A byte stream that cuts UTF-8 sequences (and surrogate pairs) at every possible point. */
function bytesOneByOne(text: string): Readable {
  const bytes = Buffer.from(text, 'utf8');
  return Readable.from(
    Array.from(bytes, (b) => Buffer.from([b])),
    { objectMode: false },
  );
}

function bytesInPieces(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces, { objectMode: false });
}

// ---- the table ----------------------------------------------------------------------------

const replacerDropFirst = function (this: unknown, key: string, value: unknown): unknown {
  return key === 'a' ? undefined : value;
};
const replacerDropLast = function (this: unknown, key: string, value: unknown): unknown {
  return key === 'z' ? undefined : value;
};
const replacerHolder = function (this: unknown, key: string, value: unknown): unknown {
  // Uses the holder: `this[key]` is the value before toJSON / replacement.
  if (key === '') return value;
  const before = (this as Record<string, unknown>)[key];
  if (typeof value === 'number') return value * 10;
  if (Array.isArray(this) && typeof value !== 'string') return `${key}:${typeof before}`;
  return value;
};
const replacerRoot = (key: string, value: unknown): unknown => (key === '' ? { wrapped: value } : value);
const replacerTypes = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? value.toUpperCase() : value === null ? 'was null' : value;

export const JS_CASES: Case[] = [
  // scalars
  js('null', () => null),
  js('true', () => true),
  js('false', () => false),
  js('zero', () => 0),
  js('negative zero', () => -0),
  js('numbers', () => [1.5, -2.25, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -1e300, 2 ** 53, 0.1 + 0.2, 123456789012345680000]),
  js('non-finite numbers', () => [NaN, Infinity, -Infinity, { n: NaN }]),
  js('empty string', () => ''),
  js('escapes', () => ESCAPES),
  js('unicode', () => UNICODE),
  js('lone surrogates', () => LONE),
  js('astral string', () => ASTRAL),
  js('mixed long string', () => MIXED),
  js('long ascii string', () => 'x'.repeat(3000)),
  js('many escapes', () => '\u0000"\\\n'.repeat(200)),

  // arrays
  js('empty array', () => []),
  js('nested empty arrays', () => [[], [[]], [[], []]]),
  js('sparse array', sparse),
  js('holes only', () => new Array(5)),
  js('array with undefined, function, symbol', () => [undefined, () => 1, Symbol('s'), 1]),
  js('array with extra properties', arrayWithExtras),

  // objects
  js('empty object', () => ({})),
  js('empty-string key', () => ({ '': 1, a: { '': '' } })),
  js('dropped first member', () => ({ a: undefined, b: 1 })),
  js('dropped last member', () => ({ a: 1, b: undefined })),
  js('all members dropped', () => ({ a: undefined, f: () => 1, s: Symbol('x') })),
  js('dropped middle members', () => ({ a: 1, b: undefined, c: () => 0, d: 2, e: Symbol(), f: 3 })),
  js('integer-like keys', () => ({ b: 1, 2: 'two', 1: 'one', '-1': 'minus', '01': 'zero-one', 4294967295: 'max', 4294967294: 'idx', a: 0 })),
  js('__proto__ own key', () => JSON.parse('{"__proto__": {"x": 1}, "y": 2}')),
  js('null-prototype object', nullProto),
  js('getters and hidden members', getters),
  js('unicode keys', () => ({ 'é': 1, '😀': 2, '\ud800': 3, '"\n': 4, [UNICODE]: 5 })),
  js('deep nesting', () => deep(300)),
  js('shared references are not cycles', shared),
  js('records', () => records(50)),

  // toJSON, Date, boxed primitives, class instances
  js('toJSON at root', () => ({ toJSON: () => ({ replaced: true }) })),
  js('toJSON receives the key', () => ({ a: new WithToJSON('abc'), list: [new WithToJSON('x')] })),
  js('toJSON returning undefined', () => ({ a: { toJSON: () => undefined }, b: [{ toJSON: () => undefined }] })),
  js('toJSON result is not toJSON-ed again', () => ({ v: { toJSON: () => ({ toJSON: () => 'inner' }) } })),
  js('dates', () => [new Date(0), new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 123)), new Date(NaN), { d: new Date(-1e14) }]),
  js('boxed primitives', () => [new Number(3.5), new String('boxed 😀'), new Boolean(false), Object(Symbol('s')), new Number(NaN)]),
  js('boxed string is not iterable', () => ({ s: new String('abc') })),
  js('class instances', () => [new Point(3, 4), Object.assign(new Point(1, 2), { extra: [1] })]),
  js('error and regexp objects', () => ({ e: new Error('boom'), r: /x/g, m: Math })),

  // replacer
  js('replacer drops the first key', () => ({ a: 1, b: 2, c: { a: 3, d: 4 } }), replacerDropFirst),
  js('replacer drops the last key', () => ({ x: 1, z: 2, n: { y: 3, z: 4 } }), replacerDropLast),
  js('replacer drops every key', () => ({ a: 1 }), replacerDropFirst),
  js('replacer uses the holder', () => ({ n: 1, arr: [1, 'two', null], o: { m: 2 } }), replacerHolder),
  js('replacer wraps the root', () => [1, { a: 2 }], replacerRoot),
  js('replacer transforms types', () => ({ s: 'abc', n: null, list: ['x', null, 3], d: new Date(0) }), replacerTypes),
  js('replacer on toJSON result', () => ({ w: new WithToJSON('abcd') }), replacerHolder),
  js('allow-list', () => ({ a: 1, b: { a: 2, c: 3 }, c: [{ a: 4, b: 5 }] }), ['b', 'a']),
  js('allow-list with numbers and duplicates', () => ({ 1: 'one', 2: 'two', x: { 1: 'i', y: 0 } }), [1, 'x', 'x', 1, 'y']),
  js('allow-list that matches nothing', () => ({ a: 1 }), ['zz']),
  js('allow-list leaves arrays alone', () => [{ a: 1, b: 2 }, [3, { a: 4 }]], ['a']),

  // indentation
  js('indent 2', () => records(5), undefined, 2),
  js('indent 10', () => ({ a: [1, { b: [] }, {}], c: 'x' }), undefined, 10),
  js('indent 1', () => [[1, [2, [3]]], { a: { b: { c: {} } } }], undefined, 1),
  js('indent tab', () => ({ a: [1, 2], b: { c: null } }), undefined, '\t'),
  js('indent text', () => ({ a: [1, 2], b: { c: null } }), undefined, '-->'),
  js('indent 10 characters', () => ({ a: [1, { b: 2 }] }), undefined, '0123456789'),
  js('indent text with $ replacement patterns', () => ({ a: [1, new Number(2)], b: { c: [true, { d: [] }] } }), undefined, "$`$'$&$$"),
  js('indent $` under a non-plain value', () => [[false, new Number(0)], new Map()], undefined, '$`'),
  js('indent with replacer', () => ({ a: 1, z: [1, 2], m: {} }), replacerDropLast, 3),
  js('indent with allow-list', () => ({ a: 1, b: { a: [], c: 3 } }), ['a', 'b'], 2),
  js('indent, dropped members', () => ({ a: undefined, b: [undefined, () => 0], c: { d: undefined } }), undefined, 2),

  // kinds JSON.stringify cannot take: the oracle is JSON.stringify of the equivalent value
  {
    name: 'Map with string keys',
    value: () => new Map<unknown, unknown>([['b', 1], ['a', [1, 2]], ['', { x: 'y' }], ['2', 'two'], ['1', 'one']]),
    oracle: { js: () => keyed([['b', 1], ['a', [1, 2]], ['', { x: 'y' }], ['2', 'two'], ['1', 'one']]) },
  },
  {
    name: 'Map with number, boolean, null and bigint keys',
    value: () => new Map<unknown, unknown>([[2, 'a'], [1.5, 'b'], [-0, 'c'], [1e21, 'd'], [true, 'e'], [null, 'f'], [10n, 'g'], [NaN, 'h'], [-Infinity, 'i']]),
    oracle: { js: () => keyed([[2, 'a'], [1.5, 'b'], [-0, 'c'], [1e21, 'd'], [true, 'e'], [null, 'f'], [10n, 'g'], [NaN, 'h'], [-Infinity, 'i']]) },
  },
  {
    name: 'Map, indented',
    value: () => new Map<unknown, unknown>([[3, { m: new Map([['k', []]]) }], ['z', null]]),
    options: { indent: 2 },
    oracle: { js: () => keyed([[3, { m: { k: [] } }], ['z', null]], 2) },
  },
  {
    name: 'Set and typed arrays',
    value: () => ({ set: new Set([3, 'x', 3, null]), u8: new Uint8Array([0, 255]), f64: new Float64Array([1.5, -0, NaN]) }),
    oracle: { js: () => JSON.stringify({ set: [3, 'x', null], u8: [0, 255], f64: [1.5, -0, NaN] }) },
  },
  {
    name: 'generator at root',
    value: () => gen(records(30)),
    oracle: { js: () => JSON.stringify(records(30)) },
  },
  {
    name: 'nested generators, indented',
    value: () => ({ rows: gen([gen([1, 2]), gen([]), { a: gen(['x']) }]) }),
    options: { indent: 4 },
    oracle: { js: () => JSON.stringify({ rows: [[1, 2], [], { a: ['x'] }] }, null, 4) },
  },
  {
    name: 'bigint',
    value: () => [1n, -123456789012345678901234567890n, { b: 0n }],
    oracle: { js: () => withBigInts([1n, -123456789012345678901234567890n, { b: 0n }]) },
  },
  {
    name: 'rawJSON fragments',
    value: () => ({ a: rawJSON('{"x":[1,2.50,true]}'), b: [rawJSON('1e400'), rawJSON('"s\\u00e9"')], c: rawJSON('null') }),
    oracle: { js: () => withRaw({ a: raw(0), b: [raw(1), raw(2)], c: raw(3) }, ['{"x":[1,2.50,true]}', '1e400', '"s\\u00e9"', 'null']) },
  },
  {
    name: 'promises and thenables',
    value: () => ({ p: Promise.resolve([1, Promise.resolve('two')]), t: { then: (res: (v: unknown) => void) => res({ three: 3 }) } }),
    oracle: { js: () => JSON.stringify({ p: [1, 'two'], t: { three: 3 } }) },
    async: true,
  },
  {
    name: 'promise at root',
    value: () => new Promise((res) => setTimeout(() => res(records(3)), 5)),
    oracle: { js: () => JSON.stringify(records(3)) },
    async: true,
  },
  {
    name: 'async generator at root',
    value: () => agen(records(40)),
    oracle: { js: () => JSON.stringify(records(40)) },
    async: true,
  },
  {
    name: 'async generator whose last element arrives late',
    value: () => ({ rows: agen([1, 'two', { three: [3] }], true), after: true }),
    options: { indent: 2 },
    oracle: { js: () => JSON.stringify({ rows: [1, 'two', { three: [3] }], after: true }, null, 2) },
    async: true,
  },
  {
    name: 'empty async generator',
    value: () => ({ rows: agen([]) }),
    oracle: { js: () => JSON.stringify({ rows: [] }) },
    async: true,
  },
  {
    name: 'object-mode Readable',
    value: () => ({ rows: Readable.from([{ a: 1 }, 'x', [null]]) }),
    oracle: { js: () => JSON.stringify({ rows: [{ a: 1 }, 'x', [null]] }) },
    async: true,
  },
  {
    name: 'byte Readable split inside UTF-8 sequences',
    value: () => ({ text: bytesOneByOne(MIXED + ESCAPES + UNICODE) }),
    oracle: { js: () => JSON.stringify({ text: MIXED + ESCAPES + UNICODE }) },
    async: true,
  },
  {
    name: 'byte Readable in pieces of 5 bytes at root',
    value: () => bytesInPieces(UNICODE.repeat(20), 5),
    oracle: { js: () => JSON.stringify(UNICODE.repeat(20)) },
    async: true,
  },
  {
    name: 'empty byte Readable',
    value: () => [bytesInPieces('', 1)],
    oracle: { js: () => JSON.stringify(['']) },
    async: true,
  },
];

// Python dialect: the oracle is CPython's json.dumps.
const floats = N.list(...[1e-7, 1e16, 2.5e16, 5e-324, 1e21, 1.7976931348623157e308, 9007199254740992, 0.1, 1.5, 1e-4, 1e-5, 123456.789, -2.5e-300, 1e15 + 0.5].map(N.num));
const pyRecords = N.list(
  ...Array.from({ length: 20 }, (_, i) =>
    N.obj([
      ['id', N.num(i)],
      ['name', N.str(`n° ${i} 東京 😀`)],
      ['score', N.num(i / 7)],
      ['ok', N.bool(i % 2 === 0)],
      ['none', N.null()],
    ]),
  ),
);
const mixedKeys = N.map([
  [K.num(2), N.str('int')],
  [K.num(1.5), N.str('float')],
  [K.num(1e16), N.str('big float')],
  [K.bool(false), N.str('bool')],
  [K.null(), N.str('none')],
  [K.str('s'), N.list(N.num(1), N.num(2.5))],
]);
const numericKeys = N.map([
  [K.num(10), N.num(1)],
  [K.num(-1.5), N.num(2)],
  [K.bool(true), N.num(3)],
  [K.num(2), N.num(4)],
  [K.num(1e-7), N.num(5)],
]);
const codePointKeys = N.obj([
  ['\uffff', N.num(1)],
  ['😀', N.num(2)],
  ['\u{10000}', N.num(3)],
  ['a', N.num(4)],
  ['é', N.num(5)],
  ['', N.num(6)],
]);

export const PY_CASES: Case[] = [
  py('python: floats in exponent ranges', floats),
  py('python: records, defaults', pyRecords),
  py('python: records, indent 2, sort_keys, ensure_ascii False', pyRecords, { indent: 2, sort_keys: true, ensure_ascii: false }),
  py('python: records, tab indent, separators', pyRecords, { indent: '\t', separators: [' ,', ' = '] }),
  py('python: unicode, ensure_ascii', N.list(N.str(UNICODE), N.str(ESCAPES), N.str(LONE.join('')), N.str(MIXED))),
  py('python: astral, ensure_ascii False', N.list(N.str(ASTRAL), N.str(MIXED)), { ensure_ascii: false }),
  py('python: Map with mixed keys', mixedKeys, { indent: 0 }),
  py('python: numeric keys sorted', numericKeys, { sort_keys: true, indent: -1 }),
  py('python: keys sorted by code point', codePointKeys, { sort_keys: true }),
  py('python: indent and separators with $ replacement patterns', N.list(mixedKeys, pyRecords), { indent: "$`$'", separators: ['$&,', ':$1 '] }),
  py('python: non-finite numbers', N.list(N.num(NaN), N.num(Infinity), N.num(-Infinity), N.map([[K.num(NaN), N.num(-Infinity)]]))),
  py('python: bigints', N.list(N.big(2n ** 64n), N.big(-(10n ** 30n)), N.num(-0))),
  py('python: generator', pyRecords, { indent: 2 }, () => gen(toJS(pyRecords) as unknown[])),
  py('python: async generator', pyRecords, { sort_keys: true }, () => agen(toJS(pyRecords) as unknown[]), true),
];

export const CASES: Case[] = [...JS_CASES, ...PY_CASES];
