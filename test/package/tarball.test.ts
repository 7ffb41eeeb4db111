// What the published tarball holds and what installing it brings: no dependencies, a library
// that imports only node: built-ins, the reference docs and LICENSE, source maps that carry their
// sources, and a clean bill from publint and @arethetypeswrong/cli.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, useScratchInstall } from './scratch.js';

const scratch = useScratchInstall('tarball');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Every module the library entry reaches, following relative imports, and the bare ones. */
function importGraph(entry: string): { modules: string[]; bare: string[] } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, ''); // comments may quote imports
    const specifiers = [...code.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/gm)]
      .map((m) => m[1] ?? m[2] ?? m[3]!);
    for (const s of specifiers) {
      if (s.startsWith('.')) queue.push(path.resolve(path.dirname(file), s));
      else bare.add(s);
    }
  }
  return { modules: [...seen], bare: [...bare].sort() };
}

describe('the tarball', () => {
  it('installs alone: no dependency of any kind comes with it', () => {
    const installed = fs.readdirSync(path.join(scratch.dir, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual(['jsondump']);
    const pkg = JSON.parse(fs.readFileSync(path.join(scratch.installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    const peersMeta = pkg.peerDependenciesMeta as Record<string, { optional?: boolean }>;
    for (const name of Object.keys(pkg.peerDependencies as object)) expect(peersMeta[name]?.optional, name).toBe(true);
  });

  it('the library (both entries) imports only node: built-ins', () => {
    for (const entry of ['dist/index.js', 'dist/index.cjs']) {
      const { modules, bare } = importGraph(path.join(scratch.installed, entry));
      expect(modules.length, entry).toBeGreaterThan(10);
      expect(bare.filter((s) => !s.startsWith('node:')), entry).toEqual([]);
      expect(modules.filter((m) => m.includes(`${path.sep}cli${path.sep}`)), entry).toEqual([]);
    }
  });

  it('holds dist, the reference, README and LICENSE; no sources, tests or benchmarks', () => {
    const files = filesUnder(scratch.installed);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'docs/API.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.cjs', 'dist/index.d.cts', 'dist/cli/main.js']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => !/^(dist|docs)\//.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
    expect(fs.readFileSync(path.join(scratch.installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('the README links the shipped reference, and nothing outside the package', () => {
    const readme = fs.readFileSync(path.join(scratch.installed, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/API.md');
    for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      expect(fs.existsSync(path.join(scratch.installed, target!)), `README links ${target}`).toBe(true);
    }
  });

  it('dist holds only what the sources compile to: nothing left from an older layout', () => {
    const built = filesUnder(path.join(scratch.installed, 'dist'));
    const sources = new Set(filesUnder(path.join(ROOT, 'src')));
    // a.js, a.js.map and a.d.ts come from a.ts; index.cjs, .cjs.map and .d.cts from index.cts
    const sourceOf = (file: string) => file.replace(/\.(js|js\.map|d\.ts)$/, '.ts').replace(/\.(cjs|cjs\.map|d\.cts)$/, '.cts');
    expect(built.length).toBeGreaterThan(100);
    expect(built.filter((file) => !sources.has(sourceOf(file)))).toEqual([]);
  });

  it('every source map carries the text of its sources', () => {
    const maps = filesUnder(scratch.installed).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const m of maps) {
      const map = JSON.parse(fs.readFileSync(path.join(scratch.installed, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, m).toBe(map.sources.length);
      expect(map.sourcesContent!.every((s) => typeof s === 'string' && s.length > 0), m).toBe(true);
    }
  });

  it('publint finds nothing (strict)', () => {
    const r = scratch.spawn(path.join(BIN, 'publint'), ['run', scratch.tarball, '--strict']);
    expect(r.stdout, r.stderr).toContain('All good!');
    expect(r.status).toBe(0);
  });

  it('@arethetypeswrong/cli finds no problem in any resolution mode', () => {
    const r = scratch.spawn(path.join(BIN, 'attw'), [scratch.tarball, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
    expect(r.status).toBe(0);
  });
});
