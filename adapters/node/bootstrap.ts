import { readFileSync } from 'node:fs';
import { openDatabase } from '../db/open';
import type { DatabaseHandle } from '../db/handle';
import type { Config } from '../../src/config';
import type { Logger } from '../../src/lib/logger';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { bundleKey, DATA_DIR, KNOWN_CASES_FILE, readSnapshotTexts, readStartTemplate, TEMPLATE_DIR, TEMPLATE_PARTS } from './bundle';
import { rescoreIfStale } from '../../src/services/rescore';
import { ReadModel, type ReadModelParts } from '../../src/services/read-model';
import { readPartsFile, readReadModelFile, TEMPLATE_STAMP, writeReadModelFile } from './read-model-file';
import { join } from 'node:path';
import { recordModelChoice } from '../../src/services/audit';
import type { ServiceDeps } from '../../src/services/deps';
import { compose, MODELS, type Composition } from '../compose';
import { createGuardedFetch, systemResolve } from './guarded-fetch';
import { renderMapPng } from './map-png';

export { MODELS } from '../compose';

export { DATA_DIR, KNOWN_CASES_FILE, readSnapshotTexts } from './bundle';

/**
 * The shared composition with Node's bindings: names resolved by the OS resolver, and every outside
 * call made through undici connecting only to the addresses the outbound policy checked.
 */
export function nodeComposition(config: Config, write?: (line: string) => void): Composition {
  return compose(config, {
    resolve: systemResolve,
    fetchFor: (policy) => createGuardedFetch({ ...policy, resolve: policy.resolve ?? systemResolve }),
    knownCases: readFileSync(`${DATA_DIR}${KNOWN_CASES_FILE}`, 'utf8'),
    renderPng: (svg) => renderMapPng(svg),
    ...(write ? { write } : {}),
  });
}

export function makeLogger(config: Config, write?: (line: string) => void): Logger {
  return nodeComposition(config, write).logger;
}

export interface Runtime {
  handle: DatabaseHandle;
  deps: ServiceDeps;
  /** Replaced after a refresh that rescored. */
  readModel: ReadModel;
}

/**
 * Closes an embedded database and leaves the read-model file beside it (adapters/node/
 * read-model-file.ts), so the next CLI call answers without opening it. The parts are read fresh
 * before closing: the process may have changed data since its read model was built.
 */
export async function closeRuntime(runtime: Runtime, comp: Composition): Promise<void> {
  if (runtime.handle.kind !== 'pglite' || runtime.handle.dataDir === undefined) return runtime.handle.close();
  let parts: ReadModelParts | null = null;
  try {
    parts = await ReadModel.loadParts(runtime.deps);
  } catch (err) {
    comp.logger.warn('read model not saved', { error: err });
  }
  await runtime.handle.close();
  if (parts) writeReadModelFile(runtime.handle.dataDir, bundleKey(runtime.deps.models), parts);
}

/**
 * Opens the database (migrated), loads the bundled snapshot when it is new, scores when the
 * inputs changed, and builds the read model. Shared by the server and the CLI.
 */
export async function startRuntime(comp: Composition, handle?: DatabaseHandle): Promise<Runtime> {
  const { config, logger } = comp;
  const steps: Record<string, number> = {};
  let last = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps[`${name}_ms`] = Math.round(now - last);
    last = now;
  };
  // An embedded database closed cleanly left its read model beside it (read-model-file.ts): when
  // nothing changed since, it is used instead of reading every score again (a warm start). Each
  // kommune's details are read from the file when first needed: most are never needed between two
  // refreshes, and the process keeps ~25 MB less (one open file, kept until the process ends).
  const saved = !handle && !config.DATABASE_URL ? readReadModelFile(config.TOMTE_DATA_DIR, bundleKey(MODELS), { lazy: true }) : null;
  const h =
    handle ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.TOMTE_DATA_DIR,
      logger,
      // A new embedded database starts from the template built at install time, when it matches.
      templateIfNew: () => readStartTemplate(bundleKey(MODELS)),
    }));
  step('open_and_migrate');
  // A database just unpacked from the start template: the template's read model is its own.
  const fromTemplate = h.kind === 'pglite' && h.fromTemplate === true;
  const prepared = fromTemplate ? readPartsFile(join(TEMPLATE_DIR, TEMPLATE_PARTS), TEMPLATE_STAMP, bundleKey(MODELS), { lazy: true }) : saved;
  try {
    const deps = comp.serviceDeps(h.db);
    await recordModelChoice(deps);
    const loaded = await loadSnapshot(deps, readSnapshotTexts());
    step('snapshot');
    const scored = await rescoreIfStale(deps, 'start');
    step('score');
    const reuse = prepared !== null && loaded.skipped && scored === null;
    const readModel = reuse ? ReadModel.fromParts(deps, prepared) : await ReadModel.load(deps);
    step('read_model');
    logger.info('runtime ready', {
      database: h.kind,
      from_template: fromTemplate,
      snapshot_loaded: !loaded.skipped,
      rescored: scored !== null,
      read_model_from: !reuse ? 'database' : fromTemplate ? 'start template' : 'saved file',
      ...steps,
    });
    return { handle: h, deps, readModel };
  } catch (err) {
    await h.close();
    throw err;
  }
}
