import type { Db } from '../store/db';
import type { Logger } from '../lib/logger';
import type { ScoringModel } from '../domain/scoring/model';
import type { AddressSearch } from '../sources/kartverket/adresser';
import type { OutboundPolicy } from '../lib/outbound-policy';

/** What every service verb needs, built once at a composition root. */
export interface ServiceDeps {
  db: Db;
  /** Every model scored in each run (includes `model`). */
  models: readonly ScoringModel[];
  /** The deployment's default model (`TOMTE_MODEL`): answers, subscriptions and the API use it unless one is named. */
  model: ScoringModel;
  logger: Logger;
  /** The bundled known-cases sample (CSV text of data/fasit/kjente-tilfeller.csv) for `modeller`; absent where not bundled. */
  knownCases?: string;
  now: () => Date;
  /** Kartverket's address search for `adresse <tekst>`; absent where no outbound HTTP is set up. */
  addressSearch?: AddressSearch;
  /** Where outside requests may go (TOMTE_FETCH_ALLOW, and a resolver where the runtime has one); default: https, public addresses only. */
  outbound?: OutboundPolicy;
}
