// A failed dump into a Writable it was to end (end: true, the default) destroys it with the
// error: a reader on the other side (an HTTP client) sees the body fail instead of waiting
// forever for the rest. With end: false the stream is the caller's, and stays open.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { dump, dumpLines } from '../../src/index.js';
import { collector } from '../helpers/io.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { rejection } from '../helpers/rejection.js';

const events = recordProcessEvents({ uncaught: true });

/** Each test settles well within this; a hang is the failure this file guards against. */
const HANG = 10_000;

/** Rows, then `boom` thrown by the generator after `n` of them. */
function* rowsThenFail(n: number, boom: Error): Generator<unknown> {
  for (let i = 0; i < n; i++) yield { i, pad: 'p'.repeat(50) };
  throw boom;
}

describe('an HTTP response', () => {
  it('the client’s read of a truncated body fails; the server’s dump rejects with the error', async () => {
    const boom = new Error('cursor died');
    let served: Promise<unknown> = Promise.resolve();
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      served = rejection(dump(rowsThenFail(5000, boom), res, { chunkSize: 1024 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      const read = await rejection(res.text());
      expect(read).toBeInstanceOf(TypeError); // undici: "terminated", the body never completed
      expect(await served).toBe(boom);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);
});

describe('a Writable', () => {
  for (const [name, run] of [
    ['dump', (w: Writable, boom: Error) => dump(rowsThenFail(300, boom), w, { chunkSize: 256 })],
    ['dumpLines', (w: Writable, boom: Error) => dumpLines(rowsThenFail(300, boom), w, { chunkSize: 256 })],
  ] as const) {
    it(`${name}, end: true (default): destroyed with the error, which its listener sees once`, async () => {
      const boom = new Error('row 300 failed');
      const { w, text } = collector();
      const seen: unknown[] = [];
      w.on('error', (e) => seen.push(e));
      expect(await rejection(run(w, boom))).toBe(boom);
      // Once the dump has settled the stream has the listeners it had: none of the library's.
      expect(w.listenerCount('error')).toBe(1);
      await settle();
      expect(w.destroyed).toBe(true);
      expect(w.errored).toBe(boom);
      expect(seen).toEqual([boom]);
      expect(text().length).toBeGreaterThan(0); // it did get part of the output
      expect(w.listenerCount('error')).toBe(1);
    });
  }

  it('without an error listener of the caller’s: destroyed, and nothing is uncaught', async () => {
    const boom = new Error('no one listens');
    const { w } = collector();
    expect(await rejection(dump(rowsThenFail(300, boom), w, { chunkSize: 256 }))).toBe(boom);
    await settle();
    expect(w.destroyed).toBe(true);
    expect(w.listenerCount('error')).toBe(0);
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  });

  it('an abort destroys it with the ERR_ABORTED error', async () => {
    const { w } = collector();
    const ac = new AbortController();
    const err = await rejection(
      dump(rowsThenFail(1e6, new Error('never reached')), w, {
        chunkSize: 256,
        signal: ac.signal,
        onProgress: (p) => p.bytes > 2000 && ac.abort(),
      }),
    );
    await settle();
    expect(w.destroyed).toBe(true);
    expect(w.errored).toBe(err);
    expect((err as { code?: string }).code).toBe('ERR_ABORTED');
  });

  it('end: false: left open and writable, for the caller to finish', async () => {
    const boom = new Error('caller keeps the stream');
    const { w, text } = collector();
    expect(await rejection(dump(rowsThenFail(300, boom), w, { chunkSize: 256, end: false }))).toBe(boom);
    expect(w.destroyed).toBe(false);
    expect(w.writable).toBe(true);
    await new Promise<void>((r) => w.end(']', r));
    expect(text().endsWith(']')).toBe(true);
  });
});
