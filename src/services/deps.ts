import type { Db } from '../store/db';
import type { Logger } from '../lib/logger';
import type { ScoringModel } from '../domain/scoring/model';
import type { AddressSearch } from '../sources/kartverket/adresser';

/** What every service verb needs, built once at a composition root. */
export interface ServiceDeps {
  db: Db;
  model: ScoringModel;
  logger: Logger;
  now: () => Date;
  /** Kartverket's address search for `adresse <tekst>`; absent where no outbound HTTP is set up. */
  addressSearch?: AddressSearch;
}
