import { JSONDumpError } from '../../src/index.js';

/**
 * A failure as one comparable line: `CODE PATH` for a JSONDumpError (`ERR_ABORTED $.rows[3]`),
 * `foreign: Name: message` for any other error, `foreign: value` for a thrown non-error.
 */
export function describeError(e: unknown): string {
  if (e instanceof JSONDumpError) return `${e.code} ${e.path}`;
  return `foreign: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}
