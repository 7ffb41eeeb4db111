// The installed tarball used as users use it: an ES module, a CommonJS module (require), both in
// one process, and TypeScript checking a .ts and a .cts file against the shipped types.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, useScratchInstall } from './scratch.js';

const scratch = useScratchInstall('consumers');

const VALUE = `{ b: [1, 'é'], a: new Map([[2, 'two']]), r: rawJSON('1.50') }`;
const EXPECTED = '{"b":[1,"é"],"a":{"2":"two"},"r":1.50}';

describe('the packed package, installed', () => {
  it('is imported by an ES module', () => {
    scratch.write({
      'esm.mjs': `import { dumps, rawJSON, JSONDumpError } from 'jsondump';
console.log(dumps(${VALUE}));
try { dumps({ n: NaN }, { allowNaN: false }); } catch (e) { console.log(e instanceof JSONDumpError, e.code, e.path); }
`,
    });
    const r = scratch.run(process.execPath, ['esm.mjs']);
    expect(r.stdout).toBe(`${EXPECTED}\ntrue ERR_NON_FINITE $.n\n`);
    expect(r.stderr).toBe('');
  });

  it('is required by a CommonJS module, without warnings', () => {
    scratch.write({
      'cjs.cjs': `const { dumps, rawJSON, JSONDumpError } = require('jsondump');
console.log(dumps(${VALUE}));
try { dumps({ n: NaN }, { allowNaN: false }); } catch (e) { console.log(e instanceof JSONDumpError, e.code, e.path); }
`,
    });
    const r = scratch.run(process.execPath, ['cjs.cjs']);
    expect(r.stdout).toBe(`${EXPECTED}\ntrue ERR_NON_FINITE $.n\n`);
    expect(r.stderr).toBe('');
  });

  it('import and require in one process load one instance (no dual-package hazard)', () => {
    scratch.write({
      'both.cjs': `const required = require('jsondump');
import('jsondump').then((imported) => {
  let error;
  try { required.dumps({ n: Infinity }, { allowNaN: false }); } catch (e) { error = e; }
  console.log(JSON.stringify({
    sameModule: imported.dumps === required.dumps,
    errorAcross: error instanceof imported.JSONDumpError,
    rawAcross: imported.dumps([required.rawJSON('1.0')]),
  }));
});
`,
    });
    const r = scratch.run(process.execPath, ['both.cjs']);
    expect(JSON.parse(r.stdout)).toEqual({ sameModule: true, errorAcross: true, rawAcross: '[1.0]' });
  });

  it('type-checks a .ts and a .cts file with the shipped types (module nodenext)', () => {
    // The ts-expect-error lines prove the types are real: with `any` types they would be unused
    // directives, which tsc reports as errors.
    const body = `
const text: string = dumps({ a: 1 }, { indent: 2, sortKeys: true });
const error: JSONDumpError | null = null;
const options: DumpOptions = { dialect: 'python' };
// @ts-expect-error dumps returns a string
const wrong: number = dumps({ a: 1 });
// @ts-expect-error no such dialect
dumps(1, { dialect: 'ruby' });
export const used = [text, error, options, wrong, rawJSON('1')];
`;
    scratch.write({
      'typed.ts': `import { dumps, rawJSON, JSONDumpError, type DumpOptions } from 'jsondump';\n${body}`,
      'typed.cts': `import { dumps, rawJSON, JSONDumpError, type DumpOptions } from 'jsondump';\n${body}`,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        },
        files: ['typed.ts', 'typed.cts'],
      }),
    });
    const r = scratch.spawn(path.join(BIN, 'tsc'), ['-p', '.']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
