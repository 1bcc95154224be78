import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimJobRun, finishJobRun, lastJobRuns } from '../../../src/store/repos/job-runs';
import { describeEachBackend, type TestDb } from '../../support/db';

describeEachBackend('store/job-runs', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets only the first claim of a slot through', async () => {
    const first = await claimJobRun(t.db, 'refresh', '2026-04-01T06:00Z');
    expect(first).toEqual({ id: expect.any(Number) });
    expect(await claimJobRun(t.db, 'refresh', '2026-04-01T06:00Z')).toBeNull();
    // Another slot, or another job in the same slot, is a separate claim.
    expect(await claimJobRun(t.db, 'refresh', '2026-04-02T06:00Z')).not.toBeNull();
    expect(await claimJobRun(t.db, 'alerts', '2026-04-01T06:00Z')).not.toBeNull();
  });

  it('claims concurrently with exactly one winner', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => claimJobRun(t.db, 'race', 'slot-1')));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('finishes a run once and lists runs newest first', async () => {
    const a = (await claimJobRun(t.db, 'digest', 'a'))!;
    expect(await finishJobRun(t.db, a.id, 'ok', { observations: 1200, changed: ['population'] })).toBe(true);
    // The first outcome stands.
    expect(await finishJobRun(t.db, a.id, 'failed', undefined, 'late')).toBe(false);
    const b = (await claimJobRun(t.db, 'digest', 'b'))!;
    expect(await finishJobRun(t.db, b.id, 'failed', undefined, 'SSB returned 503')).toBe(true);
    const c = (await claimJobRun(t.db, 'digest', 'c'))!;

    const runs = await lastJobRuns(t.db, 'digest', 10);
    expect(runs.map((r) => [r.id, r.slot, r.status])).toEqual([
      [c.id, 'c', 'running'],
      [b.id, 'b', 'failed'],
      [a.id, 'a', 'ok'],
    ]);
    const [runC, runB, runA] = runs;
    expect(runA).toMatchObject({ summary: { observations: 1200, changed: ['population'] }, error: null });
    expect(runA!.finishedAt).toBeInstanceOf(Date);
    expect(runA!.finishedAt!.getTime()).toBeGreaterThanOrEqual(runA!.startedAt.getTime());
    expect(runB).toMatchObject({ summary: null, error: 'SSB returned 503' });
    expect(runC).toMatchObject({ finishedAt: null, summary: null, error: null });
    expect(await lastJobRuns(t.db, 'digest', 1)).toHaveLength(1);
  });
});
