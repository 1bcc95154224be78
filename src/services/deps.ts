import type { Db } from '../store/db';
import type { Logger } from '../lib/logger';
import type { ScoringModel } from '../domain/scoring/model';
import type { OutboundPolicy } from '../lib/outbound-policy';

/** What every service verb needs, built once at a composition root. */
export interface ServiceDeps {
  db: Db;
  model: ScoringModel;
  logger: Logger;
  now: () => Date;
  /** Where outside requests may go (TOMTE_FETCH_ALLOW, and a resolver where the runtime has one); default: https, public addresses only. */
  outbound?: OutboundPolicy;
}
