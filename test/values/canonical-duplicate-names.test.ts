// canonical: RFC 8785 is I-JSON (RFC 7493), whose object names are unique. Map keys that are
// written as the same name (1 and "1", null and "null", 10n and "10") are refused with
// ERR_UNSERIALIZABLE at the member, through every API, sorted next to each other or not, with an
// allow-list or not; so is a rawJSON fragment that repeats a name (written canonically, it would
// lose a member to JSON.parse's last-one-wins, and the digest would sign other content). Without
// canonical both members are written, as Python's json.dumps writes both (checked against
// python3), and an allow-list keeps both.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dumps, rawJSON } from '../../src/index.js';
import { expectEveryApi } from '../helpers/every-api.js';

const canonical = { canonical: true } as const;

describe('canonical refuses two members of one name', () => {
  it.each([
    ['a number and a string', new Map<unknown, unknown>([[1, 'a'], ['1', 'b']]), '$["1"]'],
    ['a string, then a number', new Map<unknown, unknown>([['1', 'b'], [1, 'a']]), '$["1"]'],
    ['null and "null"', new Map<unknown, unknown>([[null, 1], ['null', 2]]), '$.null'],
    ['true and "true"', new Map<unknown, unknown>([['true', 1], [true, 2]]), '$.true'],
    ['a bigint and its digits', new Map<unknown, unknown>([[10n, 1], ['10', 2]]), '$["10"]'],
    ['a fraction and its text', new Map<unknown, unknown>([['x', 0], [2.5, 1], ['2.5', 2]]), '$["2.5"]'],
    ['NaN and "NaN"', new Map<unknown, unknown>([[NaN, 1], ['NaN', 2]]), '$.NaN'],
  ])('%s', async (_what, map, path) => {
    await expectEveryApi(() => map, { code: 'ERR_UNSERIALIZABLE', path }, canonical);
  });

  it('at any depth, and with other members between the two in the Map', async () => {
    const make = () => ({ z: [{ m: new Map<unknown, unknown>([[1, 'a'], ['0', 'x'], ['2', 'y'], ['1', 'b']]) }] });
    await expectEveryApi(make, { code: 'ERR_UNSERIALIZABLE', path: '$.z[0].m["1"]' }, canonical);
  });

  it('with an allow-list naming the key', async () => {
    const make = () => new Map<unknown, unknown>([[1, 'a'], ['1', 'b'], ['2', 'c']]);
    await expectEveryApi(make, { code: 'ERR_UNSERIALIZABLE', path: '$["1"]' }, { ...canonical, replacer: ['1', '2'] });
    await expectEveryApi(make, '{"2":"c"}', { ...canonical, replacer: ['2'] });
  });

  it('in a rawJSON fragment (as the text is, before JSON.parse keeps the last), whatever the escapes', async () => {
    for (const text of ['{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '[0,{"b":{"c":1,"d":[],"c":2}}]']) {
      expect(Object.keys(JSON.parse(text) as object).length).toBeLessThan(3); // what JSON.parse would have made of it
      await expectEveryApi(() => ({ doc: rawJSON(text) }), { code: 'ERR_UNSERIALIZABLE', path: '$.doc' }, canonical);
    }
    await expectEveryApi(() => ({ doc: rawJSON('{"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}]}') }), '{"doc":{"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}]}}', canonical);
  });

  it('the message names the repeated name', () => {
    expect(() => dumps(new Map<unknown, unknown>([[1, 'a'], ['1', 'b']]), canonical)).toThrow(/"1"/);
    expect(() => dumps(rawJSON('{"b":{"c":1,"c":2}}'), canonical)).toThrow(/"c"/);
  });
});

describe('without canonical, both members are written, as json.dumps writes them', () => {
  it('the python dialect: byte for byte what CPython writes for the same dict', () => {
    const py = spawnSync('python3', ['-c', `import json
print(json.dumps({1: 'a', '1': 'b', None: 'e', 'null': 'f', 2.5: 'g', '2.5': 'h'}))`], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    const map = new Map<unknown, unknown>([[1, 'a'], ['1', 'b'], [null, 'e'], ['null', 'f'], [2.5, 'g'], ['2.5', 'h']]);
    expect(dumps(map, { dialect: 'python' }) + '\n').toBe(py.stdout);
  });

  it('the js dialect, sorted or not, and with an allow-list: every member kept', () => {
    const map = new Map<unknown, unknown>([['1', 'b'], [0, 'z'], [1, 'a']]);
    expect(dumps(map)).toBe('{"1":"b","0":"z","1":"a"}');
    expect(dumps(map, { sortKeys: true })).toBe('{"0":"z","1":"b","1":"a"}');
    expect(dumps(map, { replacer: ['1'] })).toBe('{"1":"b","1":"a"}');
  });
});
