import { and, asc, eq, inArray, isNotNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Observation } from '../../domain/observation';
import { observationKey } from '../../domain/observation';
import type { Db } from '../db';
import { observations } from '../schema';
import { addUpsertBatch, anyColumnChanged, chunk, excluded, lastPerKey, rowsOf, wasInserted, type UpsertCounts } from './sql-helpers';

export interface ObservationFilter {
  indicators?: string[];
  regionCodes?: string[];
}

export type { UpsertCounts };

type ObservationInsert = typeof observations.$inferInsert;

function toRow(o: Observation): ObservationInsert {
  return {
    regionCode: o.regionCode,
    indicator: o.indicator,
    period: o.period,
    value: o.value,
    status: o.status,
    unit: o.unit,
    source: o.source,
    sourceTable: o.sourceTable,
    publishedAt: o.publishedAt,
    fetchedAt: o.fetchedAt,
    origin: o.origin,
    note: o.note,
  };
}

const naturalKey = [observations.regionCode, observations.indicator, observations.period];

/**
 * Inserts observations whose natural key is not stored yet and leaves existing ones untouched.
 * Returns the number of rows inserted (0 on a repeated load). Runs in one transaction so a failed
 * load leaves nothing half-written.
 */
export async function insertObservationsIfAbsent(db: Db, items: readonly Observation[]): Promise<number> {
  if (items.length === 0) return 0;
  return db.transaction(async (tx) => {
    let inserted = 0;
    for (const batch of chunk(items, BULK_ROWS_PER_STATEMENT)) {
      // One JSON parameter expanded by the database (json_populate_recordset) instead of twelve
      // bind parameters per row: the first start loads 23,000 rows in about a quarter of the time
      // (issue 17). The columns and their types are the table's own.
      const rows = batch.map(toJsonRow);
      const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.identifier(c)), sql`, `);
      const result = await tx.execute(sql`
        insert into ${observations} (${columns})
        select ${columns} from json_populate_recordset(null::${observations}, ${JSON.stringify(rows)}::json)
        on conflict (region_code, indicator, period) do nothing
        returning id`);
      inserted += rowsOf(result).length;
    }
    return inserted;
  });
}

/** Rows per bulk statement: a few MB of JSON. */
const BULK_ROWS_PER_STATEMENT = 10_000;

/** An observation as a row of json_populate_recordset (column names); refuses a value JSON cannot carry (it would arrive as null). */
function toJsonRow(o: Observation): Record<string, unknown> {
  if (o.value !== null && !Number.isFinite(o.value)) throw new Error(`observation ${observationKey(o)} has a non-finite value (${o.value})`);
  return Object.fromEntries(Object.entries(toRow(o)).map(([key, value]) => [observations[key as keyof ObservationInsert].name, value]));
}

/** Columns whose change makes an upsert an update (mirrored in `set` below); a re-fetch alone does not. */
const contentColumns = [
  observations.value,
  observations.status,
  observations.unit,
  observations.source,
  observations.sourceTable,
  observations.publishedAt,
  observations.note,
];

/**
 * Inserts new observations and rewrites stored ones only when their content changed, so
 * `updated_at` means "the figure changed", not "we fetched it again". When an item repeats a key,
 * the last occurrence wins and counts cover distinct keys.
 */
export async function upsertObservations(db: Db, items: readonly Observation[]): Promise<UpsertCounts> {
  const unique = lastPerKey(items, observationKey);
  if (unique.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  return db.transaction(async (tx) => {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const batch of chunk(unique)) {
      const rows = await tx
        .insert(observations)
        .values(batch.map(toRow))
        .onConflictDoUpdate({
          target: naturalKey,
          set: {
            value: excluded(observations.value),
            status: excluded(observations.status),
            unit: excluded(observations.unit),
            source: excluded(observations.source),
            sourceTable: excluded(observations.sourceTable),
            publishedAt: excluded(observations.publishedAt),
            note: excluded(observations.note),
            // Fetch provenance follows the content it describes; on an unchanged row it stays put.
            fetchedAt: excluded(observations.fetchedAt),
            origin: excluded(observations.origin),
            updatedAt: sql`now()`,
          },
          setWhere: anyColumnChanged(contentColumns),
        })
        .returning({ inserted: wasInserted });
      addUpsertBatch(counts, batch.length, rows);
    }
    return counts;
  });
}

export async function listObservations(db: Db, filter: ObservationFilter = {}): Promise<Observation[]> {
  const conditions: SQL[] = [];
  if (filter.indicators) conditions.push(inArray(observations.indicator, filter.indicators));
  if (filter.regionCodes) conditions.push(inArray(observations.regionCode, filter.regionCodes));
  const rows = await db
    .select({
      regionCode: observations.regionCode,
      indicator: observations.indicator,
      period: observations.period,
      value: observations.value,
      status: observations.status,
      unit: observations.unit,
      source: observations.source,
      sourceTable: observations.sourceTable,
      publishedAt: observations.publishedAt,
      fetchedAt: observations.fetchedAt,
      origin: observations.origin,
      note: observations.note,
    })
    .from(observations)
    .where(and(...conditions))
    // The natural key's order (its unique index serves it): each kommune's rows come together, so
    // a score run's objects lie kommune by kommune on the heap. Sorted by indicator first, scoring
    // 100,000 synthetic kommuner took 1.8–2.3× as long (docs/speed.md); no caller needs another order.
    .orderBy(asc(observations.regionCode), asc(observations.indicator), asc(observations.period));
  return rows;
}

export async function countObservations(db: Db): Promise<number> {
  return db.$count(observations);
}

/** What the store holds per source table: indicators, periods, kommuner covered, and dates. */
export interface SourceSummary {
  source: string;
  sourceTable: string;
  indicators: string[];
  periods: string[];
  kommuner: number;
  values: number;
  missing: number;
  publishedAt: string | null;
  fetchedAt: string;
}

/** One grouped query, so answering `kilder` never reads every observation. */
export async function summarizeSources(db: Db): Promise<SourceSummary[]> {
  const rows = await db
    .select({
      source: observations.source,
      sourceTable: observations.sourceTable,
      indicators: sql<string[]>`array_agg(distinct ${observations.indicator} order by ${observations.indicator})`,
      periods: sql<string[]>`array_agg(distinct ${observations.period} order by ${observations.period})`,
      kommuner: sql<number>`(count(distinct ${observations.regionCode}) filter (where ${observations.value} is not null and ${observations.regionCode} <> '0'))::int`,
      values: sql<number>`(count(*) filter (where ${observations.value} is not null))::int`,
      missing: sql<number>`(count(*) filter (where ${observations.value} is null))::int`,
      publishedAt: sql<string | null>`max(${observations.publishedAt})`,
      fetchedAt: sql<string>`max(${observations.fetchedAt})`,
    })
    .from(observations)
    .groupBy(observations.source, observations.sourceTable)
    .orderBy(asc(observations.source), asc(observations.sourceTable));
  return rows;
}

/** Per source table: its latest period with kommune values and how many kommuner have one in it. */
export interface TableCoverage {
  source: string;
  sourceTable: string;
  period: string;
  kommuner: number;
}

/** One grouped query (latest period per table, then the kommuner with a value in it). */
export async function coverageByTable(db: Db): Promise<TableCoverage[]> {
  const latest = db
    .select({ source: observations.source, sourceTable: observations.sourceTable, period: sql<string>`max(${observations.period})`.as('latest_period') })
    .from(observations)
    .where(and(isNotNull(observations.value), ne(observations.regionCode, '0')))
    .groupBy(observations.source, observations.sourceTable)
    .as('latest');
  return db
    .select({
      source: latest.source,
      sourceTable: latest.sourceTable,
      period: latest.period,
      kommuner: sql<number>`count(distinct ${observations.regionCode})::int`,
    })
    .from(latest)
    .innerJoin(
      observations,
      and(eq(observations.source, latest.source), eq(observations.sourceTable, latest.sourceTable), eq(observations.period, latest.period), isNotNull(observations.value), ne(observations.regionCode, '0')),
    )
    .groupBy(latest.source, latest.sourceTable, latest.period)
    .orderBy(asc(latest.source), asc(latest.sourceTable));
}

/** When any observation was last written (inserted or changed), or null for an empty store. */
export async function lastObservationChange(db: Db): Promise<Date | null> {
  const [r] = await db.select({ at: sql<string | null>`max(${observations.updatedAt})` }).from(observations);
  return r?.at ? new Date(r.at) : null;
}
