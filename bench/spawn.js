// Starts one fresh benchmark child (bench/child.js) and returns its JSON result.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

// Room for JSON.stringify of ~300 MB (indented records) next to the data itself.
export const NODE_FLAGS = ['--max-old-space-size=12288', '--expose-gc'];

/**
 * Writes every dirty page of the page cache back to disk (sync(1)) before a child starts, so
 * that no contender pays for another's output. Without it, the first child of a table — the
 * JSON.stringify baseline — ran while the kernel wrote back the reference output and the
 * dataset's JSON Lines copy made just before it (about 400 MB for records): its writeFileSync
 * took 3.9 s of a 6.9 s run (bench/RESULTS.md, 2026-11-30 14:38), where the same code timed
 * alone takes 4.1–4.7 s in all, 1.6–2.0 s of it the write (`/usr/bin/time -v node
 * bench/baseline-alone.js records`, bench/README.md; on a loaded machine).
 */
export function flushPageCache() {
  spawnSync('sync', { stdio: 'ignore' });
}

/**
 * Runs child.js with `spec` after flushPageCache(); kills it after `timeoutMs`. Never
 * rejects: errors are results.
 * `flags`: node flags (memory.js runs with Node's default heap limit, as users do).
 */
export function runChild(spec, timeoutMs, flags = NODE_FLAGS) {
  flushPageCache();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...flags, CHILD, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s) => { stderr += s; });
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop();
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        const why = killed ? `killed after ${(timeoutMs / 1000).toFixed(0)} s` : `exit ${code ?? signal}`;
        result = { error: `${why}: ${(stderr.trim().split('\n').slice(-3).join(' / ') || 'no output').slice(0, 300)}` };
      }
      resolve(result);
    });
  });
}
