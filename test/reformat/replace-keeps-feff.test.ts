// Replacing invalid UTF-8 keeps every U+FEFF of the text: a ZERO WIDTH NO-BREAK SPACE at the
// start of a chunk that holds an invalid byte is data, not a byte order mark (only the very
// first bytes of the input can be one). Checked on the UTF-8 stage itself, on reformat with
// chosen chunks, and through the CLI on stdin and a .gz file, whose chunks (64 KiB from a pipe,
// 16 KiB from gunzip) each start with U+FEFF in this input.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { reformat } from '../../src/index.js';
import { Utf8Chunker } from '../../src/reformat/utf8-chunks.js';
import { CLI } from '../cli/helpers/cli.js';

/** What the text is, decoded whole by the WHATWG decoder; a BOM at the start would be the caller's to skip. */
const whole = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

const FEFF = Buffer.from('\ufeff');
const BAD = Buffer.from([0xff]);

/** `["…"]` whose string is U+FEFF over and over, with an invalid byte after every 999th. */
function document(characters: number): Buffer {
  const pieces: Buffer[] = [Buffer.from('["')];
  for (let i = 1; i <= characters; i++) pieces.push(i % 999 === 0 ? Buffer.concat([FEFF, BAD]) : FEFF);
  pieces.push(Buffer.from('"]'));
  return Buffer.concat(pieces);
}

describe('replacing invalid UTF-8 keeps U+FEFF', () => {
  it('the UTF-8 stage: a chunk that starts with U+FEFF and holds an invalid byte', () => {
    const chunks = [Buffer.from('["a'), Buffer.concat([FEFF, Buffer.from('b'), BAD, Buffer.from('"]')])];
    const chunker = new Utf8Chunker('replace');
    const out = Buffer.concat([...chunks.flatMap((c) => chunker.push(c)), ...chunker.end()]);
    expect(out.toString('utf8')).toBe(whole(Buffer.concat(chunks)));
  });

  it('reformat: every chunk starts with U+FEFF', async () => {
    const input = document(5000);
    const chunks: Buffer[] = [input.subarray(0, 2)];
    for (let i = 2; i < input.length; i += 3 * 500 + 1) chunks.push(input.subarray(i, i + 3 * 500 + 1));
    let text = '';
    await reformat(chunks, new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString('utf8')), cb()) }), { invalidUTF8: 'replace' });
    expect(text).toBe(JSON.stringify(JSON.parse(whole(input))));
  });

  it('the CLI, --replace-invalid-utf8 on stdin and on a .gz file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsondump-feff-'));
    try {
      const input = document(400_000);
      const expected = JSON.stringify(JSON.parse(whole(input)));
      writeFileSync(join(dir, 'in.json'), input);
      writeFileSync(join(dir, 'in.json.gz'), gzipSync(input));
      const run = (script: string) => spawnSync('sh', ['-c', script, 'sh', process.execPath, CLI], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      const piped = run('cat in.json | "$1" "$2" export - --from json --replace-invalid-utf8 -o out1.json');
      expect(piped).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(join(dir, 'out1.json'), 'utf8') === expected).toBe(true);
      const gz = run('"$1" "$2" export in.json.gz --replace-invalid-utf8 -o out2.json');
      expect(gz).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(join(dir, 'out2.json'), 'utf8') === expected).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
