// Runs a text source (built code, dist/) in a process of its own, as the CLI frame would: opens
// it from the JSON arguments in argv[2] and writes its records with text-source-frame.mjs on
// stdout (nothing with "discard"), a failure as "<ErrorClass>: <message>" on stderr (exit 1),
// then its peak RSS in kB as the last stderr line, "maxrss <kB>". For stdin and memory bounds.
import { jsonSource } from '../../../dist/cli/sources/json.js';
import { jsonLinesSource } from '../../../dist/cli/sources/jsonl.js';
import { assemble } from './text-source-frame.mjs';

const { args, layout, discard } = JSON.parse(process.argv[2]);
const kind = [jsonLinesSource, jsonSource].find((k) => k.matches(args.source, args));
try {
  const source = await kind.open(args, new AbortController().signal);
  try {
    await assemble(source, layout, (chunk) => discard || process.stdout.write(chunk));
  } finally {
    await source.close();
  }
} catch (error) {
  process.stderr.write(`${error.name}: ${error.message}\n`);
  process.exitCode = 1;
}
process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\n`);
