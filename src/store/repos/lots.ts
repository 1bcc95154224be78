import { and, asc, between, count, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { lotSources, lots, planInitiatives } from '../schema';
import { chunk } from './sql-helpers';

export interface LotSourceRow {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  cadence: string;
  status: string;
  createdBy: string;
  createdAt: Date;
  lastFetchAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
}

export async function upsertLotSource(db: Db, s: Omit<LotSourceRow, 'lastFetchAt' | 'lastSuccessAt' | 'lastError' | 'status'>): Promise<boolean> {
  const rows = await db.insert(lotSources).values({ ...s, status: 'active' }).onConflictDoNothing().returning({ id: lotSources.id });
  return rows.length > 0;
}

export async function listLotSources(db: Db): Promise<LotSourceRow[]> {
  return db.select().from(lotSources).orderBy(asc(lotSources.createdAt), asc(lotSources.id));
}

export async function getLotSource(db: Db, id: string): Promise<LotSourceRow | null> {
  return (await db.select().from(lotSources).where(eq(lotSources.id, id)).limit(1))[0] ?? null;
}

export async function recordLotFetch(db: Db, id: string, at: Date, error: string | null): Promise<void> {
  await db
    .update(lotSources)
    .set(error === null ? { lastFetchAt: at, lastSuccessAt: at, lastError: null } : { lastFetchAt: at, lastError: error })
    .where(eq(lotSources.id, id));
}

/** 'active' | 'paused' | 'removed'; only active sources are fetched, removed ones are not listed. */
export async function setLotSourceStatus(db: Db, id: string, status: 'active' | 'paused' | 'removed'): Promise<boolean> {
  const rows = await db.update(lotSources).set({ status }).where(eq(lotSources.id, id)).returning({ id: lotSources.id });
  return rows.length > 0;
}

/** Withdraws every open lot and plan of a source (it was removed); returns how many lots. */
export async function withdrawSourceLots(db: Db, sourceId: string, at: Date): Promise<number> {
  const rows = await db.update(lots).set({ withdrawnAt: at }).where(and(eq(lots.sourceId, sourceId), isNull(lots.withdrawnAt))).returning({ key: lots.key });
  await db.update(planInitiatives).set({ withdrawnAt: at }).where(and(eq(planInitiatives.sourceId, sourceId), isNull(planInitiatives.withdrawnAt)));
  return rows.length;
}

export interface StoredLot {
  sourceId: string;
  key: string;
  kommuneCode: string | null;
  kommuneShare: number | null;
  crossesBorder: boolean;
  areaM2: number;
  centroidLon: number;
  centroidLat: number;
  zoningShare: number | null;
  geometry: unknown;
  properties: Record<string, unknown>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  withdrawnAt: Date | null;
}

/** Keys of a source's lots that are not withdrawn. */
export async function openLotKeys(db: Db, sourceId: string): Promise<Set<string>> {
  const rows = await db.select({ key: lots.key }).from(lots).where(and(eq(lots.sourceId, sourceId), isNull(lots.withdrawnAt)));
  return new Set(rows.map((r) => r.key));
}

/** Every key of a source, withdrawn or not: a key seen before is never new again. */
export async function knownLotKeys(db: Db, sourceId: string): Promise<Set<string>> {
  const rows = await db.select({ key: lots.key }).from(lots).where(eq(lots.sourceId, sourceId));
  return new Set(rows.map((r) => r.key));
}

/**
 * Streams a source's keys in ascending byte order (`collate "C"`, which is JavaScript `<` order for
 * keys within the Basic Multilingual Plane), for diffSortedKeys: keyset pages of `pageSize` keys
 * (`key > last order by key limit pageSize`) served by the lots_source_key_c_idx index, so memory
 * holds one page whatever the source's size. Each page is its own query: run it inside a
 * transaction for a consistent view. `openOnly` skips withdrawn lots.
 */
export async function* streamLotKeys(db: Db, sourceId: string, pageSize = 10_000, opts: { openOnly?: boolean } = {}): AsyncGenerator<string, void, undefined> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  let last: string | null = null;
  for (;;) {
    const page: { key: string }[] = await db
      .select({ key: lots.key })
      .from(lots)
      .where(
        and(
          eq(lots.sourceId, sourceId),
          last === null ? undefined : sql`${lots.key} collate "C" > ${last}`,
          opts.openOnly ? isNull(lots.withdrawnAt) : undefined,
        ),
      )
      .orderBy(sql`${lots.key} collate "C"`)
      .limit(pageSize);
    for (const row of page) yield row.key;
    if (page.length < pageSize) return;
    last = page[page.length - 1]!.key;
  }
}

/** Inserts new lots and refreshes seen ones (geometry, area, attributes, last seen; withdrawn cleared). */
export async function upsertLots(db: Db, items: readonly Omit<StoredLot, 'withdrawnAt'>[]): Promise<void> {
  for (const batch of chunk(items)) {
    await db
      .insert(lots)
      .values(batch.map((l) => ({ ...l, withdrawnAt: null })))
      .onConflictDoUpdate({
        target: [lots.sourceId, lots.key],
        set: {
          kommuneCode: sql`excluded.kommune_code`,
          kommuneShare: sql`excluded.kommune_share`,
          crossesBorder: sql`excluded.crosses_border`,
          areaM2: sql`excluded.area_m2`,
          centroidLon: sql`excluded.centroid_lon`,
          centroidLat: sql`excluded.centroid_lat`,
          zoningShare: sql`excluded.zoning_share`,
          geometry: sql`excluded.geometry`,
          properties: sql`excluded.properties`,
          lastSeenAt: sql`excluded.last_seen_at`,
          withdrawnAt: null,
        },
      });
  }
}

export async function withdrawLots(db: Db, sourceId: string, keys: readonly string[], at: Date): Promise<number> {
  let n = 0;
  for (const batch of chunk(keys)) {
    const rows = await db
      .update(lots)
      .set({ withdrawnAt: at })
      .where(and(eq(lots.sourceId, sourceId), inArray(lots.key, [...batch]), isNull(lots.withdrawnAt)))
      .returning({ key: lots.key });
    n += rows.length;
  }
  return n;
}

export async function openLotsInKommune(db: Db, kommuneCode: string): Promise<StoredLot[]> {
  return db
    .select()
    .from(lots)
    .where(and(eq(lots.kommuneCode, kommuneCode), isNull(lots.withdrawnAt)))
    .orderBy(asc(lots.firstSeenAt), asc(lots.key));
}

export interface OpenLotFilter {
  /** Only lots in these kommuner (an empty list matches nothing); absent: any, also lots outside every kommune. */
  kommuneCodes?: readonly string[];
  minAreaM2?: number;
  /** Centroid inside [minLon, minLat, maxLon, maxLat], inclusive. */
  bbox?: readonly [number, number, number, number];
  limit?: number;
  offset?: number;
}

/**
 * Open lots matching the filter, ordered by kommune (lots outside every kommune last), first seen,
 * source and key; `total` counts every match before paging.
 */
export async function queryOpenLots(db: Db, f: OpenLotFilter): Promise<{ total: number; items: StoredLot[] }> {
  if (f.kommuneCodes !== undefined && f.kommuneCodes.length === 0) return { total: 0, items: [] };
  const conds: SQL[] = [isNull(lots.withdrawnAt)];
  if (f.kommuneCodes !== undefined) conds.push(inArray(lots.kommuneCode, [...f.kommuneCodes]));
  if (f.minAreaM2 !== undefined) conds.push(gte(lots.areaM2, f.minAreaM2));
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    conds.push(between(lots.centroidLon, w, e), between(lots.centroidLat, s, n));
  }
  const where = and(...conds);
  const [c] = await db.select({ n: count() }).from(lots).where(where);
  const total = Number(c?.n ?? 0);
  let q = db
    .select()
    .from(lots)
    .where(where)
    .orderBy(sql`${lots.kommuneCode} asc nulls last`, asc(lots.firstSeenAt), asc(lots.sourceId), asc(lots.key))
    .$dynamic();
  if (f.limit !== undefined) q = q.limit(f.limit);
  if (f.offset) q = q.offset(f.offset);
  return { total, items: total === 0 ? [] : await q };
}

/** Open lots per kommune, for the kommune card. */
export async function openLotCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ kommuneCode: lots.kommuneCode, n: count() })
    .from(lots)
    .where(isNull(lots.withdrawnAt))
    .groupBy(lots.kommuneCode);
  return new Map(rows.filter((r) => r.kommuneCode !== null).map((r) => [r.kommuneCode!, Number(r.n)]));
}

export interface StoredPlan {
  sourceId: string;
  key: string;
  kommuneCode: string;
  nationalPlanId: string | null;
  planName: string;
  planType: string;
  announcedAt: string;
  link: string | null;
  geometry: unknown;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export async function knownPlanKeys(db: Db, sourceId: string): Promise<Set<string>> {
  const rows = await db.select({ key: planInitiatives.key }).from(planInitiatives).where(eq(planInitiatives.sourceId, sourceId));
  return new Set(rows.map((r) => r.key));
}

export async function upsertPlans(db: Db, items: readonly StoredPlan[]): Promise<void> {
  for (const batch of chunk(items)) {
    await db
      .insert(planInitiatives)
      .values(batch.map((p) => ({ ...p, withdrawnAt: null })))
      .onConflictDoUpdate({
        target: [planInitiatives.sourceId, planInitiatives.key],
        set: {
          planName: sql`excluded.plan_name`,
          planType: sql`excluded.plan_type`,
          announcedAt: sql`excluded.announced_at`,
          link: sql`excluded.link`,
          geometry: sql`excluded.geometry`,
          lastSeenAt: sql`excluded.last_seen_at`,
          withdrawnAt: null,
        },
      });
  }
}

/** Plan initiatives not withdrawn, newest notice first; `kommuneCodes` limits them (empty matches nothing). */
export async function queryOpenPlans(db: Db, f: { kommuneCodes?: readonly string[]; limit?: number }): Promise<{ total: number; items: StoredPlan[] }> {
  if (f.kommuneCodes !== undefined && f.kommuneCodes.length === 0) return { total: 0, items: [] };
  const conds: SQL[] = [isNull(planInitiatives.withdrawnAt)];
  if (f.kommuneCodes !== undefined) conds.push(inArray(planInitiatives.kommuneCode, [...f.kommuneCodes]));
  const where = and(...conds);
  const [total] = await db.select({ n: count() }).from(planInitiatives).where(where);
  const rows = await db
    .select({
      sourceId: planInitiatives.sourceId,
      key: planInitiatives.key,
      kommuneCode: planInitiatives.kommuneCode,
      nationalPlanId: planInitiatives.nationalPlanId,
      planName: planInitiatives.planName,
      planType: planInitiatives.planType,
      announcedAt: planInitiatives.announcedAt,
      link: planInitiatives.link,
      geometry: planInitiatives.geometry,
      firstSeenAt: planInitiatives.firstSeenAt,
      lastSeenAt: planInitiatives.lastSeenAt,
    })
    .from(planInitiatives)
    .where(where)
    .orderBy(sql`${planInitiatives.announcedAt} desc`, asc(planInitiatives.sourceId), asc(planInitiatives.key))
    .limit(f.limit ?? 1000);
  return { total: Number(total?.n ?? 0), items: rows };
}
