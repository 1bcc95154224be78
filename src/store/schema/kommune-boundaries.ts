import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Kommune boundaries (GeoJSON geometry in WGS84), for maps, exports and point-in-kommune lookups. */
export const kommuneBoundaries = pgTable('kommune_boundaries', {
  /** The kommune's four-digit 2024 code; one boundary per kommune is the idempotency key. */
  code: text('code').primaryKey(),
  geometry: jsonb('geometry').$type<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>().notNull(),
  /** SHA-256 of the geometry JSON, so an unchanged boundary is not rewritten. */
  geometryHash: text('geometry_hash').notNull(),
  /** 'snapshot:data/kommuner-2024.geojson' or the endpoint it came from. */
  origin: text('origin').notNull(),
  fetchedAt: text('fetched_at').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
