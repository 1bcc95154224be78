/**
 * The alert path on PGlite and PostgreSQL: a run that changes scores writes events and
 * deliveries in its own transaction; the dispatcher claims, sends and records them exactly once,
 * across crashes and with two dispatchers at once.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renderAlertGroup } from '../../../src/chat/alerts';
import { dispatchDue, dispatchOnce } from '../../../src/services/alerts/dispatch';
import { getSubscription, listAlertEvents, listDeliveries, muteKommune } from '../../../src/store/repos/alerts';
import { describeEachBackend, type TestDb } from '../../support/db';
import { alertDeps, Clock, commitRun, FakePlatform, seedKommuner, subscribe } from '../../support/alerts';

describeEachBackend('alert pipeline', (open) => {
  let t: TestDb;
  let clock: Clock;
  beforeEach(async () => {
    t = await open();
    clock = new Clock(new Date('2026-11-24T10:00:00Z'));
    await seedKommuner(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  const dispatcher = (platform: FakePlatform, worker = 'w1') => ({ worker, sender: platform, render: renderAlertGroup });

  it('68 → 72 creates exactly one tier1-enter event and one delivery per subscribed place', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    await subscribe(t.db, clock, 'teams', '19:nordland@thread.tacv2', 'tier1', { fylker: ['18'] });
    await subscribe(t.db, clock, 'slack', 'C-TRONDELAG', 'tier1', { fylker: ['50'] });
    await subscribe(t.db, clock, 'slack', 'C-NOT-BODO', 'tier1', { unntatt: ['1804'] });
    const base = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    expect(base.events).toBe(0);
    clock.advance(60_000);
    const next = await commitRun(deps, { '1804': { total: 72, tier: 1, growth: { points: 14, value: 2.1 } } }, base.scores);
    const events = (await listAlertEvents(t.db)).filter((e) => e.kind === 'tier1-enter');
    expect(events.map((e) => e.dedupeKey)).toEqual([`tier1-enter:1804:${next.runId}`]);
    const deliveries = await listDeliveries(t.db);
    expect(deliveries.map((d) => `${d.platform}:${d.target}`).sort()).toEqual(['slack:C-ALL', 'teams:19:nordland@thread.tacv2']);
    // The event says what moved: the rule whose points changed, old → new input, source and period.
    const payload = events[0]!.payload as { change: { rules: { ruleId: string; pointsBefore: number; pointsAfter: number; valueBefore: number; valueAfter: number; sources: unknown[] }[] } };
    expect(payload.change.rules.find((r) => r.ruleId === 'growth')).toMatchObject({ pointsBefore: 10, pointsAfter: 14, valueBefore: 1.2, valueAfter: 2.1, sources: [{ publisher: 'SSB', table: '07459', period: '2025' }] });

    const platform = new FakePlatform();
    const res = await dispatchDue(deps, dispatcher(platform));
    expect(res.sent).toBe(2);
    expect(platform.messages.map((m) => m.reply.title)).toEqual(['1804 Bodø er nå i Tier 1', '1804 Bodø er nå i Tier 1']);
    expect(platform.messages[0]!.reply.actions.map((a) => a.command)).toEqual(['kommune 1804', 'demp 1804 30 dager', expect.stringMatching(/^avslutt \d+$/)]);
    expect((await listDeliveries(t.db)).every((d) => d.status === 'sent' && d.platformMessageId !== null)).toBe(true);
    expect((await dispatchDue(deps, dispatcher(platform))).claimed).toBe(0);
  });

  it('71 → 67 is held by hysteresis (no event); 67 → 65 leaves Tier 1', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    const a = await commitRun(deps, { '1804': { total: 71, tier: 1 } }, []);
    const b = await commitRun(deps, { '1804': { total: 67, tier: 1 } }, a.scores);
    expect((await listAlertEvents(t.db)).filter((e) => e.kind.startsWith('tier1'))).toEqual([]);
    const c = await commitRun(deps, { '1804': { total: 65, tier: 2 } }, b.scores);
    const events = (await listAlertEvents(t.db)).filter((e) => e.kind.startsWith('tier1'));
    expect(events.map((e) => e.dedupeKey)).toEqual([`tier1-exit:1804:${c.runId}`]);
    expect(await listDeliveries(t.db)).toHaveLength(1);
  });

  it('a failed source (an input gone missing) or a drop to unclassified creates no alert', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    await subscribe(t.db, clock, 'slack', 'C-BODO', 'kommune', { kommuner: ['1804'] });
    const a = await commitRun(deps, { '1804': { total: 72, tier: 1 } }, []);
    // The growth input is missing now: 72 → 62 and Tier 2, but that is the data, not the kommune.
    const b = await commitRun(deps, { '1804': { total: 62, tier: 2, growth: { points: null, value: null } } }, a.scores);
    await commitRun(deps, { '1804': { total: 62, tier: null, growth: { points: null, value: null }, coverage: 0.5 } }, b.scores);
    expect(await listAlertEvents(t.db)).toEqual([]);
    expect(await listDeliveries(t.db)).toEqual([]);
  });

  it('a muted kommune is not delivered to that place; other places still get it', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-MUTED', 'tier1');
    await subscribe(t.db, clock, 'slack', 'C-OTHER', 'tier1');
    await muteKommune(t.db, { platform: 'slack', target: 'C-MUTED', kommuneCode: '1804', until: new Date(clock.at.getTime() + 30 * 86_400_000), createdBy: 'U1', createdAt: clock.now() });
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 } }, a.scores);
    expect((await listDeliveries(t.db)).map((d) => d.target)).toEqual(['C-OTHER']);
  });

  it('a kommune subscription gets every score change of that kommune only', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-BODO', 'kommune', { kommuner: ['1804'] });
    const a = await commitRun(deps, { '1804': { total: 50, tier: 3 }, '5001': { total: 50, tier: 3 } }, []);
    await commitRun(deps, { '1804': { total: 53, tier: 3 }, '5001': { total: 55, tier: 3 } }, a.scores);
    const d = await listDeliveries(t.db);
    expect(d.map((x) => x.eventKey.replace(/:\d+$/, ''))).toEqual(['score-change:1804']);
  });

  it('quiet hours hold alerts and send them together as one "mens du var borte" message when the window opens', async () => {
    // 23:00 Oslo: inside 22:00–07:00.
    clock.at = new Date('2026-11-24T22:00:00Z');
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-QUIET', 'tier1', {}, { quiet: { start: '22:00', end: '07:00' } });
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 }, '5001': { total: 69, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 }, '5001': { total: 73, tier: 1 } }, a.scores);
    const platform = new FakePlatform();
    expect((await dispatchDue(deps, dispatcher(platform))).claimed).toBe(0);
    clock.at = new Date('2026-11-25T06:00:00Z'); // 07:00 Oslo
    const res = await dispatchDue(deps, dispatcher(platform));
    expect(res.sent).toBe(2);
    expect(platform.messages).toHaveLength(1);
    expect(platform.messages[0]!.reply.title).toBe('Mens du var borte: 2 varsler');
  });

  it('a crash between claim and send: after the lease runs out the event is delivered once', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 } }, a.scores);
    const platform = new FakePlatform();
    await expect(dispatchOnce(deps, { ...dispatcher(platform), onStep: (step) => { if (step === 'claimed') throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(platform.messages).toHaveLength(0);
    // Restarted before the lease ran out: nothing to claim (the dead claim still holds).
    expect((await dispatchOnce(deps, dispatcher(platform, 'w2'))).claimed).toBe(0);
    clock.advance(5 * 60_000 + 1);
    await dispatchDue(deps, dispatcher(platform, 'w2'));
    expect(platform.messages).toHaveLength(1);
    expect([...platform.counts().values()]).toEqual([1]);
    expect((await listDeliveries(t.db))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a crash between send and mark-sent: the restarted dispatcher finds the message by its key and does not post it again', async () => {
    const deps = alertDeps(t.db, clock);
    await subscribe(t.db, clock, 'slack', 'C-ALL', 'tier1');
    await subscribe(t.db, clock, 'teams', '19:t@thread.tacv2', 'tier1');
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 } }, a.scores);
    const platform = new FakePlatform();
    // One place at a time, so the kill lands after exactly one message reached the platform.
    await expect(dispatchOnce(deps, { ...dispatcher(platform), concurrency: 1, onStep: (step) => { if (step === 'sent') throw new Error('killed after send'); } })).rejects.toThrow('killed');
    expect(platform.messages).toHaveLength(1);
    clock.advance(5 * 60_000 + 1);
    const res = await dispatchDue(deps, dispatcher(platform, 'w2'));
    expect(res.recovered).toBe(1);
    expect(platform.messages).toHaveLength(2);
    expect([...platform.counts().values()]).toEqual([1, 1]);
    const rows = await listDeliveries(t.db);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The recovered row records the id of the message that did arrive.
    expect(rows.map((r) => r.platformMessageId).sort()).toEqual(platform.messages.map((m) => m.id).sort());
  });

  it('transient failures retry with backoff; a permanent one pauses the subscription and tells its creator', async () => {
    const deps = alertDeps(t.db, clock);
    const sub = await subscribe(t.db, clock, 'slack', 'C-GONE', 'tier1');
    await subscribe(t.db, clock, 'slack', 'C-FLAKY', 'tier1');
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 } }, a.scores);
    const platform = new FakePlatform();
    platform.failNext({ ok: false, permanent: true, reason: 'channel_not_found' }, { ok: false, permanent: false, retryable: true, reason: 'ratelimited', retryAfterMs: 1000 });
    const first = await dispatchOnce(deps, dispatcher(platform));
    expect(first).toMatchObject({ failed: 1, paused: 1, retried: 1 });
    expect(await getSubscription(t.db, sub.id)).toMatchObject({ status: 'paused', statusReason: 'channel_not_found' });
    expect(platform.paused).toEqual([{ subscription: sub.id, reason: 'channel_not_found' }]);
    expect((await dispatchOnce(deps, dispatcher(platform))).claimed).toBe(0); // backing off
    clock.advance(31_000);
    expect((await dispatchOnce(deps, dispatcher(platform))).sent).toBe(1);
    expect(platform.messages.map((m) => m.target)).toEqual(['C-FLAKY']);
  });

  it('two dispatchers at once deliver every alert once', async () => {
    const deps = alertDeps(t.db, clock);
    for (let i = 0; i < 30; i++) await subscribe(t.db, clock, 'slack', `C-${i}`, 'tier1');
    const a = await commitRun(deps, { '1804': { total: 68, tier: 2 }, '5001': { total: 60, tier: 2 } }, []);
    await commitRun(deps, { '1804': { total: 72, tier: 1 }, '5001': { total: 75, tier: 1 } }, a.scores);
    const other = t.openAnother ? await t.openAnother() : null;
    const deps2 = other ? { ...deps, db: other.db } : deps;
    const platform = new FakePlatform();
    const [r1, r2] = await Promise.all([
      dispatchDue(deps, { ...dispatcher(platform, 'w1'), batch: 7 }),
      dispatchDue(deps2, { ...dispatcher(platform, 'w2'), batch: 7 }),
    ]);
    expect(r1.sent + r2.sent).toBe(60);
    expect(platform.messages).toHaveLength(60);
    expect([...platform.counts().values()].every((n) => n === 1)).toBe(true);
    if (other) expect(r1.sent > 0 && r2.sent > 0).toBe(true);
  });
});
