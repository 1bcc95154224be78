import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the template databases once per run (an empty migrated one, the snapshot scored).
    globalSetup: ['test/support/templates.ts'],
    // PGlite start-up and the PostgreSQL suites need more than the 5 s default.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker less than the cores (one on a 2-core machine): the files here
    // spend much of their time waiting on PostgreSQL, child processes and the network mocks, so one
    // worker per core keeps both cores busy (issue 17: the suite's wall time).
    maxWorkers: Math.max(2, availableParallelism()),
    // botbuilder's JWT validation writes refused tokens to console.error (with the public key);
    // the Teams tests refuse many on purpose and assert the 401s themselves.
    onConsoleLog: (log, type) => (type === 'stderr' && /^(Error finding key for token|TokenExpiredError|JsonWebTokenError)/.test(log.trimStart()) ? false : undefined),
  },
});
