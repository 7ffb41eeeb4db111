// Python's own reading of an SQLite query, as an oracle: the sqlite3 module's rows, each written
// by json.dumps as a dict of its columns (one line per row), or the exception json.dumps raised.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import json, sqlite3, sys
path, query, kwargs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
con = sqlite3.connect('file:' + path + '?mode=ro', uri=True)
cur = con.execute(query)
names = [d[0] for d in cur.description]
try:
    for row in cur:
        print(json.dumps(dict(zip(names, row)), **kwargs))
except ValueError as e:
    print('ValueError: ' + str(e))
`;

/** The lines Python writes for each row of `query` (json.dumps with `kwargs`), or 'ValueError: …' last. */
export function pythonLines(path: string, query: string, kwargs: Record<string, unknown> = {}): string[] {
  const result = spawnSync('python3', ['-c', SCRIPT, path, query, JSON.stringify(kwargs)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout.split('\n').slice(0, -1);
}
