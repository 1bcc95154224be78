// Compiles the Node entry points once to plain JavaScript (dist/node/), so `npm start` and the CLI
// do not pay for TypeScript on every call (issue 17). esbuild bundles tomte's own code into one
// module graph with shared chunks; packages stay external and load from node_modules as usual.
// The output sits two folders deep like the sources it replaces (adapters/node, adapters/cli), so
// paths resolved from import.meta.url (data/, drizzle/) point at the same folders.
// Run by `npm run build`, by `prepare` (which `npm ci` runs) and by run.mjs when a source changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist', 'node');

/** The entry points, by the name `run.mjs` takes. */
export const ENTRIES = {
  main: 'adapters/node/main.ts',
  cli: 'adapters/cli/main.ts',
  migrate: 'adapters/node/migrate.ts',
  template: 'adapters/node/build-template.ts',
};

/** Packages loaded from node_modules at run time (see the comment in buildNode). */
export const EXTERNAL = ['@electric-sql/pglite', '@electric-sql/pglite/*', '@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*', 'esbuild', 'tsx', 'playwright-core', '@resvg/resvg-js'];

/** Builds into a temporary folder and swaps it in, so a concurrent reader never sees half a build. */
export async function buildNode() {
  // esbuild loads only here: run.mjs imports this module for its paths on every CLI call.
  const { build } = await import('esbuild');
  const tmp = `${DIST}.tmp-${process.pid}-${Date.now()}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Pure-JavaScript packages are bundled: one file parses far faster than hundreds of small ES
    // modules resolved one by one (drizzle-orm alone is 450). These stay in node_modules: PGlite
    // loads its WASM and data files next to its own code; the chat SDKs and esbuild are CommonJS
    // trees with dynamic requires; tsx is a loader.
    external: EXTERNAL,
    banner: { js: "import { createRequire as __tomteCreateRequire } from 'node:module'; const require = __tomteCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), entries: Object.keys(ENTRIES) })}\n`);
  mkdirSync(dirname(DIST), { recursive: true });
  const old = `${DIST}.old-${process.pid}-${Date.now()}`;
  try {
    renameSync(DIST, old);
  } catch {
    // No earlier build.
  }
  renameSync(tmp, DIST);
  rmSync(old, { recursive: true, force: true });
}

/** Builds the start template (adapters/node/template.ts) with the compiled code, in a child process. */
export function buildTemplate() {
  const r = spawnSync(process.execPath, [join(DIST, 'template.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the start template failed (exit ${r.status ?? r.signal})`);
}

/**
 * Links node_modules/.bin/tomte to the CLI, so `npx tomte` finds it as a local bin and runs it at
 * once. package.json has no "bin" on purpose: for a project's own bin, `npm exec` first installs
 * the project into its npx cache and reads the whole dependency tree (about 1 s on every call, 12 s
 * on the first), which is most of the time a CLI answer takes (issue 17).
 */
export function linkBin() {
  const bin = join(ROOT, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const link = join(bin, 'tomte');
  rmSync(link, { force: true });
  symlinkSync(join('..', '..', 'adapters', 'cli', 'bin.js'), link);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  if (!process.argv.includes('--code-only')) linkBin();
  await buildNode();
  console.log(`built dist/node (${Object.keys(ENTRIES).join(', ')}) in ${Date.now() - started} ms`);
  // `--code-only`: the code alone (run.mjs after an edit); the template is kept and used while it still matches.
  if (!process.argv.includes('--code-only')) buildTemplate();
}
