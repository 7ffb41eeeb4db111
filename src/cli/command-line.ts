// The command a command line asks for: `export` (of a source, or of a plan's shards), `plan`,
// `manifest`, help or the version; each command's flags are read where they are defined.
import { exportArgs, parseFlags } from './args.js';
import { UsageError } from './errors.js';
import type { ExportArgs } from './export-args.js';
import { manifestArgs, planArgs, refuseShardFlags, shardRunArgs, type ManifestArgs, type PlanArgs, type ShardRunArgs } from './shards/shard-args.js';
export { HELP } from './help.js';

export type Args = ExportArgs | PlanArgs | ShardRunArgs | ManifestArgs | { command: 'help' } | { command: 'version' };

/** Parses the command line (without `node` and the script); throws UsageError. */
export function parseCommandLine(argv: string[]): Args {
  const { values, positionals, tokens } = parseFlags(argv);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, source, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: jsondump export <source> [options]');
  if (command === 'plan') return planArgs(positionals.slice(1), values, tokens);
  if (command === 'manifest') return manifestArgs(positionals.slice(1), values);
  if (command !== 'export') throw new UsageError(`unknown command ${JSON.stringify(command)} (the commands are export, plan and manifest)`);
  if (values.plan !== undefined) return shardRunArgs(positionals.slice(1), values);
  refuseShardFlags(values);
  if (source === undefined) throw new UsageError('missing source: jsondump export <source> [options]');
  if (source === '') throw new UsageError('the source is empty: give sqlite:PATH, a URL, a file or - for stdin');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  return exportArgs(source, values, tokens);
}
