// The README's snippets, run as written against the built package (dist/), as a user would:
// each in a fresh directory whose node_modules/jsondump links to this checkout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
      'Pipe into an HTTP response',
      'Python-style output',
      'JSON Lines',
      'Errors say where',
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

  it('pipe into an HTTP response', () => {
    const { stdout } = run('Pipe into an HTTP response');
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
    expect(run('Errors say where').stdout.trim()).toBe('true ERR_CIRCULAR $.users[0].friends[0].best');
  });
});
