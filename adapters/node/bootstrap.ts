import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/open';
import type { DatabaseHandle } from '../db/handle';
import type { Config } from '../../src/config';
import type { Logger } from '../../src/lib/logger';
import { loadSnapshot, SNAPSHOT_FILE_NAMES } from '../../src/services/load-snapshot';
import { rescoreIfStale } from '../../src/services/rescore';
import { ReadModel } from '../../src/services/read-model';
import { recordModelChoice } from '../../src/services/audit';
import type { ServiceDeps } from '../../src/services/deps';
import { compose, type Composition } from '../compose';
import { createGuardedFetch, systemResolve } from './guarded-fetch';

export { MODELS } from '../compose';

/** The bundled snapshot, next to the code so any working directory works. */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));


/** The bundled known cases (data/fasit), for `modeller` and the API's validation figures. */
export const KNOWN_CASES_FILE = 'fasit/kjente-tilfeller.csv';

export function readSnapshotTexts(dir = DATA_DIR): Map<string, string> {
  return new Map(SNAPSHOT_FILE_NAMES.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')]));
}

/**
 * The shared composition with Node's bindings: names resolved by the OS resolver, and every outside
 * call made through undici connecting only to the addresses the outbound policy checked.
 */
export function nodeComposition(config: Config, write?: (line: string) => void): Composition {
  return compose(config, {
    resolve: systemResolve,
    fetchFor: (policy) => createGuardedFetch({ ...policy, resolve: policy.resolve ?? systemResolve }),
    knownCases: readFileSync(`${DATA_DIR}${KNOWN_CASES_FILE}`, 'utf8'),
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
 * Opens the database (migrated), loads the bundled snapshot when it is new, scores when the
 * inputs changed, and builds the read model. Shared by the server and the CLI.
 */
export async function startRuntime(comp: Composition, handle?: DatabaseHandle): Promise<Runtime> {
  const { config, logger } = comp;
  const h = handle ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.TOMTE_DATA_DIR, logger }));
  try {
    const deps = comp.serviceDeps(h.db);
    await recordModelChoice(deps);
    await loadSnapshot(deps, readSnapshotTexts());
    await rescoreIfStale(deps, 'start');
    return { handle: h, deps, readModel: await ReadModel.load(deps) };
  } catch (err) {
    await h.close();
    throw err;
  }
}
