import type { Localized } from '../localized';
import type { Observation } from '../observation';
import type { Derived, DerivedDetail, Reference, SourceRef } from './derived';
import { DerivationCache, Deriver } from './deriver';
import { ObservationIndex } from './observation-index';
import type { ObservationTable } from './observation-table';
import { ruleMaxPoints, type PointsModel, type Rule, type ScoringModel } from './model';
import { keyIndicators, type KeyIndicator } from './key-indicators';
import { scorePercentile } from './percentile';

export type Tier = 1 | 2 | 3;

/**
 * complete: every rule had its inputs.
 * partial: some inputs missing, but coverage ≥ the model's minimum; the tier is that of the points
 *   earned (missing data can only raise a total, never lower it).
 * insufficient: coverage below the minimum; a tier is given only when the missing points could not
 *   change it, otherwise the kommune is unclassified (tier null).
 */
export type TierStatus = 'complete' | 'partial' | 'insufficient';

/**
 * One rule (points model) or indicator (percentile model) of a kommune's score. For an indicator,
 * `maxPoints` is its share of the pillar's weight among the indicators present and `points` that
 * share × its percentile (see `percentile.ts`).
 */
export interface RuleResult {
  ruleId: string;
  category: string;
  label: Localized;
  maxPoints: number;
  /** null when an input is missing: the rule was not scored (never counted as zero silently). */
  points: number | null;
  outcome: Outcome;
  /** Why the input is missing (outcome "missing"). */
  missing: Localized | null;
  detail: DerivedDetail | null;
  value: number | null;
  unit: string | null;
  period: string | null;
  inputs: SourceRef[];
  reference: Reference | null;
}

export interface CategoryScore {
  id: string;
  label: Localized;
  max: number;
  points: number;
  /** Points of this category's rules whose inputs were present. */
  coveredMax: number;
  /** Percentile models: the share (0–1) of the pillar's active indicator weight with data. */
  coverage?: number;
  /** Percentile models: the pillar points Tier 1 needs (a weak pillar cannot be made up for). */
  tier1Min?: number;
}

/** A red flag (e.g. ROBEK) or a pillar minimum that can hold a kommune out of a tier. */
export interface GateResult {
  id: string;
  kind: 'flag' | 'pillar-minimum';
  label: Localized;
  /** True when the gate holds for this kommune (it caps the tier). */
  triggered: boolean;
  /** The best tier possible while it holds. */
  capTier: 2 | 3;
  reason: Localized;
  inputs: SourceRef[];
}

export interface KommuneScore {
  kommuneCode: string;
  modelId: string;
  modelVersion: string;
  /** Points earned, 0–100. Rules with missing inputs add nothing and are listed as missing. */
  total: number;
  /** The total if every missing rule gave its maximum: the upper end of what the data allows. */
  maxPossible: number;
  /** Share (0–1) of the model's points whose inputs were present. */
  coverage: number;
  tier: Tier | null;
  tierStatus: TierStatus;
  /** True when the kommune is in Tier 1 only because of hysteresis (total between exit bound and entry). */
  heldByHysteresis: boolean;
  categories: CategoryScore[];
  rules: RuleResult[];
  /** Red flags and pillar minimums checked for the tier (percentile models; empty for points models). */
  gates: GateResult[];
}

export interface ScoreInput {
  model: ScoringModel;
  observations: readonly Observation[] | ObservationTable;
  kommuneCodes: readonly string[];
  /** Tiers from the previous run, for hysteresis. */
  previousTiers?: ReadonlyMap<string, Tier | null>;
}

/**
 * One model's scores of a data set. What needs every kommune (percentile ranks, national
 * references) is computed when the set is made; each kommune's full result, with its rules, reasons
 * and inputs, is built when asked for, so a consumer that stores or sends results one by one never
 * holds them all (at 100,000 kommuner, about a gigabyte of objects: docs/speed.md).
 */
export interface ScoreSet {
  readonly modelId: string;
  /** The kommuner, in the order of `at`. */
  readonly kommuneCodes: readonly string[];
  /** The result of the kommune at this position of `kommuneCodes` (built anew on each call). */
  at(i: number): KommuneScore;
}

/** Scores every kommune. Pure: same inputs, same output, on any runtime. */
export function scoreAll(input: ScoreInput): KommuneScore[] {
  const idx = new ObservationIndex(input.observations, input.kommuneCodes);
  const set = scoreSet(input.model, idx, input.previousTiers);
  return idx.kommuneCodes.map((_, i) => set.at(i));
}

/** Several models over one data set: the observation index is built once. */
export function scoreModels(
  models: readonly ScoringModel[],
  observations: readonly Observation[] | ObservationTable,
  kommuneCodes: readonly string[],
  previousTiers?: ReadonlyMap<string, ReadonlyMap<string, Tier | null>>,
): Map<string, KommuneScore[]> {
  const idx = new ObservationIndex(observations, kommuneCodes);
  const sets = scoreSets(models, idx, previousTiers);
  const out = new Map(models.map((m) => [m.id, [] as KommuneScore[]]));
  // Kommune by kommune, every model: the kommune's derivations are shared while it is scored.
  for (let i = 0; i < idx.kommuneCodes.length; i++) for (const set of sets) out.get(set.modelId)!.push(set.at(i));
  return out;
}

/** Every model's score set over one index, sharing one derivation cache (pass it to share it with card derivers too). */
export function scoreSets(
  models: readonly ScoringModel[],
  idx: ObservationIndex,
  previousTiers?: ReadonlyMap<string, ReadonlyMap<string, Tier | null>>,
  shared: DerivationCache = new DerivationCache(idx),
): ScoreSet[] {
  return models.map((m) => scoreSet(m, idx, previousTiers?.get(m.id), shared));
}

/**
 * One model's score set over an index already built. Models scoring one data set pass one `shared`
 * cache, so an indicator both models read with the same parameters is derived once.
 */
export function scoreSet(model: ScoringModel, idx: ObservationIndex, previousTiers?: ReadonlyMap<string, Tier | null>, shared?: DerivationCache): ScoreSet {
  const deriver = new Deriver(idx, model, shared);
  if (model.kind === 'percentile') return scorePercentile(model, deriver, previousTiers);
  return {
    modelId: model.id,
    kommuneCodes: idx.kommuneCodes,
    at(i) {
      const code = idx.moveTo(i);
      return scoreKommune(model, deriver, code, previousTiers?.get(code) ?? null);
    },
  };
}

/**
 * The figures shown on a kommune's card: the derived indicators in their own units. The same
 * for every model, so a deriver of any model's parameters serves.
 */
export function describeKommune(deriver: Deriver, code: string): KeyIndicator[] {
  return keyIndicators(deriver, code);
}

export function scoreKommune(model: PointsModel, deriver: Deriver, code: string, previousTier: Tier | null): KommuneScore {
  return scoreDerived(
    model,
    code,
    model.rules.map((rule) => deriver.derive(rule.indicator, code)),
    previousTier,
  );
}

/** Scores one kommune from each rule's derived input (`derived[i]` for `model.rules[i]`). */
function scoreDerived(model: PointsModel, code: string, derived: readonly Derived[], previousTier: Tier | null): KommuneScore {
  const rules = model.rules.map((rule, i) => evaluateRule(rule, derived[i]!));
  const categories: CategoryScore[] = model.categories.map((c) => ({ id: c.id, label: c.label, max: c.max, points: 0, coveredMax: 0 }));
  for (const r of rules) {
    const c = categories.find((x) => x.id === r.category)!;
    if (r.points !== null) {
      c.points += r.points;
      c.coveredMax += r.maxPoints;
    }
  }
  const totalMax = categories.reduce((s, c) => s + c.max, 0);
  const total = categories.reduce((s, c) => s + c.points, 0);
  const covered = categories.reduce((s, c) => s + c.coveredMax, 0);
  const maxPossible = total + (totalMax - covered);
  const coverage = covered / totalMax;
  const t = assignTier(model, total, maxPossible, coverage, previousTier);
  return {
    kommuneCode: code,
    modelId: model.id,
    modelVersion: model.version,
    total,
    maxPossible,
    coverage,
    ...t,
    categories,
    rules,
    gates: [],
  };
}

export function tierOf(model: Pick<ScoringModel, 'tiers'>, total: number): Tier {
  if (total >= model.tiers.tier1Min) return 1;
  if (total >= model.tiers.tier2Min) return 2;
  return 3;
}

/**
 * The tier rule (docs/scoring.md): the tier of the points earned, with Tier 1 kept by hysteresis
 * until the total falls below `tier1ExitBelow`; below the minimum coverage only a tier that the
 * missing points could not change is given.
 */
export function assignTier(
  model: Pick<ScoringModel, 'tiers'>,
  total: number,
  maxPossible: number,
  coverage: number,
  previousTier: Tier | null,
): { tier: Tier | null; tierStatus: TierStatus; heldByHysteresis: boolean } {
  const enough = coverage >= model.tiers.minCoverage;
  const tierStatus: TierStatus = coverage >= 1 ? 'complete' : enough ? 'partial' : 'insufficient';
  let tier: Tier | null = tierOf(model, total);
  let held = false;
  if (tier !== 1 && previousTier === 1 && enough && total >= model.tiers.tier1ExitBelow) {
    tier = 1;
    held = true;
  }
  if (!enough && tier !== tierOf(model, maxPossible)) tier = null;
  return { tier, tierStatus, heldByHysteresis: held };
}

/** How a rule reached its points; `explain.ts` turns it into the one-line reason. */
export type Outcome =
  | { k: 'band'; direction: 'above' | 'below'; threshold: number }
  | { k: 'no-band'; direction: 'above' | 'below'; threshold: number }
  | { k: 'in-range' | 'out-of-range'; min: number; max: number }
  | { k: 'left-majority' | 'no-left-majority'; direction: 'above' | 'below'; threshold: number; leftSeats: number; totalSeats: number; parties: string[] }
  | { k: 'seats-missing'; direction: 'above' | 'below'; threshold: number }
  | { k: 'missing' }
  /** Percentile models: the kommune's percentile rank (0–1, favourable direction) among `among` kommuner. */
  | { k: 'percentile'; percentile: number; direction: 'higher' | 'lower'; among: number; scored: number }
  /** Percentile models: not ranked, because too few kommuner have the figure to rank nationally. */
  | { k: 'inactive'; have: number; of: number; populationShare: number };

/**
 * What is fixed per rule: its maximum and the outcomes that carry no per-kommune figure. Every
 * kommune that lands in a band shares that band's (read-only) outcome object instead of allocating
 * its own: for seed-2026 at 100,000 kommuner, up to 800,000 objects fewer.
 */
interface RulePlan {
  maxPoints: number;
  /** Threshold rules: one outcome per band, the one when no band matches, and when seats are missing. */
  bands?: Outcome[];
  noBand?: Outcome;
  seatsMissing?: Outcome;
  /** Range rules. */
  inRange?: Outcome;
  outOfRange?: Outcome;
}

export const MISSING_OUTCOME: Outcome = Object.freeze({ k: 'missing' as const });

const plans = new WeakMap<Rule, RulePlan>();

function planOf(rule: Rule): RulePlan {
  let p = plans.get(rule);
  if (p) return p;
  const s = rule.scoring;
  const freeze = (o: Outcome): Outcome => Object.freeze(o);
  if (s.kind === 'range') {
    p = { maxPoints: ruleMaxPoints(rule), inRange: freeze({ k: 'in-range', min: s.min, max: s.max }), outOfRange: freeze({ k: 'out-of-range', min: s.min, max: s.max }) };
  } else {
    const threshold = s.bands[s.bands.length - 1]!.threshold;
    p = {
      maxPoints: ruleMaxPoints(rule),
      bands: s.bands.map((b) => freeze({ k: 'band', direction: s.direction, threshold: b.threshold })),
      noBand: freeze({ k: 'no-band', direction: s.direction, threshold }),
      seatsMissing: freeze({ k: 'seats-missing', direction: s.direction, threshold }),
    };
  }
  plans.set(rule, p);
  return p;
}

function result(rule: Rule, d: Derived, points: number | null, outcome: Outcome): RuleResult {
  // One literal with every field: this runs 8 times per kommune and object spreads were the hot spot.
  return {
    ruleId: rule.id,
    category: rule.category,
    label: rule.label,
    maxPoints: planOf(rule).maxPoints,
    points,
    outcome,
    missing: d.ok ? null : d.reason,
    value: d.ok ? d.value : null,
    unit: d.ok ? d.unit : null,
    period: d.ok ? d.period : null,
    detail: d.ok ? d.detail : null,
    inputs: d.inputs,
    reference: d.ok ? (d.reference ?? null) : null,
  };
}

/** Applies one rule to its derived input. Outcomes without per-kommune figures are shared and frozen. */
export function evaluateRule(rule: Rule, d: Derived): RuleResult {
  if (!d.ok) return result(rule, d, null, MISSING_OUTCOME);
  const s = rule.scoring;
  const plan = planOf(rule);
  if (s.kind === 'range') {
    const inside = d.value > s.min && d.value < s.max;
    return result(rule, d, inside ? s.points : 0, (inside ? plan.inRange : plan.outOfRange)!);
  }
  for (let b = 0; b < s.bands.length; b++) {
    const band = s.bands[b]!;
    if (s.direction === 'above' ? d.value > band.threshold : d.value < band.threshold) return result(rule, d, band.points, plan.bands![b]!);
  }
  if (s.otherwise?.condition === 'left_seat_majority') {
    const f = d.facts;
    if (f?.leftSeats === undefined || f.totalSeats === undefined) return result(rule, d, null, plan.seatsMissing!);
    const majority = f.leftSeats > f.totalSeats / 2;
    return result(rule, d, majority ? s.otherwise.points : 0, {
      k: majority ? 'left-majority' : 'no-left-majority',
      direction: s.direction,
      threshold: s.bands[s.bands.length - 1]!.threshold,
      leftSeats: f.leftSeats,
      totalSeats: f.totalSeats,
      parties: f.leftParties ?? [],
    });
  }
  return result(rule, d, 0, plan.noBand!);
}
