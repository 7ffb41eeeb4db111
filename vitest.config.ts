import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // every test file removes what it creates in the temporary directory, or fails saying what
    // it left (and the run fails if anything is left at its end); the database servers the run
    // started for itself are stopped before that last check (teardowns run in reverse order)
    globalSetup: ['test/helpers/temp-root.ts', 'test/helpers/run-servers.ts'],
    setupFiles: ['test/helpers/temp-per-file.ts'],
    // vitest's default, one worker fewer than the cores, is one worker on two cores: most files
    // spend much of their time waiting for the CLI processes, servers and children they start,
    // so two workers on two cores end the run sooner (12 mixed files: 237 s → 201 s on a busy
    // shared two-core machine; see Testing in README.md for the whole suite)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 120000,
    hookTimeout: 300000,
  },
});
