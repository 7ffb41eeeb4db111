// Option validation and API.md's dialect defaults table, against JSON.stringify and CPython's
// json.dumps (one python3 process for the whole file).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { dumps, JSONDumpError, stringifyChunksSync } from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';

// ---- the python oracle: cases registered at collection time, run once in beforeAll ----------

type PyOut = { ok: string } | { err: string };
const pyCases: [string, Record<string, unknown>][] = [];
let pyResults: PyOut[] = [];

/** Registers `json.dumps(eval(expr), **kw)`; returns a getter for its result. */
function py(expr: string, kw: Record<string, unknown> = {}): () => PyOut {
  const i = pyCases.push([expr, kw]) - 1;
  return () => pyResults[i];
}

const PY_SCRIPT = `
import json, sys
cases = json.loads(sys.stdin.read())
out = []
for expr, kw in cases:
    if kw.get('separators') is not None:
        kw['separators'] = tuple(kw['separators'])
    try:
        out.append({'ok': json.dumps(eval(expr), **kw)})
    except Exception as e:
        out.append({'err': type(e).__name__})
sys.stdout.write(json.dumps(out))
`;

beforeAll(() => {
  const r = spawnSync('python3', ['-c', PY_SCRIPT], { input: JSON.stringify(pyCases), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  pyResults = JSON.parse(r.stdout) as PyOut[];
  expect(pyResults).toHaveLength(pyCases.length);
});

/** The text, or "!CODE PATH" / "!throw message". */
function run(v: unknown, o: DumpOptions): string {
  try {
    return dumps(v, o);
  } catch (e) {
    if (e instanceof JSONDumpError) return `!${e.code} ${e.path}`;
    return `!throw ${String(e)}`;
  }
}

function okText(r: PyOut): string {
  if ('err' in r) throw new Error(`python raised ${r.err}`);
  return r.ok;
}

// A value with only ASCII strings and safe integers: the same text in both languages.
const V = { a: [1, 'x', { b: null, c: [] }], d: true, e: {}, f: [[2, 3], -4] };
const V_PY = `{'a': [1, 'x', {'b': None, 'c': []}], 'd': True, 'e': {}, 'f': [[2, 3], -4]}`;

describe('separators: dialect defaults', () => {
  const pyCompact = py(V_PY);
  const pyIndented = py(V_PY, { indent: 2 });
  it("js compact [',', ':'] = JSON.stringify", () => {
    expect(run(V, {})).toBe(JSON.stringify(V));
  });
  it("js indented [',', ': '] = JSON.stringify with indent", () => {
    expect(run(V, { indent: 2 })).toBe(JSON.stringify(V, null, 2));
    expect(run(V, { indent: '\t' })).toBe(JSON.stringify(V, null, '\t'));
  });
  it("python compact [', ', ': '] = json.dumps", () => {
    expect(run(V, { dialect: 'python' })).toBe(okText(pyCompact()));
    expect(run(V, { dialect: 'python' })).toBe('{"a": [1, "x", {"b": null, "c": []}], "d": true, "e": {}, "f": [[2, 3], -4]}');
  });
  it("python indented [',', ': '] = json.dumps(indent=2)", () => {
    expect(run(V, { dialect: 'python', indent: 2 })).toBe(okText(pyIndented()));
  });
  const pyCustom = py(V_PY, { separators: [' ;', '=>'] });
  const pyCustomIndented = py(V_PY, { separators: [' ;', '=>'], indent: 3 });
  it('explicit separators win in both dialects, compact and indented', () => {
    for (const dialect of ['js', 'python'] as const) {
      expect(run(V, { dialect, separators: [' ;', '=>'] }), dialect).toBe(okText(pyCustom()));
      expect(run(V, { dialect, separators: [' ;', '=>'], indent: 3 }), dialect).toBe(okText(pyCustomIndented()));
    }
  });
});

describe('ensureAscii: dialect defaults', () => {
  const S = 'é\u007f😀\u2028 \u0100\uffff"\\\n';
  const S_PY = `'\\u00e9\\u007f\\U0001F600\\u2028 \\u0100\\uffff"\\\\\\n'`;
  const pyAscii = py(S_PY);
  const pyRaw = py(S_PY, { ensure_ascii: false });
  const pyLone = py(`'a\\ud800b\\udc00'`);
  it('js default false: as JSON.stringify', () => {
    expect(run(S, {})).toBe(JSON.stringify(S));
    expect(run({ [S]: S }, {})).toBe(JSON.stringify({ [S]: S }));
  });
  it('python default true: as json.dumps (DEL escaped, lowercase hex, surrogate pairs)', () => {
    expect(run(S, { dialect: 'python' })).toBe(okText(pyAscii()));
    expect(run(S, { dialect: 'python' })).toBe('"\\u00e9\\u007f\\ud83d\\ude00\\u2028 \\u0100\\uffff\\"\\\\\\n"');
  });
  it('explicit ensureAscii wins in both dialects', () => {
    expect(run(S, { ensureAscii: true })).toBe(okText(pyAscii()));
    expect(run(S, { dialect: 'python', ensureAscii: false })).toBe(okText(pyRaw()));
  });
  it('keys are escaped too', () => {
    expect(run({ é: 1 }, { ensureAscii: true })).toBe('{"\\u00e9":1}');
    expect(run(new Map([['😀', 1]]), { dialect: 'python' })).toBe('{"\\ud83d\\ude00": 1}');
  });
  it('lone surrogates with ensureAscii', () => {
    expect(run('a\ud800b\udc00', { dialect: 'python' })).toBe(okText(pyLone()));
    expect(run('a\ud800b\udc00', {})).toBe(JSON.stringify('a\ud800b\udc00'));
  });
});

describe('allowNaN three ways, both dialects', () => {
  const v = [NaN, Infinity, -Infinity, 1, { x: NaN }];
  const vPy = `[float('nan'), float('inf'), float('-inf'), 1, {'x': float('nan')}]`;
  const pyDefault = py(vPy);
  const pyTrue = py(vPy, { allow_nan: true });
  const pyFalse = py(vPy, { allow_nan: false });
  it('js, absent: null (JSON.stringify)', () => {
    expect(run(v, {})).toBe(JSON.stringify(v));
  });
  it('js, true: literals', () => {
    expect(run(v, { allowNaN: true })).toBe('[NaN,Infinity,-Infinity,1,{"x":NaN}]');
  });
  it('js, false: ERR_NON_FINITE at the number', () => {
    expect(run(v, { allowNaN: false })).toBe('!ERR_NON_FINITE $[0]');
    expect(run([1, { x: -Infinity }], { allowNaN: false })).toBe('!ERR_NON_FINITE $[1].x');
  });
  it('python, absent and true: literals, as json.dumps', () => {
    expect(run(v, { dialect: 'python' })).toBe(okText(pyDefault()));
    expect(run(v, { dialect: 'python', allowNaN: true })).toBe(okText(pyTrue()));
  });
  it('python, false: ERR_NON_FINITE (json.dumps raises ValueError)', () => {
    expect(pyFalse()).toEqual({ err: 'ValueError' });
    expect(run(v, { dialect: 'python', allowNaN: false })).toBe('!ERR_NON_FINITE $[0]');
  });
});

describe('indent: Python semantics', () => {
  const py0 = py(V_PY, { indent: 0 });
  const pyNeg = py(V_PY, { indent: -1 });
  const py12 = py(V_PY, { indent: 12 });
  const pyEmpty = py(V_PY, { indent: '' });
  const pyLong = py(V_PY, { indent: 'abcdefghijkl' });
  const pyDash = py(V_PY, { indent: '--' });
  it('0 → newlines without indentation (js and python)', () => {
    expect(run(V, { indent: 0 })).toBe(okText(py0()));
    expect(run(V, { dialect: 'python', indent: 0 })).toBe(okText(py0()));
    expect(run(V, { indent: 0 })).not.toBe(JSON.stringify(V, null, 0));
  });
  it('negative → newlines without indentation', () => {
    expect(run(V, { indent: -1 })).toBe(okText(pyNeg()));
    expect(run(V, { dialect: 'python', indent: -5 })).toBe(okText(pyNeg()));
  });
  it('12 → 12 spaces (no clamp at 10)', () => {
    expect(run(V, { indent: 12 })).toBe(okText(py12()));
    expect(run(V, { indent: 12 })).toContain('\n' + ' '.repeat(12) + '"a"');
  });
  it('a string is used verbatim per level, also longer than 10 and empty', () => {
    expect(run(V, { indent: '--' })).toBe(JSON.stringify(V, null, '--'));
    expect(run(V, { dialect: 'python', indent: '--' })).toBe(okText(pyDash()));
    expect(run(V, { indent: 'abcdefghijkl' })).toBe(okText(pyLong()));
    expect(run(V, { indent: '' })).toBe(okText(pyEmpty()));
  });
  it('1–10 as JSON.stringify', () => {
    for (let n = 1; n <= 10; n++) expect(run(V, { indent: n })).toBe(JSON.stringify(V, null, n));
  });
  it('null or absent → compact', () => {
    expect(run(V, { indent: null })).toBe(JSON.stringify(V));
    expect(run(V, { indent: undefined })).toBe(JSON.stringify(V));
  });
});

describe('sortKeys', () => {
  const keys = ['\uff61', '\ud83d\ude00', 'b', 'a', '10', '9', '', 'B'];
  const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
  const objPy = '{' + keys.map((k, i) => `${JSON.stringify(k)}: ${i}`).join(', ') + '}';
  const pySorted = py(objPy, { sort_keys: true, ensure_ascii: false });
  const pySortedAscii = py(objPy, { sort_keys: true });
  it('js: UTF-16 code unit order of the key text', () => {
    const sorted = [...keys].sort(); // default sort: UTF-16 code units
    const expected = '{' + sorted.map((k) => `${JSON.stringify(k)}:${obj[k]}`).join(',') + '}';
    expect(run(obj, { sortKeys: true })).toBe(expected);
    // the surrogate pair (0xD83D…) comes before U+FF61 in UTF-16 order
    const t = run(obj, { sortKeys: true });
    expect(t.indexOf('😀')).toBeLessThan(t.indexOf('\uff61'));
  });
  it('python: code point order (U+FF61 before U+1F600), as json.dumps(sort_keys=True)', () => {
    expect(run(obj, { dialect: 'python', sortKeys: true, ensureAscii: false })).toBe(okText(pySorted()));
    expect(run(obj, { dialect: 'python', sortKeys: true })).toBe(okText(pySortedAscii()));
    const t = run(obj, { dialect: 'python', sortKeys: true, ensureAscii: false });
    expect(t.indexOf('\uff61')).toBeLessThan(t.indexOf('😀'));
  });
  it('nested objects and indent', () => {
    const v = { z: { y: 1, x: [{ d: 1, c: 2 }] }, a: 0 };
    expect(run(v, { sortKeys: true, indent: 2 })).toBe('{\n  "a": 0,\n  "z": {\n    "x": [\n      {\n        "c": 2,\n        "d": 1\n      }\n    ],\n    "y": 1\n  }\n}');
  });
  const pyMapSorted = py(`{10: 'a', 9: 'b', 1.5: 'c', True: 'd', -1: 'e'}`, { sort_keys: true });
  it('python: Map keys compared as Python compares them (numbers and booleans numerically)', () => {
    const m = new Map<unknown, string>([[10, 'a'], [9, 'b'], [1.5, 'c'], [true, 'd'], [-1n, 'e']]);
    expect(run(m, { dialect: 'python', sortKeys: true })).toBe(okText(pyMapSorted()));
    expect(okText(pyMapSorted())).toBe('{"-1": "e", "true": "d", "1.5": "c", "9": "b", "10": "a"}');
  });
  it('js: Map keys by their text', () => {
    const m = new Map<unknown, string>([[10, 'a'], [9, 'b'], [1.5, 'c'], [true, 'd'], [-1n, 'e']]);
    expect(run(m, { sortKeys: true })).toBe('{"-1":"e","1.5":"c","10":"a","9":"b","true":"d"}');
  });
  const pyMixed = py(`{1: 'a', 'b': 2}`, { sort_keys: true });
  const pyNone = py(`{None: 1, 2: 2}`, { sort_keys: true });
  it('python: keys Python cannot order raise ERR_KEY_TYPE at the Map', () => {
    expect(pyMixed()).toEqual({ err: 'TypeError' });
    expect(pyNone()).toEqual({ err: 'TypeError' });
    expect(run({ m: new Map<unknown, unknown>([[1, 'a'], ['b', 2]]) }, { dialect: 'python', sortKeys: true })).toBe('!ERR_KEY_TYPE $.m');
    expect(run(new Map<unknown, unknown>([[null, 1], [2, 2]]), { dialect: 'python', sortKeys: true })).toBe('!ERR_KEY_TYPE $');
    // js dialect orders the key text: no error
    expect(run(new Map<unknown, unknown>([[1, 'a'], ['b', 2]]), { sortKeys: true })).toBe('{"1":"a","b":2}');
  });
  it('skipKeys drops invalid keys before sortKeys orders the rest', () => {
    const m = (): Map<unknown, number> => new Map<unknown, number>([['b', 1], [{}, 2], ['a', 3], [[1], 4]]);
    expect(run(m(), { skipKeys: true, sortKeys: true })).toBe('{"a":3,"b":1}');
    expect(run(m(), { dialect: 'python', skipKeys: true, sortKeys: true })).toBe('{"a": 3, "b": 1}');
    expect(run(m(), { sortKeys: true })).toBe('!ERR_KEY_TYPE $');
  });
});

describe('number text per dialect', () => {
  const nums = [1e-7, 2.5e16, 1e16, 5e-324, 1e21, 0.1, 1e-5, 1e-4, 123456789012345680000, 1.7976931348623157e308, 2 ** 53, -(2 ** 53 - 1), 1.5, -2.25e-10, 100, 3];
  const pyExpr = '[' + nums.map((n) => (Number.isSafeInteger(n) ? String(n) : `float('${n}')`)).join(', ') + ']';
  const pyNums = py(pyExpr);
  it('js: Number.prototype.toString (JSON.stringify)', () => {
    expect(run(nums, {})).toBe(JSON.stringify(nums));
  });
  it("python: safe integers as digits, other numbers as repr(float)", () => {
    expect(run(nums, { dialect: 'python' })).toBe(okText(pyNums()));
    expect(run([1e-7, 2.5e16, 1e16, 5e-324, -0], { dialect: 'python' })).toBe('[1e-07, 2.5e+16, 1e+16, 5e-324, 0]');
  });
});

describe('option validation', () => {
  const bad: [string, unknown][] = [
    ['indent: {}', { indent: {} }],
    ['indent: 1.5', { indent: 1.5 }],
    ["indent: ['  ']", { indent: ['  '] }],
    ["separators: ['a']", { separators: ['a'] }],
    ["separators: ['a', 'b', 'c']", { separators: ['a', 'b', 'c'] }],
    ['separators: [1, 2]', { separators: [1, 2] }],
    ['chunkSize: 0', { chunkSize: 0 }],
    ['chunkSize: -1', { chunkSize: -1 }],
    ["chunkSize: '10'", { chunkSize: '10' }],
    ["dialect: 'ruby'", { dialect: 'ruby' }],
    ['unknown option', { indnt: 2 }],
    ['snake_case name', { ensure_ascii: true }],
  ];
  for (const [label, o] of bad) {
    it(`${label} → ERR_BAD_OPTION at $`, () => {
      expect(run({ a: 1 }, o as DumpOptions)).toBe('!ERR_BAD_OPTION $');
    });
  }
  it('every documented option with a valid value is accepted', () => {
    const ac = new AbortController();
    const o: DumpOptions = {
      replacer: null, indent: null, separators: [',', ':'], sortKeys: false, skipKeys: false, ensureAscii: false,
      allowNaN: true, checkCircular: true, default: (x) => x, dialect: 'js', chunkSize: 1, signal: ac.signal,
      onProgress: () => {}, end: true, atomic: true,
    };
    expect(run({ a: [1] }, o)).toBe('{"a":[1]}');
    expect(run({ a: [1] }, { replacer: ['a'], indent: 'x' })).toBe('{\nx"a": [\nxx1\nx]\n}');
  });
  it('chunkSize changes how the text is cut, never the text; chunks never split a surrogate pair', () => {
    const v = { s: '😀a😀😀b'.repeat(20), n: [1, 2, 3], t: 'é'.repeat(30) };
    const whole = JSON.stringify(v);
    for (const chunkSize of [1, 2, 3, 7, 64, 1e9]) {
      const chunks = [...stringifyChunksSync(v, { chunkSize })];
      expect(chunks.join('')).toBe(whole);
      for (const c of chunks) {
        expect(c.length).toBeGreaterThan(0);
        const last = c.charCodeAt(c.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff, `chunk ends in a high surrogate (chunkSize ${chunkSize})`).toBe(false);
      }
      if (chunkSize === 1e9) expect(chunks).toHaveLength(1);
    }
  });
});
