// Re-encoding streams: the peak RSS of a process that reformats a file holding one huge string,
// or many records, does not grow with the string or the number of records. Each run is a child
// process of its own (built code, dist/), which reports process.resourceUsage().maxRSS.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useTempDir } from '../helpers/io.js';
import { ROOT } from '../cli/helpers/cli.js';

const tmp = useTempDir('reformat-memory');
const MiB = 1 << 20;

/** Writes `head`, `count` copies of `unit`, then `tail`, without holding the file in memory. */
function writeRepeated(path: string, head: string, unit: string, count: number, tail: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.from(unit.repeat(Math.max(1, Math.floor(MiB / unit.length))));
  const perBlock = block.length / Buffer.byteLength(unit);
  writeSync(fd, head);
  let left = count;
  for (; left >= perBlock; left -= perBlock) writeSync(fd, block);
  writeSync(fd, unit.repeat(left));
  writeSync(fd, tail);
  closeSync(fd);
}

/** Peak RSS (MiB) of a child that runs `body` (an ES module body with `reformat`, `jsonSource`, `assemble` imported). */
function peakRss(body: string): number {
  const script = `
    import { reformat } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
    import { jsonSource } from ${JSON.stringify(join(ROOT, 'dist/cli/sources/json.js'))};
    import { assemble } from ${JSON.stringify(join(ROOT, 'test/cli/helpers/text-source-frame.mjs'))};
    ${body}
    process.stdout.write(String(process.resourceUsage().maxRSS));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return Number(r.stdout) / 1024;
}

// A string of escapes, non-ASCII and plain text: every path of the string scanner.
const STRING_UNIT = 'plain text \\n \\" é 中文 😀 \\u00e9 ';

describe('peak RSS does not grow with the input', () => {
  test('one string of 20 MB and of 100 MB (reformat with indent, ensureAscii; the .json source)', () => {
    const peaks: Record<string, number> = {};
    for (const mb of [20, 100]) {
      const path = join(tmp.path, `string-${mb}.json`);
      const count = Math.round((mb * 1e6) / Buffer.byteLength(STRING_UNIT));
      writeRepeated(path, '{"id": 1, "text": "', STRING_UNIT, count, '"}');
      peaks[`reformat ${mb}`] = peakRss(`await reformat(${JSON.stringify(path)}, ${JSON.stringify(path + '.out')}, { indent: 2, ensureAscii: true });`);
      peaks[`source ${mb}`] = peakRss(`
        const source = await jsonSource.open({ source: ${JSON.stringify(path)} }, new AbortController().signal);
        await assemble(source, { options: { dialect: 'python' }, lines: true }, () => {});
        await source.close();`);
    }
    for (const how of ['reformat', 'source']) {
      expect(peaks[`${how} 100`], how).toBeLessThan(100);
      expect(peaks[`${how} 100`] - peaks[`${how} 20`], how).toBeLessThan(20);
    }
  });

  test('200,000 and 1,000,000 records (reformat of JSON Lines to an indented array)', () => {
    const peaks: number[] = [];
    for (const n of [200_000, 1_000_000]) {
      const path = join(tmp.path, `records-${n}.jsonl`);
      writeRepeated(path, '', '{"id": 12345, "name": "Zoë", "tags": ["a", "b"], "n": 1.50}\n', n, '');
      peaks.push(peakRss(`await reformat(${JSON.stringify(path)}, ${JSON.stringify(path + '.out')}, { from: 'jsonl', indent: 2 });`));
    }
    expect(peaks[1]).toBeLessThan(100);
    expect(peaks[1] - peaks[0]).toBeLessThan(20);
  });
});
