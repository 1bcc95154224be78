import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;

/**
 * The database as the store sees it: typed against the generic Postgres dialect rather than a
 * driver, so the same repos run on PGlite (local, tests) and postgres.js (server) alike.
 * Driver-specific result shapes (e.g. of `db.execute`) differ, so repos stick to the query builder.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle; it is also a `Db`, so repos can be called inside one. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
