// Building blocks for the alert pipeline tests: three real kommuner, score runs with chosen
// totals and tiers committed through the real commit path (run + alerts in one transaction), and an
// in-memory chat platform that records every message with its idempotency key.
import type { Reply } from '../../src/chat/reply';
import { filterKey } from '../../src/domain/alerts/detect';
import type { Platform, SubscriptionFilter, SubscriptionKind } from '../../src/domain/alerts/types';
import type { Kommune } from '../../src/domain/kommune/types';
import { silentLogger } from '../../src/lib/logger';
import type { AlertSender, SendOutcome } from '../../src/services/alerts/dispatch';
import type { ServiceDeps } from '../../src/services/deps';
import { commitScoreRun } from '../../src/services/rescore';
import type { Db } from '../../src/store/db';
import { createSubscription, type Subscription } from '../../src/store/repos/alerts';
import { upsertKommuner } from '../../src/store/repos/kommuner';
import type { StoredScore } from '../../src/store/repos/scores';
import type { ScoringModel } from '../../src/domain/scoring/model';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';

const kommune = (code: string, name: string, countyCode: string, countyName: string): Kommune => ({
  code,
  name,
  nameNorwegian: name,
  nameSami: null,
  samiLanguage: null,
  nameKven: null,
  countyCode,
  countyName,
  countyNameOfficial: countyName,
  validFrom: '2024-01-01',
  validTo: null,
});

export const KOMMUNER = [kommune('1804', 'Bodø', '18', 'Nordland'), kommune('5001', 'Trondheim - Tråante', '50', 'Trøndelag'), kommune('0301', 'Oslo', '03', 'Oslo')];

export class Clock {
  constructor(public at: Date) {}
  now = () => new Date(this.at);
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export function alertDeps(db: Db, clock: Clock): ServiceDeps {
  return { db, models: [seed2026], model: seed2026, logger: silentLogger, now: clock.now };
}

export async function seedKommuner(db: Db): Promise<void> {
  await upsertKommuner(db, KOMMUNER);
}

/** A rule with an input, as the engine stores it (points null = input missing). */
function rule(ruleId: string, points: number | null, value: number | null) {
  return {
    ruleId,
    category: 'demand',
    label: { nb: `Regel ${ruleId}`, en: `Rule ${ruleId}` },
    maxPoints: 20,
    points,
    outcome: points === null ? 'missing' : 'scored',
    missing: null,
    detail: null,
    value,
    unit: '%',
    period: '2025',
    inputs: value === null ? [] : [{ indicator: 'x', regionCode: '1804', period: '2025', value, unit: '%', source: 'SSB', sourceTable: '07459', publishedAt: null }],
    reference: null,
  };
}

export interface Spec {
  total: number;
  tier: 1 | 2 | 3 | null;
  /** The value and points of rule "growth"; the remaining points sit in rule "base". */
  growth?: { points: number | null; value: number | null };
  coverage?: number;
}

export function storedScore(code: string, s: Spec): StoredScore {
  const growth = s.growth ?? { points: 10, value: 1.2 };
  return {
    kommuneCode: code,
    total: s.total,
    maxPossible: 100,
    coverage: s.coverage ?? 0.9,
    tier: s.tier,
    tierStatus: s.tier === null ? 'insufficient' : 'complete',
    categories: [],
    rules: [rule('base', s.total - (growth.points ?? 0), 50), rule('growth', growth.points, growth.value)],
    keyIndicators: [],
  };
}

let runSeq = 0;
/** Commits a run of `model` (default: the deployment's) through the service's commit path; `previous` is what the last run stored. */
export async function commitRun(
  deps: ServiceDeps,
  specs: Record<string, Spec>,
  previous: StoredScore[],
  model: ScoringModel = deps.model,
): Promise<{ runId: number; scores: StoredScore[]; events: number; deliveries: number }> {
  const scores = KOMMUNER.map((k) => storedScore(k.code, specs[k.code] ?? { total: 40, tier: 3 }));
  const { id, alerts } = await commitScoreRun(deps, model, {
    trigger: 'test',
    fingerprint: `test-${Date.now()}-${++runSeq}-${Math.random()}`,
    startedAt: deps.now(),
    scores,
    previous,
    kommuner: KOMMUNER.map((k) => ({ code: k.code, name: k.name, countyCode: k.countyCode, countyName: k.countyName })),
  });
  return { runId: id, scores, events: alerts.events, deliveries: alerts.deliveries };
}

export async function subscribe(db: Db, clock: Clock, platform: Platform, target: string, kind: SubscriptionKind, filter: SubscriptionFilter = {}, extra: Partial<Pick<Subscription, 'quiet' | 'digest' | 'timeZone'>> = {}): Promise<Subscription> {
  const { subscription } = await createSubscription(db, {
    platform,
    target,
    targetName: null,
    kind,
    filter,
    filterKey: filterKey(kind, filter),
    lang: 'nb',
    timeZone: extra.timeZone ?? 'Europe/Oslo',
    digest: extra.digest ?? null,
    quiet: extra.quiet ?? null,
    createdBy: 'U0BIZDEV1',
    createdAt: clock.now(),
  });
  return subscription;
}

export interface PlatformMessage {
  platform: Platform;
  target: string;
  key: string;
  id: string;
  reply: Reply;
}

/**
 * A chat platform in memory. Like Slack's message metadata it keeps each message's key, so
 * `findSent` can answer after a crash; `failNext` makes the next sends fail.
 */
export class FakePlatform implements AlertSender<Reply> {
  messages: PlatformMessage[] = [];
  paused: { subscription: number; reason: string }[] = [];
  private failures: SendOutcome[] = [];
  private seq = 0;

  failNext(...outcomes: SendOutcome[]): void {
    this.failures.push(...outcomes);
  }

  async send(platform: Platform, target: string, reply: Reply, key: string): Promise<SendOutcome> {
    const failure = this.failures.shift();
    if (failure) return failure;
    const id = `${platform}-msg-${++this.seq}`;
    this.messages.push({ platform, target, key, id, reply });
    return { ok: true, messageId: id };
  }

  async findSent(platform: Platform, target: string, key: string): Promise<string | null> {
    return this.messages.find((m) => m.platform === platform && m.target === target && m.key === key)?.id ?? null;
  }

  async notifyPaused(sub: Subscription, reason: string): Promise<void> {
    this.paused.push({ subscription: sub.id, reason });
  }

  /** How many messages each (target, key) got: every value should be 1. */
  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const msg of this.messages) m.set(`${msg.target}|${msg.key}`, (m.get(`${msg.target}|${msg.key}`) ?? 0) + 1);
    return m;
  }
}
