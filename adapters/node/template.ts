// Builds the start template (issue 17): a PGlite data directory with the schema migrated, the
// bundled snapshot loaded and every model scored, as a tarball in dist/template/. A fresh clone's
// first `npm start` (or CLI call) unpacks it instead of initialising a database, loading 23,000
// rows and scoring 357 kommuner. Run at install (`npm ci` runs `prepare`) after the code is built;
// a data directory that already exists never uses it. The template is keyed by the models, the
// bundled data and the migrations (bundle.ts): after a change it is not used until rebuilt
// (`npm run build`), and a first start does the work itself, as it did before.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { rescore } from '../../src/services/rescore';
import { migrateDatabase } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { bundleKey, readSnapshotTexts, TEMPLATE_DIR, TEMPLATE_FILE, TEMPLATE_META, TEMPLATE_PARTS } from './bundle';
import { TEMPLATE_STAMP, writePartsFile } from './read-model-file';
import { ReadModel, type ReadModelParts } from '../../src/services/read-model';
import { MODELS, nodeComposition } from './bootstrap';
import { join } from 'node:path';

export async function buildStartTemplate(dir = TEMPLATE_DIR): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  // Defaults only: the template must not depend on who installs it (DATABASE_URL, TOMTE_MODEL …).
  const comp = nodeComposition(parseConfig({ TOMTE_LOG_LEVEL: 'warn' }), (line) => process.stderr.write(`${line}\n`));
  const handle = await openPglite({});
  let dump: Blob;
  let parts: ReadModelParts;
  try {
    await migrateDatabase(handle);
    const deps = comp.serviceDeps(handle.db);
    await loadSnapshot(deps, readSnapshotTexts());
    await rescore(deps, 'install');
    parts = await ReadModel.loadParts(deps);
    dump = await handle.db.$client.dumpDataDir('gzip');
  } finally {
    await handle.close();
  }
  const bytes = Buffer.from(await dump.arrayBuffer());
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${TEMPLATE_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, join(dir, TEMPLATE_FILE));
  writePartsFile(join(dir, TEMPLATE_PARTS), TEMPLATE_STAMP, bundleKey(MODELS), parts);
  writeFileSync(join(dir, TEMPLATE_META), `${JSON.stringify({ key: bundleKey(MODELS), builtAt: new Date().toISOString() }, null, 2)}\n`);
  return { bytes: bytes.length, ms: Math.round(performance.now() - started) };
}

