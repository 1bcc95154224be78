/**
 * A publisher revises a figure and later reverts it (A → B → A). The reverted inputs equal those
 * of an older run, but the latest run scored B: rescoring must make a new run (so the read model
 * and the next detection start from A again) and write the alerts of B → A. Found by the soak
 * (bench/soak.bench.ts): the third rescore used to return the old run, the latest run stayed B and
 * the B → A alerts were never written.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ind } from '../../../src/domain/indicators';
import { rescore } from '../../../src/services/rescore';
import { listAlertEvents } from '../../../src/store/repos/alerts';
import { listObservations, upsertObservations } from '../../../src/store/repos/observations';
import { latestScoreRun, scoresForRun } from '../../../src/store/repos/scores';
import type { ServiceDeps } from '../../../src/services/deps';
import { Clock, subscribe } from '../../support/alerts';
import { describeEachBackend, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';

describeEachBackend('rescore after a revision is reverted', (open) => {
  let t: TestDb;
  let deps: ServiceDeps;
  beforeEach(async () => {
    t = await open('seed');
    deps = (await prepareRuntime(t.db)).deps;
  });
  afterEach(async () => {
    await t.close();
  });

  it('A → B → A makes a third run, the latest, with the B → A alerts; rescoring A again makes none', async () => {
    const clock = new Clock(deps.now());
    await subscribe(t.db, clock, 'slack', 'C-OSLO', 'kommune', { kommuner: ['0301'] });
    const first = (await latestScoreRun(t.db, deps.model.id))!;
    const original = (await listObservations(t.db, { indicators: [ind.medianIncome], regionCodes: ['0301'] }))[0]!;
    const total = async (runId: number) => (await scoresForRun(t.db, runId)).find((s) => s.kommuneCode === '0301')!.total;

    await upsertObservations(t.db, [{ ...original, value: original.value! / 2 }]);
    const revised = await rescore(deps, 'test');
    expect(revised.created).toBe(true);
    expect(await total(revised.runId)).not.toBe(await total(first.id));

    await upsertObservations(t.db, [original]);
    const reverted = await rescore(deps, 'test');
    expect(reverted.created).toBe(true);
    expect(reverted.runId).not.toBe(first.id);
    expect((await latestScoreRun(t.db, deps.model.id))!.id).toBe(reverted.runId);
    expect(await total(reverted.runId)).toBe(await total(first.id));
    const keys = (await listAlertEvents(t.db)).map((e) => e.dedupeKey);
    expect(keys).toEqual([`score-change:0301:${revised.runId}`, `score-change:0301:${reverted.runId}`]);

    const again = await rescore(deps, 'test');
    expect(again).toMatchObject({ created: false, runId: reverted.runId });
    expect(await listAlertEvents(t.db)).toHaveLength(2);
  });
});
