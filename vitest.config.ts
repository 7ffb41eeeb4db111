import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The scale tests: each holds a core (and up to 3.5 GB) for a minute or more with a million rows,
 * records or levels, or strings of hundreds of megabytes. They run one at a time, after the
 * others: two at once on a busy two-core machine ran past the 120 s limit per test.
 */
export const SCALE = [
  'test/values/traps.test.ts',
  'test/values/long-strings.test.ts',
  'test/async/streaming.test.ts',
  'test/cli/sources/sqlite.test.ts',
  'test/cli/sources/postgres-jobs.test.ts',
  'test/cli/sources/mysql.test.ts',
];

export interface SuiteOptions {
  /** Files left out of the run. */
  exclude?: string[];
  /** Environment variables for the test files. */
  env?: Record<string, string>;
}

export function suite({ exclude = [], env = {} }: SuiteOptions = {}) {
  const common = {
    // each test file removes what it creates in the temporary directory, or fails naming what it left
    setupFiles: ['test/helpers/temp-per-file.ts'],
    env,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  };
  return defineConfig({
    test: {
      // the run gets a temporary directory of its own and fails if anything is left in it; the
      // database servers it started for itself are stopped before that check (teardowns run in
      // reverse order)
      globalSetup: ['test/helpers/temp-root.ts', 'test/helpers/run-servers.ts'],
      projects: [
        {
          test: {
            ...common,
            name: 'files',
            include: ['test/**/*.test.ts'],
            exclude: [...configDefaults.exclude, ...SCALE, ...exclude],
            // vitest's default, one worker fewer than the cores, is one worker on two cores: most
            // files spend much of their time waiting for the CLI processes, servers and children
            // they start (12 mixed files: 237 s with one worker, 201 s with two, on a busy shared
            // two-core machine)
            maxWorkers: Math.max(2, availableParallelism() - 1),
            sequence: { groupOrder: 0 },
          },
        },
        // one worker and a higher group order: vitest runs groups from the lowest order up, so
        // these run one at a time, after the others
        { test: { ...common, name: 'scale', include: SCALE, exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      ],
    },
  });
}

export default suite();
