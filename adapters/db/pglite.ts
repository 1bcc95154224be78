import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireLock } from './lock';
import { extractTarball } from './tarball';
import * as schema from '../../src/store/schema';
import type { PgliteHandle } from './handle';

export { DatabaseLockedError, LOCK_FILE_NAME } from './lock';

/**
 * PGlite's start parameters with a smaller buffer cache. PostgreSQL's default shared_buffers
 * (128 MB) is sized for a server shared by many clients; here one process holds one small
 * database (about 40 MB of tables) whose hot part fits in 16 MB, and the read model is built once
 * per score run. The cache lives in the WebAssembly heap, which never shrinks: the default cost
 * the service about 120 MB of resident memory for no measurable speed (issue 17).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export interface OpenPgliteOptions {
  /** Directory for the database files; undefined gives a throwaway in-memory database. */
  dataDir?: string;
  /** A tarball of a data directory (PGlite's `dumpDataDir`) to start from instead of an empty one. */
  loadDataDir?: Blob;
  /**
   * A tarball to start a new data directory from (one without PG_VERSION), e.g. the start template
   * built at install time; asked only then. Null: initialise an empty database as usual.
   */
  templateIfNew?: () => Uint8Array | null;
  /** Told when a lock left by a dead process, or by a pid that now belongs to another program, is taken over. */
  onStaleLock?: (info: { lockPath: string; pid: number; reason: string }) => void;
}

export async function openPglite(options: OpenPgliteOptions = {}): Promise<PgliteHandle> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  let releaseLock = (): void => {};
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireLock(dataDir, options.onStaleLock);
  }
  let client: PGlite;
  let fromTemplate = false;
  try {
    if (!options.loadDataDir && dataDir !== undefined && options.templateIfNew && !existsSync(join(dataDir, 'PG_VERSION'))) {
      const template = options.templateIfNew();
      if (template) {
        extractTarball(template, dataDir);
        fromTemplate = true;
      }
    }
    client = await PGlite.create(dataDir, { startParams: START_PARAMS, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  } catch (err) {
    releaseLock();
    throw err;
  }
  const db = drizzle({ client, schema, casing: 'snake_case' });
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    db,
    ...(dataDir !== undefined ? { dataDir } : {}),
    fromTemplate,
    close() {
      // Idempotent: shutdown paths often close twice (signal handler and finally block).
      closed ??= client.close().finally(releaseLock);
      return closed;
    },
  };
}
