import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { kommuneBoundaries } from '../schema';
import { sha256Text } from '../../lib/hash';
import type { KommuneBoundary } from '../../domain/kommune/types';
import { chunk, excluded } from './sql-helpers';

const BOUNDARIES_PER_STATEMENT = 50;

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
  const rows = await Promise.all(
    items.map(async (b) => ({ code: b.code, geometry: b.geometry, geometryHash: await sha256Text(JSON.stringify(b.geometry)), origin: meta.origin, fetchedAt: meta.fetchedAt })),
  );
  // A few dozen kommuner per statement (their outlines are up to a few hundred kB each), not one
  // round trip per kommune.
  for (const batch of chunk(rows, BOUNDARIES_PER_STATEMENT)) {
    const q = db.insert(kommuneBoundaries).values(batch);
    const res = meta.ifAbsent
      ? await q.onConflictDoNothing({ target: kommuneBoundaries.code }).returning({ code: kommuneBoundaries.code })
      : await q
          .onConflictDoUpdate({
            target: kommuneBoundaries.code,
            set: { geometry: excluded(kommuneBoundaries.geometry), geometryHash: excluded(kommuneBoundaries.geometryHash), origin: excluded(kommuneBoundaries.origin), fetchedAt: excluded(kommuneBoundaries.fetchedAt), updatedAt: sql`now()` },
            setWhere: sql`${kommuneBoundaries.geometryHash} <> ${excluded(kommuneBoundaries.geometryHash)}`,
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
