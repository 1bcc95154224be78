import type { SubscriptionFilter, SubscriptionKind } from './types';

/**
 * Change detection between two score runs: which kommuner entered or left Tier 1 and whose score
 * or tier changed, with what moved. Pure: the caller reads the runs and writes the events.
 *
 * The engine's tier already carries the model's rules: ≥ 70 points to enter Tier 1, hysteresis
 * (a Tier 1 kommune keeps it until it drops below the exit bound), and no tier below the model's
 * minimum coverage unless the missing points could not change it. Detection adds one rule of its
 * own: **a change that coincides with data going missing is not an alert.** When a rule that had
 * an input in the previous run has none now (a failed source, a suppressed figure), or the tier
 * became unclassified, the change is reported as suppressed, never sent.
 */

export interface RuleSnapshot {
  ruleId: string;
  label?: { nb: string; en: string } | undefined;
  points: number | null;
  maxPoints?: number | undefined;
  value: number | null;
  unit?: string | null | undefined;
  period?: string | null | undefined;
  /** The engine's SourceRefs (publisher in `source`, table in `sourceTable`). */
  inputs?: readonly { source?: string | null; sourceTable?: string | null; period?: string | null }[] | undefined;
}

export interface ScoreSnapshot {
  kommuneCode: string;
  total: number;
  maxPossible: number;
  coverage: number;
  tier: number | null;
  rules: readonly RuleSnapshot[];
}

export interface RuleChange {
  ruleId: string;
  label: { nb: string; en: string } | null;
  pointsBefore: number | null;
  pointsAfter: number | null;
  valueBefore: number | null;
  valueAfter: number | null;
  unit: string | null;
  periodBefore: string | null;
  periodAfter: string | null;
  /** "SSB 07459 2025" style source references of the new value. */
  sources: { publisher?: string; table?: string; period?: string }[];
}

export interface ScoreChange {
  kommuneCode: string;
  totalBefore: number;
  totalAfter: number;
  tierBefore: number | null;
  tierAfter: number | null;
  coverageBefore: number;
  coverageAfter: number;
  rules: RuleChange[];
}

export type DetectedEvent =
  | { kind: 'tier1-enter' | 'tier1-exit' | 'score-change'; kommuneCode: string; change: ScoreChange }
  | { kind: 'suppressed'; kommuneCode: string; change: ScoreChange; reason: 'input-missing' | 'unclassified' };

function ruleChanges(before: ScoreSnapshot, after: ScoreSnapshot): RuleChange[] {
  const old = new Map(before.rules.map((r) => [r.ruleId, r]));
  const out: RuleChange[] = [];
  for (const r of after.rules) {
    const o = old.get(r.ruleId);
    const pointsBefore = o?.points ?? null;
    const valueBefore = o?.value ?? null;
    if (pointsBefore === r.points && valueBefore === r.value && (o?.period ?? null) === (r.period ?? null)) continue;
    out.push({
      ruleId: r.ruleId,
      label: r.label ?? o?.label ?? null,
      pointsBefore,
      pointsAfter: r.points,
      valueBefore,
      valueAfter: r.value,
      unit: r.unit ?? o?.unit ?? null,
      periodBefore: o?.period ?? null,
      periodAfter: r.period ?? null,
      sources: [...(r.inputs ?? [])].map((i) => ({ ...(i.source ? { publisher: i.source } : {}), ...(i.sourceTable ? { table: i.sourceTable } : {}), ...(i.period ? { period: i.period } : {}) })),
    });
  }
  return out;
}

/** The smallest change of the total that is a `score-change` when the tier stays the same. */
export const MIN_SCORE_CHANGE = 1;

/** Events for one kommune between two runs (empty when nothing changed). */
export function detectKommune(before: ScoreSnapshot | undefined, after: ScoreSnapshot): DetectedEvent[] {
  if (!before) return []; // A kommune's first score is not a change.
  // Less than a point is not news (percentile models move by tenths when other kommuner's data
  // change); points models have whole-number totals, so any change of theirs counts.
  if (Math.abs(after.total - before.total) < MIN_SCORE_CHANGE && before.tier === after.tier) return [];
  const change: ScoreChange = {
    kommuneCode: after.kommuneCode,
    totalBefore: before.total,
    totalAfter: after.total,
    tierBefore: before.tier,
    tierAfter: after.tier,
    coverageBefore: before.coverage,
    coverageAfter: after.coverage,
    rules: ruleChanges(before, after),
  };
  const wentMissing = change.rules.some((r) => r.pointsBefore !== null && r.pointsAfter === null);
  if (wentMissing) return [{ kind: 'suppressed', kommuneCode: after.kommuneCode, change, reason: 'input-missing' }];
  if (after.tier === null && before.tier !== null) return [{ kind: 'suppressed', kommuneCode: after.kommuneCode, change, reason: 'unclassified' }];
  const events: DetectedEvent[] = [{ kind: 'score-change', kommuneCode: after.kommuneCode, change }];
  if (after.tier === 1 && before.tier !== 1) events.push({ kind: 'tier1-enter', kommuneCode: after.kommuneCode, change });
  if (before.tier === 1 && after.tier !== 1 && after.tier !== null) events.push({ kind: 'tier1-exit', kommuneCode: after.kommuneCode, change });
  return events;
}

/** Events across all kommuner of two runs. */
export function detectChanges(before: readonly ScoreSnapshot[], after: readonly ScoreSnapshot[]): DetectedEvent[] {
  const old = new Map(before.map((s) => [s.kommuneCode, s]));
  return after.flatMap((s) => detectKommune(old.get(s.kommuneCode), s));
}

/** The outbox key of an event: a second detection of the same change in the same run is a no-op. */
export function dedupeKey(kind: string, kommuneCode: string, runId: number): string {
  return `${kind}:${kommuneCode}:${runId}`;
}

/** Which subscription kinds an event kind is for. */
export function subscriptionKindFor(kind: DetectedEvent['kind']): SubscriptionKind | null {
  switch (kind) {
    case 'tier1-enter':
    case 'tier1-exit':
      return 'tier1';
    case 'score-change':
      return 'kommune';
    default:
      return null;
  }
}

/** Whether a subscription's filter lets an event about this kommune through. */
export function filterMatches(filter: SubscriptionFilter, kommuneCode: string, countyCode: string): boolean {
  if (filter.unntatt?.includes(kommuneCode)) return false;
  if (filter.kommuner && filter.kommuner.length > 0 && !filter.kommuner.includes(kommuneCode)) return false;
  if (filter.fylker && filter.fylker.length > 0 && !filter.fylker.includes(countyCode)) return false;
  return true;
}

/** Canonical text of a kind and filter: equal subscriptions get equal keys. */
export function filterKey(kind: SubscriptionKind, filter: SubscriptionFilter): string {
  const sorted = (xs: readonly string[] | undefined) => (xs && xs.length > 0 ? [...new Set(xs)].sort() : undefined);
  return JSON.stringify({
    kind,
    fylker: sorted(filter.fylker),
    kommuner: sorted(filter.kommuner),
    unntatt: sorted(filter.unntatt),
    minArealM2: filter.minArealM2,
    tiers: filter.tiers && filter.tiers.length > 0 ? [...new Set(filter.tiers)].sort() : undefined,
    model: filter.model,
  });
}
