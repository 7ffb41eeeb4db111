// The terminal transcripts of the README's "Command line" section, run as shown: each block's
// commands in one bash session (`npx jsondump` being the built CLI, $DATABASE_URL the test
// PostgreSQL server, fixtures/demo.db the first rows of the demo database), their stdout and
// stderr together compared with the lines shown. `now()` is the only text that may differ.
// The `npm start` transcript needs a terminal (the progress line and summary are drawn only on
// one) and 300,000 rows: its summary line is the one cli-output.test.ts checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, tempDir } from './helpers/cli.js';
import { pgServer, type PgServer } from './helpers/pg-server.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('\n## Command line\n'), readme.indexOf('\n## Reformat JSON text\n'));

interface Transcript {
  commands: string[];
  output: string;
}

/** The ``` blocks of the section that begin with a `$ ` prompt, but the one of `npm start`. */
function transcripts(): Transcript[] {
  const blocks = [...section.matchAll(/^```\n(\$ [\s\S]*?)```$/gm)].map((m) => m[1]);
  return blocks
    .filter((block) => !block.startsWith('$ npm start'))
    .map((block) => {
      const commands: string[] = [];
      const output: string[] = [];
      let continued = false;
      for (const line of block.split('\n').slice(0, -1)) {
        if (continued) commands[commands.length - 1] += '\n' + line;
        else if (line.startsWith('$ ')) commands.push(line.slice(2));
        else if (line !== '') output.push(line);
        continued = (line.startsWith('$ ') || continued) && line.endsWith('\\');
      }
      return { commands, output: output.map((line) => line + '\n').join('') };
    });
}

// PostgreSQL drops the trailing zeros of the fraction (and a fraction of zero)
const NOW = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00/g;

let dir = '';
let server: PgServer;

beforeAll(() => {
  dir = tempDir('readme-transcripts');
  mkdirSync(join(dir, 'fixtures'));
  // the generator is seeded and sequential: its first 100 rows are those of the full database
  execFileSync(process.execPath, [join(ROOT, 'fixtures/make-demo-db.js'), join(dir, 'fixtures/demo.db'), '100'], { stdio: 'ignore' });
  server = pgServer();
});

afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the README's command-line transcripts are what the commands print", () => {
  it('has the transcripts this file runs', () => {
    expect(transcripts().flatMap((t) => t.commands.map((c) => c.split(' ').slice(0, 3).join(' ')))).toEqual([
      'npx jsondump export',
      'npx jsondump export',
      'npx jsondump export',
      'echo $?',
      'npx jsondump export',
      "printf '{\"id\": 1}\\n{\"id\":",
    ]);
  });

  for (const [i, transcript] of transcripts().entries()) {
    it(`transcript ${i + 1}: ${transcript.commands[0].split('\n')[0].slice(0, 60)}`, () => {
      const script = ['exec 2>&1', 'npx() { [ "$1" = jsondump ] && shift; node "$CLI" "$@"; }', ...transcript.commands].join('\n');
      const result = spawnSync('bash', ['-c', script], { cwd: dir, env: { ...process.env, CLI, DATABASE_URL: server.url }, encoding: 'utf8' });
      expect(result.stdout.replace(NOW, '<now>')).toBe(transcript.output.replace(NOW, '<now>'));
    });
  }
});
