// A scored runtime on a test database: the bundled snapshot loaded, seed-2026 scored once, and the
// read model the chat and API use. Deterministic: fixed clock, no log output.
import { readSnapshotTexts } from '../../adapters/node/bootstrap';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';
import { silentLogger } from '../../src/lib/logger';
import type { ServiceDeps } from '../../src/services/deps';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { ReadModel } from '../../src/services/read-model';
import { rescore } from '../../src/services/rescore';
import type { Db } from '../../src/store/db';

/** The instant every test runtime believes it is. */
export const FIXED_NOW = new Date('2026-01-15T06:00:00.000Z');

export function testDeps(db: Db): ServiceDeps {
  return { db, model: seed2026, logger: silentLogger, now: () => new Date(FIXED_NOW) };
}

export interface PreparedRuntime {
  deps: ServiceDeps;
  readModel: ReadModel;
}

/** Loads the bundled snapshot into `db`, scores it with seed-2026 and builds the read model. */
export async function prepareRuntime(db: Db): Promise<PreparedRuntime> {
  const deps = testDeps(db);
  await loadSnapshot(deps, readSnapshotTexts());
  await rescore(deps, 'test');
  return { deps, readModel: await ReadModel.load(deps) };
}

