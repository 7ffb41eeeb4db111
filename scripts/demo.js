// `npm start`: builds the demo database if it is missing, then exports it with the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_DB, makeDemoDb } from '../fixtures/make-demo-db.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(DEMO_DB)) {
  console.error('jsondump demo: generating fixtures/demo.db …');
  makeDemoDb();
}
mkdirSync(new URL('../out', import.meta.url), { recursive: true });
const cli = spawnSync(
  process.execPath,
  ['dist/cli/main.js', 'export', 'sqlite:fixtures/demo.db', '--table', 'customers', '-o', 'out/demo.json'],
  { cwd: root, stdio: 'inherit' },
);
process.exitCode = cli.status ?? 1;
