// `jsondump --help` reads as finished sentences: no flag's description stops on a word that
// needs more after it ("…is compressed so"), every line fits 80 columns, and the compression
// each output extension gives is named.
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/help.js';

/** Words a sentence cannot end on. */
const DANGLING = new Set(['so', 'the', 'a', 'an', 'and', 'or', 'of', 'to', 'with', 'by', 'in', 'for', 'is', 'are', 'as', 'its', 'their']);

/** Each flag's or source's description: the lines from one that starts an entry to the next. */
function entries(): string[] {
  const blocks: string[] = [];
  for (const line of HELP.split('\n')) {
    if (/^  \S/.test(line)) blocks.push(line);
    else if (/^ {4,}\S/.test(line) && blocks.length > 0) blocks[blocks.length - 1] += '\n' + line;
    else blocks.push('');
  }
  return blocks.filter((b) => b !== '' && !b.trimStart().startsWith('#'));
}

describe('--help', () => {
  it('no description ends on a word that needs more after it', () => {
    for (const entry of entries()) {
      const last = /([\p{L}]+)\W*$/u.exec(entry)?.[1].toLowerCase() ?? '';
      expect(DANGLING.has(last), entry).toBe(false);
    }
  });

  it('names the compression each output extension gives', () => {
    const output = entries().find((e) => e.startsWith('  -o, --output')) ?? '';
    expect(output).toMatch(/\.gz, \.br or \.zst[\s\S]*gzip, brotli or zstd/);
  });

  it('fits 80 columns', () => {
    for (const line of HELP.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
