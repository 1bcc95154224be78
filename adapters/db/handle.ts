import type { PGlite } from '@electric-sql/pglite';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Schema } from '../../src/store/db';

/**
 * An open database. `db` is assignable to the store's driver-neutral `Db`; it keeps its driver type
 * here only so the migrator (which is per driver) can be picked by narrowing on `kind`.
 */
export type DatabaseHandle = PgliteHandle | PostgresHandle;

export interface PgliteHandle {
  kind: 'pglite';
  db: PgliteDatabase<Schema> & { $client: PGlite };
  /** The data directory; undefined for an in-memory database. */
  dataDir?: string;
  /** Whether this open created the data directory from a template tarball. */
  fromTemplate?: boolean;
  close(): Promise<void>;
}

export interface PostgresHandle {
  kind: 'postgres';
  db: PostgresJsDatabase<Schema> & { $client: Sql };
  close(): Promise<void>;
  /**
   * Runs `fn` on a short-lived client with exactly one connection, for work that needs session
   * state (advisory locks) to cover every statement, which a pool cannot promise.
   */
  withSingleConnection<T>(fn: (db: PostgresJsDatabase<Schema>) => Promise<T>): Promise<T>;
}
