import type { Logger } from '../../src/lib/logger';
import type { DatabaseHandle } from './handle';
import { migrateDatabase } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when set it wins over dataDir. */
  databaseUrl?: string;
  /** PGlite data directory, used when no databaseUrl is given. */
  dataDir: string;
  /** Where a taken-over stale lock is reported. */
  logger?: Logger;
  /** A new embedded data directory starts from this tarball when it gives one (adapters/node/bundle.ts). */
  templateIfNew?: () => Uint8Array | null;
}

/** Opens the configured database with the schema migrated, ready for the store. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite({
        dataDir: options.dataDir,
        onStaleLock: ({ lockPath, pid, reason }) => options.logger?.warn('database lock taken over', { lock: lockPath, pid, reason }),
        ...(options.templateIfNew ? { templateIfNew: options.templateIfNew } : {}),
      });
  try {
    await migrateDatabase(handle);
  } catch (err) {
    // Do not leak the lock file or the pool when the schema cannot be brought up to date.
    await handle.close().catch(() => {});
    // drizzle says "Failed query: select pg_advisory_lock(…)" for a refused password, a missing
    // database and a server that is down alike; the reason is in the cause, which is kept.
    throw new Error(`Could not open and migrate the ${handle.kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database: ${rootMessage(err)}`, { cause: err });
  }
  return handle;
}

/** The message of the innermost cause, where the actual reason is. */
function rootMessage(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error && e.cause !== undefined; i++) e = e.cause;
  const code = typeof e === 'object' && e !== null && 'code' in e ? ` (${String((e as { code: unknown }).code)})` : '';
  return `${e instanceof Error ? e.message : String(e)}${code}`;
}
