import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { kommuneBoundaries } from '../schema';
import { sha256Text } from '../../lib/hash';
import type { KommuneBoundary } from '../../domain/kommune/types';

/**
 * Stores boundaries, rewriting only those whose geometry changed. `ifAbsent` keeps existing rows
 * (the bundled snapshot never overwrites a refreshed boundary). Returns the rows written.
 */
export async function upsertBoundaries(
  db: Db,
  items: readonly KommuneBoundary[],
  meta: { origin: string; fetchedAt: string; ifAbsent?: boolean },
): Promise<number> {
  let written = 0;
  for (const b of items) {
    const hash = await sha256Text(JSON.stringify(b.geometry));
    const row = { code: b.code, geometry: b.geometry, geometryHash: hash, origin: meta.origin, fetchedAt: meta.fetchedAt };
    const q = db.insert(kommuneBoundaries).values(row);
    const res = meta.ifAbsent
      ? await q.onConflictDoNothing({ target: kommuneBoundaries.code }).returning({ code: kommuneBoundaries.code })
      : await q
          .onConflictDoUpdate({
            target: kommuneBoundaries.code,
            set: { geometry: row.geometry, geometryHash: hash, origin: row.origin, fetchedAt: row.fetchedAt, updatedAt: sql`now()` },
            setWhere: sql`${kommuneBoundaries.geometryHash} <> ${hash}`,
          })
          .returning({ code: kommuneBoundaries.code });
    written += res.length;
  }
  return written;
}

export async function countBoundaries(db: Db): Promise<number> {
  const [r] = await db.select({ n: count() }).from(kommuneBoundaries);
  return r?.n ?? 0;
}

export async function getBoundary(db: Db, code: string): Promise<KommuneBoundary | null> {
  const [r] = await db.select({ code: kommuneBoundaries.code, geometry: kommuneBoundaries.geometry }).from(kommuneBoundaries).where(eq(kommuneBoundaries.code, code));
  return r ?? null;
}

/** Every stored boundary, ordered by code. */
export async function listBoundaries(db: Db): Promise<KommuneBoundary[]> {
  return db
    .select({ code: kommuneBoundaries.code, geometry: kommuneBoundaries.geometry })
    .from(kommuneBoundaries)
    .orderBy(kommuneBoundaries.code);
}
