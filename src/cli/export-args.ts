// What the command line asks for, once parsed and checked (src/cli/args.ts).

export interface ExportArgs {
  command: 'export';
  /** As given: sqlite:PATH, postgres://… or postgresql://…, a libpq string ("host=… dbname=…"),
   *  mysql://…, FILE.json / FILE.jsonl (optionally .gz / .br / .zst), or '-' (stdin). */
  source: string;
  /** --from json|jsonl: the text format of stdin (default jsonl) or of a file whose name does not say. */
  from: 'json' | 'jsonl' | null;
  table: string | null;
  query: string | null;
  where: string | null;
  /** --param and --param-text, repeatable, in the order given, exactly as given ("name=value" or
   *  "value"); sql/select.ts interprets. */
  params: string[];
  /** For each of `params`: true when it came from --param-text (bound as text whatever it looks like). */
  paramsAsText: boolean[];
  columns: string[] | null; // --columns a,b,c
  orderBy: string | null; // --order-by SQL
  limit: number | null; // --limit N
  output: string | null; // -o FILE; null or '-' = stdout
  lines: boolean; // --lines
  arrays: boolean; // --arrays
  jsonCols: boolean; // --json-cols
  blob: 'base64' | 'hex' | 'object'; // --blob, default 'base64'
  splitRows: number | null; // --split-rows N
  splitBytes: number | null; // --split-bytes SIZE, in bytes (SIZE like 500k, 10M, 1G)
  jobs: number; // --jobs N, default 1
  assertRows: number | null; // --assert-rows N
  minRows: number | null; // --min-rows N
  indent: number | string | null;
  separators: [string, string] | null;
  sortKeys: boolean;
  ensureAscii: boolean | null; // --ensure-ascii true, --no-ensure-ascii false, absent null (dialect default)
  dialect: 'js' | 'python';
  escapeHTML: boolean; // --escape-html
  maxBytes: number | null; // --max-bytes SIZE
  canonical: boolean; // --canonical
  bigint: 'number' | 'string'; // --bigint number|string
  allowNaN: false | null; // --no-allow-nan false (NaN/±Infinity refused), absent null (the dialect's rule)
  replaceInvalidUTF8: boolean; // --replace-invalid-utf8
  atomic: boolean; // --no-atomic → false
  quiet: boolean; // -q
  verbose: boolean; // --verbose
  /** The long names of the flags given, each once, in order (`['table', 'lines']`; -o is `output`):
   *  a source refuses a flag it does not implement even when its value is the default. */
  given: string[];
  /** A PostgreSQL snapshot to read in (pg_export_snapshot): set for a shard of a plan run with --snapshot ID. */
  snapshot?: string | null;
}
