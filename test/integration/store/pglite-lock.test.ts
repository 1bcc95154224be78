import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../adapters/db/handle';
import { openDatabase } from '../../../adapters/db/open';
import { DatabaseLockedError, LOCK_FILE_NAME, openPglite } from '../../../adapters/db/pglite';
import { countObservations, insertObservationsIfAbsent } from '../../../src/store/repos/observations';
import { createLogger } from '../../../src/lib/logger';

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
    expect(lockPid(dataDir)).toBe(String(process.pid));
    // Linux: the lock also records when this process started, to tell a reused pid apart.
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')).toMatch(/^\d+\nstarted=\d+\n$/);

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
    expect(lockPid(dataDir)).toBe(String(process.pid));
    await handle.close();

    // Containers restart the app with the same pid: a lock naming us that we do not hold is stale.
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${process.pid}\n`);
    track(await openPglite({ dataDir }));
  });

  it('takes over, with a report, a lock whose live pid is not the process that wrote it', async () => {
    // A live pid that belongs to another program (a crash, then the pid was reused by `sleep`).
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const dataDir = tempDir();
      writeFileSync(join(dataDir, LOCK_FILE_NAME), `${other.pid}\n`);
      const reports: { pid: number; reason: string }[] = [];
      const handle = await openPglite({ dataDir, onStaleLock: (r) => reports.push(r) });
      expect(lockPid(dataDir)).toBe(String(process.pid));
      expect(reports).toEqual([expect.objectContaining({ pid: other.pid, reason: expect.stringMatching(/another program \(sleep\)/) })]);
      await handle.close();

      // A live Node process, but not the one that wrote the lock: its start time differs.
      writeFileSync(join(dataDir, LOCK_FILE_NAME), `${process.ppid}\nstarted=1\n`);
      const again: { reason: string }[] = [];
      track(await openPglite({ dataDir, onStaleLock: (r) => again.push(r) }));
      expect(again[0]?.reason).toMatch(/is now another process/);
    } finally {
      other.kill();
    }
  });

  it('keeps a lock whose holder is alive and recorded its own start time', async () => {
    const dataDir = tempDir();
    const started = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const ticks = started.slice(started.lastIndexOf(')') + 2).split(' ')[19];
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${process.ppid}\nstarted=${ticks}\n`);
    await expect(openPglite({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it('the service logs a taken-over lock and the locked hint says how to clear a foreign one', async () => {
    const dataDir = tempDir();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, LOCK_FILE_NAME), `${other.pid}\n`);
      const lines: string[] = [];
      const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
      track(await openDatabase({ dataDir, logger }));
      expect(lines.map((l) => JSON.parse(l) as { msg: string; pid: number })).toContainEqual(expect.objectContaining({ msg: 'database lock taken over', pid: other.pid }));
    } finally {
      other.kill();
    }
    expect(new DatabaseLockedError('/data', 4242).message).toMatch(/If process 4242 is not tomte .*pid is later reused.*delete \/data\/tomte\.lock/);
  });
});

function lockPid(dataDir: string): string {
  return readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').split('\n')[0]!;
}
