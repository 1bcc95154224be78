// A scored runtime on a test database: the bundled snapshot loaded, seed-2026 scored once, and the
// read model the chat and API use. Deterministic: fixed clock, no log output.
import { readSnapshotTexts } from '../../adapters/node/bootstrap';
import type { ScoringModel } from '../../src/domain/scoring/model';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';
import { silentLogger } from '../../src/lib/logger';
import type { ServiceDeps } from '../../src/services/deps';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { ReadModel } from '../../src/services/read-model';
import { rescore } from '../../src/services/rescore';
import type { Db } from '../../src/store/db';

import { FIXED_NOW } from './clock';

export { FIXED_NOW };

/**
 * Service dependencies on a test database. Tests default to seed-2026 alone (their figures are
 * seed-2026's); `models` scores several, the first being the default.
 */
export function testDeps(db: Db, models: readonly ScoringModel[] = [seed2026]): ServiceDeps {
  return { db, models, model: models[0]!, logger: silentLogger, now: () => new Date(FIXED_NOW) };
}

export interface PreparedRuntime {
  deps: ServiceDeps;
  readModel: ReadModel;
}

/** Loads the bundled snapshot into `db`, scores it (seed-2026 unless `models` says otherwise) and builds the read model. */
export async function prepareRuntime(db: Db, models?: readonly ScoringModel[]): Promise<PreparedRuntime> {
  const deps = testDeps(db, models);
  await loadSnapshot(deps, readSnapshotTexts());
  await rescore(deps, 'test');
  return { deps, readModel: await ReadModel.load(deps) };
}


