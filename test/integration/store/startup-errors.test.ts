// Start-up database errors keep their cause: drizzle reports every failure of the migration lock as
// "Failed query: select pg_advisory_lock(…)"; what went wrong (nothing listening, a missing
// database, a refused password) is in the cause, and now in the message and the log line too.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../adapters/db/open';
import { createLogger } from '../../../src/lib/logger';

const pgUrl = process.env.TOMTE_TEST_PG_URL || undefined;

async function failure(databaseUrl: string): Promise<Error> {
  const err = await openDatabase({ databaseUrl, dataDir: '/nonexistent' }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('start-up database errors', () => {
  it('nothing listening: the message names the refused connection, the cause chain is kept and logged', async () => {
    const err = await failure('postgres://tomte:not-the-password@127.0.0.1:1/tomte');
    expect(err.message).toMatch(/^Could not open and migrate the PostgreSQL database: .*ECONNREFUSED/);
    expect(err.cause).toBeInstanceOf(Error);
    const lines: string[] = [];
    createLogger({ level: 'info', secrets: ['not-the-password'], write: (l) => lines.push(l) }).error('start-up failed', { error: err });
    expect(lines[0]).toMatch(/ECONNREFUSED/);
    expect(lines[0]).not.toContain('not-the-password');
  });

  it.skipIf(!pgUrl)('a missing database and a wrong user say so, not just "Failed query"', async () => {
    const missing = new URL(pgUrl!);
    missing.pathname = '/tomte_no_such_database';
    expect((await failure(missing.toString())).message).toMatch(/database "tomte_no_such_database" does not exist/);
    const user = new URL(pgUrl!);
    user.username = 'tomte_no_such_role';
    expect((await failure(user.toString())).message).toMatch(/role "tomte_no_such_role" does not exist|authentication failed/);
  });
});
