import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { rowsOf } from './sql-helpers';

/** Rows of a raw query on either driver (PGlite returns `{ rows }`, postgres.js an array). */

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`select 1 as ok`));
  return Number(rows[0]?.ok) === 1;
}

/** How many migrations drizzle recorded as applied (0 when its table does not exist). */
export async function appliedMigrations(db: Db): Promise<number> {
  const exists = rowsOf(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`));
  if (!exists[0]?.present) return 0;
  const rows = rowsOf(await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(rows[0]?.n ?? 0);
}
