import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Postgres caps a statement at 65 535 bind parameters; 1000 rows keeps even the widest table
 * (observations, 12 bound columns) far below it while still amortising round trips.
 */
export const MAX_ROWS_PER_STATEMENT = 1000;

export function chunk<T>(items: readonly T[], size = MAX_ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `excluded.<column>` inside ON CONFLICT DO UPDATE, i.e. the value the insert proposed. */
export function excluded(column: PgColumn): SQL {
  return sql`excluded.${sql.identifier(column.name)}`;
}

/**
 * True when any of the columns would change. Row-wise IS DISTINCT FROM treats NULL = NULL as equal,
 * which plain `<>` would not, so a null value re-written as null counts as unchanged.
 */
export function anyColumnChanged(columns: readonly PgColumn[]): SQL {
  const current = sql.join(columns.map((c) => sql`${c}`), sql`, `);
  const proposed = sql.join(columns.map((c) => excluded(c)), sql`, `);
  return sql`(${current}) is distinct from (${proposed})`;
}

/**
 * RETURNING expression telling inserted rows from updated ones in an upsert: an inserted tuple has
 * no deleting/locking transaction (xmax = 0), an updated one carries ours. Works on PostgreSQL and
 * PGlite alike; it relies on heap internals, but is the standard idiom and is covered by tests.
 */
export const wasInserted = sql<boolean>`(xmax = 0)`;

/** Keeps the last item per key, so a multi-row upsert never touches one row twice (Postgres rejects that). */
export function lastPerKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    // Delete first so the surviving item takes the position of its last occurrence.
    byKey.delete(k);
    byKey.set(k, item);
  }
  return [...byKey.values()];
}

/** Outcome of an upsert, counted over distinct keys. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Folds one upsert batch's RETURNING rows into the counts; rows the WHERE filtered out are not returned. */
export function addUpsertBatch(counts: UpsertCounts, batchSize: number, returned: readonly { inserted: boolean }[]): void {
  const inserted = returned.filter((r) => r.inserted).length;
  counts.inserted += inserted;
  counts.updated += returned.length - inserted;
  counts.unchanged += batchSize - returned.length;
}

/** The rows of `db.execute`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}
