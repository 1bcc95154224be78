import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // PGlite start-up and the PostgreSQL suites need more than the 5 s default.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
