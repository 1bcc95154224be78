/**
 * The percentile engine (praksis-2026 and any model of kind `percentile`) on hand-made values:
 * a stub deriver hands the engine exactly the derived values a test chooses, so each property
 * (bounds, weights, monotonicity, re-normalisation, damping, gates, hysteresis, coverage) is
 * checked on its own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ind } from '../../../../src/domain/indicators';
import type { Observation } from '../../../../src/domain/observation';
import { L, type Derived } from '../../../../src/domain/scoring/derived';
import { Deriver, ObservationIndex } from '../../../../src/domain/scoring/deriver';
import type { KommuneScore, Tier } from '../../../../src/domain/scoring/engine';
import type { DerivedIndicatorId } from '../../../../src/domain/scoring/indicators/ids';
import { parseModelOf, type PercentileModel } from '../../../../src/domain/scoring/model';
import { praksis2026 } from '../../../../src/domain/scoring/models/praksis-2026';
import { percentileRanks, percentileTier, scorePercentile } from '../../../../src/domain/scoring/percentile';
import { o } from './factory';

type Values = Partial<Record<DerivedIndicatorId, readonly (number | null)[]>>;

/** A deriver that returns the given value of an indicator for the kommune at each position. */
class StubDeriver extends Deriver {
  constructor(
    idx: ObservationIndex,
    model: PercentileModel,
    private readonly values: Values,
    private readonly bases: readonly number[],
  ) {
    super(idx, model);
  }

  override derive(id: DerivedIndicatorId, code: string): Derived {
    const pos = this.idx.positionOf(code)!;
    const v = this.values[id]?.[pos];
    if (v === undefined || v === null) return { ok: false, reason: L('mangler i testen', 'missing in the test'), inputs: [] };
    return { ok: true, value: v, unit: 'u', period: '2024', detail: { k: 'plain' }, inputs: [], base: this.bases[pos]! };
  }
}

/** n kommuner with the given populations (for coverage shares and damping). */
function world(populations: readonly number[]): ObservationIndex {
  const codes = populations.map((_, i) => String(9001 + i));
  const obs: Observation[] = codes.map((code, i) => o(code, ind.population, '2024', populations[i]!));
  return new ObservationIndex(obs, codes);
}

/** A small model: two pillars, three indicators, a flag gate; bounds chosen for the tests. */
const MODEL: PercentileModel = parseModelOf('percentile', {
  kind: 'percentile',
  id: 'test-percentile',
  version: '1.0.0',
  title: { nb: 'Test', en: 'Test' },
  description: { nb: 'Test', en: 'Test' },
  pillars: [
    { id: 'a', label: { nb: 'A', en: 'A' }, question: { nb: '?', en: '?' }, weight: 60, minCoverage: 0.5, tier1MinShare: 0.5 },
    { id: 'b', label: { nb: 'B', en: 'B' }, question: { nb: '?', en: '?' }, weight: 40, minCoverage: 0.5, tier1MinShare: 0.4 },
  ],
  indicators: [
    { id: 'up', pillar: 'a', indicator: 'population_change_5y', label: { nb: 'Opp', en: 'Up' }, direction: 'higher', weight: 2, reason: { nb: 'r', en: 'r' } },
    { id: 'down', pillar: 'a', indicator: 'council_effective_parties', label: { nb: 'Ned', en: 'Down' }, direction: 'lower', weight: 1, reason: { nb: 'r', en: 'r' } },
    { id: 'rate', pillar: 'b', indicator: 'dwellings_started_per_1000', label: { nb: 'Rate', en: 'Rate' }, direction: 'higher', weight: 1, reason: { nb: 'r', en: 'r' }, shrink: { priorPopulation: 5000 } },
  ],
  gates: [{ id: 'flag', indicator: 'robek_registered', label: { nb: 'Flagg', en: 'Flag' }, equals: 1, capTier: 2, reason: { nb: 'r', en: 'r' } }],
  ranking: { winsorise: [0, 1], minPopulationCoverage: 0.5 },
  parameters: praksis2026.parameters,
  tiers: { tier1Min: 70, tier2Min: 40, tier1ExitBelow: 65, minCoverage: 0.6 },
});

function score(values: Values, populations: readonly number[] = values.population_change_5y!.map(() => 10_000), previous?: ReadonlyMap<string, Tier | null>, model = MODEL): KommuneScore[] {
  const idx = world(populations);
  const set = scorePercentile(model, new StubDeriver(idx, model, values, populations), previous);
  return set.kommuneCodes.map((_, i) => set.at(i));
}

const rule = (s: KommuneScore, id: string) => s.rules.find((r) => r.ruleId === id)!;

describe('percentileRanks', () => {
  it('ranks from 0 (lowest) to 1 (highest); ties share the mean rank; missing stays missing', () => {
    expect(percentileRanks([10, 30, 20, null])).toEqual([0, 1, 0.5, null]);
    expect(percentileRanks([5, 5, 9])).toEqual([0.25, 0.25, 1]);
    expect(percentileRanks([7])).toEqual([0.5]);
    expect(percentileRanks([null, null])).toEqual([null, null]);
  });

  it('gives each value its mid-rank, counted one by one, on random columns with many ties', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(next() * 60);
      const values = Array.from({ length: n }, () => (next() < 0.2 ? null : Math.floor(next() * 8) - 3 + (next() < 0.1 ? -0 : 0)));
      const present = values.filter((v): v is number => v !== null);
      const expected = values.map((v) => {
        if (v === null) return null;
        if (present.length === 1) return 0.5;
        const below = present.filter((x) => x < v).length;
        const equal = present.filter((x) => x === v).length;
        return (below + (below + equal - 1)) / 2 / (present.length - 1);
      });
      expect(percentileRanks(values), JSON.stringify(values)).toEqual(expected);
    }
  });
});

describe('the percentile engine', () => {
  const base: Values = {
    population_change_5y: [1, 2, 3, 4, 5],
    council_effective_parties: [5, 4, 3, 2, 1],
    dwellings_started_per_1000: [1, 2, 3, 4, 5],
    robek_registered: [0, 0, 0, 0, 0],
  };

  it('scores each indicator as its percentile in the favourable direction; a pillar is its weighted mean', () => {
    const s = score(base);
    // Kommune 5 is best on every indicator (highest growth, fewest parties, highest rate).
    expect(s[4]).toMatchObject({ total: 100, coverage: 1, tier: 1, tierStatus: 'complete' });
    expect(s[0]).toMatchObject({ total: 0, tier: 3 });
    expect(rule(s[2]!, 'up').outcome).toMatchObject({ k: 'percentile', percentile: 0.5, direction: 'higher', among: 5 });
    expect(rule(s[2]!, 'down').outcome).toMatchObject({ k: 'percentile', percentile: 0.5, direction: 'lower' });
    // Pillar a: weights 2 and 1 of 60 points → 40 and 20.
    expect(rule(s[4]!, 'up')).toMatchObject({ maxPoints: 40, points: 40 });
    expect(rule(s[4]!, 'down')).toMatchObject({ maxPoints: 20, points: 20 });
  });

  it('stays within 0–100 and its pillars add up to the total, on random worlds', () => {
    const val = fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.array(val, { minLength: n, maxLength: n }), fc.array(val, { minLength: n, maxLength: n }), fc.array(val, { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 50, max: 700_000 }), { minLength: n, maxLength: n }))), ([a, b, c, pops]) => {
        const s = score({ population_change_5y: a, council_effective_parties: b, dwellings_started_per_1000: c, robek_registered: a.map(() => 0) }, pops);
        for (const k of s) {
          expect(k.total).toBeGreaterThanOrEqual(0);
          expect(k.total).toBeLessThanOrEqual(100);
          expect(k.maxPossible).toBeLessThanOrEqual(100.05);
          expect(k.coverage).toBeGreaterThanOrEqual(0);
          expect(k.coverage).toBeLessThanOrEqual(1);
          expect(k.total).toBeCloseTo(k.categories.reduce((x, p) => x + p.points, 0), 9);
          for (const p of k.categories) {
            // Weights normalise: the indicators with data share the pillar's whole weight.
            const present = k.rules.filter((r) => r.category === p.id && r.points !== null);
            if (present.length > 0) expect(present.reduce((x, r) => x + r.maxPoints, 0)).toBeCloseTo(p.max, 9);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['up', 'population_change_5y', +1],
    ['down', 'council_effective_parties', -1],
    ['rate', 'dwellings_started_per_1000', +1],
  ] as const)('monotonicity: improving %s in its favourable direction never lowers that kommune’s total', (_id, indicator, sign) => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 25 }),
        fc.nat(),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (xs, pick, step) => {
          const who = pick % xs.length;
          const values: Values = { population_change_5y: xs, council_effective_parties: xs.map((x) => -x), dwellings_started_per_1000: xs.map((x) => x * 2), robek_registered: xs.map(() => 0) };
          const before = score(values)[who]!.total;
          const better = [...values[indicator]!];
          better[who] = better[who]! + sign * step;
          const after = score({ ...values, [indicator]: better })[who]!.total;
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('re-normalises within a pillar over the indicators present; a missing one is not a zero', () => {
    const s = score({ ...base, council_effective_parties: [5, 4, null, 2, 1] });
    const k = s[2]!;
    expect(rule(k, 'down')).toMatchObject({ points: null, outcome: { k: 'missing' }, missing: { en: 'missing in the test' } });
    // Pillar a = 60 × growth percentile (0.5) alone; growth carries all 60 points.
    expect(rule(k, 'up')).toMatchObject({ maxPoints: 60, points: 30 });
    expect(k.categories.find((c) => c.id === 'a')).toMatchObject({ points: 30, coverage: 2 / 3 });
    expect(k.coverage).toBeCloseTo((60 * (2 / 3) + 40) / 100, 12);
    // What the missing indicator could do: 0.5×2 + 0 (all bottom) … 0.5×2 + 1 (all top), of 3.
    expect(k.maxPossible).toBeCloseTo(Math.round((60 * 2) / 3 * 10) / 10 + 20, 9);
  });

  it('does not rank an indicator that too few kommuner have; the pillar is scored on the others', () => {
    // Only the two smallest kommuner have a rate: 2,000 of 1,022,000 inhabitants.
    const pops = [1000, 1000, 10_000, 10_000, 1_000_000];
    const s = score({ ...base, dwellings_started_per_1000: [3, 4, null, null, null] }, pops);
    for (const k of s) {
      expect(rule(k, 'rate')).toMatchObject({ points: null, maxPoints: 0, outcome: { k: 'inactive', have: 2, of: 5 } });
      expect(rule(k, 'rate').missing?.en).toContain('2 of 5 kommuner');
      // No active indicator in pillar b: it cannot be judged, so nobody gets a tier on it.
      expect(k.categories.find((c) => c.id === 'b')).toMatchObject({ points: 0, coverage: 0 });
    }
  });

  it('damps small kommuner’s rates: a 200-person kommune’s peak does not outrank a large one', () => {
    // Raw rates: the tiny kommune tops the list (20 per 1,000 = 4 dwellings), the big one has 12.
    const pops = [200, 50_000, 50_000, 50_000, 50_000];
    const s = score({ ...base, dwellings_started_per_1000: [20, 12, 5, 4, 3] }, pops);
    const tiny = rule(s[0]!, 'rate').outcome;
    const big = rule(s[1]!, 'rate').outcome;
    if (tiny.k !== 'percentile' || big.k !== 'percentile') throw new Error('expected percentiles');
    expect(tiny.scored).toBeLessThan(12);
    expect(big.percentile).toBe(1);
    expect(tiny.percentile).toBeLessThan(1);
  });

  it('a red flag caps the tier whatever the total', () => {
    const s = score({ ...base, robek_registered: [0, 0, 0, 0, 1] });
    expect(s[4]).toMatchObject({ total: 100, tier: 2 });
    expect(s[4]!.gates.find((g) => g.id === 'flag')).toMatchObject({ triggered: true, capTier: 2 });
  });

  it('a weak pillar keeps a kommune out of Tier 1 (no compensation)', () => {
    // Kommune 5 tops pillar a (60 of 60) and is second last in pillar b (10 of 40): 70 in all,
    // enough for Tier 1 by the total, but pillar b is under its minimum of 16.
    const s = score({ ...base, dwellings_started_per_1000: [5, 4, 3, 1.5, 2] });
    const k = s[4]!;
    expect(k.total).toBe(70);
    expect(k.categories.find((c) => c.id === 'b')!.points).toBe(10);
    expect(k.gates.find((g) => g.id === 'pillar_b')).toMatchObject({ kind: 'pillar-minimum', triggered: true });
    expect(k.tier).toBe(2);
  });

  it('hysteresis: Tier 1 is kept down to the exit bound, not below, and never through a gate', () => {
    const gate = (triggered: boolean) => [{ id: 'x', kind: 'flag' as const, label: L('x', 'x'), triggered, capTier: 2 as const, reason: L('x', 'x'), inputs: [] }];
    expect(percentileTier(MODEL, 66, 66, 66, 1, true, gate(false), 1)).toEqual({ tier: 1, tierStatus: 'complete', heldByHysteresis: true });
    expect(percentileTier(MODEL, 64.9, 64.9, 64.9, 1, true, gate(false), 1)).toMatchObject({ tier: 2, heldByHysteresis: false });
    expect(percentileTier(MODEL, 66, 66, 66, 1, true, gate(false), 2)).toMatchObject({ tier: 2 });
    expect(percentileTier(MODEL, 66, 66, 66, 1, true, gate(true), 1)).toMatchObject({ tier: 2, heldByHysteresis: false });
  });

  it('without enough data a kommune gets a tier only when the missing data could not change it', () => {
    expect(percentileTier(MODEL, 50, 45, 75, 0.5, true, [], null)).toMatchObject({ tier: null, tierStatus: 'insufficient' });
    expect(percentileTier(MODEL, 50, 45, 60, 0.5, true, [], null)).toMatchObject({ tier: 2, tierStatus: 'insufficient' });
    // Overall coverage is enough, but one pillar has too little: the same rule.
    expect(percentileTier(MODEL, 50, 45, 75, 0.9, false, [], null)).toMatchObject({ tier: null });
  });

  it('is deterministic and does not depend on the order of the kommuner', () => {
    const a = score(base);
    const b = score(base);
    expect(b).toEqual(a);
  });
});
