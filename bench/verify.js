// Reference outputs ("oracles") and byte-for-byte checks.
//
// js modes: the reference is JSON.stringify of the same data with the corresponding options
// (sortKeys: a replacer that rebuilds every plain object with sorted keys; ensureAscii:
// JSON.stringify, then every non-ASCII UTF-16 unit and DEL as \uXXXX, lowercase).
// python mode: the compact JSON.stringify text is loaded and re-dumped by CPython's json
// module (`json.dump(json.load(f), out)`: ints stay ints, floats stay floats), and that is
// the reference. Outputs are compared by SHA-256 and size.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

const INTEGER_KEY = /^(?:0|[1-9]\d*)$/;

function sortingReplacer(key, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort(); // UTF-16 code unit order
  const out = {};
  for (const k of keys) {
    // JS objects put integer-like keys first whatever the insertion order: the oracle would lie
    if (INTEGER_KEY.test(k)) throw new Error(`sortKeys oracle: integer-like key ${k} in the data`);
    out[k] = value[k];
  }
  return out;
}

const hex4 = (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

/** The reference text for a js-dialect mode. */
export function oracle(value, mode) {
  switch (mode) {
    case 'compact': return JSON.stringify(value);
    case 'indent': return JSON.stringify(value, null, 2);
    case 'ensureAscii': return JSON.stringify(value).replace(/[\u007f-\uffff]/g, hex4);
    case 'sortKeys': return JSON.stringify(value, sortingReplacer);
    default: throw new Error(`no JS oracle for mode ${mode}`);
  }
}

const PYTHON_DUMP = [
  'import json, sys',
  "with open(sys.argv[1], encoding='utf-8') as f: data = json.load(f)",
  "with open(sys.argv[2], 'w', encoding='utf-8') as out: json.dump(data, out)",
].join('\n');

/** CPython's json.dump (default arguments) of the JSON text in `src`, written to `dest`. */
export function pythonReference(src, dest) {
  execFileSync('python3', ['-c', PYTHON_DUMP, src, dest], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** sha256 and size of a file, or of its first `limit` bytes. */
export function hashFile(path, limit = Infinity) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let size = 0;
  try {
    for (;;) {
      const want = Math.min(buf.length, limit - size);
      if (want <= 0) break;
      const n = fs.readSync(fd, buf, 0, want, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Compares a run's output digest with the reference. A capped (partial) output must be a
 * prefix of the reference: its hash is compared with the hash of the reference's first bytes.
 */
export function check(result, ref) {
  if (result.noOutput) return 'n/a';
  if (!result.output) return 'FAILED (no output)';
  const { sha256: got, size } = result.output;
  if (result.capped) {
    if (!ref.file || !fs.existsSync(ref.file)) return 'partial (unchecked)';
    if (size > ref.size) return 'FAILED (longer than reference)';
    return hashFile(ref.file, size).sha256 === got ? 'ok (prefix)' : 'FAILED (prefix)';
  }
  if (size !== ref.size) return `FAILED (size ${size} ≠ ${ref.size})`;
  return got === ref.sha256 ? 'ok' : 'FAILED (sha256)';
}
