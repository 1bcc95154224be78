import type { Kommune } from '../domain/kommune/types';
import type { Resolution } from '../domain/kommune/registry';
import type { Tier } from '../domain/scoring/engine';
import type { ReadModel } from './read-model';
import type { ScoredKommune } from './scored';
import type { ScoreHistoryEntry } from '../store/repos/scores';

export type KommuneLookup =
  | { kind: 'found'; kommune: Kommune; resolution: Extract<Resolution, { kind: 'found' }>; score: ScoredKommune | null; history: ScoreHistoryEntry[] }
  | Exclude<Resolution, { kind: 'found' }>;

/** Finds a kommune by code or any of its names and returns its latest score (in the read model's scoring model) and trend. */
export async function lookupKommune(rm: ReadModel, input: string): Promise<KommuneLookup> {
  const res = rm.registry.resolve(input);
  if (res.kind !== 'found') return res;
  const score = rm.scores.get(res.kommune.code) ?? null;
  const history = score ? await rm.history(res.kommune.code) : [];
  return { kind: 'found', kommune: res.kommune, resolution: res, score, history };
}

export interface RankedKommune {
  rank: number;
  kommune: Kommune;
  score: ScoredKommune;
}

export interface RankingQuery {
  limit: number;
  countyCode?: string | null;
  tier?: Tier | null;
}

/** Orders kommuner by total points, then by coverage, then by name. */
export function rankKommuner(rm: ReadModel, q: RankingQuery): { items: RankedKommune[]; matched: number } {
  const all: { kommune: Kommune; score: ScoredKommune }[] = [];
  for (const k of rm.registry.all()) {
    if (q.countyCode && k.countyCode !== q.countyCode) continue;
    const s = rm.scores.get(k.code);
    if (!s) continue;
    if (q.tier !== undefined && q.tier !== null && s.tier !== q.tier) continue;
    all.push({ kommune: k, score: s });
  }
  all.sort((a, b) => b.score.total - a.score.total || b.score.coverage - a.score.coverage || a.kommune.name.localeCompare(b.kommune.name, 'nb'));
  return { items: all.slice(0, q.limit).map((x, i) => ({ rank: i + 1, ...x })), matched: all.length };
}

/** Splits "bodo tromso mo i rana"-style input into kommune names, longest match first. */
export function splitKommuneList(rm: ReadModel, text: string): string[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let taken = 1;
    for (let j = Math.min(tokens.length, i + 5); j > i + 1; j--) {
      const cand = tokens.slice(i, j).join(' ');
      if (rm.registry.resolve(cand).kind !== 'not-found') {
        taken = j - i;
        break;
      }
    }
    out.push(tokens.slice(i, i + taken).join(' '));
    i += taken;
  }
  return out;
}

/** Appendix B of the planning report, plus coverage and model. */
export function appendixB(rm: ReadModel, kommune: Kommune, s: ScoredKommune): Record<string, unknown> {
  const cat = (id: string) => s.categories.find((c) => c.id === id)?.points ?? null;
  const keyIndicators: Record<string, unknown> = {};
  for (const k of s.keyIndicators) {
    keyIndicators[k.id] = {
      value: k.value,
      unit: k.unit,
      period: k.period,
      national: k.national?.value ?? null,
      national_method: k.national?.method ?? null,
      sources: [...new Set(k.sources.map((x) => `${x.source} ${x.sourceTable}`))],
      missing_reason: k.missing?.en ?? null,
    };
  }
  return {
    municipality_code: kommune.code,
    municipality_name: kommune.name,
    county: kommune.countyName,
    demographic_score: cat('demographic'),
    economic_score: cat('economic'),
    political_score: cat('political'),
    property_score: cat('property'),
    total_score: s.total,
    max_possible_score: s.maxPossible,
    tier: s.tier,
    tier_status: s.tierStatus,
    coverage: Math.round(s.coverage * 1000) / 1000,
    key_indicators: keyIndicators,
    categories: s.categories.map((c) => ({
      id: c.id,
      label: c.label.nb,
      points: c.points,
      max: c.max,
      coverage: Math.round((c.coverage ?? c.coveredMax / c.max) * 1000) / 1000,
    })),
    rules: s.rules.map((r) => ({
      rule: r.ruleId,
      category: r.category,
      points: r.points,
      max_points: r.maxPoints,
      value: r.value,
      unit: r.unit,
      period: r.period,
      percentile: r.outcome.k === 'percentile' ? r.outcome.percentile : null,
      sources: [...new Set(r.inputs.map((x) => `${x.source} ${x.sourceTable} ${x.period}`))],
    })),
    gates: s.gates.map((g) => ({ id: g.id, kind: g.kind, holds: g.triggered, cap_tier: g.capTier, reason: g.reason.en })),
    other_models: rm
      .all()
      .filter((v) => v !== rm)
      .map((v) => {
        const o = v.scores.get(kommune.code);
        return { id: v.model.id, total: o?.total ?? null, tier: o?.tier ?? null };
      }),
    model: { id: rm.model.id, version: rm.model.version, score_run: rm.run?.id ?? null, scored_at: rm.run?.finishedAt.toISOString() ?? null },
  };
}
