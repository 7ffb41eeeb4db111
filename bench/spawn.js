// Starts one fresh benchmark child (bench/child.js) and returns its JSON result.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

// Room for JSON.stringify of ~300 MB (indented records) next to the data itself.
export const NODE_FLAGS = ['--max-old-space-size=12288', '--expose-gc'];

/**
 * Runs child.js with `spec`; kills it after `timeoutMs`. Never rejects: errors are results.
 * `flags`: node flags (memory.js runs with Node's default heap limit, as users do).
 */
export function runChild(spec, timeoutMs, flags = NODE_FLAGS) {
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
