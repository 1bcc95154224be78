/**
 * Alerts follow the model of the subscription (issue 14): every run scores every model, but a
 * Tier 1 change in one model reaches only the subscriptions that follow it, and the first run of
 * a model — or of a new model version — is a baseline that alerts nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotTexts } from '../../../adapters/node/bootstrap';
import { parseModelOf } from '../../../src/domain/scoring/model';
import { praksis2026 } from '../../../src/domain/scoring/models/praksis-2026';
import { seed2026 } from '../../../src/domain/scoring/models/seed-2026';
import type { ServiceDeps } from '../../../src/services/deps';
import { loadSnapshot } from '../../../src/services/load-snapshot';
import { rescore } from '../../../src/services/rescore';
import { alertEventsSince, listDeliveries } from '../../../src/store/repos/alerts';
import { latestScoreRun, scoresForRun } from '../../../src/store/repos/scores';
import { Clock, alertDeps, commitRun, seedKommuner, subscribe } from '../../support/alerts';
import { describeEachBackend, type TestDb } from '../../support/db';

describeEachBackend('alerts per model', (open) => {
  let t: TestDb;
  const clock = new Clock(new Date('2026-03-02T06:00:00Z'));
  let deps: ServiceDeps;

  beforeAll(async () => {
    t = await open();
    // Two models, praksis-2026 the default.
    deps = { ...alertDeps(t.db, clock), models: [praksis2026, seed2026], model: praksis2026 };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a Tier 1 entry in seed-2026 reaches the seed-2026 subscription only; one in praksis-2026 the default one only', async () => {
    await seedKommuner(t.db);
    const followsDefault = await subscribe(t.db, clock, 'slack', 'C-DEFAULT', 'tier1');
    const followsSeed = await subscribe(t.db, clock, 'slack', 'C-SEED', 'tier1', { model: 'seed-2026' });
    const followsPraksis = await subscribe(t.db, clock, 'teams', 'T-PRAKSIS', 'tier1', { model: 'praksis-2026' });
    expect(new Set([followsDefault.id, followsSeed.id, followsPraksis.id]).size).toBe(3);

    const seedBase = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, [], seed2026);
    const praksisBase = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, [], praksis2026);
    expect([seedBase.events, praksisBase.events]).toEqual([0, 0]);

    const seedUp = await commitRun(deps, { '1804': { total: 72, tier: 1 } }, seedBase.scores, seed2026);
    expect(seedUp.events).toBeGreaterThan(0);
    expect(seedUp.deliveries).toBe(1);
    expect((await listDeliveries(t.db)).map((d) => d.target)).toEqual(['C-SEED']);

    const praksisUp = await commitRun(deps, { '1804': { total: 76, tier: 1 } }, praksisBase.scores, praksis2026);
    // The default subscription and the one naming praksis-2026: two deliveries, none to C-SEED.
    expect(praksisUp.deliveries).toBe(2);
    expect((await listDeliveries(t.db)).map((d) => d.target).sort()).toEqual(['C-DEFAULT', 'C-SEED', 'T-PRAKSIS']);

    const events = await alertEventsSince(t.db, new Date(0), ['tier1-enter']);
    expect(events.map((e) => (e.payload as { modelId: string }).modelId).sort()).toEqual(['praksis-2026', 'seed-2026']);
  });
});

describeEachBackend('the first run of a model or a model version is a baseline', (open) => {
  let t: TestDb;
  const clock = new Clock(new Date('2026-03-02T06:00:00Z'));

  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records tiers but alerts nobody, even with subscriptions waiting', async () => {
    const deps: ServiceDeps = { ...alertDeps(t.db, clock), models: [praksis2026, seed2026], model: praksis2026 };
    await loadSnapshot(deps, readSnapshotTexts());
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    await subscribe(t.db, clock, 'slack', 'C-SEED', 'tier1', { model: 'seed-2026' });

    const first = await rescore(deps, 'test');
    expect(first.runs.map((r) => [r.modelId, r.created, r.baseline])).toEqual([
      ['praksis-2026', true, true],
      ['seed-2026', true, true],
    ]);
    expect(first.alerts).toEqual({ events: 0, deliveries: 0, suppressed: 0 });
    const tier1 = (await scoresForRun(t.db, first.runs[0]!.runId)).filter((s) => s.tier === 1).length;
    expect(tier1).toBe(32);

    // A new version of praksis-2026 that puts many more kommuner in Tier 1: a baseline again.
    const looser = parseModelOf('percentile', { ...praksis2026, version: '1.1.0', tiers: { ...praksis2026.tiers, tier1Min: 60, tier1ExitBelow: 58 } });
    clock.advance(60_000);
    const second = await rescore({ ...deps, models: [looser, seed2026], model: looser }, 'test');
    expect(second.runs.map((r) => [r.modelId, r.modelVersion, r.created, r.baseline])).toEqual([
      ['praksis-2026', '1.1.0', true, true],
      ['seed-2026', '1.0.0', false, false],
    ]);
    const tier1After = (await scoresForRun(t.db, second.runs[0]!.runId)).filter((s) => s.tier === 1).length;
    expect(tier1After).toBeGreaterThan(tier1);
    expect(second.alerts).toEqual({ events: 0, deliveries: 0, suppressed: 0 });
    expect(await listDeliveries(t.db)).toEqual([]);
    expect((await latestScoreRun(t.db, 'praksis-2026'))!.modelVersion).toBe('1.1.0');
  });
});

describe('model filter keys', () => {
  it('the same subscription for two models is two subscriptions', async () => {
    const { filterKey } = await import('../../../src/domain/alerts/detect');
    expect(filterKey('tier1', {})).not.toBe(filterKey('tier1', { model: 'seed-2026' }));
  });
});
