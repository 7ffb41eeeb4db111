// CPython's json.dumps as a test oracle.
//
// A value is described once as a `PyNode` tree; `toJS` builds the JavaScript value that is given
// to jsondump ({dialect: 'python'}), `toTagged` the JSON-transportable description that the
// Python side decodes into the corresponding Python object. All cases of a test file are sent
// to ONE python3 process (runPython), which prints one result per case: the json.dumps text or
// the exception's class name and message.
//
// Transport tags (JSON objects, so they never collide with strings):
//   {"f": "<text>"}  a float: float(text) (NaN, Infinity, -Infinity, 1e-07, 2.5e+16 …)
//   {"i": "<digits>"} an int of any size
//   {"d": [[key, value], …]} a dict, in this order
//   {"u": n}  a key json cannot write: the tuple ('bad', n) (hashable, not str/int/float/bool/None)
//   {"o": n}  a value json cannot write: an instance of a plain class
// Safe integers travel as JSON numbers (json.loads gives int), strings/bools/null as themselves.

import { spawnSync } from 'node:child_process';

export type PyKey =
  | { k: 'str'; v: string }
  | { k: 'int'; v: number }
  | { k: 'float'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'badkey'; id: number };

export type PyNode =
  | { k: 'null' }
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: number }
  | { k: 'big'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'str'; v: string }
  | { k: 'list'; items: PyNode[] }
  | { k: 'obj'; entries: [string, PyNode][] }
  | { k: 'map'; entries: [PyKey, PyNode][] }
  | { k: 'bad'; id: number };

export type PyKwargs = {
  indent?: number | string | null;
  separators?: [string, string] | null;
  sort_keys?: boolean;
  skipkeys?: boolean;
  ensure_ascii?: boolean;
  allow_nan?: boolean;
  /** Pass default=: Python `lambda o: {"unserializable": o.n}`, jsondump `(v) => ({unserializable: v.id})`. */
  default?: true;
};

export type PyResult = { ok: string } | { err: string; msg: string };

// ---- constructors -------------------------------------------------------------------------

export const N = {
  null: (): PyNode => ({ k: 'null' }),
  bool: (v: boolean): PyNode => ({ k: 'bool', v }),
  /** A JS number: a safe integer is a Python int (as jsondump writes it), anything else a float. */
  num: (v: number): PyNode => (Number.isSafeInteger(v) ? { k: 'int', v: v === 0 ? 0 : v } : { k: 'float', v }),
  big: (v: bigint): PyNode => ({ k: 'big', v }),
  str: (v: string): PyNode => ({ k: 'str', v }),
  list: (...items: PyNode[]): PyNode => ({ k: 'list', items }),
  obj: (entries: [string, PyNode][]): PyNode => normalize({ k: 'obj', entries }),
  map: (entries: [PyKey, PyNode][]): PyNode => normalize({ k: 'map', entries }),
  bad: (id = 0): PyNode => ({ k: 'bad', id }),
};

export const K = {
  str: (v: string): PyKey => ({ k: 'str', v }),
  num: (v: number): PyKey => (Number.isSafeInteger(v) ? { k: 'int', v: v === 0 ? 0 : v } : { k: 'float', v }),
  bool: (v: boolean): PyKey => ({ k: 'bool', v }),
  null: (): PyKey => ({ k: 'null' }),
  bad: (id: number): PyKey => ({ k: 'badkey', id }),
};

/** Map keys that are equal in Python (1, 1.0, True) or in a JS Map collapse: keep the first. */
function pyKeyId(key: PyKey): string {
  switch (key.k) {
    case 'str':
      return 's:' + key.v;
    case 'int':
    case 'float':
      return 'n:' + String(key.v);
    case 'bool':
      return 'n:' + (key.v ? '1' : '0');
    case 'null':
      return 'null';
    case 'badkey':
      return 'b:' + key.id;
  }
}

/**
 * Makes a node describe exactly what both sides see: plain-object members in JavaScript's
 * property order (integer-like keys first, last value of a duplicated key wins), Map keys
 * unique under both JavaScript's and Python's equality.
 */
export function normalize(node: PyNode): PyNode {
  switch (node.k) {
    case 'list':
      return { k: 'list', items: node.items.map(normalize) };
    case 'obj': {
      const index: Record<string, number> = Object.create(null);
      node.entries.forEach(([key], i) => {
        index[key] = i;
      });
      const order = Object.keys(Object.fromEntries(node.entries.map(([key]) => [key, 0])));
      return { k: 'obj', entries: order.map((key) => [key, normalize(node.entries[index[key]!]![1])]) };
    }
    case 'map': {
      const seen = new Set<string>();
      const entries: [PyKey, PyNode][] = [];
      for (const [key, value] of node.entries) {
        const id = pyKeyId(key);
        if (seen.has(id)) continue;
        seen.add(id);
        entries.push([key, normalize(value)]);
      }
      return { k: 'map', entries };
    }
    default:
      return node;
  }
}

// ---- the JavaScript side ------------------------------------------------------------------

/** A class instance without toJSON: Python's dialect cannot write it (ERR_UNSERIALIZABLE). */
export class Unserializable {
  constructor(readonly id: number) {}
}

const badKeys = new Map<number, object | symbol>();
function badKeyJS(id: number): object | symbol {
  let k = badKeys.get(id);
  if (k === undefined) {
    k = id % 2 === 0 ? { badKey: id } : Symbol(`bad${id}`);
    badKeys.set(id, k);
  }
  return k;
}

function keyJS(key: PyKey): unknown {
  switch (key.k) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return key.v;
    case 'null':
      return null;
    case 'badkey':
      return badKeyJS(key.id);
  }
}

/** The JavaScript value a node describes (a fresh one on every call). */
export function toJS(node: PyNode): unknown {
  switch (node.k) {
    case 'null':
      return null;
    case 'bool':
    case 'int':
    case 'big':
    case 'float':
    case 'str':
      return node.v;
    case 'list':
      return node.items.map(toJS);
    case 'obj':
      return Object.fromEntries(node.entries.map(([key, value]) => [key, toJS(value)]));
    case 'map':
      return new Map(node.entries.map(([key, value]) => [keyJS(key), toJS(value)]));
    case 'bad':
      return new Unserializable(node.id);
  }
}

// ---- the Python side ----------------------------------------------------------------------

function keyTagged(key: PyKey): unknown {
  switch (key.k) {
    case 'str':
    case 'bool':
      return key.v;
    case 'int':
      return key.v;
    case 'float':
      return { f: String(key.v) };
    case 'null':
      return null;
    case 'badkey':
      return { u: key.id };
  }
}

/** The JSON-transportable description of a node, decoded by the Python script. */
export function toTagged(node: PyNode): unknown {
  switch (node.k) {
    case 'null':
      return null;
    case 'bool':
    case 'str':
      return node.v;
    case 'int':
      return node.v;
    case 'big':
      return { i: node.v.toString() };
    case 'float':
      return { f: String(node.v) };
    case 'list':
      return node.items.map(toTagged);
    case 'obj':
      return { d: node.entries.map(([key, value]) => [key, toTagged(value)]) };
    case 'map':
      return { d: node.entries.map(([key, value]) => [keyTagged(key), toTagged(value)]) };
    case 'bad':
      return { o: node.id };
  }
}

// ---- transformations used to exclude the contract's intentional differences -------------

type MapMembers = [PyKey, PyNode][];

/**
 * The tree with every Map rebuilt by `makeMap` (default: as is, not normalized) from
 * `members(its members)`, the members' values transformed first.
 */
export function rewriteMaps(
  node: PyNode,
  members: (entries: MapMembers) => MapMembers,
  makeMap: (entries: MapMembers) => PyNode = (entries) => ({ k: 'map', entries }),
): PyNode {
  const rewrite = (n: PyNode): PyNode => rewriteMaps(n, members, makeMap);
  switch (node.k) {
    case 'list':
      return { k: 'list', items: node.items.map(rewrite) };
    case 'obj':
      return { k: 'obj', entries: node.entries.map(([key, v]) => [key, rewrite(v)]) };
    case 'map':
      return makeMap(members(node.entries.map(([key, v]) => [key, rewrite(v)])));
    default:
      return node;
  }
}

/** True when `test` holds for the node or for some node inside it (list items, member values). */
function someNode(node: PyNode, test: (n: PyNode) => boolean): boolean {
  if (test(node)) return true;
  switch (node.k) {
    case 'list':
      return node.items.some((n) => someNode(n, test));
    case 'obj':
      return node.entries.some(([, v]) => someNode(v, test));
    case 'map':
      return node.entries.some(([, v]) => someNode(v, test));
    default:
      return false;
  }
}

/** The node with every Map member whose key Python's json cannot write removed. */
export function withoutBadKeys(node: PyNode): PyNode {
  return rewriteMaps(node, (entries) => entries.filter(([key]) => key.k !== 'badkey'));
}

/** True when some Map in the tree has members and every one of its keys is a bad key. */
export function hasAllBadMap(node: PyNode): boolean {
  return someNode(node, (n) => n.k === 'map' && n.entries.length > 0 && n.entries.every(([key]) => key.k === 'badkey'));
}

/**
 * True when json.dumps and jsondump may raise different errors for the node: a key json cannot
 * write (without skipkeys) and a value it cannot write (without default). Python meets them in
 * member order; jsondump checks a Map's keys before writing its members (ERR_KEY_TYPE points at
 * the Map), so a bad key after a bad value is reported first.
 */
export function errorOrderDiffers(node: PyNode, kwargs: PyKwargs): boolean {
  return !kwargs.skipkeys && !kwargs.default && hasBadKey(node) && someNode(node, (n) => n.k === 'bad');
}

export function hasBadKey(node: PyNode): boolean {
  return someNode(node, (n) => n.k === 'map' && n.entries.some(([key]) => key.k === 'badkey'));
}

/** Replaces lone surrogates by U+FFFD in every string (Python writes them raw with ensure_ascii=False). */
export function wellFormed(node: PyNode): PyNode {
  const fix = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const fixKey = (key: PyKey): PyKey => (key.k === 'str' ? { k: 'str', v: fix(key.v) } : key);
  switch (node.k) {
    case 'str':
      return { k: 'str', v: fix(node.v) };
    case 'list':
      return { k: 'list', items: node.items.map(wellFormed) };
    case 'obj':
      return normalize({ k: 'obj', entries: node.entries.map(([key, v]) => [fix(key), wellFormed(v)]) });
    case 'map':
      return normalize({ k: 'map', entries: node.entries.map(([key, v]) => [fixKey(key), wellFormed(v)]) });
    default:
      return node;
  }
}

/** Map NaN keys to another float (NaN keys do not order under sort_keys in Python). */
function noNaNKeys(node: PyNode): PyNode {
  return rewriteMaps(node, (entries) => entries.map(([key, v]) => [key.k === 'float' && Number.isNaN(key.v) ? K.num(0.25) : key, v]), N.map);
}

/**
 * What jsondump is given (`node`) and what Python is given (`pyNode`) so that their outputs are
 * comparable byte for byte, the contract's intentional differences and Python's own limits kept
 * out: lone surrogates in strings only with ensure_ascii (Python writes them raw otherwise), no
 * NaN keys with sort_keys (NaN does not order); with skipkeys, Python gets the dicts without
 * the keys it would skip when it would sort them first (and fail) or write an all-skipped dict
 * as "{" newline indent newline "}".
 */
export function comparable(node: PyNode, kwargs: PyKwargs): { node: PyNode; pyNode: PyNode } {
  if (kwargs.ensure_ascii === false) node = wellFormed(node);
  if (kwargs.sort_keys) node = noNaNKeys(node);
  let pyNode = node;
  if (kwargs.skipkeys && (kwargs.sort_keys || (kwargs.indent != null && hasAllBadMap(node)))) pyNode = withoutBadKeys(node);
  return { node, pyNode };
}

// ---- options ------------------------------------------------------------------------------

/** The `default` that matches the Python side's: an Unserializable becomes {unserializable: id}. */
export function unserializableDefault(v: unknown): unknown {
  if (v instanceof Unserializable) return { unserializable: v.id };
  throw new TypeError(`default called with ${typeof v}`);
}

/** jsondump options (dialect 'python', camelCase) for Python's keyword arguments. */
export function optionsFor(kwargs: PyKwargs): Record<string, unknown> {
  const o: Record<string, unknown> = { dialect: 'python' };
  if (kwargs.indent !== undefined) o.indent = kwargs.indent;
  if (kwargs.separators !== undefined && kwargs.separators !== null) o.separators = kwargs.separators;
  if (kwargs.sort_keys !== undefined) o.sortKeys = kwargs.sort_keys;
  if (kwargs.skipkeys !== undefined) o.skipKeys = kwargs.skipkeys;
  if (kwargs.ensure_ascii !== undefined) o.ensureAscii = kwargs.ensure_ascii;
  if (kwargs.allow_nan !== undefined) o.allowNaN = kwargs.allow_nan;
  if (kwargs.default) o.default = unserializableDefault;
  return o;
}

/**
 * The JSONDumpError code that corresponds to a Python exception raised by json.dumps:
 * ValueError (out-of-range float, allow_nan=False) → ERR_NON_FINITE; TypeError for a key
 * ("keys must be str, …", or keys sort_keys cannot compare) → ERR_KEY_TYPE; TypeError
 * "Object of type … is not JSON serializable" → ERR_UNSERIALIZABLE.
 */
export function expectedCode(r: { err: string; msg: string }): string {
  if (r.err === 'ValueError' && /out of range float/i.test(r.msg)) return 'ERR_NON_FINITE';
  if (r.err === 'ValueError' && /circular/i.test(r.msg)) return 'ERR_CIRCULAR';
  if (r.err === 'TypeError' && /not JSON serializable/.test(r.msg)) return 'ERR_UNSERIALIZABLE';
  if (r.err === 'TypeError' && /(keys must be|not supported between)/.test(r.msg)) return 'ERR_KEY_TYPE';
  return `python ${r.err}: ${r.msg}`;
}

// ---- running python -----------------------------------------------------------------------

const SCRIPT = String.raw`
import json, sys

class Unserializable:
    def __init__(self, n):
        self.n = n

def dec(x):
    if isinstance(x, list):
        return [dec(i) for i in x]
    if isinstance(x, dict):
        if 'f' in x:
            return float(x['f'])
        if 'i' in x:
            return int(x['i'])
        if 'u' in x:
            return ('bad', x['u'])
        if 'o' in x:
            return Unserializable(x['o'])
        d = {}
        for k, v in x['d']:
            d[dec(k)] = dec(v)
        return d
    return x

out = []
for case in json.loads(sys.stdin.buffer.read()):
    kw = dict(case['kwargs'])
    if kw.pop('default', False):
        kw['default'] = lambda o: {'unserializable': o.n}
    if kw.get('separators') is not None:
        kw['separators'] = tuple(kw['separators'])
    try:
        out.append({'ok': json.dumps(dec(case['value']), **kw)})
    except Exception as e:
        out.append({'err': type(e).__name__, 'msg': str(e)})
sys.stdout.write(json.dumps(out))
`;

export interface PyCase {
  node: PyNode;
  kwargs: PyKwargs;
}

/** json.dumps of every case, in one python3 process. */
export function runPython(cases: readonly PyCase[]): PyResult[] {
  const input = JSON.stringify(cases.map((c) => ({ value: toTagged(c.node), kwargs: c.kwargs })));
  const r = spawnSync('python3', ['-c', SCRIPT], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 exited with ${r.status}: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as PyResult[];
  if (results.length !== cases.length) throw new Error(`python3 returned ${results.length} results for ${cases.length} cases`);
  return results;
}

/** A readable one-line description of a node, for failure messages. */
export function show(node: PyNode): string {
  return JSON.stringify(toTagged(node));
}
