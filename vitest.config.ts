import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Files that run in a fresh module graph each: every test file that reaches the Teams adapter or
 * botbuilder, found by its imports so a new one is isolated without being listed. botbuilder keeps
 * the Bot Framework's OpenID metadata, signing keys and client-credentials tokens in module-level
 * caches, and these files assert exactly when those are fetched. Every other file shares its
 * worker's modules with the files before it (`isolate: false`): the service's module graph is
 * imported once per worker rather than once per file (issue 17: vitest's import time summed over
 * the files, 254 s → about 32 s). Those files keep their own databases, servers and msw handlers;
 * the one module-level state in src/ (the metrics registry) only counts up. Test servers start
 * through test/support/listen.ts, which leaves the global Request/Response alone (docs/speed.md).
 */
const ISOLATED = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.split(sep).join('/')}`)
  .filter((f) => /from '[^']*(support\/teams|adapters\/teams\/[^']*|botbuilder[^']*)'/.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
