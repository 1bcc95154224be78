import { z } from 'zod';

/**
 * A scoring model is data: categories, rules with thresholds, named parameters, tiers and
 * hysteresis. The engine (`engine.ts`) is one pure function over a model and observations.
 * Every rule reads one derived indicator (see `derive.ts` for how each is computed).
 */

const localized = z.object({ nb: z.string().min(1), en: z.string().min(1) });

export const DERIVED_INDICATORS = [
  'population_change_5y',
  'housing_cost_ratio',
  'median_income_pct_of_national',
  'unemployment_pct_of_national',
  'labour_vote_share',
  'council_effective_parties',
  'property_value_index',
  'dwellings_started_pct_of_national',
] as const;
export type DerivedIndicatorId = (typeof DERIVED_INDICATORS)[number];

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

export const modelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    title: localized,
    description: localized,
    categories: z
      .array(z.object({ id: z.string(), label: localized, max: z.number().positive() }))
      .min(1),
    rules: z.array(ruleSchema).min(1),
    parameters: z.object({
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
        /** Party codes counted as the left bloc for the seat-majority fallback. */
        leftParties: z.array(z.string()).min(1),
        /** Election year of the council. */
        electionYear: z.string().regex(/^\d{4}$/),
      }),
      references: z.object({
        /** A national reference is computed from kommune observations only when they cover at least this share of Norway's population. */
        minPopulationCoverage: z.number().min(0).max(1),
      }),
    }),
    tiers: z.object({
      tier1Min: z.number(),
      tier2Min: z.number(),
      /** Hysteresis: a kommune in Tier 1 stays there until its total falls below this bound. */
      tier1ExitBelow: z.number(),
      /** Share of the model's points whose inputs must be present for a tier to count (0–1). */
      minCoverage: z.number().min(0).max(1),
    }),
  })
  .superRefine((m, ctx) => {
    const cats = new Map(m.categories.map((c) => [c.id, c.max]));
    const sum = m.categories.reduce((s, c) => s + c.max, 0);
    if (sum !== 100) ctx.addIssue({ code: 'custom', message: `category maxima sum to ${sum}, not 100` });
    const ids = new Set<string>();
    const perCat = new Map<string, number>();
    for (const r of m.rules) {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}` });
      ids.add(r.id);
      if (!cats.has(r.category)) ctx.addIssue({ code: 'custom', message: `rule ${r.id}: unknown category ${r.category}` });
      perCat.set(r.category, (perCat.get(r.category) ?? 0) + ruleMaxPoints(r));
      if (r.scoring.kind === 'thresholds') {
        const ts = r.scoring.bands.map((b) => b.threshold);
        const ordered = ts.every((t, i) => i === 0 || (r.scoring.kind === 'thresholds' && r.scoring.direction === 'above' ? t < ts[i - 1]! : t > ts[i - 1]!));
        if (!ordered) ctx.addIssue({ code: 'custom', message: `rule ${r.id}: bands must go from the strictest threshold to the loosest` });
      }
    }
    for (const [cat, max] of cats) {
      if ((perCat.get(cat) ?? 0) !== max) {
        ctx.addIssue({ code: 'custom', message: `category ${cat}: rules give at most ${perCat.get(cat) ?? 0} points, the category max is ${max}` });
      }
    }
    if (!(m.tiers.tier1ExitBelow <= m.tiers.tier1Min && m.tiers.tier2Min < m.tiers.tier1ExitBelow)) {
      ctx.addIssue({ code: 'custom', message: 'tiers: need tier2Min < tier1ExitBelow <= tier1Min' });
    }
  });

export type ScoringModel = z.infer<typeof modelSchema>;
export type Rule = ScoringModel['rules'][number];

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
