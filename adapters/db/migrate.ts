import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from './handle';

/** Resolved from this file, not the cwd, so the CLI, server and tests all find the same folder. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary constant identifying tomte's migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 7_461_746_533;

/** Brings the schema up to date; already-applied migrations are skipped. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    // One process per data directory (lock file), so nothing to serialise.
    await migratePglite(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // Several server instances may start together. drizzle's migrator reads the applied list before
  // its transaction, so two of them would both apply the same migration and one would fail; a
  // session advisory lock on a single connection makes the others wait and then find nothing to do.
  await handle.withSingleConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/** How many migrations this build ships (drizzle's journal), for the readiness check. */
export function shippedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}
