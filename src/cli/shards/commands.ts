// The commands of sharded exports, as main.ts runs them: each ends with an exit status, and a
// failure is one line on stderr.
import { JSONDumpError } from '../../index.js';
import { SourceError, UsageError, messageOf } from '../errors.js';
import { Interrupted, onSignals, SIGNALS } from '../signals.js';
import { makePlan, planSummary, writePlan } from './plan.js';
import type { ManifestArgs, PlanArgs, ShardRunArgs } from './shard-args.js';
import { allSummary, EXIT_BUSY, PLAN_DIGEST_ENV, REPORT_ENV, runAll } from './all-shards.js';
import { ShardBusy } from './lock.js';
import { readPlan, shortDigest } from './plan-file.js';
import { checkRun, exportShard, shardSummary } from './shard-export.js';
import { WARNING } from '../records.js';
import { counted } from '../progress.js';
import { mergeManifests, mergeSummary } from './merge.js';
import { verdictLine, verifyDir } from './verify.js';

const EXIT_OK = 0;
const EXIT_FAILED = 1;

/** One line that says what failed. */
function describe(error: unknown): string {
  if (error instanceof SourceError || error instanceof JSONDumpError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (typeof e.syscall === 'string' && typeof e.path === 'string') return `cannot ${e.syscall} ${e.path}: ${messageOf(error).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`;
  return messageOf(error).split('\n')[0];
}

const line = (text: string) => process.stderr.write(`jsondump: ${text}\n`);

/** Whether the closing summary is shown: on a terminal or with --verbose, never with -q. */
const showSummary = (args: { quiet: boolean; verbose: boolean }) => !args.quiet && (args.verbose || process.stderr.isTTY === true);

async function planCommand(args: PlanArgs): Promise<number> {
  const result = await makePlan(args);
  await writePlan(args, result.plan);
  if (showSummary(args)) line(planSummary(args, result));
  if (!args.quiet) for (const note of result.notes) if (showSummary(args) || note.startsWith(WARNING)) line(note);
  return EXIT_OK;
}

async function shardCommand(args: ShardRunArgs, signal: AbortSignal): Promise<number> {
  const loaded = readPlan(args.plan);
  const began = process.env[PLAN_DIGEST_ENV];
  if (began !== undefined && began !== loaded.digest) {
    throw new SourceError(`${args.plan} is now plan ${shortDigest(loaded.digest)}, not the plan ${shortDigest(began)} --all began with: not run`);
  }
  checkRun(loaded, args);
  if (args.all) {
    const outcome = await runAll(loaded, args, signal, showSummary(args));
    const { lines, done } = allSummary(outcome, loaded, args.output);
    if (!args.quiet && (showSummary(args) || !done)) lines.forEach(line);
    else if (!done) line(lines[lines.length - 1]);
    return done ? EXIT_OK : EXIT_FAILED;
  }
  const progress = process.stderr.isTTY === true && !args.quiet ? process.stderr : null;
  const outcome = await exportShard(loaded, args.shard as number, args, { signal, progress });
  const underAll = process.env[REPORT_ENV] === '1';
  if (underAll) process.stdout.write(JSON.stringify(outcome) + '\n');
  // a shard left as it was says so even without --verbose (nothing was written), unless --all counts them
  if (!args.quiet && (showSummary(args) || (outcome.complete && !underAll))) line(shardSummary(outcome, loaded.plan.shards, args.output));
  if (!args.quiet) for (const note of outcome.notes) if (showSummary(args) || note.startsWith(WARNING)) line(note);
  return EXIT_OK;
}

/** Report lines on stdout: the command's result, as `sha256sum -c` prints its own. */
const report = (text: string) => process.stdout.write(`${text}\n`);

async function manifestCommand(args: ManifestArgs): Promise<number> {
  if (args.command === 'manifest-merge') {
    const { manifest, problems } = await mergeManifests(args);
    if (problems.length > 0) {
      problems.forEach(line);
      line(`nothing merged: ${args.dir} does not verify (${counted(problems.length, 'problem')} above)`);
      return EXIT_FAILED;
    }
    if (showSummary(args)) line(mergeSummary(args, manifest));
    return EXIT_OK;
  }
  const verdict = await verifyDir(args.dir, args.plan, true);
  verdict.problems.forEach(report);
  if (!args.quiet) verdict.notes.forEach((note) => report(`note: ${note}`));
  if (!args.quiet || verdict.problems.length > 0) report(verdictLine(args.dir, verdict));
  return verdict.problems.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** Runs a command of sharded exports: signals end it (130/143/129), a usage error is exit 2. */
export async function shardsCommand(args: PlanArgs | ShardRunArgs | ManifestArgs, usageFailure: (message: string) => number): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onSignals(controller);
  try {
    if (args.command === 'plan') return await planCommand(args);
    if (args.command === 'shard') return await shardCommand(args, controller.signal);
    return await manifestCommand(args);
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof Interrupted) {
      line(reason.message);
      stopSignals();
      return SIGNALS[reason.signal];
    }
    if (error instanceof UsageError) return usageFailure(error.message);
    line(describe(error));
    if (error instanceof ShardBusy) return EXIT_BUSY;
    return EXIT_FAILED;
  } finally {
    stopSignals();
  }
}
