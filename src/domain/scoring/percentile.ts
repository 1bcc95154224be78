import { ind } from '../indicators';
import type { Localized } from '../localized';
import { L } from './derived';
import type { DerivedColumn, Deriver } from './deriver';
import { MISSING_OUTCOME, type CategoryScore, type GateResult, type KommuneScore, type RuleResult, type ScoreSet, type Tier, type TierStatus } from './engine';
import type { ModelIndicator, PercentileModel } from './model';

/**
 * The percentile engine (model kind `percentile`, docs/scoring.md):
 * 1. every indicator is derived for every kommune by the same modules the card uses;
 * 2. an indicator is ranked only when the kommuner with a value hold at least
 *    `ranking.minPopulationCoverage` of Norway's population (a percentile over one region is not a
 *    national percentile); otherwise it is inactive in this run and says why;
 * 3. per-1,000 rates with `shrink` are pulled towards Norway's rate by population (small kommuner
 *    cannot top a rate by accident), values are winsorised, and each kommune gets its percentile
 *    rank (0 lowest, 1 highest, ties share the mean rank), turned round for "lower is better";
 * 4. a pillar's points = its weight × the weighted mean percentile of its indicators that have
 *    data (re-normalised over the indicators present; missing is never scored as zero);
 * 5. the total is the sum of the pillars (0–100, one decimal); tiers come from the total, capped by
 *    red-flag gates and by pillar minimums for Tier 1, with hysteresis, and only with enough data.
 */

interface Ranked {
  spec: ModelIndicator;
  active: boolean;
  have: number;
  populationShare: number;
  /** The value that was ranked (after damping), per kommune; NaN where missing. */
  scored: Float64Array;
  /** Percentile in the favourable direction (0–1), per kommune; NaN where missing or inactive. */
  percentile: Float64Array;
  among: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Linear-interpolation quantile (type 7) of sorted values. */
function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Mid-rank percentiles (0–1) of a column, NaN for missing; ties share the mean of their ranks.
 * Columns are typed arrays: no boxed number per kommune, which at 100,000 kommuner would be
 * millions of short-lived objects held by arrays in the old generation.
 */
function ranksOf(values: Float64Array, presorted?: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) m++;
  if (m === 0) return out;
  // The values sorted by the engine's own numeric sort (no comparator called from JavaScript,
  // which at 100,000 kommuner made ranking the slowest step); each kommune's ranks are then the
  // run of its value in the sorted list, found by binary search. `presorted`: those values, sorted.
  let sorted = presorted;
  if (!sorted) {
    sorted = new Float64Array(m);
    for (let i = 0, j = 0; i < n; i++) if (!Number.isNaN(values[i]!)) sorted[j++] = values[i]!;
    sorted.sort();
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (m === 1) {
      out[i] = 0.5;
      continue;
    }
    // First position holding v, and first position past it.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const start = lo;
    hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = (start + lo - 1) / 2 / (m - 1);
  }
  return out;
}

/** Mid-rank percentiles (0–1) of the non-null values; ties share the mean of their ranks. */
export function percentileRanks(values: readonly (number | null)[]): (number | null)[] {
  return Array.from(ranksOf(Float64Array.from(values, (v) => v ?? NaN)), (p) => (Number.isNaN(p) ? null : p));
}

function rank(model: PercentileModel, deriver: Deriver, spec: ModelIndicator, derived: DerivedColumn, populationYear: string): Ranked {
  const n = derived.value.length;
  const have = derived.ok;
  // The raw value, or (active and damped) the value pulled towards Norway's rate.
  const scored = Float64Array.from(derived.value);
  let count = 0;
  for (let i = 0; i < n; i++) count += have[i]!;
  const populationShare = deriver.refs.populationCoverage(have, populationYear);
  const active = count > 0 && populationShare >= model.ranking.minPopulationCoverage;
  if (active && spec.shrink) {
    // Empirical-Bayes damping towards the population-weighted rate of all kommuner with a figure.
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const base = derived.base[i]!;
      if (have[i] && base > 0) {
        num += derived.value[i]! * base;
        den += base;
      }
    }
    const prior = den > 0 ? num / den : null;
    const k = spec.shrink.priorPopulation;
    if (prior !== null) {
      for (let i = 0; i < n; i++) {
        const base = derived.base[i]!;
        if (have[i] && !Number.isNaN(base)) scored[i] = (base * derived.value[i]! + k * prior) / (base + k);
      }
    }
  }
  let percentile: Float64Array = new Float64Array(n).fill(NaN);
  if (active) {
    const sorted = new Float64Array(count);
    for (let i = 0, j = 0; i < n; i++) if (have[i]) sorted[j++] = scored[i]!;
    sorted.sort();
    const lo = quantile(sorted, model.ranking.winsorise[0]);
    const hi = quantile(sorted, model.ranking.winsorise[1]);
    const clipped = new Float64Array(n);
    for (let i = 0; i < n; i++) clipped[i] = have[i] ? Math.min(hi, Math.max(lo, scored[i]!)) : NaN;
    // Clipping keeps the order, so the sorted values clipped are the clipped values sorted.
    for (let j = 0; j < count; j++) sorted[j] = Math.min(hi, Math.max(lo, sorted[j]!));
    percentile = ranksOf(clipped, sorted);
    if (spec.direction !== 'higher') for (let i = 0; i < n; i++) percentile[i] = 1 - percentile[i]!;
  }
  return { spec, active, have: count, populationShare, scored, percentile, among: count };
}

function inactiveReason(r: Ranked, n: number): Localized {
  const pct = Math.round(r.populationShare * 100);
  return L(
    `rangeres ikke ennå: tallet finnes for ${r.have} av ${n} kommuner (${pct} % av befolkningen), for få til en nasjonal rangering`,
    `not ranked yet: the figure exists for ${r.have} of ${n} kommuner (${pct} % of the population), too few for a national ranking`,
  );
}

interface PillarPlan {
  pillar: PercentileModel['pillars'][number];
  indicators: readonly Ranked[];
  /** Σ weight of the pillar's indicators ranked in this run. */
  activeW: number;
  tier1Min: number;
  minimumReason: Localized;
  /** Why each inactive indicator is not ranked, and its outcome (the same for every kommune, shared). */
  inactive: ReadonlyMap<Ranked, { reason: Localized; outcome: RuleResult['outcome'] }>;
}

/** Scores every kommune with a percentile model: ranks now, each kommune's result when asked for. */
export function scorePercentile(model: PercentileModel, deriver: Deriver, previousTiers?: ReadonlyMap<string, Tier | null>): ScoreSet {
  const codes = deriver.idx.kommuneCodes;
  const n = codes.length;
  const populationYear = deriver.idx.latest(ind.population) ?? '2024';
  const columns = deriver.columns(model.indicators.map((spec) => spec.indicator));
  const ranked = model.indicators.map((spec, j) => rank(model, deriver, spec, columns[j]!, populationYear));
  const plans: PillarPlan[] = model.pillars.map((pillar) => {
    const indicators = ranked.filter((r) => r.spec.pillar === pillar.id);
    const tier1Min = pillar.tier1MinShare * pillar.weight;
    const shown = Math.round(tier1Min * 10) / 10;
    return {
      pillar,
      indicators,
      activeW: indicators.reduce((s, r) => s + (r.active ? r.spec.weight : 0), 0),
      tier1Min,
      minimumReason: L(`Tier 1 krever minst ${shown} av ${pillar.weight} poeng i «${pillar.label.nb}»`, `Tier 1 needs at least ${shown} of ${pillar.weight} points in "${pillar.label.en}"`),
      inactive: new Map(
        indicators.filter((r) => !r.active).map((r) => [r, { reason: inactiveReason(r, n), outcome: Object.freeze({ k: 'inactive' as const, have: r.have, of: n, populationShare: r.populationShare }) }]),
      ),
    };
  });
  return {
    modelId: model.id,
    kommuneCodes: codes,
    at(i) {
      const code = deriver.idx.moveTo(i);
      return scoreOne(model, plans, deriver, code, i, previousTiers?.get(code) ?? null);
    },
  };
}

function scoreOne(
  model: PercentileModel,
  plans: readonly PillarPlan[],
  deriver: Deriver,
  code: string,
  i: number,
  previousTier: Tier | null,
): KommuneScore {
  const rules: RuleResult[] = [];
  const categories: CategoryScore[] = [];
  let total = 0;
  let minTotal = 0;
  let maxTotal = 0;
  let covered = 0;
  let weightSum = 0;
  let pillarsEnough = true;
  const gates: GateResult[] = [];

  for (const plan of plans) {
    const { pillar, indicators, activeW, tier1Min } = plan;
    let presentW = 0;
    let weighted = 0;
    for (const r of indicators) {
      const p = r.percentile[i]!;
      if (r.active && !Number.isNaN(p)) {
        presentW += r.spec.weight;
        weighted += r.spec.weight * p;
      }
    }
    const points = presentW > 0 ? (pillar.weight * weighted) / presentW : 0;
    const coverage = activeW > 0 ? presentW / activeW : 0;
    // What the missing indicators could do: all at the bottom, or all at the top.
    const low = activeW > 0 ? (pillar.weight * weighted) / activeW : 0;
    const high = activeW > 0 ? (pillar.weight * (weighted + activeW - presentW)) / activeW : pillar.weight;
    // The total is the sum of the pillars as shown (one decimal), so a card always adds up.
    total += round1(points);
    minTotal += presentW > 0 ? round1(low) : 0;
    maxTotal += presentW > 0 ? round1(high) : pillar.weight;
    covered += pillar.weight * coverage;
    weightSum += pillar.weight;
    if (coverage < pillar.minCoverage) pillarsEnough = false;
    categories.push({ id: pillar.id, label: pillar.label, max: pillar.weight, points: round1(points), coveredMax: round1(pillar.weight * coverage), coverage, tier1Min });

    for (const r of indicators) {
      const d = deriver.derive(r.spec.indicator, code);
      const pv = r.percentile[i]!;
      const p = Number.isNaN(pv) ? null : pv;
      const inactive = plan.inactive.get(r);
      let maxPoints: number;
      let points: number | null = null;
      let outcome: RuleResult['outcome'];
      let missing: Localized | null = null;
      if (inactive) {
        maxPoints = 0;
        outcome = inactive.outcome;
        missing = inactive.reason;
      } else if (p === null) {
        maxPoints = (pillar.weight * r.spec.weight) / activeW;
        outcome = MISSING_OUTCOME;
        missing = d.ok ? null : d.reason;
      } else {
        maxPoints = (pillar.weight * r.spec.weight) / presentW;
        points = maxPoints * p;
        outcome = { k: 'percentile', percentile: p, direction: r.spec.direction, among: r.among, scored: r.scored[i]! };
      }
      rules.push({
        ruleId: r.spec.id,
        category: pillar.id,
        label: r.spec.label,
        maxPoints,
        points,
        outcome,
        missing,
        detail: d.ok ? d.detail : null,
        value: d.ok ? d.value : null,
        unit: d.ok ? d.unit : null,
        period: d.ok ? d.period : null,
        inputs: d.inputs,
        reference: d.ok ? (d.reference ?? null) : null,
      });
    }
    if (pillar.tier1MinShare > 0) {
      gates.push({ id: `pillar_${pillar.id}`, kind: 'pillar-minimum', label: pillar.label, triggered: points < tier1Min, capTier: 2, reason: plan.minimumReason, inputs: [] });
    }
  }

  for (let gi = 0; gi < model.gates.length; gi++) {
    const g = model.gates[gi]!;
    const d = deriver.derive(g.indicator, code);
    gates.push({ id: g.id, kind: 'flag', label: g.label, triggered: d.ok && d.value === g.equals, capTier: g.capTier, reason: d.ok ? g.reason : d.reason, inputs: d.inputs });
  }

  const coverage = weightSum > 0 ? covered / weightSum : 0;
  const rounded = round1(total);
  const t = percentileTier(model, rounded, round1(minTotal), round1(maxTotal), coverage, pillarsEnough, gates, previousTier);
  return {
    kommuneCode: code,
    modelId: model.id,
    modelVersion: model.version,
    total: rounded,
    maxPossible: round1(maxTotal),
    coverage,
    ...t,
    categories,
    rules,
    gates,
  };
}

/**
 * The tier of a percentile model: from the total (tier1Min, tier2Min), capped by the gates that
 * hold (ROBEK, pillar minimums), Tier 1 kept by hysteresis down to tier1ExitBelow when no gate
 * holds, and, without enough data (overall or in a pillar), only a tier the missing data could
 * not change.
 */
export function percentileTier(
  model: Pick<PercentileModel, 'tiers'>,
  total: number,
  minPossible: number,
  maxPossible: number,
  coverage: number,
  pillarsEnough: boolean,
  gates: readonly GateResult[],
  previousTier: Tier | null,
): { tier: Tier | null; tierStatus: TierStatus; heldByHysteresis: boolean } {
  const enough = coverage >= model.tiers.minCoverage && pillarsEnough;
  const tierStatus: TierStatus = coverage >= 1 ? 'complete' : enough ? 'partial' : 'insufficient';
  const cap = gates.reduce<Tier>((c, g) => (g.triggered && g.capTier > c ? g.capTier : c), 1);
  const tierFor = (x: number): Tier => {
    const t: Tier = x >= model.tiers.tier1Min ? 1 : x >= model.tiers.tier2Min ? 2 : 3;
    return t < cap ? cap : t;
  };
  let tier: Tier | null = tierFor(total);
  let held = false;
  if (tier !== 1 && cap === 1 && previousTier === 1 && enough && total >= model.tiers.tier1ExitBelow) {
    tier = 1;
    held = true;
  }
  if (!enough && tierFor(minPossible) !== tierFor(maxPossible)) tier = null;
  return { tier, tierStatus, heldByHysteresis: held };
}
