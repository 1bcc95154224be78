import { filterMatches } from '../../domain/alerts/detect';
import { digestSlot, isDigestDue } from '../../domain/alerts/schedule';
import { DEFAULT_DIGEST, type Platform, type SubscriptionFilter } from '../../domain/alerts/types';
import { activeSubscriptionsOfKind, alertEventsSince, insertAlertEvent, insertDeliveries, setLastDigestSlot, type Subscription } from '../../store/repos/alerts';
import { listKommuner } from '../../store/repos/kommuner';
import { firstScoreRunAfter, latestScoreRun, scoreRunAtOrBefore, scoresForRun } from '../../store/repos/scores';
import { listSourceStatus } from '../../store/repos/source-status';
import type { ServiceDeps } from '../deps';
import { deliveryTiming, type ScoreAlertPayload } from './enqueue';
import type { LotAlertPayload, PlanAlertPayload } from '../lots/ingest';

/** The weekly digest's content, computed when it is due and stored with its event. */
export interface DigestPayload {
  periodStart: string;
  periodEnd: string;
  entered: { code: string; name: string; total: number }[];
  exited: { code: string; name: string; total: number }[];
  /** Largest absolute score changes over the week (at most five, at least one point). */
  movers: { code: string; name: string; before: number; after: number }[];
  refreshed: { source: string; dataset: string; at: string }[];
  failing: { source: string; dataset: string; error: string }[];
  /** The scoring model of the Tier 1 changes and movers (absent in digests made before models were named). */
  modelId?: string;
  /** New lots and plan initiatives of the week (absent in digests made before lots existed). */
  lots?: { kommune: string | null; key: string; areaM2: number; lon?: number; lat?: number }[];
  plans?: { kommune: string | null; planName: string; announcedAt: string }[];
}

const WEEK_MS = 7 * 24 * 60 * 60_000;
const LEGACY_MODEL_ID = 'seed-2026';
const MAX_MOVERS = 5;

/** The digest for one filter over [since, now]. */
export async function buildDigest(deps: ServiceDeps, filter: SubscriptionFilter, since: Date, now: Date): Promise<DigestPayload> {
  const kommuner = await listKommuner(deps.db);
  const county = new Map(kommuner.map((k) => [k.code, k.countyCode]));
  const names = new Map(kommuner.map((k) => [k.code, k.name]));
  const passes = (code: string | null) => code !== null && filterMatches(filter, code, county.get(code) ?? '');

  const modelId = filter.model ?? deps.model.id;
  // Events written before models were named all came from the then only model, seed-2026.
  const events = (await alertEventsSince(deps.db, since, ['tier1-enter', 'tier1-exit'])).filter((e) => ((e.payload as ScoreAlertPayload).modelId ?? LEGACY_MODEL_ID) === modelId);
  const entry = (e: (typeof events)[number]) => {
    const p = e.payload as ScoreAlertPayload;
    return { code: p.kommune.code, name: p.kommune.name, total: p.change.totalAfter };
  };
  const entered = events.filter((e) => e.kind === 'tier1-enter' && passes(e.kommuneCode)).map(entry);
  const exited = events.filter((e) => e.kind === 'tier1-exit' && passes(e.kommuneCode)).map(entry);

  let movers: DigestPayload['movers'] = [];
  // The baseline is the run in force a week ago, or the week's first run when there was none.
  const [latest, older] = await Promise.all([latestScoreRun(deps.db, modelId), scoreRunAtOrBefore(deps.db, modelId, since)]);
  const weekAgo = older ?? (await firstScoreRunAfter(deps.db, modelId, since));
  if (latest && weekAgo && latest.id !== weekAgo.id && latest.modelVersion === weekAgo.modelVersion) {
    const [after, before] = await Promise.all([scoresForRun(deps.db, latest.id), scoresForRun(deps.db, weekAgo.id)]);
    const old = new Map(before.map((s) => [s.kommuneCode, s.total]));
    movers = after
      .filter((s) => passes(s.kommuneCode) && old.has(s.kommuneCode) && Math.abs(s.total - old.get(s.kommuneCode)!) >= 1)
      .map((s) => ({ code: s.kommuneCode, name: names.get(s.kommuneCode) ?? s.kommuneCode, before: old.get(s.kommuneCode)!, after: s.total }))
      .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.code.localeCompare(b.code))
      .slice(0, MAX_MOVERS);
  }

  const found = await alertEventsSince(deps.db, since, ['lot', 'plan']);
  const lots = found
    .filter((e) => e.kind === 'lot' && passes(e.kommuneCode))
    .map((e) => {
      const p = e.payload as LotAlertPayload;
      return { kommune: p.kommune ? `${p.kommune.code} ${p.kommune.name}` : null, key: p.key, areaM2: p.areaM2, lon: p.centroid.lon, lat: p.centroid.lat };
    });
  const plans = found
    .filter((e) => e.kind === 'plan' && passes(e.kommuneCode))
    .map((e) => {
      const p = e.payload as PlanAlertPayload;
      return { kommune: p.kommune ? `${p.kommune.code} ${p.kommune.name}` : null, planName: p.planName, announcedAt: p.announcedAt };
    });

  const status = await listSourceStatus(deps.db);
  const refreshed = status.filter((s) => s.lastSuccessAt && s.lastSuccessAt > since).map((s) => ({ source: s.source, dataset: s.dataset, at: s.lastSuccessAt!.toISOString() }));
  const failing = status
    .filter((s) => s.lastFailureAt && (!s.lastSuccessAt || s.lastFailureAt > s.lastSuccessAt))
    .map((s) => ({ source: s.source, dataset: s.dataset, error: s.lastError ?? 'unknown error' }));
  return { periodStart: since.toISOString(), periodEnd: now.toISOString(), modelId, entered, exited, movers, refreshed, failing, lots, plans };
}

/**
 * Enqueues every digest that is due: one event (`digest:<subscription>:<slot>`) and one delivery
 * per subscription and slot, with the slot recorded, in one transaction. A slot missed while the
 * service was down is sent once when it comes back; a second run in the same slot adds nothing.
 */
export async function enqueueDueDigests(deps: ServiceDeps, now: Date = deps.now()): Promise<{ due: number; enqueued: number }> {
  const subs = await activeSubscriptionsOfKind(deps.db, ['digest']);
  let due = 0;
  let enqueued = 0;
  for (const sub of subs) {
    const schedule = sub.digest ?? DEFAULT_DIGEST;
    const last = sub.lastDigestSlot ? new Date(sub.lastDigestSlot) : null;
    if (!isDigestDue(schedule, last, sub.createdAt, now)) continue;
    due++;
    const slot = digestSlot(schedule, now);
    const payload = await buildDigest(deps, sub.filter, new Date(new Date(slot).getTime() - WEEK_MS), now);
    enqueued += await deps.db.transaction(async (tx) => {
      const eventId = await insertAlertEvent(tx, { dedupeKey: `digest:${sub.id}:${slot}`, kind: 'digest', kommuneCode: null, scoreRunId: null, payload, createdAt: now });
      await setLastDigestSlot(tx, sub.id, slot);
      if (eventId === null) return 0;
      return insertDeliveries(tx, [{ eventId, subscriptionId: sub.id, platform: sub.platform as Platform, target: sub.target, createdAt: now, ...deliveryTiming(sub, now) }]);
    });
  }
  return { due, enqueued };
}

/** A sample alert and digest for the `test` command, straight to one place through the outbox. */
export async function enqueueTestAlerts(deps: ServiceDeps, place: { platform: Platform; target: string }, sample: ScoreAlertPayload, now: Date = deps.now()): Promise<number> {
  const digest = await buildDigest(deps, {}, new Date(now.getTime() - WEEK_MS), now);
  const stamp = now.toISOString();
  return deps.db.transaction(async (tx) => {
    let n = 0;
    for (const [kind, payload] of [['tier1-enter', sample], ['digest', digest]] as const) {
      const eventId = await insertAlertEvent(tx, { dedupeKey: `test-${kind}:${place.platform}:${place.target}:${stamp}`, kind, kommuneCode: kind === 'digest' ? null : sample.kommune.code, scoreRunId: null, payload, createdAt: now });
      if (eventId !== null) n += await insertDeliveries(tx, [{ eventId, subscriptionId: null, platform: place.platform, target: place.target, createdAt: now, notBefore: now, held: false }]);
    }
    return n;
  });
}

export type { Subscription };
