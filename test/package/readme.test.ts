// The README's snippets, run as written against the built package (dist/), as a user would:
// each in a fresh directory whose node_modules/jsondump links to this checkout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import canonicalize from 'canonicalize';
import { parse } from 'parse5';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
// a `### ` heading and the first js block under it, before the next heading
const snippets = [...readme.matchAll(/^### (.+)\n(?:(?!#{2,3} )[^\n]*\n)*?```js\n([\s\S]*?)```/gm)].map((m) => ({ title: m[1], code: m[2] }));
const dirs: string[] = [];

function run(title: string): { stdout: string; stderr: string; dir: string } {
  const snippet = snippets.find((s) => s.title === title);
  if (snippet === undefined) throw new Error(`README has no snippet under "### ${title}"`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-readme-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'jsondump'), 'dir');
  fs.writeFileSync(path.join(dir, 'snippet.mjs'), snippet.code);
  const r = spawnSync(process.execPath, ['snippet.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, `${title}: ${r.stderr}`).toBe(0);
  return { stdout: r.stdout, stderr: r.stderr, dir };
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('README snippets run as written', () => {
  it('has the snippets this file checks', () => {
    expect(snippets.map((s) => s.title)).toEqual([
      'Dump rows to a file',
      'Stream into an HTTP response',
      'Python-style output',
      'JSON Lines',
      'Errors say where',
      'Embed JSON in an HTML page',
      'Sign a document',
      'Respond with a Web Response',
      'Content-Length from measure',
    ]);
  });

  it('dump rows to a file', () => {
    const { stdout, dir } = run('Dump rows to a file');
    const text = fs.readFileSync(path.join(dir, 'rows.json'), 'utf8');
    const rows = JSON.parse(text) as { id: number; score: number }[];
    expect(rows).toHaveLength(100_000);
    expect(rows[6]).toEqual({ id: 7, name: 'user 7', score: 1, tags: ['a', 'b'] });
    expect(text).toBe(JSON.stringify(rows, null, 2));
    expect(stdout).toContain(`bytes: ${Buffer.byteLength(text)}`);
    expect(stdout).toContain('items: 100000');
  });

  it('stream into an HTTP response', () => {
    const { stdout } = run('Stream into an HTTP response');
    expect(stdout.trim()).toBe(JSON.stringify({ generated: new Date(0), items: [1, 2, 3], total: 3 }));
  });

  it('Python-style output equals json.dumps', () => {
    const { stdout } = run('Python-style output');
    const py = spawnSync('python3', ['-c', `import json
print(json.dumps({'b': [1.5, 1e16], 'a': {2: 'two', None: 1e-07}, 'c': 'é'}))
print(json.dumps({'b': 1, 'a': [1, 2]}, sort_keys=True, indent=1))`], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    expect(stdout).toBe(py.stdout);
  });

  it('JSON Lines', () => {
    const { stdout, stderr } = run('JSON Lines');
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
      [0, 1, 2].flatMap((page) => [0, 1].map((i) => ({ page, i, at: new Date(Date.UTC(2026, 0, 1 + page)).toISOString() }))),
    );
    expect(stderr.trim()).toBe('6 lines');
  });

  it('errors say where', () => {
    expect(run('Errors say where').stdout.trim()).toBe('ERR_CIRCULAR $.users[0].friends[0].best');
  });

  it('embed JSON in an HTML page: an HTML parser finds one script, and running it gives back the state', () => {
    const page = run('Embed JSON in an HTML page').stdout;
    type Node = { nodeName: string; childNodes?: Node[]; value?: string };
    const scripts: Node[] = [];
    const visit = (n: Node): void => {
      if (n.nodeName === 'script') scripts.push(n);
      n.childNodes?.forEach(visit);
    };
    visit(parse(page) as unknown as Node);
    expect(scripts).toHaveLength(1);
    const window: { __STATE__?: unknown } = {};
    runInNewContext((scripts[0].childNodes ?? []).map((c) => c.value).join(''), { window });
    expect(window.__STATE__).toEqual({ user: 'Ada', bio: '</script><script>alert(1)</script><!--', note: 'line\u2028separator' });
  });

  it('sign a document: the digest is the SHA-256 of the canonical form, streamed or not', () => {
    const order = { total: 100.5, to: 'Ada', lines: [{ sku: 'B-2', qty: 1 }], meta: { id: 7, at: '2026-01-01' } };
    const digest = createHash('sha256').update(canonicalize(order)!).digest('hex');
    expect(run('Sign a document').stdout).toBe(`${digest}\ntrue\n`);
  });

  it('respond with a Web Response: the body is the text of the value, rows and all', () => {
    const rows = [1, 2, 3].map((id) => ({ id, name: `user ${id}` }));
    expect(run('Respond with a Web Response').stdout).toBe(`${JSON.stringify({ rows })}\n`);
  });

  it('Content-Length from measure: the header is the body\'s length, sent without chunking', () => {
    const [length, received, chunked] = run('Content-Length from measure').stdout.trim().split(' ');
    const report = { rows: Array.from({ length: 1000 }, (_, i) => ({ i, name: `row ${i} é` })) };
    expect(Number(length)).toBe(Buffer.byteLength(JSON.stringify(report)));
    expect(received).toBe(length);
    expect(chunked).toBe('null');
  });
});
