import { dedupeKey, detectChanges, filterMatches, subscriptionKindFor, type ScoreChange, type ScoreSnapshot } from '../../domain/alerts/detect';
import { quietUntil } from '../../domain/alerts/schedule';
import type { Platform } from '../../domain/alerts/types';
import type { Logger } from '../../lib/logger';
import type { Db } from '../../store/db';
import { activeMutes, activeSubscriptionsOfKind, insertAlertEvent, insertDeliveries, type NewDelivery, type Subscription } from '../../store/repos/alerts';
import type { StoredScore } from '../../store/repos/scores';

/** What an alert event carries: self-contained, so the dispatcher needs nothing else to render it. */
export interface ScoreAlertPayload {
  kommune: { code: string; name: string; countyCode: string; countyName: string };
  runId: number;
  /** The model whose run made the change (absent in events written before models were named). */
  modelId?: string;
  change: ScoreChange;
}

export interface KommuneInfo {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}

const snapshot = (s: StoredScore): ScoreSnapshot => ({
  kommuneCode: s.kommuneCode,
  total: s.total,
  maxPossible: s.maxPossible,
  coverage: s.coverage,
  tier: s.tier,
  rules: s.rules as ScoreSnapshot['rules'],
});

/** When a delivery to this subscription may go out, and whether quiet hours hold it. */
export function deliveryTiming(sub: Pick<Subscription, 'quiet' | 'timeZone'>, now: Date): { notBefore: Date; held: boolean } {
  const until = sub.quiet ? quietUntil(sub.quiet, sub.timeZone, now) : null;
  return until ? { notBefore: until, held: true } : { notBefore: now, held: false };
}

export interface EnqueueResult {
  events: number;
  deliveries: number;
  suppressed: number;
}

/**
 * Detects what changed between the previous and the new run and writes alert events and one
 * delivery per matching subscription. Call it inside the transaction that stores the new run, so
 * a run without its alerts (or alerts without their run) can never be committed.
 */
export async function enqueueScoreAlerts(
  tx: Db,
  input: {
    runId: number;
    /** The model of the run; only subscriptions following it are told. */
    modelId: string;
    /** What subscriptions without a model follow. */
    defaultModelId: string;
    before: readonly StoredScore[];
    after: readonly StoredScore[];
    kommuner: ReadonlyMap<string, KommuneInfo>;
    now: Date;
    logger: Logger;
  },
): Promise<EnqueueResult> {
  const result: EnqueueResult = { events: 0, deliveries: 0, suppressed: 0 };
  if (input.before.length === 0) return result; // The first run is a baseline, not a change.
  const detected = detectChanges(input.before.map(snapshot), input.after.map(snapshot));
  if (detected.length === 0) return result;
  const subs = (await activeSubscriptionsOfKind(tx, ['tier1', 'kommune'])).filter((s) => (s.filter.model ?? input.defaultModelId) === input.modelId);
  const mutes = await activeMutes(tx, input.now);

  for (const ev of detected) {
    const k = input.kommuner.get(ev.kommuneCode);
    if (!k) continue;
    if (ev.kind === 'suppressed') {
      result.suppressed++;
      input.logger.info('alert suppressed', { model: input.modelId, kommune: ev.kommuneCode, reason: ev.reason, total_before: ev.change.totalBefore, total_after: ev.change.totalAfter });
      continue;
    }
    const kind = subscriptionKindFor(ev.kind);
    const targets = subs.filter(
      (s) => s.kind === kind && filterMatches(s.filter, k.code, k.countyCode) && !mutes.has(`${s.platform}|${s.target}|${k.code}`),
    );
    // Score changes are only worth an event when someone follows the kommune; Tier 1 changes always are (the digest reads them).
    if (ev.kind === 'score-change' && targets.length === 0) continue;
    const payload: ScoreAlertPayload = { kommune: k, runId: input.runId, modelId: input.modelId, change: ev.change };
    const eventId = await insertAlertEvent(tx, { dedupeKey: dedupeKey(ev.kind, k.code, input.runId), kind: ev.kind, kommuneCode: k.code, scoreRunId: input.runId, payload, createdAt: input.now });
    if (eventId === null) continue;
    result.events++;
    const rows: NewDelivery[] = targets.map((s) => ({ eventId, subscriptionId: s.id, platform: s.platform as Platform, target: s.target, createdAt: input.now, ...deliveryTiming(s, input.now) }));
    result.deliveries += await insertDeliveries(tx, rows);
  }
  return result;
}
