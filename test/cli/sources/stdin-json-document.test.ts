// stdin without --from is JSON Lines, but a single JSON document piped in is never read as one
// record: a first value that spans lines (a pretty-printed document) or one array that is the
// whole input is refused, exit 1, with a message that names --from json (and --from jsonl for
// the array, which JSON Lines could also mean). Nothing is written: no -o file, and nothing on
// stdout before the refusal. --from json and --from jsonl read either as asked, and JSON Lines
// (objects, arrays, one record) is read as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
beforeAll(() => {
  dir = tempDir('stdin-document');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const users = Array.from({ length: 200 }, (_, i) => ({ id: i, name: `Zoë ${i}`, tags: ['a', 'é'], nested: { ok: i % 2 === 0 } }));
const compact = JSON.stringify(users) + '\n';
const pretty = JSON.stringify(users, null, 2) + '\n';
const prettyObject = JSON.stringify({ users }, null, 2) + '\n';
let seq = 0;

/** `jsondump export - [...args] -o FILE` with `input` on stdin: the result and the file, if any. */
async function fromStdin(input: string, ...args: string[]) {
  const out = join(dir, `out-${seq++}.json`);
  const result = await runCli(['export', '-', ...args, '-o', out], { input });
  return { ...result, written: existsSync(out) ? readFileSync(out, 'utf8') : null };
}

const SPANS = 'jsondump: stdin: the first value spans lines, so stdin holds one JSON document, not JSON Lines (one record per line): read it with --from json\n';
const ONE_ARRAY = 'jsondump: stdin holds one JSON array and nothing else: --from json reads its elements as records, --from jsonl reads it as one record\n';

describe('a JSON document on stdin without --from', () => {
  it('a compact array on one line: refused, naming --from json and --from jsonl; no file', async () => {
    expect(await fromStdin(compact)).toMatchObject({ status: 1, stderr: ONE_ARRAY, written: null });
  });

  it('a pretty-printed array or object: refused, naming --from json; no file', async () => {
    expect(await fromStdin(pretty)).toMatchObject({ status: 1, stderr: SPANS, written: null });
    expect(await fromStdin(prettyObject)).toMatchObject({ status: 1, stderr: SPANS, written: null });
    expect(await fromStdin('\n\n  ' + pretty)).toMatchObject({ status: 1, stderr: SPANS, written: null });
  });

  it('to stdout: nothing is written before the refusal', async () => {
    expect(await runCli(['export', '-'], { input: compact })).toMatchObject({ status: 1, stdout: '', stderr: ONE_ARRAY });
    expect(await runCli(['export', '-', '--lines'], { input: pretty })).toMatchObject({ status: 1, stdout: '', stderr: SPANS });
  });

  it('an array too large to hold back (2 MB on one line): still refused at its end; no file', async () => {
    const large = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ i, s: 'x'.repeat(40) }))) + '\n';
    expect(large.length).toBeGreaterThan(2_000_000);
    expect(await fromStdin(large)).toMatchObject({ status: 1, stderr: ONE_ARRAY, written: null });
  });
});

describe('--from says how to read it', () => {
  it('--from json: the elements as records (an object: the document as it is)', async () => {
    for (const text of [compact, pretty]) expect(await fromStdin(text, '--from', 'json')).toMatchObject({ status: 0, stderr: '', written: JSON.stringify(users) });
    expect(await fromStdin(prettyObject, '--from', 'json')).toMatchObject({ status: 0, stderr: '', written: JSON.stringify({ users }) });
  });

  it('--from jsonl: the one-line array as one record; a value spanning lines is invalid JSON Lines', async () => {
    expect(await fromStdin(compact, '--from', 'jsonl')).toMatchObject({ status: 0, stderr: '', written: JSON.stringify([users]) });
    const spanning = await fromStdin(pretty, '--from', 'jsonl');
    expect(spanning).toMatchObject({ status: 1, written: null });
    expect(spanning.stderr).toMatch(/^jsondump: stdin:1:2: invalid JSON: the line ends inside a record/);
  });
});

describe('JSON Lines on stdin is read as before', () => {
  const read = (text: string) => JSON.stringify(text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)));

  it('records that are objects, arrays (a header line, then rows), or scalars', async () => {
    const objects = users.map((u) => JSON.stringify(u)).join('\n') + '\n';
    const arrays = [['id', 'name'], ...users.map((u) => [u.id, u.name])].map((r) => JSON.stringify(r)).join('\n') + '\n';
    const scalars = '1\n"two"\n[3]\n{"four":4}\nnull\n';
    for (const text of [objects, arrays, scalars, '\n' + objects + '\n\n']) expect(await fromStdin(text)).toMatchObject({ status: 0, stderr: '', written: read(text) });
  });

  it('one record: an object on one line, or a scalar', async () => {
    for (const text of ['{"id": 1, "tags": ["a"]}\n', '{"id":1}', '"just a string"\n', '42']) {
      expect(await fromStdin(text)).toMatchObject({ status: 0, stderr: '', written: read(text) });
    }
  });

  it('two one-line arrays', async () => {
    const text = '[1, 2]\n[3]\n';
    expect(await fromStdin(text)).toMatchObject({ status: 0, stderr: '', written: '[[1,2],[3]]' });
  });

  it('an empty stdin: no records', async () => {
    expect(await fromStdin('')).toMatchObject({ status: 0, stderr: '', written: '[]' });
  });
});
