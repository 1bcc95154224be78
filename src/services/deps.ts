import type { Db } from '../store/db';
import type { Logger } from '../lib/logger';
import type { ScoringModel } from '../domain/scoring/model';

/** What every service verb needs, built once at a composition root. */
export interface ServiceDeps {
  db: Db;
  model: ScoringModel;
  logger: Logger;
  now: () => Date;
}
