// What the README says of `npm start`'s demo database is what happens: it is not shipped in the
// repository or the package, but generated on the first run (scripts/demo.js), so the README
// must not call it bundled.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.js';

describe('the demo database, as the README describes it', () => {
  it('is generated on the first run, and the README says so', () => {
    expect(execFileSync('git', ['ls-files', 'fixtures/demo.db'], { cwd: ROOT, encoding: 'utf8' })).toBe('');
    expect(readFileSync(join(ROOT, 'scripts/demo.js'), 'utf8')).toMatch(/if \(!existsSync\(DEMO_DB\)\)[\s\S]*makeDemoDb\(\)/);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.split('\n').find((line) => line.startsWith('npm start')) ?? '';
    expect(start).toMatch(/generat/);
    expect(readme).not.toMatch(/bundled/i);
  });
});
