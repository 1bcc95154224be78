import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../../src/store/schema';
import type { PostgresHandle } from './handle';

/**
 * Connects to PostgreSQL. postgres.js connects lazily, so a bad URL surfaces on the first query
 * (in practice the migration run by openDatabase).
 */
export async function openPostgres(url: string): Promise<PostgresHandle> {
  const connect = (max: number) =>
    postgres(url, {
      max,
      // Migrations and IF NOT EXISTS statements emit NOTICEs that would otherwise go to the console.
      onnotice: () => {},
    });
  const client = connect(10);
  const db = drizzle({ client, schema, casing: 'snake_case' });
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    db,
    close() {
      closed ??= client.end({ timeout: 5 });
      return closed;
    },
    async withSingleConnection(fn) {
      // A separate client rather than pool.reserve(): drizzle needs `begin`/`options`, which
      // postgres.js reserved connections lack.
      const single = connect(1);
      try {
        return await fn(drizzle({ client: single, schema, casing: 'snake_case' }));
      } finally {
        await single.end({ timeout: 5 });
      }
    },
  };
}
