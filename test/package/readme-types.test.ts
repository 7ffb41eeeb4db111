// The README's snippets type-checked (readme.test.ts runs them) against the packed package, as
// users' projects check them: TypeScript 5.9 and 7.0, each with @types/node 20, 22 and 26, in a
// Node project (module nodenext, strict, the default lib, which holds the DOM's Response), and
// in the project `tsc --init` makes, as it makes it and with the Node settings it suggests. The
// compilers and type packages are dev dependencies (@types/node 22 and 26 under npm aliases,
// TypeScript 5.9 in a package of its own, test/package/typescript-5.9): no network at run time.
// The compiles run two at a time while the tests wait on them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, useScratchInstall } from './scratch.js';

const scratch = useScratchInstall('readme-types');

const modules = path.join(ROOT, 'node_modules');
/**
 * The compilers and their flags. TypeScript 7 runs on one thread: on two busy cores its threads
 * made a one-second check take ten. TypeScript 5.9 skips checking the declaration files (twelve
 * seconds of CPU a run, nearly all in @types/node and the DOM library): 7.0 checks ours with every
 * @types/node, and so does consumers.test.ts.
 */
const COMPILERS = {
  '5.9': { dir: path.join(ROOT, 'test', 'package', 'typescript-5.9', 'node_modules', 'typescript'), flags: ['--skipLibCheck'] },
  '7.0': { dir: path.join(modules, 'typescript'), flags: ['--singleThreaded'] },
} as const;
const NODE_TYPES = { '20': '@types/node', '22': 'types-node-22', '26': 'types-node-26' } as const;
type Compiler = keyof typeof COMPILERS;
type NodeTypes = keyof typeof NODE_TYPES;

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every js and ts block of the README, named after the heading above it. */
const snippets = [...readme.matchAll(/^```(?:js|ts)\n([\s\S]*?)^```/gm)].map((m, i) => {
  const heading = [...readme.slice(0, m.index).matchAll(/^#{2,3} (.+)$/gm)].at(-1)![1]!;
  return { file: `${String(i).padStart(2, '0')}-${heading.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, heading, code: m[1]! };
});
const WEB = 'Respond with a Web Response';

/**
 * Beyond the README: the Web stream as users go on to use it (a body, a pipe through the DOM's
 * own TextDecoderStream, its chunks), and Web streams given to dump and reformat.
 */
const WEB_USES = `import { createStringifyWebStream, dump, reformat } from 'jsondump';

const response = new Response(createStringifyWebStream({ a: 1 }), { status: 200 });
const text = createStringifyWebStream([1]).pipeThrough(new TextDecoderStream());
await createStringifyWebStream([1]).pipeTo(new WritableStream<Uint8Array>());
const { value } = await createStringifyWebStream(1).getReader().read();
const first: Uint8Array | undefined = value;
for await (const chunk of createStringifyWebStream({ a: 1 })) console.log(chunk.byteLength);
const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
await Promise.all([dump({ body: new Response('x').body, blob: new Blob(['x']) }, writable), reformat(readable, new WritableStream<Uint8Array>())]);
console.log(response.status, text.locked, first?.length);
`;

/** The Node project of a typical user: module nodenext, strict, @types/node; no lib, so the DOM's too. */
const NODE_PROJECT = { module: 'nodenext', strict: true, noEmit: true, types: ['node'], allowJs: true, checkJs: true };

interface Check {
  name: string;
  compiler: Compiler;
  nodeTypes: NodeTypes;
  /** Files written into the project: name → text. */
  files: Record<string, string>;
  /** tsconfig.json's text; null: the one `tsc --init` writes. */
  tsconfig: string | null;
  /** Arguments after `tsc -p .`. */
  flags: string[];
}

const asJs = (only?: string) =>
  Object.fromEntries(snippets.filter((s) => only === undefined || s.heading === only).map((s) => [`${s.file}.mjs`, s.code]));
const asTs = (only: string) => ({
  ...Object.fromEntries(snippets.filter((s) => s.heading === only).map((s) => [`${s.file}.mts`, s.code])),
  'web-uses.mts': WEB_USES,
});

const checks: Check[] = [];
for (const compiler of Object.keys(COMPILERS) as Compiler[]) {
  for (const nodeTypes of Object.keys(NODE_TYPES) as NodeTypes[]) {
    checks.push({
      name: `a Node project (module nodenext, strict, default lib): TypeScript ${compiler}, @types/node ${nodeTypes}`,
      compiler,
      nodeTypes,
      files: { ...asJs(), ...asTs(WEB) },
      tsconfig: JSON.stringify({ compilerOptions: NODE_PROJECT }),
      flags: [],
    });
  }
  checks.push({
    name: `tsc --init's project (no Node types): TypeScript ${compiler}`,
    compiler,
    nodeTypes: '26',
    files: asTs(WEB),
    tsconfig: null,
    flags: ['--noEmit'],
  });
  checks.push({
    name: `tsc --init's project with its Node settings (lib esnext, types node): TypeScript ${compiler}, @types/node 26`,
    compiler,
    nodeTypes: '26',
    files: { ...asJs(), ...asTs(WEB) },
    tsconfig: null,
    flags: ['--noEmit', '--lib', 'esnext', '--types', 'node', '--allowJs', '--checkJs'],
  });
}

function run(file: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, output: stdout + stderr });
    });
  });
}

/** Writes the check's project beside the installed package and runs its compiler on it. */
async function compile(check: Check, dir: string): Promise<{ code: number; output: string }> {
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(scratch.installed, path.join(dir, 'node_modules', 'jsondump'), 'dir');
  fs.symlinkSync(path.join(modules, NODE_TYPES[check.nodeTypes]), path.join(dir, 'node_modules', '@types', 'node'), 'dir');
  for (const [name, text] of Object.entries(check.files)) fs.writeFileSync(path.join(dir, name), text);
  const compiler = COMPILERS[check.compiler];
  const tsc = path.join(compiler.dir, 'bin', 'tsc');
  if (check.tsconfig === null) {
    const init = await run(tsc, ['--init'], dir);
    if (init.code !== 0) return init;
  } else fs.writeFileSync(path.join(dir, 'tsconfig.json'), check.tsconfig);
  return run(tsc, ['-p', '.', ...compiler.flags, ...check.flags], dir);
}

/** Runs at most `width` tasks at once, in the order given. */
function limiter(width: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= width) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const results = new Map<string, Promise<{ code: number; output: string }>>();

beforeAll(() => {
  // Two at a time: the machine's cores are shared with the rest of the suite.
  const limit = limiter(Math.min(2, os.availableParallelism()));
  checks.forEach((check, i) => results.set(check.name, limit(() => compile(check, path.join(scratch.dir, `check-${i}`)))));
});

describe('README snippets type-check against the packed package', () => {
  it('has the snippets this file checks', () => {
    expect(snippets.length).toBeGreaterThan(8);
    expect(snippets.filter((s) => s.heading === WEB)).toHaveLength(1);
    expect(snippets.find((s) => s.heading === WEB)!.code).toContain('new Response(createStringifyWebStream(');
    // The compilers and type packages are the versions the names say.
    for (const [version, { dir }] of Object.entries(COMPILERS)) {
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.`));
    }
    for (const [major, name] of Object.entries(NODE_TYPES)) {
      expect(JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version).toMatch(new RegExp(`^${major}\\.`));
    }
  });

  it.each(checks.map((c) => c.name))('%s', async (name) => {
    const { code, output } = await results.get(name)!;
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
