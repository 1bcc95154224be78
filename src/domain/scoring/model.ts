import * as z from 'zod';
import { DERIVED_INDICATORS } from './indicators/ids';

/**
 * A scoring model is data. Two kinds share the engine (`engine.ts`) and the derived indicators
 * (`indicators/`):
 * - `points`: categories of rules with thresholds → points (the planning report's `seed-2026`);
 * - `percentile`: pillars of indicators, each scored as its percentile rank over all kommuner
 *   (winsorised, small-kommune rates damped), weighted within its pillar over the indicators
 *   present, with red-flag gates and per-pillar minimums for Tier 1 (`praksis-2026`).
 * Both are versioned; a new version starts a new baseline in the score history.
 */

export { DERIVED_INDICATORS };
export type { DerivedIndicatorId } from './indicators/ids';

const localized = z.object({ nb: z.string().min(1), en: z.string().min(1) });

const band = z.object({ threshold: z.number(), points: z.number().positive() });

const thresholdRule = z.object({
  kind: z.literal('thresholds'),
  /** "above": value > threshold earns the band; "below": value < threshold. Comparisons are strict. */
  direction: z.enum(['above', 'below']),
  /** Checked in order; the first band the value passes gives the points. */
  bands: z.array(band).min(1),
  /** Points when no band matches but the fallback condition holds (e.g. a left majority of seats). */
  otherwise: z.object({ condition: z.literal('left_seat_majority'), points: z.number().positive() }).optional(),
});

const rangeRule = z.object({
  kind: z.literal('range'),
  /** Points when min < value < max (strict on both sides). */
  min: z.number(),
  max: z.number(),
  points: z.number().positive(),
});

const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  category: z.string(),
  indicator: z.enum(DERIVED_INDICATORS),
  label: localized,
  scoring: z.discriminatedUnion('kind', [thresholdRule, rangeRule]),
});

const parametersSchema = z.object({
  populationChange: z.object({
    /** Length of the change window in years. */
    years: z.number().int().positive(),
  }),
  housingCost: z.object({
    /** Dwelling size in m² that a household buys. */
    dwellingSizeM2: z.number().positive(),
    /** Share of the price financed by a loan (0–1). */
    loanShare: z.number().min(0).max(1),
    /** Nominal annual interest rate (0.05 = 5 %). */
    annualInterestRate: z.number().min(0).max(0.5),
    /** Repayment period of the annuity loan, in years. */
    termYears: z.number().int().positive(),
  }),
  price: z.object({
    /** How the kommune's price per m² is formed from SSB 06035's dwelling types. */
    measure: z.literal('sales-weighted-all-types'),
    /** What to do where SSB suppresses the price (too few sales). */
    suppressedFallback: z.literal('none'),
  }),
  unemployment: z.object({
    /** Definitions in priority order; the first with both a kommune value and a national reference for one period is used. */
    definitions: z.array(z.string()).min(1),
  }),
  dwellingsStarted: z.object({
    definitions: z.array(z.string()).min(1),
    /** Years summed (with the population of the same years) to damp small-kommune lumpiness. */
    years: z.number().int().positive(),
  }),
  politics: z.object({
    /** Party codes counted as the left bloc (the seed's seat-majority fallback; the left seat share). */
    leftParties: z.array(z.string()).min(1),
    /** Election year of the council. */
    electionYear: z.string().regex(/^\d{4}$/),
  }),
  references: z.object({
    /** A national reference is computed from kommune observations only when they cover at least this share of Norway's population. */
    minPopulationCoverage: z.number().min(0).max(1),
  }),
});

export type ModelParameters = z.infer<typeof parametersSchema>;

const tiersSchema = z.object({
  tier1Min: z.number(),
  tier2Min: z.number(),
  /** Hysteresis: a kommune in Tier 1 stays there until its total falls below this bound. */
  tier1ExitBelow: z.number(),
  /** Share of the model's points whose inputs must be present for a tier to count (0–1). */
  minCoverage: z.number().min(0).max(1),
});

const common = {
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  title: localized,
  description: localized,
  parameters: parametersSchema,
  tiers: tiersSchema,
};

const pointsModel = z.object({
  kind: z.literal('points'),
  ...common,
  categories: z.array(z.object({ id: z.string(), label: localized, max: z.number().positive() })).min(1),
  rules: z.array(ruleSchema).min(1),
});

const pillarSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  label: localized,
  /** The question the pillar answers, shown with its score. */
  question: localized,
  /** Points of the 100 the pillar carries. */
  weight: z.number().positive(),
  /** Share (0–1) of the pillar's active indicator weight that must have data for a tier to count. */
  minCoverage: z.number().min(0).max(1),
  /** Tier 1 needs the pillar at or above this share (0–1) of its weight: a strong pillar cannot make up for a weak one. */
  tier1MinShare: z.number().min(0).max(1),
});

const indicatorSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  pillar: z.string(),
  indicator: z.enum(DERIVED_INDICATORS),
  label: localized,
  /** Which way is favourable: a higher value ranks higher ("higher") or a lower one does ("lower"). */
  direction: z.enum(['higher', 'lower']),
  /** Weight within the pillar (relative; re-normalised over the indicators present). */
  weight: z.number().positive(),
  /** Why the indicator belongs here and why this direction: written before looking at validation. */
  reason: localized,
  /**
   * Damps per-1,000 rates of small kommuner: the rate is pulled towards Norway's rate in proportion
   * `prior ÷ (population + prior)` (empirical-Bayes shrinkage with a prior worth `priorPopulation` inhabitants).
   */
  shrink: z.object({ priorPopulation: z.number().positive() }).optional(),
});

const gateSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  indicator: z.enum(DERIVED_INDICATORS),
  label: localized,
  /** The gate holds when the kommune's value equals this (e.g. 1 = listed in ROBEK). */
  equals: z.number(),
  /** The best tier a kommune can have while the gate holds. */
  capTier: z.union([z.literal(2), z.literal(3)]),
  reason: localized,
});

const percentileModel = z.object({
  kind: z.literal('percentile'),
  ...common,
  pillars: z.array(pillarSchema).min(1),
  indicators: z.array(indicatorSchema).min(1),
  gates: z.array(gateSchema),
  ranking: z.object({
    /** Values are clipped at these quantiles before ranking, so the few most extreme kommuner share one rank. */
    winsorise: z.tuple([z.number().min(0).max(0.5), z.number().min(0.5).max(1)]),
    /**
     * An indicator is ranked only when the kommuner with a value hold at least this share of
     * Norway's population; a percentile over one region is not a national percentile.
     */
    minPopulationCoverage: z.number().min(0).max(1),
  }),
});

export const modelSchema = z.discriminatedUnion('kind', [pointsModel, percentileModel]).superRefine((m, ctx) => {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (!(m.tiers.tier1ExitBelow <= m.tiers.tier1Min && m.tiers.tier2Min < m.tiers.tier1ExitBelow)) issue('tiers: need tier2Min < tier1ExitBelow <= tier1Min');
  if (m.kind === 'points') {
    const cats = new Map(m.categories.map((c) => [c.id, c.max]));
    const sum = m.categories.reduce((s, c) => s + c.max, 0);
    if (sum !== 100) issue(`category maxima sum to ${sum}, not 100`);
    const ids = new Set<string>();
    const perCat = new Map<string, number>();
    for (const r of m.rules) {
      if (ids.has(r.id)) issue(`duplicate rule id ${r.id}`);
      ids.add(r.id);
      if (!cats.has(r.category)) issue(`rule ${r.id}: unknown category ${r.category}`);
      perCat.set(r.category, (perCat.get(r.category) ?? 0) + ruleMaxPoints(r));
      if (r.scoring.kind === 'thresholds') {
        const dir = r.scoring.direction;
        const ts = r.scoring.bands.map((b) => b.threshold);
        const ordered = ts.every((t, i) => i === 0 || (dir === 'above' ? t < ts[i - 1]! : t > ts[i - 1]!));
        if (!ordered) issue(`rule ${r.id}: bands must go from the strictest threshold to the loosest`);
      }
    }
    for (const [cat, max] of cats) {
      if ((perCat.get(cat) ?? 0) !== max) issue(`category ${cat}: rules give at most ${perCat.get(cat) ?? 0} points, the category max is ${max}`);
    }
    return;
  }
  const sum = m.pillars.reduce((s, p) => s + p.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) issue(`pillar weights sum to ${sum}, not 100`);
  const pillars = new Set(m.pillars.map((p) => p.id));
  if (pillars.size !== m.pillars.length) issue('duplicate pillar id');
  const ids = new Set<string>();
  for (const i of m.indicators) {
    if (ids.has(i.id)) issue(`duplicate indicator id ${i.id}`);
    ids.add(i.id);
    if (!pillars.has(i.pillar)) issue(`indicator ${i.id}: unknown pillar ${i.pillar}`);
  }
  for (const p of m.pillars) if (!m.indicators.some((i) => i.pillar === p.id)) issue(`pillar ${p.id} has no indicators`);
  if (m.ranking.winsorise[0] >= m.ranking.winsorise[1]) issue('ranking.winsorise: the lower quantile must be below the upper');
});

export type ScoringModel = z.infer<typeof modelSchema>;
export type PointsModel = Extract<ScoringModel, { kind: 'points' }>;
export type PercentileModel = Extract<ScoringModel, { kind: 'percentile' }>;
export type Rule = PointsModel['rules'][number];
export type ModelIndicator = PercentileModel['indicators'][number];
export type Pillar = PercentileModel['pillars'][number];
export type Gate = PercentileModel['gates'][number];

export function ruleMaxPoints(r: Rule): number {
  if (r.scoring.kind === 'range') return r.scoring.points;
  return Math.max(...r.scoring.bands.map((b) => b.points), r.scoring.otherwise?.points ?? 0);
}

/** Validates a model definition; throws with every problem listed. */
export function parseModel(input: unknown): ScoringModel {
  const res = modelSchema.safeParse(input);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `- ${i.path.join('.') || '(model)'}: ${i.message}`);
    throw new Error(`Invalid scoring model:\n${lines.join('\n')}`);
  }
  return res.data;
}

/** The same, for a model whose kind the caller knows (a model file). */
export function parseModelOf<K extends ScoringModel['kind']>(kind: K, input: unknown): Extract<ScoringModel, { kind: K }> {
  const m = parseModel(input);
  if (m.kind !== kind) throw new Error(`Invalid scoring model: expected kind ${kind}, got ${m.kind}`);
  return m as Extract<ScoringModel, { kind: K }>;
}
