/**
 * Weekly digests through the outbox, and the (job, slot) claim with two schedulers at once.
 * Digest timing across DST and time zones is in test/unit/domain/alerts-schedule.test.ts; here the
 * service: due once per slot, at the subscription's own time, with the week's content.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { digestJob, dispatchJob } from '../../../jobs/alerts';
import { runJob } from '../../../jobs/run-job';
import { renderAlertGroup } from '../../../src/chat/alerts';
import { dispatchDue } from '../../../src/services/alerts/dispatch';
import { enqueueDueDigests } from '../../../src/services/alerts/digest';
import { listAlertEvents, listDeliveries } from '../../../src/store/repos/alerts';
import { recordSourceFailure, recordSourceSuccess } from '../../../src/store/repos/source-status';
import { alertDeps, Clock, commitRun, FakePlatform, seedKommuner, subscribe } from '../../support/alerts';
import { describeEachBackend, type TestDb } from '../../support/db';

describeEachBackend('digests and job claims', (open) => {
  let t: TestDb;
  let clock: Clock;
  beforeEach(async () => {
    t = await open();
    // Tuesday 24 Nov 2026, 10:00 UTC.
    clock = new Clock(new Date('2026-11-24T10:00:00Z'));
    await seedKommuner(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  it('a digest created on Tuesday is due next Monday 08:00 Oslo (07:00Z in winter), once per slot, with the week in it', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-DIGEST', 'digest', {}, { digest: { weekday: 1, time: '08:00', timeZone: 'Europe/Oslo' } });
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 }, '5001': { total: 50, tier: 3 } }, []);
    clock.advance(24 * 3600_000);
    await commitRun(deps, { '1804': { total: 72, tier: 1 }, '5001': { total: 58, tier: 3 } }, a.scores);
    await recordSourceSuccess(t.db, { source: 'ssb', dataset: '07459', publisherUpdated: '2026-11-25T07:00:00Z', periods: ['2026'], at: clock.now() });
    await recordSourceFailure(t.db, { source: 'kartverket', dataset: 'kommuneinfo/kommuner', error: 'HTTP 503', at: clock.now() });

    expect(await enqueueDueDigests(deps, new Date('2026-11-30T06:59:00Z'))).toEqual({ due: 0, enqueued: 0 });
    expect(await enqueueDueDigests(deps, new Date('2026-11-30T07:00:00Z'))).toEqual({ due: 1, enqueued: 1 });
    expect(await enqueueDueDigests(deps, new Date('2026-11-30T07:15:00Z'))).toEqual({ due: 0, enqueued: 0 });
    const digest = (await listAlertEvents(t.db)).find((e) => e.kind === 'digest')!;
    expect(digest.dedupeKey).toMatch(/^digest:\d+:2026-11-30T07:00:00.000Z$/);
    expect(digest.payload).toMatchObject({
      entered: [{ code: '1804', name: 'Bodø', total: 72 }],
      exited: [],
      movers: [
        { code: '5001', before: 50, after: 58 },
        { code: '1804', before: 68, after: 72 },
      ],
      refreshed: [{ source: 'ssb', dataset: '07459' }],
      failing: [{ source: 'kartverket', dataset: 'kommuneinfo/kommuner', error: 'HTTP 503' }],
    });
    const platform = new FakePlatform();
    clock.at = new Date('2026-11-30T07:00:30Z');
    await dispatchDue(deps, { worker: 'w', sender: platform, render: renderAlertGroup });
    expect(platform.messages.map((m) => m.reply.title)).toEqual(['Ukentlig sammendrag 2026-11-23 – 2026-11-30']);
    expect(JSON.stringify(platform.messages[0]!.reply.sections)).toContain('kartverket kommuneinfo/kommuner: HTTP 503');
    // The next week's slot is a new digest.
    expect(await enqueueDueDigests(deps, new Date('2026-12-07T07:00:00Z'))).toEqual({ due: 1, enqueued: 1 });
  });

  it('the service down over the slot: the digest goes out once when it is back', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'teams', '19:d@thread.tacv2', 'digest', {}, { digest: { weekday: 5, time: '15:00', timeZone: 'America/New_York' } });
    // Friday 27 Nov 15:00 New York = 20:00Z; back at 23:00Z.
    expect((await enqueueDueDigests(deps, new Date('2026-11-27T19:59:00Z'))).due).toBe(0);
    expect((await enqueueDueDigests(deps, new Date('2026-11-27T23:00:00Z'))).enqueued).toBe(1);
    expect((await enqueueDueDigests(deps, new Date('2026-11-28T10:00:00Z'))).due).toBe(0);
    expect(await listDeliveries(t.db)).toHaveLength(1);
  });

  it('two schedulers fire the same slot: each job runs once', async () => {
    const deps = alertDeps(t.db, clock);
    const other = t.openAnother ? await t.openAnother() : null;
    const platform = new FakePlatform();
    const jobDeps = { ...deps, sender: platform, worker: 'a' };
    const jobDeps2 = { ...deps, db: other?.db ?? deps.db, sender: platform, worker: 'b' };
    const slot = new Date('2026-11-24T10:15:00Z');
    for (const job of [dispatchJob('dispatch', '* * * * *'), digestJob('digests', '*/15 * * * *')]) {
      const outcomes = await Promise.all([runJob(job, jobDeps, slot), runJob(job, jobDeps2, new Date(slot.getTime() + 20_000))]);
      expect(outcomes.sort()).toEqual(['claimed-elsewhere', 'ran']);
    }
  });
});
