// String escaping: V8's JSON.stringify(str) against a regex pre-test (skip escaping when the
// string needs none) and a charCode loop, on clean ASCII, non-ASCII and escape-heavy strings.
// Also jsondump's own quote / quoteAscii (dist/encode/escape.js) when built.

import { internals, sameOutputs, consume } from './common.js';
import { makeRng } from '../datasets.js';

const rng = makeRng(7);
const make = (alphabet, n, len) => Array.from({ length: n }, () => {
  let s = '';
  const l = 4 + ((rng() * len) | 0);
  for (let i = 0; i < l; i++) s += alphabet[(rng() * alphabet.length) | 0];
  return JSON.parse(JSON.stringify(s)); // flat string
});

const INPUTS = {
  'clean ASCII': make('abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789-_.@', 1000, 40),
  'non-ASCII (no escapes)': make(['é', 'ß', 'Ж', '中', 'a', 'b', ' ', '😀'], 1000, 40),
  'escape-heavy': make(['"', '\\', '\n', '\t', '\u0001', 'a', 'b', 'é'], 1000, 40),
};

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function regexPretest(s) {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

const ESC = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
function charCodeLoop(s) {
  let out = '"';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) continue;
    let rep;
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff ? (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 : (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 && i > 0;
      if (pair) { if (c <= 0xdbff) i++; continue; }
      rep = '\\u' + c.toString(16);
    } else {
      rep = ESC[c] ?? '\\u' + c.toString(16).padStart(4, '0');
    }
    out += s.slice(last, i) + rep;
    last = i + 1;
  }
  return out + s.slice(last) + '"';
}

/** ensureAscii by a charCode loop over JSON.stringify's output (slices, no regex callback). */
const HEX = '0123456789abcdef';
function quoteAsciiLoop(str) {
  const q = JSON.stringify(str);
  let out = '';
  let last = 0;
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c < 0x7f) continue;
    out += q.slice(last, i) + '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
    last = i + 1;
  }
  return last === 0 ? q : out + q.slice(last);
}

const escape = await internals('encode/escape.js');

export const suites = Object.entries(INPUTS).map(([kind, strs]) => {
  const one = (f) => () => { for (let i = 0; i < strs.length; i++) consume(f(strs[i])); };
  const cases = {
    'JSON.stringify(str)': one(JSON.stringify),
    'regex pre-test, else JSON.stringify': one(regexPretest),
    'charCode loop': one(charCodeLoop),
  };
  if (escape) cases['jsondump quote'] = one(escape.quote);
  const ascii = { 'ensureAscii: JSON.stringify + charCode loop': one(quoteAsciiLoop) };
  if (escape) ascii['ensureAscii: jsondump quoteAscii (regex over runs)'] = one(escape.quoteAscii);
  return {
    name: `escape: ${kind} (1000 strings per op)`,
    cases: { ...cases, ...ascii },
    check: () => strs.forEach((s) => {
      sameOutputs({ a: JSON.stringify, b: regexPretest, c: charCodeLoop, ...(escape ? { d: escape.quote } : {}) }, s);
      if (escape) sameOutputs({ a: escape.quoteAscii, b: quoteAsciiLoop }, s);
    }),
  };
});

// A long run of non-ASCII text (1M CJK characters): escaping it character by character with
// string concatenation builds a rope of a node per character; writing the escapes as bytes
// into a buffer and reading them back as one latin1 string does not.
const LONG_CJK = JSON.parse(JSON.stringify(Array.from({ length: 1 << 20 }, (_, i) => String.fromCharCode(0x4e00 + (i % 20000))).join('')));

function runByConcat(run) {
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    out += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return out;
}

const HEX_BYTES = Buffer.from(HEX, 'latin1');
function runByBuffer(run) {
  const buf = Buffer.allocUnsafe(run.length * 6);
  for (let i = 0, o = 0; i < run.length; i++, o += 6) {
    const c = run.charCodeAt(i);
    buf[o] = 0x5c;
    buf[o + 1] = 0x75;
    buf[o + 2] = HEX_BYTES[c >> 12];
    buf[o + 3] = HEX_BYTES[(c >> 8) & 15];
    buf[o + 4] = HEX_BYTES[(c >> 4) & 15];
    buf[o + 5] = HEX_BYTES[c & 15];
  }
  return buf.toString('latin1');
}

const flat = (s) => { consume(s.charCodeAt(s.length >> 1)); }; // reading a character flattens a rope
const longCases = {
  'run escaped by string concatenation': () => flat(runByConcat(LONG_CJK)),
  'run escaped into a byte buffer': () => flat(runByBuffer(LONG_CJK)),
};
if (escape) longCases['jsondump quoteAscii'] = () => flat(escape.quoteAscii(LONG_CJK));
suites.push({
  name: 'ensureAscii: one text of 1M CJK characters',
  cases: longCases,
  check: () => sameOutputs({ a: runByConcat, b: runByBuffer }, LONG_CJK),
});
