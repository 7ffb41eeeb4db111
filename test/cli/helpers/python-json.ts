// Python as an oracle for database rows: what json.dumps writes for the rows Python's own drivers
// would read. For SQLite, its sqlite3 module reads the file; for a server, the test hands over
// each value as the server's text and its kind, converted as PyMySQL and psycopg convert it
// (float(text), int(text)).
import { spawnSync } from 'node:child_process';

const SQLITE = `
import json, sqlite3, sys
path, query, kwargs, whole = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4] == 'array'
con = sqlite3.connect('file:' + path + '?mode=ro', uri=True)
cur = con.execute(query)
names = [d[0] for d in cur.description]
rows = (dict(zip(names, row)) for row in cur)
try:
    if whole:
        print(json.dumps(list(rows), **kwargs))
    else:
        for row in rows:
            print(json.dumps(row, **kwargs))
except ValueError as e:
    print('ValueError: ' + str(e))
`;

/**
 * The lines Python writes for `query` on the SQLite file: json.dumps(row, **kwargs) per row, or
 * with `array` json.dumps(rows, **kwargs) once; a ValueError json.dumps raised as the last line.
 */
export function pythonSqlite(path: string, query: string, kwargs: Record<string, unknown> = {}, array = false): string[] {
  const result = spawnSync('python3', ['-c', SQLITE, path, query, JSON.stringify(kwargs), array ? 'array' : 'rows'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout.split('\n').slice(0, -1);
}

/**
 * A value as a server sends it as text: a float or an int to convert, a string, or NULL; an
 * array of values, or a composite (an object of named values).
 */
export type ServerValue = { float: string } | { int: string } | { object: [string, ServerValue][] } | ServerValue[] | string | null;

const ROWS = `
import json, sys
def value(v):
    if isinstance(v, list):
        return [value(e) for e in v]
    if isinstance(v, dict):
        if 'object' in v:
            return {name: value(e) for name, e in v['object']}
        return float(v['float']) if 'float' in v else int(v['int'])
    return v
for row in json.load(sys.stdin):
    try:
        print(json.dumps({name: value(v) for name, v in row}))
    except ValueError as e:
        print('ValueError: ' + str(e))
`;

/** json.dumps of each row (its columns in order), the values converted as Python's drivers convert them. */
export function pythonRows(rows: [string, ServerValue][][]): string[] {
  const result = spawnSync('python3', ['-c', ROWS], { input: JSON.stringify(rows), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout.split('\n').slice(0, -1);
}
