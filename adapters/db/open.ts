import type { DatabaseHandle } from './handle';
import { migrateDatabase } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when set it wins over dataDir. */
  databaseUrl?: string;
  /** PGlite data directory, used when no databaseUrl is given. */
  dataDir: string;
}

/** Opens the configured database with the schema migrated, ready for the store. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite({ dataDir: options.dataDir });
  try {
    await migrateDatabase(handle);
  } catch (err) {
    // Do not leak the lock file or the pool when the schema cannot be brought up to date.
    await handle.close();
    throw err;
  }
  return handle;
}
