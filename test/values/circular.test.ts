// circular: what a cycle becomes. 'null' and 'omit' are checked against safe-stable-stringify
// (circularValue null / undefined), which applies the same rule — a cycle is an object met again
// on the current path, not one met twice — and was written by others; the function form by the
// paths it is given; a DAG with a million paths to one object is not a cycle. Through every API.
import fc from 'fast-check';
import { configure } from 'safe-stable-stringify';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { dumpLines, dumps, JSONDumpError, measure, rawJSON, stringifyChunksSync, type CircularPolicy } from '../../src/index.js';
import { expectEveryApi } from '../helpers/every-api.js';

const nullFor = configure({ circularValue: null, deterministic: false });
const omitted = configure({ circularValue: undefined, deterministic: false });

/** `{ a: { x: 1, self: a, list: [a, 2] } }`: cycles in an object member and an array element. */
function twoCycles(): { a: Record<string, unknown> } {
  const a: Record<string, unknown> = { x: 1 };
  a.self = a;
  a.list = [a, 2];
  return { a };
}

describe('each policy, through every API', () => {
  it("'error' (the default): ERR_CIRCULAR at the member that closes the cycle", async () => {
    await expectEveryApi(twoCycles, { code: 'ERR_CIRCULAR', path: '$.a.self' });
    await expectEveryApi(twoCycles, { code: 'ERR_CIRCULAR', path: '$.a.self' }, { circular: 'error' });
  });

  it("'null': null in the cycle's place", async () => {
    await expectEveryApi(twoCycles, nullFor(twoCycles())!, { circular: 'null' });
    await expectEveryApi(twoCycles, nullFor(twoCycles(), null, 2)!, { circular: 'null', indent: 2 });
  });

  it("'omit': as undefined — no member in an object, null in an array", async () => {
    await expectEveryApi(twoCycles, omitted(twoCycles())!, { circular: 'omit' });
    expect(omitted(twoCycles())).toBe('{"a":{"x":1,"list":[null,2]}}');
    await expectEveryApi(twoCycles, omitted(twoCycles(), null, '\t')!, { circular: 'omit', indent: '\t' });
  });

  it('the function: its result is written in the place of the cycle, a rawJSON pointer included', async () => {
    const ref: CircularPolicy = (_path, _value, target) => rawJSON(JSON.stringify({ $ref: target }));
    await expectEveryApi(twoCycles, '{"a":{"x":1,"self":{"$ref":"$.a"},"list":[{"$ref":"$.a"},2]}}', { circular: ref });
    await expectEveryApi(twoCycles, '{"a":{"x":1,"self":"$.a.self","list":["$.a.list[0]",2]}}', { circular: (path) => path });
  });

  it('Maps, Sets, iterables and promises close cycles too', async () => {
    const make = () => {
      const m = new Map<unknown, unknown>([[1, 'one']]);
      const s = new Set<unknown>(['x']);
      m.set('me', m);
      m.set('set', s);
      s.add(m);
      return { m };
    };
    await expectEveryApi(make, '{"m":{"1":"one","me":null,"set":["x",null]}}', { circular: 'null' });
    await expectEveryApi(make, '{"m":{"1":"one","set":["x",null]}}', { circular: 'omit' });
    await expectEveryApi(make, { code: 'ERR_CIRCULAR', path: '$.m.me' });
    const viaPromise = () => {
      const o: Record<string, unknown> = { n: 1 };
      o.later = Promise.resolve(o);
      o.gen = (function* () {
        yield o;
      })();
      return o;
    };
    await expectEveryApi(viaPromise, '{"n":1,"later":null,"gen":[null]}', { circular: 'null' }, { async: true });
  });
});

describe('the function form', () => {
  it('gets the path where the cycle was met, the object, and the path of the ancestor it repeats', () => {
    const calls: [string, unknown, string][] = [];
    const v = { top: twoCycles(), deep: { m: new Map<string, unknown>() } };
    v.deep.m.set('odd key', v);
    const text = dumps(v, { circular: (path, value, target) => (calls.push([path, value, target]), 0) });
    expect(calls).toEqual([
      ['$.top.a.self', v.top.a, '$.top.a'],
      ['$.top.a.list[0]', v.top.a, '$.top.a'],
      ['$.deep.m["odd key"]', v, '$'],
    ]);
    expect(text).toBe('{"top":{"a":{"x":1,"self":0,"list":[0,2]}},"deep":{"m":{"odd key":0}}}');
  });

  it('its result goes through toJSON; undefined drops the member, as any undefined does', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(dumps(a, { circular: () => new Date(0) })).toBe('{"x":1,"self":"1970-01-01T00:00:00.000Z"}');
    expect(dumps(a, { circular: () => undefined })).toBe('{"x":1}');
  });

  it('a result that is itself on the path is ERR_CIRCULAR, not an endless loop', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(() => dumps(a, { circular: (_p, value) => value })).toThrow(expect.objectContaining({ code: 'ERR_CIRCULAR', path: '$.self' }));
  });

  it('what it throws comes through unchanged', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    const boom = new Error('mine');
    expect(() => dumps(a, { circular: () => { throw boom; } })).toThrow(boom);
  });
});

describe('only the current path is a cycle', () => {
  /** 20 levels, each holding the level below twice: 2^20 paths to the one leaf object. */
  function dag(): unknown {
    let node: unknown = { leaf: 1 };
    for (let i = 0; i < 20; i++) node = { l: node, r: node };
    return node;
  }

  it('a DAG with 2^20 paths to one object is written in full, with no cycle met', async () => {
    const expected = JSON.stringify(dag());
    let cycles = 0;
    const policy: CircularPolicy = () => ++cycles;
    expect(dumps(dag(), { circular: policy })).toBe(expected);
    // A replacer keeps the native fast path away: the walk itself meets every one of the 2^21 objects.
    const identity = (_k: string, v: unknown) => v;
    const stats = await measure(dag(), { circular: policy, replacer: identity });
    expect(stats.bytes).toBe(Buffer.byteLength(expected));
    expect(stats.values).toBe(2 ** 21 - 1 + 2 ** 20);
    expect(cycles).toBe(0);
  });

  it('property: null and omit agree with safe-stable-stringify on graphs with back edges and shared objects', () => {
    const graph = fc.record({
      tree: fc.jsonValue({ maxDepth: 4 }),
      // [container, ancestor or any container, member name or index]
      edges: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.string({ maxLength: 3 })), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(graph, fc.constantFrom<'null' | 'omit'>('null', 'omit'), fc.constantFrom(3, 64, 65536), ({ tree, edges }, policy, chunkSize) => {
        const root = withEdges(structuredClone({ root: tree }), edges);
        const expected = (policy === 'null' ? nullFor : omitted)(root);
        expect(dumps(root, { circular: policy })).toBe(expected);
        expect([...stringifyChunksSync(root, { circular: policy, chunkSize })].join('')).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

type Container = Record<string, unknown> | unknown[];

/** Adds members to the tree's containers that point at an ancestor (a cycle) or at any container (shared or a cycle). */
function withEdges(root: Container, edges: [number, number, boolean, string][]): Container {
  const found: { c: Container; ancestors: Container[] }[] = [];
  const visit = (c: Container, ancestors: Container[]) => {
    found.push({ c, ancestors });
    for (const v of Object.values(c)) if (typeof v === 'object' && v !== null) visit(v as Container, [...ancestors, c]);
  };
  visit(root, []);
  for (const [from, to, toAncestor, name] of edges) {
    const { c, ancestors } = found[from % found.length];
    const pool = toAncestor ? [...ancestors, c] : found.map((f) => f.c);
    const target = pool[to % pool.length];
    if (Array.isArray(c)) c.push(target);
    else c[`e${name}`] = target;
  }
  return root;
}

describe('the option', () => {
  it("takes 'error', 'null', 'omit' or a function; anything else is ERR_BAD_OPTION", () => {
    for (const bad of ['ignore', true, 0, {}]) {
      expect(() => dumps(1, { circular: bad as never })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    }
  });

  it('a policy other than error with checkCircular: false is ERR_BAD_OPTION: no cycle would ever be met', () => {
    for (const circular of ['null', 'omit', () => null] as const) {
      expect(() => dumps(1, { circular, checkCircular: false })).toThrow(
        expect.objectContaining({ code: 'ERR_BAD_OPTION', message: expect.stringContaining('checkCircular') }),
      );
    }
    expect(dumps([1], { circular: 'error', checkCircular: false })).toBe('[1]');
  });
});

describe('dumpLines', () => {
  const lines = async (records: unknown, circular: CircularPolicy): Promise<string | JSONDumpError> => {
    let text = '';
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) });
    try {
      await dumpLines(records, sink, { circular });
      return text;
    } catch (e) {
      return e as JSONDumpError;
    }
  };

  it('a cycle inside a record is written as the policy says', async () => {
    const rec: Record<string, unknown> = { id: 1 };
    rec.me = rec;
    expect(await lines([rec, { id: 2 }], 'null')).toBe('{"id":1,"me":null}\n{"id":2}\n');
    expect(await lines([rec, { id: 2 }], 'omit')).toBe('{"id":1}\n{"id":2}\n');
  });

  it('a record that is the records array itself: null is a line; omitted, it would be no line at all, so it is refused', async () => {
    const records: unknown[] = [1];
    records.push(records);
    expect(await lines(records, 'null')).toBe('1\nnull\n');
    expect(await lines(records, 'omit')).toMatchObject({ code: 'ERR_UNSERIALIZABLE', path: '$[1]' });
  });
});
