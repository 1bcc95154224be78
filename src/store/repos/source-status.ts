import { asc, eq, and, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { sourceStatus } from '../schema';

export interface SourceStatus {
  source: string;
  dataset: string;
  publisherUpdated: string | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  periods: string[] | null;
}

export async function getSourceStatus(db: Db, source: string, dataset: string): Promise<SourceStatus | null> {
  const rows = await db
    .select()
    .from(sourceStatus)
    .where(and(eq(sourceStatus.source, source), eq(sourceStatus.dataset, dataset)))
    .limit(1);
  const r = rows[0];
  return r ? toStatus(r) : null;
}

export async function listSourceStatus(db: Db): Promise<SourceStatus[]> {
  const rows = await db.select().from(sourceStatus).orderBy(asc(sourceStatus.source), asc(sourceStatus.dataset));
  return rows.map(toStatus);
}

/** Records a successful fetch: the publisher's stamp and the periods now held. */
export async function recordSourceSuccess(
  db: Db,
  s: { source: string; dataset: string; publisherUpdated: string | null; periods: string[] | null; at: Date },
): Promise<void> {
  await db
    .insert(sourceStatus)
    .values({ source: s.source, dataset: s.dataset, publisherUpdated: s.publisherUpdated, periods: s.periods, lastSuccessAt: s.at })
    .onConflictDoUpdate({
      target: [sourceStatus.source, sourceStatus.dataset],
      set: {
        publisherUpdated: s.publisherUpdated,
        // An "unchanged" check passes null periods: keep what the last download recorded.
        periods: s.periods ?? sql`${sourceStatus.periods}`,
        lastSuccessAt: s.at,
        updatedAt: sql`now()`,
      },
    });
}

/** Records a failure; the stamp and periods of the last success stay, so nothing is re-read as changed. */
export async function recordSourceFailure(db: Db, s: { source: string; dataset: string; error: string; at: Date }): Promise<void> {
  await db
    .insert(sourceStatus)
    .values({ source: s.source, dataset: s.dataset, lastFailureAt: s.at, lastError: s.error })
    .onConflictDoUpdate({
      target: [sourceStatus.source, sourceStatus.dataset],
      set: { lastFailureAt: s.at, lastError: s.error, updatedAt: sql`now()` },
    });
}

function toStatus(r: typeof sourceStatus.$inferSelect): SourceStatus {
  return {
    source: r.source,
    dataset: r.dataset,
    publisherUpdated: r.publisherUpdated,
    lastSuccessAt: r.lastSuccessAt,
    lastFailureAt: r.lastFailureAt,
    lastError: r.lastError,
    periods: r.periods ?? null,
  };
}
