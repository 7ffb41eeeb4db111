// An object that only inherits from a built-in's prototype (Object.create(String.prototype),
// Object.create(Map.prototype)…) has none of the built-in's internal slots: it is not a box, a
// Map, a Set, a typed array or a promise, and JSON.stringify writes it as an ordinary object,
// `{}` plus its own members. Only real ones (new String('x'), a subclass instance) are unwrapped
// or iterated.
import { describe, expect, it } from 'vitest';
import { allVariants } from '../helpers/variants.js';

const PROTOTYPES: [string, object][] = [
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['BigInt.prototype', BigInt.prototype],
  ['Symbol.prototype', Symbol.prototype],
  ['Map.prototype', Map.prototype],
  ['Set.prototype', Set.prototype],
  ['Uint8Array.prototype', Uint8Array.prototype],
  ['Promise.prototype', Promise.prototype],
];

/** Where the object stands: alone, as a member, as an element of a plain array. */
const PLACES: [string, (o: object) => unknown][] = [
  ['at the root', (o) => o],
  ['as a member', (o) => ({ a: 1, o, z: [2] })],
  ['in an array', (o) => [0, o, 'x']],
  ['deep inside plain data', (o) => ({ rows: [{ id: 1, v: { w: [o] } }] })],
];

describe("objects inheriting from a built-in's prototype are ordinary objects", () => {
  for (const [protoName, proto] of PROTOTYPES) {
    for (const [place, put] of PLACES) {
      it(`Object.create(${protoName}) ${place}`, async () => {
        const make = () => put(Object.create(proto) as object);
        for (const text of Object.values(await allVariants(make))) expect(text).toBe(JSON.stringify(make()));
      });
    }

    it(`Object.create(${protoName}) with own members, indented`, async () => {
      const make = () => ({ row: Object.assign(Object.create(proto) as object, { a: 1, b: 'two' }) });
      const expected = JSON.stringify(make(), null, 2);
      for (const text of Object.values(await allVariants(make, { indent: 2 }))) expect(text).toBe(expected);
    });
  }

  it('real Maps, Sets, typed arrays and promises, and subclass instances, are still what they are', async () => {
    class Table extends Map<string, number> {}
    const make = () => ({ m: new Table([['a', 1]]), s: new Set([1, 2]), u: new Uint8Array([3]), p: Promise.resolve(4) });
    const expected = '{"m":{"a":1},"s":[1,2],"u":[3],"p":4}';
    for (const text of Object.values(await allVariants(make, {}, { async: true }))) expect(text).toBe(expected);
  });

  it('real boxes, and boxes of subclasses, are still unwrapped', async () => {
    class Text extends String {}
    class Amount extends Number {}
    const make = () => ({ s: new String('x'), n: new Number(2.5), b: new Boolean(false), t: new Text('y'), m: new Amount(7) });
    const expected = JSON.stringify(make());
    expect(expected).toBe('{"s":"x","n":2.5,"b":false,"t":"y","m":7}');
    for (const text of Object.values(await allVariants(make))) expect(text).toBe(expected);
  });
});
