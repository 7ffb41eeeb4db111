// Runs the built CLI (dist/cli/main.js) as a child process, as users run it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/main.js');
const MAX_RSS_PRELOAD = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process in kB, when measured. */
  maxRssKb: number | null;
}

export interface CliOptions {
  input?: string;
  cwd?: string;
  measureRss?: boolean;
  /** Called once the process is started, e.g. to signal it. */
  started?: (pid: number) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const rssDir = options.measureRss ? mkdtempSync(join(tmpdir(), 'jsondump-rss-')) : null;
  const rssFile = rssDir === null ? '' : join(rssDir, 'maxrss');
  const nodeArgs = rssDir === null ? [CLI, ...args] : ['--import', MAX_RSS_PRELOAD, CLI, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, JSONDUMP_MAXRSS_FILE: rssFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  options.started?.(child.pid as number);
  child.stdin.end(options.input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      let maxRssKb: number | null = null;
      if (rssDir !== null) {
        maxRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : null;
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({ status, stdout, stderr, maxRssKb });
    });
  });
}

/** Feeds each element of a JSON array text stream to `check`, numbers kept as their text. */
export async function eachArrayElement(text: Readable, check: (value: unknown, index: number) => void): Promise<number> {
  let count = 0;
  await pipeline(
    text,
    // packed tokens only: half the tokens of the default, for the same values
    parser.asStream({ streamValues: false }),
    streamArray.asStream({ numberAsString: true }),
    new Writable({
      objectMode: true,
      write(item: { key: number; value: unknown }, _encoding, callback) {
        try {
          check(item.value, item.key);
          count++;
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    }),
  );
  return count;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `jsondump-${prefix}-`));
}
