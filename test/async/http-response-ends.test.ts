// A real HTTP server answering with a value that holds a generator (a database cursor), in each
// form a user may write: `await dump(body, res)`, `pipeline(createStringifyStream(body), res,
// callback)` and `createStringifyStream(body).pipe(res)`. When the generator throws, nothing is
// uncaught in the server, the client sees the body fail (never a short body that looks complete,
// never a hang) and the generator's finally runs; when the client goes away mid-body, the
// generator is closed (its finally runs) instead of staying open forever.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStringifyStream, dump } from '../../src/index.js';

/** How long the client or the cursor may take to see the end: generous for a busy machine. */
const SOON_MS = 2000;

type Form = (body: unknown, res: http.ServerResponse, errors: unknown[]) => void;
const FORMS: Record<string, Form> = {
  'await dump(body, res)': (body, res, errors) => void dump(body, res).catch((err: unknown) => errors.push(err)),
  'pipeline(createStringifyStream(body), res, callback)': (body, res, errors) =>
    void pipeline(createStringifyStream(body), res, (err) => {
      if (err) errors.push(err);
    }),
  'createStringifyStream(body).pipe(res)': (body, res) => void createStringifyStream(body).pipe(res),
};

/** A cursor: rows of about 1 kB, `failAfter` of them then an error (Infinity: never ends). */
function cursor(failAfter: number, closed: () => void): AsyncGenerator<unknown> {
  return (async function* rows() {
    try {
      for (let i = 0; ; i++) {
        if (i === failAfter) throw new Error('the cursor failed');
        yield { i, text: 'x'.repeat(1000) };
      }
    } finally {
      closed();
    }
  })();
}

const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => void uncaught.push(err);
let server: http.Server | null = null;

beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
});

afterEach(async () => {
  process.off('uncaughtException', onUncaught);
  if (server !== null) {
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = null;
  }
});

/** Starts a server answering every request with `{ rows: cursor }` in `form`; resolves to its port. */
async function serve(form: Form, failAfter: number, closed: () => void, errors: unknown[]): Promise<number> {
  server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    form({ rows: cursor(failAfter, closed) }, res, errors);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Received {
  /** The body arrived whole (the response ended normally). */
  complete: boolean;
  bytes: number;
  /** From the request to the end or failure of the body. */
  ms: number;
}

/** GETs the body; `stopAfter`: bytes after which the client goes away. */
function get(port: number, stopAfter = Infinity): Promise<Received> {
  const start = performance.now();
  return new Promise((resolve) => {
    let bytes = 0;
    const done = (complete: boolean) => resolve({ complete, bytes, ms: performance.now() - start });
    const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= stopAfter) req.destroy();
      });
      res.on('error', () => {});
      res.on('close', () => done(res.complete));
    });
    req.on('error', () => done(false));
  });
}

/** Resolves to the milliseconds until `closed` is called, or Infinity after `ms`. */
function closedWithin(ms: number): { closed: () => void; after: Promise<number> } {
  const start = performance.now();
  let closed!: () => void;
  const after = new Promise<number>((resolve) => {
    closed = () => resolve(performance.now() - start);
    setTimeout(() => resolve(Infinity), ms).unref();
  });
  return { closed, after };
}

describe.each(Object.keys(FORMS))('%s', (name) => {
  const form = FORMS[name]!;

  it('a generator that throws: nothing uncaught, the client sees the body fail soon, the generator is closed', async () => {
    const errors: unknown[] = [];
    const cursorEnd = closedWithin(SOON_MS);
    const port = await serve(form, 200, cursorEnd.closed, errors);
    const received = await Promise.race([get(port), new Promise<null>((resolve) => setTimeout(() => resolve(null), 4 * SOON_MS).unref())]);
    expect(received, 'the client is still waiting').not.toBeNull();
    expect(received!.complete).toBe(false);
    expect(received!.bytes).toBeGreaterThan(0);
    expect(received!.ms).toBeLessThan(SOON_MS);
    expect(await cursorEnd.after).toBeLessThan(SOON_MS);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught).toEqual([]);
    if (name !== 'createStringifyStream(body).pipe(res)') expect(errors).toMatchObject([{ message: 'the cursor failed' }]);
  });

  it('a client that goes away mid-body: the generator is closed soon, nothing uncaught', async () => {
    const errors: unknown[] = [];
    const cursorEnd = closedWithin(SOON_MS);
    const port = await serve(form, Infinity, cursorEnd.closed, errors);
    const received = await get(port, 100_000);
    expect(received.complete).toBe(false);
    expect(await cursorEnd.after).toBeLessThan(SOON_MS);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught).toEqual([]);
  });
});
