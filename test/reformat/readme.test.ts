// The README's "Reformat JSON text" snippet, run as written against the built package (dist/),
// as a user would: in a fresh directory whose node_modules/jsondump links to this checkout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { useTempDir } from '../helpers/io.js';
import { pythonOracle } from '../helpers/reformat.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = useTempDir('reformat-readme');

test('the README snippet runs as written and prints what it says', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const match = /^## Reformat JSON text\n[\s\S]*?```js\n([\s\S]*?)```/m.exec(readme);
  expect(match).not.toBeNull();
  const dir = tmp.dir();
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'jsondump'), 'dir');
  fs.writeFileSync(path.join(dir, 'snippet.mjs'), match![1]);
  const r = spawnSync(process.execPath, ['snippet.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const input = fs.readFileSync(path.join(dir, 'in.json'));
  const [python] = pythonOracle([{ text: input, args: { indent: 2 } }]);
  expect(r.stdout).toBe(`${(python as { ok: string }).ok} 1\nERR_INVALID_JSON 2 3 $.rows[2]\n`);
  expect(fs.existsSync(path.join(dir, 'never.json'))).toBe(false);
});
