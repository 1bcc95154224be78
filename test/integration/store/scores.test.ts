import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scores } from '../../../src/store/schema';
import {
  findScoreRun,
  insertScoreRun,
  latestScoreRun,
  scoreHistory,
  scoresForRun,
  type ScoreRunInput,
  type StoredScore,
} from '../../../src/store/repos/scores';
import { describeEachBackend, type TestDb } from '../../support/db';

function score(kommuneCode: string, total: number, tier: number | null = 2): StoredScore {
  return {
    kommuneCode,
    total,
    maxPossible: 100,
    coverage: 0.75,
    tier,
    tierStatus: tier === null ? 'insufficient_data' : 'ok',
    categories: { housing: { points: total / 2, max: 50 }, politics: { points: total / 2, max: 50 } },
    rules: [{ id: 'r1', passed: true, points: 3.5 }],
    keyIndicators: { population: 709_037, shareRenters: 0.31, missing: null },
  };
}

function run(fingerprint: string, finishedAt: string, modelVersion = '1.0.0'): ScoreRunInput {
  return {
    modelId: 'readiness',
    modelVersion,
    trigger: 'manual',
    inputFingerprint: fingerprint,
    startedAt: new Date(new Date(finishedAt).getTime() - 1500),
    finishedAt: new Date(finishedAt),
  };
}

describeEachBackend('store/scores', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores a run with its scores and finds it by fingerprint', async () => {
    expect(await latestScoreRun(t.db, 'readiness')).toBeNull();
    const items = [score('0301', 61.5), score('1103', 40, null), score('5501', 72.25, 1)];
    const first = await insertScoreRun(t.db, run('fp-1', '2026-01-01T06:00:00Z'), items);
    expect(first.created).toBe(true);

    const found = await findScoreRun(t.db, 'readiness', '1.0.0', 'fp-1');
    expect(found).toEqual({
      id: first.id,
      ...run('fp-1', '2026-01-01T06:00:00Z'),
      kommunerCount: 3,
    });
    expect(await findScoreRun(t.db, 'readiness', '2.0.0', 'fp-1')).toBeNull();
    expect(await scoresForRun(t.db, first.id)).toEqual(items);

    // jsonb must hold structured values, not JSON strings (a classic driver double-encoding bug).
    const types = await t.db
      .select({ c: sql<string>`jsonb_typeof(${scores.categories})`, r: sql<string>`jsonb_typeof(${scores.rules})` })
      .from(scores)
      .where(sql`${scores.runId} = ${first.id}`)
      .limit(1);
    expect(types).toEqual([{ c: 'object', r: 'array' }]);
  });

  it('does not create a second run for identical inputs', async () => {
    const again = await insertScoreRun(t.db, run('fp-1', '2026-01-02T06:00:00Z'), [score('0301', 1)]);
    const found = await findScoreRun(t.db, 'readiness', '1.0.0', 'fp-1');
    expect(again).toEqual({ id: found!.id, created: false });
    expect((await scoresForRun(t.db, found!.id)).map((s) => s.total)).toEqual([61.5, 40, 72.25]);
  });

  it('reports the latest run and a kommune history newest first', async () => {
    const second = await insertScoreRun(t.db, run('fp-2', '2026-02-01T06:00:00Z'), [score('0301', 65), score('1103', 41)]);
    const third = await insertScoreRun(t.db, run('fp-3', '2026-03-01T06:00:00Z', '1.1.0'), [score('0301', 70, 1)]);
    const other = await insertScoreRun(
      t.db,
      { ...run('fp-x', '2026-04-01T06:00:00Z'), modelId: 'other-model' },
      [score('0301', 5)],
    );
    const first = await findScoreRun(t.db, 'readiness', '1.0.0', 'fp-1');

    const latest = await latestScoreRun(t.db, 'readiness');
    expect(latest?.id).toBe(third.id);
    expect(latest?.modelVersion).toBe('1.1.0');
    expect((await latestScoreRun(t.db, 'other-model'))?.id).toBe(other.id);

    const history = await scoreHistory(t.db, '0301', 'readiness', 10);
    expect(history).toEqual([
      { runId: third.id, modelVersion: '1.1.0', finishedAt: new Date('2026-03-01T06:00:00Z'), total: 70, maxPossible: 100, coverage: 0.75, tier: 1, tierStatus: 'ok' },
      { runId: second.id, modelVersion: '1.0.0', finishedAt: new Date('2026-02-01T06:00:00Z'), total: 65, maxPossible: 100, coverage: 0.75, tier: 2, tierStatus: 'ok' },
      { runId: first!.id, modelVersion: '1.0.0', finishedAt: new Date('2026-01-01T06:00:00Z'), total: 61.5, maxPossible: 100, coverage: 0.75, tier: 2, tierStatus: 'ok' },
    ]);
    expect((await scoreHistory(t.db, '0301', 'readiness', 2)).map((h) => h.runId)).toEqual([third.id, second.id]);
    expect(await scoreHistory(t.db, '9999', 'readiness', 10)).toEqual([]);
  });

  it('rolls back the run when a score is invalid', async () => {
    const bad = { ...score('0301', 1), coverage: 1.5 };
    await expect(insertScoreRun(t.db, run('fp-bad', '2026-05-01T06:00:00Z'), [bad])).rejects.toThrow();
    expect(await findScoreRun(t.db, 'readiness', '1.0.0', 'fp-bad')).toBeNull();
  });
});
