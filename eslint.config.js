// Lint config. The dependency rule of the architecture is enforced here:
// src/ and jobs/ are the runtime-neutral core and may not reach the edges.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const edgeOnlyModules = [
  '@slack/bolt', '@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*',
  '@electric-sql/pglite', '@electric-sql/pglite/*', 'postgres', 'node-cron',
  '@hono/node-server', '@hono/node-server/*', 'undici', 'drizzle-orm/pglite', 'drizzle-orm/pglite/*',
  'drizzle-orm/postgres-js', 'drizzle-orm/postgres-js/*', 'drizzle-kit',
];

const coreRestrictions = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['node:*'], message: 'src/ and jobs/ run on Node and Workers: no node:* modules (use adapters/).' },
      { group: ['**/adapters/**', '../adapters/*', '../../adapters/*'], message: 'Nothing in src/ or jobs/ imports from adapters/.' },
      { group: edgeOnlyModules, message: 'Vendor SDKs and drivers live in adapters/ only.' },
    ],
    // Exact names: as patterns these would also match our own src/lib/http.ts.
    paths: ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'events', 'stream'].map((name) => ({
      name,
      message: 'No Node built-ins in the core.',
    })),
  }],
  'no-restricted-globals': ['error',
    { name: 'process', message: 'No process/process.env in the core: config arrives parsed from the composition root.' },
    { name: 'Buffer', message: 'Use Uint8Array/TextEncoder in the core.' },
    { name: '__dirname', message: 'No Node globals in the core.' },
  ],
  'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'No process.env in the core.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tomte/', 'coverage/', '.wrangler/', 'drizzle/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/**/*.{ts,tsx}', 'jobs/**/*.ts'], rules: coreRestrictions },
  {
    files: ['src/http/**/*.ts', 'src/chat/**/*.ts', 'src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: coreRestrictions['no-restricted-imports'][1].paths,
        patterns: [
          ...coreRestrictions['no-restricted-imports'][1].patterns,
          { group: ['drizzle-orm', 'drizzle-orm/*', '**/store/**'], message: 'Transports call services, never the store.' },
        ],
      }],
    },
  },
  {
    files: ['adapters/**/*.{ts,js,mjs}', 'test/**/*.{ts,tsx}', 'bench/**/*.ts', '*.config.{ts,js}', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    // The Bot Framework SDK is end-of-life: one file holds it, so the move to the Teams SDK is one file.
    files: ['adapters/**/*.{ts,js}', 'bench/**/*.ts'],
    ignores: ['adapters/teams/framework.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Only adapters/teams/framework.ts imports the Bot Framework SDK.' }],
      }],
    },
  },
);
