// `jsondump --help`: the flags grouped by task, then worked examples.

export const HELP = `Usage: jsondump export <source> [options]
       jsondump plan <source> --table NAME --shards N [options] -o PLAN.json
       jsondump export --plan PLAN.json (--shard K | --all [--jobs N]) [-o DIR]
       jsondump manifest verify DIR [--plan PLAN.json]
       jsondump manifest merge DIR -o MANIFEST.json

Exports a database table or query, or re-encodes a JSON or JSON Lines file, as
one JSON array (or JSON Lines with --lines), streamed with flat memory.

Sources:
  sqlite:PATH              an SQLite database file, opened read-only; also
                           sqlite://RELATIVE/PATH, sqlite:///ABSOLUTE/PATH
  postgres://USER@HOST:PORT/DB | postgresql://… | "host=… dbname=…"
                           a PostgreSQL server (PG* environment variables
                           apply), in a read-only session, rows streamed
  mysql://USER@HOST:PORT/DB
                           a MySQL or MariaDB server, rows streamed
  FILE.jsonl | FILE.json   JSON Lines, or one JSON document of any size;
                           also FILE.jsonl.gz, .br, .zst
  -                        stdin: JSON Lines, or JSON with --from json (a
                           JSON document without --from is refused, never
                           read as one record)

Choose the rows (database sources):
  --table NAME             every row of a table ("schema.table" allowed), with:
    --where SQL              only the rows that match (values through --param)
    --columns A,B,C          only these columns, in this order
    --order-by SQL           in this order
    --limit N                at most N rows
  --query SQL              the rows of a query (read-only: SELECT)
  --param VALUE|NAME=VALUE a bound value for a placeholder of --where or
                           --query; repeat it, in order. Never pasted into SQL.
                           SQLite binds a value that reads as a number (12,
                           -3.5, 1e3; not 007 or +5) as a number, the rest as
                           text; PostgreSQL types each value from the query;
                           MySQL converts it where it is compared
  --param-text VALUE|NAME=VALUE
                           the same, bound as text even when it reads as a
                           number (an SQLite TEXT column holding '1.50')
  --jobs N                 read a table by key range: SQLite with N workers
                           (the same bytes as one job), PostgreSQL with N
                           connections (rows in key order)

Read a text source (JSON, JSON Lines):
  --from json|jsonl        the format of stdin (default jsonl), or of a file
                           whose name does not say
  --replace-invalid-utf8   write U+FFFD for bytes that are not UTF-8, here
                           and in SQLite TEXT (default: refused, with their
                           byte offset, and the row and column)

Shape each row (database sources):
  --arrays                 each row as an array in column order, after a
                           header of the column names (not a row: it is not
                           counted, and every part of a split begins with it)
  --json-cols              text columns holding JSON embedded as JSON
  --blob base64|hex|object BLOBs as base64 (default), hex or {"$base64": "…"}
  --bigint number|string   integers past 2^53 as digits (default) or strings

Format the JSON:
  --lines                  JSON Lines: one compact record per line
  --indent N|STRING        N spaces per level (0: line breaks only), or STRING
                           (spaces, tabs) per level, e.g. --indent $'\\t'
  --separators JSON        item and key separators, e.g. '[", ", ": "]'
  --sort-keys              members sorted by key (database sources)
  --dialect js|python      JSON.stringify (default) or Python json.dumps text
  --ensure-ascii           every non-ASCII character as \\uXXXX (python default)
  --no-ensure-ascii        UTF-8 as is, also with --dialect python
  --escape-html            <, > and & as \\u003c, \\u003e, \\u0026
  --no-allow-nan           fail on NaN or ±Infinity (js writes them as null,
                           python as NaN, Infinity)
  --canonical              RFC 8785 (JCS): sorted keys, no white space
                           (database sources)

Write the output:
  -o, --output FILE|DIR/|- write FILE; without -o, or with -o -, stdout;
                           DIR/: a file in DIR named after the table or file.
                           A name ending in .gz, .br or .zst is compressed
                           with gzip, brotli or zstd
  --split-rows N           at most N rows per file: FILE-00001.jsonl, …
  --split-bytes SIZE       at most SIZE bytes of JSON per file (500k, 10M, 1G:
                           powers of 1024; 10MB: of 1000); each file complete,
                           cut only between records, then FILE.manifest.json
                           (files, rows, bytes, sha256) written last. The set
                           replaces an earlier one there whole (its extra
                           parts removed); a file named like a part that no
                           manifest lists is refused
  --no-atomic              write FILE in place (by default a temporary file
                           beside it is renamed over it once complete)
  --max-bytes SIZE         fail, leaving no file, once the JSON (all parts
                           together, before compression) passes SIZE bytes

Check the result (fail with exit 1 and no file when not met):
  --assert-rows N          exactly N rows
  --min-rows N             at least N rows

Sharded exports (SQLite and PostgreSQL tables; see the README):
  jsondump plan <source> --table NAME --shards N [options] -o PLAN.json
  --shards N               cut the table into N key ranges of about equal
                           rows (the first and last open-ended: new keys
                           have a shard too) and write them as a plan; it
                           takes --where, --param, --columns, the layout
                           flags and --split-*, and holds no password
  --key COL[,COL…]         the key to cut by (default: the primary key, or
                           SQLite's rowid); rows whose key is NULL go first,
                           in shard 0
  --compress gz|br|zst     compress each part of each shard
  --plan PLAN.json         jsondump export [<source>] --plan PLAN.json reads
                           the plan (and another source than the plan's,
                           when given: a password, a replica) and runs:
  --shard K                  the rows of range K (from 0) in key order, as
                             DIR/part-K-00001.jsonl… and part-K.manifest.json
                             put in place together (-o DIR, default .); a
                             complete shard is left as it is; exit 75 when
                             another process holds it
  --all                      every shard not yet complete, --jobs N
                             processes at a time; after a failure, run it
                             again to go on where it stopped
  --snapshot ID            PostgreSQL: plan and shards read the snapshot that
                           pg_export_snapshot() returned in a transaction
                           still open, so every shard reads the same moment
  jsondump manifest verify DIR [--plan PLAN.json]
                           exit 0 only when every shard is there and whole
                           and the ranges meet; else one line per problem
  jsondump manifest merge DIR -o MANIFEST.json
                           one manifest of every file of DIR, in shard order

Messages:
  -q, --quiet              no progress line, no summary
  --verbose                the summary on stderr even when it is not a terminal
  -h, --help               this help
  -V, --version            the version

Examples:
  # A table to gzip-compressed JSON Lines; fail if it came out empty
  jsondump export sqlite:app.db --table users --lines --min-rows 1 \\
      -o users.jsonl.gz

  # Last year's orders from PostgreSQL, a million per file, with a manifest
  jsondump export postgres://me@db.example/shop --table orders \\
      --where 'created_at >= $1' --param 2025-01-01 --lines \\
      --split-rows 1000000 -o orders.jsonl

  # Re-indent a large JSON file as Python's json.dump(obj, f, indent=4) would
  jsondump export data.json --dialect python --indent 4 -o pretty.json

Exit status: 0 success (also when the reader of stdout stops early), 1 source
or destination error, 2 bad usage, 75 a shard another process holds,
130/143/129 on SIGINT/SIGTERM/SIGHUP. A
failed or interrupted export leaves no partial file and the old one intact.`;
