// `npm run test:quick`: the suite without what needs minutes or machinery: the files that use a
// database server, the ones that pack and install the package or copy the checkout, the fuzz
// tests (`npm run fuzz` runs them longer), the scale tests and the peak memory of large
// reformats. `npm test` runs them all.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALE, suite } from './vitest.config.js';

const TEST = fileURLToPath(new URL('test', import.meta.url));

/** The test files whose source matches `pattern`: found by what they import, so new ones count. */
function filesUsing(pattern: RegExp): string[] {
  return fs.readdirSync(TEST, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && pattern.test(fs.readFileSync(path.join(TEST, f), 'utf8')))
    .map((f) => `test/${f}`);
}

const DATABASE_SERVERS = filesUsing(/from '[./]*helpers\/(pg|mysql)-server\.js'/);
/** test/package/scratch.ts packs and installs the tarball, and knows where the checkout is. */
const PACKAGE_INSTALLS = filesUsing(/from '\.\/scratch\.js'/);
const FUZZ = ['test/**/fuzz*.test.ts'];

export default suite({
  exclude: [...DATABASE_SERVERS, ...PACKAGE_INSTALLS, ...FUZZ, ...SCALE, 'test/reformat/memory.test.ts'],
  // a file that asks for a server anyway fails instead of starting one (test/cli/helpers/db-server.ts)
  env: { JSONDUMP_TEST_NO_SERVERS: '1' },
});
