// What the published tarball holds and what installing it brings: no dependencies, a library
// that imports only node: built-ins, the reference docs and LICENSE, no source maps, the size the
// README states, a package.json that installs without a script to approve and that npm keeps as
// it is, and a clean bill from publint and @arethetypeswrong/cli.
import { spawnSync } from 'node:child_process';
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
    // no import reaches the command's modules: their declarations would serve nobody
    expect(files.filter((f) => /^dist\/cli\/.*\.d\.ts$/.test(f))).toEqual([]);
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
    // a.js and a.d.ts come from a.ts; index.cjs and index.d.cts from index.cts
    const sourceOf = (file: string) => file.replace(/\.(js|d\.ts)$/, '.ts').replace(/\.(cjs|d\.cts)$/, '.cts');
    expect(built.length).toBeGreaterThan(100);
    expect(built.filter((file) => !sources.has(sourceOf(file)))).toEqual([]);
  });

  it('no source maps, and no JavaScript that points to one', () => {
    // dist/ is the sources as tsc writes them, comments kept: a stack trace or a debugger shows
    // a file the package holds. A map pointing to src/ would name files the package does not ship;
    // one that carries its sources would more than double the package.
    const files = filesUnder(scratch.installed);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const pointing = files.filter((f) => /\.c?js$/.test(f)).filter((f) => fs.readFileSync(path.join(scratch.installed, f), 'utf8').includes('//# sourceMappingURL='));
    expect(pointing).toEqual([]);
  });

  it('is the size the README states (within a tenth)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const stated = /\(a (\d+) kB tarball, (\d+) kB unpacked\)/.exec(readme);
    expect(stated, 'README: "(a N kB tarball, M kB unpacked)"').not.toBeNull();
    const unpacked = filesUnder(scratch.installed).reduce((sum, f) => sum + fs.statSync(path.join(scratch.installed, f)).size, 0);
    const actual = { tarball: Math.round(fs.statSync(scratch.tarball).size / 1000), unpacked: Math.round(unpacked / 1000) };
    const [tarball, unpackedKb] = [Number(stated![1]), Number(stated![2])];
    expect(Math.abs(actual.tarball - tarball), `tarball ${actual.tarball} kB, README ${tarball} kB`).toBeLessThanOrEqual(tarball / 10);
    expect(Math.abs(actual.unpacked - unpackedKb), `unpacked ${actual.unpacked} kB, README ${unpackedKb} kB`).toBeLessThanOrEqual(unpackedKb / 10);
  });

  it('installs with no script for the user to approve', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(scratch.installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    // the scripts npm runs, or asks leave to run, when the package is installed
    const atInstall = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => pkg.scripts?.[name] !== undefined);
    expect(atInstall).toEqual([]);
    expect(scratch.installLog).not.toMatch(/install-scripts|allowScripts/);
  });

  it('its package.json is one npm keeps as it is: npm pkg fix changes nothing, the bin is in the package', () => {
    const copy = path.join(scratch.dir, 'pkg-fix');
    fs.cpSync(scratch.installed, copy, { recursive: true });
    const before = JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const fixed = spawnSync('npm', ['pkg', 'fix'], { cwd: copy, encoding: 'utf8' });
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(fixed.stderr).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8'))).toEqual(before);
    fs.rmSync(copy, { recursive: true, force: true });
    expect(Object.keys(before.bin)).toEqual(['jsondump']);
    const bin = path.join(scratch.installed, before.bin.jsondump!);
    expect(fs.readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    // npm linked it where a user's npx and package scripts find it
    expect(fs.realpathSync(path.join(scratch.dir, 'node_modules', '.bin', 'jsondump'))).toBe(fs.realpathSync(bin));
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
