import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Lot sources configured by users (`tomtekilde legg til …`): a kommune's GeoJSON list, a WFS
 * query, a CSV of matrikkel numbers, DiBK's plan-initiative feed. `config` is the source's JSON.
 */
export const lotSources = pgTable('lot_sources', {
  id: text('id').primaryKey(),
  /** 'geojson' | 'wfs' | 'matrikkel-csv' | 'dibk-plans' */
  kind: text('kind').notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  /** 'hourly' | 'daily' | 'weekly' */
  cadence: text('cadence').notNull().default('daily'),
  /** 'active' | 'paused' */
  status: text('status').notNull().default('active'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastFetchAt: timestamp('last_fetch_at', { withTimezone: true, mode: 'date' }),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
  lastError: text('last_error'),
});

/** A lot as last seen in its source, with the geometry tomte derived from it. */
export const lots = pgTable(
  'lots',
  {
    sourceId: text('source_id').notNull(),
    /** Matrikkel number when known, else the source's feature id. */
    key: text('key').notNull(),
    kommuneCode: text('kommune_code'),
    /** Share of the lot in its kommune (< 1 when it crosses a border). */
    kommuneShare: doublePrecision('kommune_share'),
    crossesBorder: boolean('crosses_border').notNull().default(false),
    areaM2: doublePrecision('area_m2').notNull(),
    centroidLon: doublePrecision('centroid_lon').notNull(),
    centroidLat: doublePrecision('centroid_lat').notNull(),
    /** Share in residential zoning, when the source provides zoning polygons. */
    zoningShare: doublePrecision('zoning_share'),
    geometry: jsonb('geometry').$type<unknown>().notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set when a complete fetch of the source no longer lists the lot. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ name: 'lots_pk', columns: [t.sourceId, t.key] }),
    index('lots_kommune_idx').on(t.kommuneCode),
    // Keys in byte order (JavaScript `<` order) for streamLotKeys' keyset pages: the primary key
    // uses the database's collation, which PostgreSQL will not use for `order by key collate "C"`.
    index('lots_source_key_c_idx').on(t.sourceId, sql`${t.key} collate "C"`),
  ],
);

/** Notices of planning start (DiBK "planlegging igangsatt"). */
export const planInitiatives = pgTable(
  'plan_initiatives',
  {
    sourceId: text('source_id').notNull(),
    key: text('key').notNull(),
    kommuneCode: text('kommune_code').notNull(),
    nationalPlanId: text('national_plan_id'),
    planName: text('plan_name').notNull(),
    planType: text('plan_type').notNull(),
    announcedAt: text('announced_at').notNull(),
    link: text('link'),
    geometry: jsonb('geometry').$type<unknown>().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ name: 'plan_initiatives_pk', columns: [t.sourceId, t.key] }), index('plan_initiatives_kommune_idx').on(t.kommuneCode)],
);
