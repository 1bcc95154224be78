import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/open';
import type { DatabaseHandle } from '../db/handle';
import type { Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/lib/logger';
import { MODELS, modelById } from '../../src/domain/scoring/models';
import { loadSnapshot, SNAPSHOT_FILE_NAMES } from '../../src/services/load-snapshot';
import { rescoreIfStale } from '../../src/services/rescore';
import { ReadModel } from '../../src/services/read-model';
import type { ServiceDeps } from '../../src/services/deps';
import { createAddressSearch } from '../../src/sources/kartverket/adresser';
import { createSourceHttp } from './http';

/** The bundled snapshot, next to the code so any working directory works. */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));


/** The bundled known cases (data/fasit), for `modeller` and the API's validation figures. */
export const KNOWN_CASES_FILE = 'fasit/kjente-tilfeller.csv';

export function readSnapshotTexts(dir = DATA_DIR): Map<string, string> {
  return new Map(SNAPSHOT_FILE_NAMES.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')]));
}

export function makeLogger(config: Config, write?: (line: string) => void): Logger {
  return createLogger({
    level: config.TOMTE_LOG_LEVEL,
    secrets: [config.SLACK_SIGNING_SECRET, config.SLACK_BOT_TOKEN, config.MICROSOFT_APP_PASSWORD, config.DATABASE_URL, config.TOMTE_CRON_SECRET, ...config.TOMTE_API_TOKENS],
    ...(write ? { write } : {}),
  });
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
export async function startRuntime(config: Config, logger: Logger, handle?: DatabaseHandle): Promise<Runtime> {
  const model = modelById(config.TOMTE_MODEL);
  if (!model) throw new Error(`Unknown scoring model "${config.TOMTE_MODEL}". Known: ${MODELS.map((m) => m.id).join(', ')}`);
  const h = handle ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.TOMTE_DATA_DIR }));
  try {
    const deps: ServiceDeps = {
      db: h.db,
      models: MODELS,
      model,
      logger,
      now: () => new Date(),
      knownCases: readFileSync(`${DATA_DIR}${KNOWN_CASES_FILE}`, 'utf8'),
      addressSearch: createAddressSearch(createSourceHttp()('adresser', async () => {})),
    };
    await loadSnapshot(deps, readSnapshotTexts());
    await rescoreIfStale(deps, 'start');
    return { handle: h, deps, readModel: await ReadModel.load(deps) };
  } catch (err) {
    await h.close();
    throw err;
  }
}
