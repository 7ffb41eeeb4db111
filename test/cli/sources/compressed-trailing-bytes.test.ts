// Bytes after the compressed data of a .gz, .br or .zst source are never dropped in silence.
// Several gzip members (gzip output concatenated) are one stream, read whole as gzip -dc reads
// it; zero bytes after the last member are padding (a tape or block device pads so), read as
// gzip -dc and Python's gzip module read them; anything else after the data — a zero byte and
// then another member, which gzip(1) drops with a warning and exit status 2, or a second brotli
// stream — fails the export, exit 1, and no file is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
const first = Array.from({ length: 3000 }, (_, i) => ({ i, part: 'first', s: 'é😀'.repeat(i % 4) }));
const second = Array.from({ length: 3000 }, (_, i) => ({ i, part: 'second' }));
const lines = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** `gzip -c` of `text`: a real gzip(1) member. */
function gzipMember(text: string): Buffer {
  return execFileSync('gzip', ['-c'], { input: text, maxBuffer: 1 << 26 });
}

/** What `gzip -dc` writes for `file`, and its exit status (2: a warning). */
function gzipDc(file: string): { status: number | null; text: string; stderr: string } {
  const r = spawnSync('gzip', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, text: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = tempDir('trailing');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `name` with `bytes`; exports it to out.json beside it. */
async function exported(name: string, bytes: Buffer) {
  const source = join(dir, name);
  const out = join(dir, `${name}.out.json`);
  writeFileSync(source, bytes);
  const result = await runCli(['export', source, '-o', out]);
  return { source, out, result, written: existsSync(out) ? readFileSync(out, 'utf8') : null };
}

describe('gzip', () => {
  it('two members, as gzip output concatenated: every record, as gzip -dc reads it', async () => {
    const { source, result, written } = await exported('two.jsonl.gz', Buffer.concat([gzipMember(lines(first)), gzipMember(lines(second))]));
    const oracle = gzipDc(source);
    expect(oracle.status).toBe(0);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(written).toBe(JSON.stringify(oracle.text.trimEnd().split('\n').map((l) => JSON.parse(l))));
  });

  it('zero bytes after the last member (padding, as tar and tapes pad): read as gzip -dc reads the file', async () => {
    const { source, result, written } = await exported('padded.jsonl.gz', Buffer.concat([gzipMember(lines(first)), Buffer.alloc(10240)]));
    const oracle = gzipDc(source);
    expect(oracle).toMatchObject({ status: 0, stderr: '' });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(written).toBe(JSON.stringify(oracle.text.trimEnd().split('\n').map((l) => JSON.parse(l))));
  });

  it('a zero byte, then another member: refused with the offset, where gzip(1) warns and drops the member', async () => {
    const member = gzipMember(lines(first));
    const { source, result, written } = await exported('zero-then-member.jsonl.gz', Buffer.concat([member, Buffer.from([0]), gzipMember(lines(second))]));
    const oracle = gzipDc(source);
    expect(oracle.status).toBe(2);
    expect(oracle.stderr).toMatch(/trailing garbage ignored/);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`jsondump: ${source}: bytes after the gzip data at byte offset ${member.length} are neither a gzip member nor zero padding: not read, so the export fails rather than lose what they hold\n`);
    expect(written).toBeNull();
  });

  it('zero padding, then other bytes: refused', async () => {
    const member = gzipMember(lines(first));
    const { result, written } = await exported('zeros-then-text.jsonl.gz', Buffer.concat([member, Buffer.alloc(512), Buffer.from('{"late": true}\n')]));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`: bytes after the gzip data at byte offset ${member.length} are neither a gzip member nor zero padding`));
    expect(written).toBeNull();
  });

  it('other bytes right after a member: refused', async () => {
    const { result, written } = await exported('garbage.jsonl.gz', Buffer.concat([gzipMember(lines(first)), Buffer.from('garbage')]));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^jsondump: .*garbage\.jsonl\.gz: /);
    expect(written).toBeNull();
  });
});

describe('brotli and zstd', () => {
  it('two brotli streams back to back: refused (the second would be dropped); one is read', async () => {
    const one = zlib.brotliCompressSync(lines(first));
    const alone = await exported('one.jsonl.br', one);
    expect(alone.result).toMatchObject({ status: 0, stderr: '' });
    expect(alone.written).toBe(JSON.stringify(first));
    const { source, result, written } = await exported('two.jsonl.br', Buffer.concat([one, zlib.brotliCompressSync(lines(second))]));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`jsondump: ${source}: bytes after the brotli data at byte offset ${one.length}: not read, so the export fails rather than lose what they hold\n`);
    expect(written).toBeNull();
    const padded = await exported('padded.jsonl.br', Buffer.concat([one, Buffer.alloc(16)]));
    expect(padded.result.status).toBe(1);
    expect(padded.written).toBeNull();
  });

  it('zstd: trailing bytes refused where the runtime reads zstd; elsewhere .zst is refused by name', async () => {
    const frame = execFileSync('zstd', ['-c', '-q'], { input: lines(first) });
    const { source, result, written } = await exported('garbage.jsonl.zst', Buffer.concat([frame, Buffer.from('garbage')]));
    expect(result.status).toBe(1);
    expect(written).toBeNull();
    if (typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function') {
      expect(result.stderr).toMatch(new RegExp(`^jsondump: ${source}: `));
    } else {
      expect(result.stderr).toBe(`jsondump: ${source}: this Node.js ${process.version} cannot read zstd (Node.js 22.15 or later can)\n`);
    }
  });
});
