// Runs a compiled entry point (dist/node/<entry>.mjs): `node adapters/node/run.mjs main|cli|migrate …`.
// When any source is newer than the build (a developer edited a file), it rebuilds first (about a
// second), so what runs is always the code in the tree. Plain JavaScript: it must start without a
// TypeScript loader.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ENTRIES, ROOT } from './build.mjs';

const SOURCE_DIRS = ['src', 'adapters', 'jobs'];
const SOURCE_FILES = ['package.json', 'package-lock.json'];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  for (const f of SOURCE_FILES) newest = Math.max(newest, statSync(join(ROOT, f), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

function builtAt() {
  return statSync(join(DIST, 'build.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/** Runs `entry` with `args` as its command-line arguments, rebuilding first when the build is stale. */
export async function run(entry, args) {
  if (!(entry in ENTRIES)) throw new Error(`unknown entry ${entry}; known: ${Object.keys(ENTRIES).join(', ')}`);
  if (builtAt() < newestSource()) {
    const { buildNode } = await import('./build.mjs');
    await buildNode();
  }
  const file = join(DIST, `${entry}.mjs`);
  process.argv = [process.argv[0], file, ...args];
  await import(pathToFileURL(file).href);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await run(process.argv[2] ?? '', process.argv.slice(3));
}
