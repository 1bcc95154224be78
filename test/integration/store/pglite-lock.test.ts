import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../adapters/db/handle';
import { openDatabase } from '../../../adapters/db/open';
import { DatabaseLockedError, LOCK_FILE_NAME, openPglite } from '../../../adapters/db/pglite';
import { countObservations, insertObservationsIfAbsent } from '../../../src/store/repos/observations';

// PGlite-only by nature: the lock guards a data directory, which PostgreSQL does not have.
describe('PGlite data directory lock', () => {
  const dirs: string[] = [];
  const handles: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomte-lock-'));
    dirs.push(dir);
    return dir;
  };
  const track = <T extends DatabaseHandle>(h: T): T => {
    handles.push(h);
    return h;
  };

  it('refuses a second open in the same process and reopens after close', async () => {
    const dataDir = join(tempDir(), 'nested', 'db');
    const first = await openDatabase({ dataDir });
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));

    const second = openDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
    await expect(second).rejects.toMatchObject({ pid: process.pid, dataDir });

    await insertObservationsIfAbsent(first.db, [
      {
        regionCode: '0301', indicator: 'population', period: '2024', value: 717_710, status: 'ok', unit: 'persons',
        source: 'SSB', sourceTable: '07459', publishedAt: null, fetchedAt: '2024-03-01', origin: 'test', note: null,
      },
    ]);
    await first.close();
    await first.close(); // idempotent
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);

    // Reopening re-runs the migrator (a no-op now) and sees the data written before.
    const reopened = track(await openDatabase({ dataDir }));
    expect(await countObservations(reopened.db)).toBe(1);
  });

  it('refuses a directory locked by another live process', async () => {
    const dataDir = tempDir();
    // The parent of this worker is alive for the whole test run.
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${process.ppid}\n`);
    const err = await openPglite({ dataDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseLockedError);
    expect(err).toMatchObject({ pid: process.ppid });
    expect((err as Error).message).toContain(`process ${process.ppid}`);
    // The foreign lock is left in place.
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a stale lock from a dead process or an earlier run with our pid', async () => {
    const dataDir = tempDir();
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.pid).toBeGreaterThan(0);
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${child.pid}\n`);
    const handle = await openPglite({ dataDir });
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    await handle.close();

    // Containers restart the app with the same pid: a lock naming us that we do not hold is stale.
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${process.pid}\n`);
    track(await openPglite({ dataDir }));
  });
});
