import { describe, expect, it } from 'vitest';
import { ind } from '../../../../src/domain/indicators';
import { NATIONAL_REGION } from '../../../../src/domain/kommune/types';
import { Deriver, ObservationIndex } from '../../../../src/domain/scoring/deriver';
import type { Derived } from '../../../../src/domain/scoring/derived';
import { assignTier, describeKommune, evaluateRule, scoreKommune, tierOf, type Tier } from '../../../../src/domain/scoring/engine';
import { parseModel, ruleMaxPoints, type PointsModel, type Rule } from '../../../../src/domain/scoring/model';
import { seed2026 } from '../../../../src/domain/scoring/models/seed-2026';
import {
  TEST_SOURCE,
  annualCostPerPriceUnit,
  o,
  pointsOf,
  priceForHousingRatio,
  ruleOf,
  score,
  world,
  type KommuneSpec,
} from './factory';

const M = seed2026;

function rule(id: string): Rule {
  const r = M.rules.find((x) => x.id === id);
  if (!r) throw new Error(`seed-2026 has no rule ${id}`);
  return r;
}

/** A derived value as the Deriver would hand it to a rule. */
function ok(value: number, facts?: { leftSeats?: number; totalSeats?: number; leftParties?: string[] }): Derived {
  return {
    ok: true,
    value,
    unit: 'test-unit',
    period: 'test-period',
    detail: { k: 'income', own: value, national: 1, year: 'test-period' },
    inputs: [],
    ...(facts ? { facts } : {}),
  };
}

const points = (id: string, d: Derived) => evaluateRule(rule(id), d).points;

describe('seed-2026 rule boundaries (evaluateRule on hand-made derived values)', () => {
  it.each([
    [-10, 10],
    [-2.01, 10],
    [-2, 7], // strict: exactly −2 % is not "below −2"
    [-1.5, 7],
    [-1.01, 7],
    [-1, 5],
    [-0.5, 5],
    [-0.01, 5],
    [0, 0],
    [3, 0],
  ])('population_change %s %% → %s points', (v, p) => {
    expect(points('population_change', ok(v))).toBe(p);
  });

  it.each([
    [60, 20],
    [35.01, 20],
    [35, 15],
    [30.01, 15],
    [30, 10],
    [25.01, 10],
    [25, 0],
    [10, 0],
  ])('housing_cost %s %% of income → %s points', (v, p) => {
    expect(points('housing_cost', ok(v))).toBe(p);
  });

  it.each([
    [50, 15],
    [89.99, 15],
    [90, 10],
    [94.99, 10],
    [95, 0],
    [120, 0],
  ])('median_income %s %% of national → %s points', (v, p) => {
    expect(points('median_income', ok(v))).toBe(p);
  });

  it.each([
    [200, 10],
    [120.01, 10],
    [120, 7],
    [100.01, 7],
    [100, 0],
    [50, 0],
  ])('unemployment %s %% of national → %s points', (v, p) => {
    expect(points('unemployment', ok(v))).toBe(p);
  });

  const noMajority = { leftSeats: 5, totalSeats: 21, leftParties: ['A', 'SV', 'RODT'] };
  it.each([
    [35.01, 15],
    [35, 10],
    [25.01, 10],
    [25, 0],
    [10, 0],
  ])('labour_vote %s %% without a left majority → %s points', (v, p) => {
    expect(points('labour_vote', ok(v, noMajority))).toBe(p);
  });

  it('labour_vote falls back to 8 points for a left seat majority only when no band matches', () => {
    const lr = (v: number, left: number, total: number) => evaluateRule(rule('labour_vote'), ok(v, { leftSeats: left, totalSeats: total, leftParties: ['A', 'SV', 'RODT'] }));
    expect(lr(20, 11, 21).points).toBe(8);
    expect(lr(20, 11, 21).outcome).toEqual({ k: 'left-majority', direction: 'above', threshold: 25, leftSeats: 11, totalSeats: 21, parties: ['A', 'SV', 'RODT'] });
    expect(lr(25, 21, 41).points).toBe(8);
    // exactly half of the seats is not a majority
    expect(lr(20, 10, 20).points).toBe(0);
    expect(lr(20, 10, 20).outcome.k).toBe('no-left-majority');
    // a band beats the fallback: 30 % with a left majority earns the band's 10, not 8
    expect(lr(30, 20, 21).points).toBe(10);
    expect(lr(36, 20, 21).points).toBe(15);
  });

  it('labour_vote without seat facts is not scored (null), but a matching band still scores', () => {
    const noSeats = ok(20, { leftParties: ['A', 'SV', 'RODT'] });
    const r = evaluateRule(rule('labour_vote'), noSeats);
    expect(r.points).toBeNull();
    expect(r.outcome).toEqual({ k: 'seats-missing', direction: 'above', threshold: 25 });
    expect(evaluateRule(rule('labour_vote'), ok(20)).points).toBeNull();
    expect(points('labour_vote', ok(30, { leftParties: ['A'] }))).toBe(10);
  });

  it.each([
    [1, 10],
    [2.99, 10],
    [3, 7],
    [3.99, 7],
    [4, 4],
    [4.99, 4],
    [5, 0],
    [8, 0],
  ])('council_stability %s effective parties → %s points', (v, p) => {
    expect(points('council_stability', ok(v))).toBe(p);
  });

  it.each([
    [50, 0],
    [80, 0],
    [80.01, 10],
    [100, 10],
    [119.99, 10],
    [120, 0],
    [150, 0],
  ])('property_value index %s → %s points (strictly between 80 and 120)', (v, p) => {
    expect(points('property_value', ok(v))).toBe(p);
  });

  it.each([
    [0, 10],
    [79.99, 10],
    [80, 0],
    [150, 0],
  ])('dwellings_started %s %% of national → %s points', (v, p) => {
    expect(points('dwellings_started', ok(v))).toBe(p);
  });

  it('reports which band matched, or the loosest threshold when none did', () => {
    expect(evaluateRule(rule('housing_cost'), ok(31)).outcome).toEqual({ k: 'band', direction: 'above', threshold: 30 });
    expect(evaluateRule(rule('population_change'), ok(-3)).outcome).toEqual({ k: 'band', direction: 'below', threshold: -2 });
    expect(evaluateRule(rule('population_change'), ok(2)).outcome).toEqual({ k: 'no-band', direction: 'below', threshold: 0 });
    expect(evaluateRule(rule('property_value'), ok(100)).outcome).toEqual({ k: 'in-range', min: 80, max: 120 });
    expect(evaluateRule(rule('property_value'), ok(120)).outcome).toEqual({ k: 'out-of-range', min: 80, max: 120 });
  });

  it('a missing derived value gives points null (not 0), with its reason and inputs kept', () => {
    const input = o('9999', ind.medianIncome, '2024', null);
    for (const r of M.rules) {
      const res = evaluateRule(r, { ok: false, reason: { nb: 'test-mangler', en: 'test-missing' }, inputs: [input] });
      expect(res.points).toBeNull();
      expect(res.outcome).toEqual({ k: 'missing' });
      expect(res.missing).toEqual({ nb: 'test-mangler', en: 'test-missing' });
      expect(res.value).toBeNull();
      expect(res.inputs).toEqual([input]);
      expect(res.maxPoints).toBe(ruleMaxPoints(r));
    }
  });

  it('rule results carry the rule id, category and maximum', () => {
    const r = evaluateRule(rule('labour_vote'), ok(40));
    expect(r).toMatchObject({ ruleId: 'labour_vote', category: 'political', maxPoints: 15, points: 15, value: 40, unit: 'test-unit', period: 'test-period' });
  });
});

describe('seed-2026 rules end to end through scoreAll (synthetic observations)', () => {
  const one = (spec: Omit<KommuneSpec, 'code'>) => score(world([{ code: '9001', ...spec }])).get('9001');

  it('a default kommune is "national" on every measure and gets only the property-range points', () => {
    const s = one({});
    expect(pointsOf(s)).toEqual({
      population_change: 0,
      housing_cost: 0,
      median_income: 0,
      unemployment: 0,
      labour_vote: 0,
      council_stability: 0,
      property_value: 10,
      dwellings_started: 0,
    });
    expect(ruleOf(s, 'median_income').value).toBe(100);
    expect(ruleOf(s, 'unemployment').value).toBe(100);
    expect(ruleOf(s, 'dwellings_started').value).toBe(100);
    expect(ruleOf(s, 'property_value').value).toBe(100);
    expect(s?.total).toBe(10);
  });

  it.each([
    [9_799, -2.01, 10],
    [9_800, -2, 7],
    [9_850, -1.5, 7],
    [9_900, -1, 5],
    [9_950, -0.5, 5],
    [10_000, 0, 0],
    [10_300, 3, 0],
  ])('population 10 000 (2021) → %s (2026) is %s %% and gives %s points', (end, pct, p) => {
    const r = ruleOf(one({ pop2021: 10_000, pop2026: end }), 'population_change');
    expect(r.value).toBeCloseTo(pct, 10);
    expect(r.period).toBe('2021-2026');
    expect(r.points).toBe(p);
    expect(r.inputs.map((i) => [i.period, i.value])).toEqual([['2021', 10_000], ['2026', end]]);
  });

  it('housing cost: annuity on 85 % of 70 m² at 5 % over 25 years, against median income', () => {
    // 20 000 kr/m² × 70 m² × 0.85 = 1 190 000 kr loan; 6 956.62 kr a month; 83 479.46 kr a year.
    const r = ruleOf(one({ price: 20_000, income: 500_000 }), 'housing_cost');
    expect(r.value).toBeCloseTo(16.6959, 3);
    expect(r.detail).toMatchObject({ k: 'housing', m2: 70, price: 20_000, income: 500_000, year: '2024' });
    expect(r.detail && r.detail.k === 'housing' ? r.detail.cost : NaN).toBeCloseTo(83_479.46, 1);
    expect(annualCostPerPriceUnit() * 20_000).toBeCloseTo(83_479.46, 1);
  });

  it.each([
    [35.5, 20],
    [34.5, 15],
    [30.5, 15],
    [29.5, 10],
    [25.5, 10],
    [24.5, 0],
  ])('housing cost ratio %s %% → %s points', (ratio, p) => {
    const income = 500_000;
    const r = ruleOf(one({ price: priceForHousingRatio(ratio, income), income }), 'housing_cost');
    expect(r.value).toBeCloseTo(ratio, 8);
    expect(r.points).toBe(p);
  });

  it.each([
    [449_950, 15],
    [450_000, 10], // exactly 90 % of the published 500 000
    [474_950, 10],
    [475_000, 0], // exactly 95 %
    [600_000, 0],
  ])('median income %s against a published 500 000 → %s points', (income, p) => {
    const r = ruleOf(one({ income, price: 1_000 }), 'median_income');
    expect(r.points).toBe(p);
    expect(r.reference?.method).toBe('published');
    expect(r.reference?.value).toBe(500_000);
  });

  it.each([
    [2.41, 10],
    [2.4, 7], // exactly 120 % of 2.0
    [2.01, 7],
    [2.0, 0], // exactly 100 %
    [1.0, 0],
  ])('NAV unemployment %s %% against national 2.0 %% → %s points', (v, p) => {
    const r = ruleOf(one({ unemployment: [[ind.unemploymentNav12m, '2025', v]] }), 'unemployment');
    expect(r.points).toBe(p);
    expect(r.value).toBeCloseTo(v * 50, 10);
    expect(r.period).toBe('2025');
  });

  it.each([
    [351, 15],
    [350, 10], // exactly 35 %
    [251, 10],
    [250, 0], // exactly 25 %, default seats have no left majority
    [100, 0],
  ])('Ap %s of 1000 votes → %s points', (a, p) => {
    expect(ruleOf(one({ votes: { a, total: 1000 } }), 'labour_vote').points).toBe(p);
  });

  it('Ap below 25 % with a left seat majority (A+SV+RODT) → 8; exactly half → 0; a seat gap → null', () => {
    const base = { votes: { a: 200, total: 1000 } };
    const maj = ruleOf(one({ ...base, seats: { A: 4, SV: 2, RODT: 1, H: 6 } }), 'labour_vote');
    expect(maj.points).toBe(8);
    expect(maj.outcome).toMatchObject({ k: 'left-majority', leftSeats: 7, totalSeats: 13 });
    expect(ruleOf(one({ ...base, seats: { A: 4, SV: 1, RODT: 1, H: 6 } }), 'labour_vote').points).toBe(0);
    // only A, SV and RODT count as left: SP does not
    expect(ruleOf(one({ ...base, seats: { A: 4, SP: 3, H: 6 } }), 'labour_vote').points).toBe(0);

    const gap = one({ ...base, seats: null });
    expect(ruleOf(gap, 'labour_vote').points).toBeNull();
    expect(ruleOf(gap, 'labour_vote').outcome.k).toBe('seats-missing');
    expect(ruleOf(gap, 'council_stability').points).toBeNull();
    expect(gap?.coverage).toBe(0.75);
  });

  it('votes missing → labour_vote null with a reason naming SSB 01180', () => {
    const r = ruleOf(one({ votes: null }), 'labour_vote');
    expect(r.points).toBeNull();
    expect(r.missing?.en).toContain('01180');
  });

  it.each([
    [{ A: 10, H: 2 }, 10], // ≈1.38 effective parties
    [{ A: 4, H: 4, FRP: 4 }, 7], // exactly 3
    [{ A: 3, H: 3, FRP: 3, SP: 3 }, 4], // exactly 4
    [{ A: 2, H: 2, FRP: 2, SP: 2, V: 2, KRF: 2 }, 0], // 6
  ])('seats %j → %s stability points', (seats, p) => {
    expect(ruleOf(one({ seats }), 'council_stability').points).toBe(p);
  });

  it('effective parties is 1 / Σ(seat share²)', () => {
    const r = ruleOf(one({ seats: { A: 5, H: 3, FRP: 2 } }), 'council_stability');
    expect(r.value).toBeCloseTo(1 / (0.25 + 0.09 + 0.04), 12);
    expect(r.detail).toEqual({ k: 'enp', lists: 3, seats: 10, largest: 5, year: '2023' });
  });

  // Five equal parties have exactly 5 effective parties, which is not "below 5". The float form
  // 1/Σ(0.2²) is 4.999999999999999 and would cross the threshold (4 points); S²/Σs² is exact.
  it('five equal parties (exactly 5 effective parties) get 0 stability points', () => {
    expect(ruleOf(one({ seats: { A: 2, H: 2, FRP: 2, SP: 2, V: 2 } }), 'council_stability').points).toBe(0);
  });

  // A seat table with a positive total but no party seats must not crash effectiveParties
  // (`largest` would be undefined) and with it the whole scoring run.
  it('a positive seat total with no party seats makes council_stability missing instead of throwing', () => {
    const w = world([{ code: '9001', seats: {}, seatsTotal: 11 }, { code: '9002' }]);
    let res: ReturnType<typeof score> | undefined;
    expect(() => (res = score(w))).not.toThrow();
    expect(ruleOf(res?.get('9001'), 'council_stability').points).toBeNull();
    expect(res?.get('9002')?.total).toBe(10);
  });

  it('property value index: own price against the sales-weighted national price', () => {
    const ref: KommuneSpec = { code: '9002', price: 10_000, sales: 90 };
    const idx = (price: number) => {
      const s = score(world([{ code: '9001', price, sales: 10 }, ref]));
      return ruleOf(s.get('9001'), 'property_value');
    };
    // national = (20 000·10 + 10 000·90) / 100 = 11 000
    expect(idx(20_000).reference?.value).toBe(11_000);
    expect(idx(20_000).value).toBeCloseTo(181.818, 3);
    expect(idx(20_000).points).toBe(0);
    expect(idx(11_000).value).toBeCloseTo(108.911, 3);
    expect(idx(11_000).points).toBe(10);
    expect(idx(8_000).value).toBeCloseTo(81.633, 3);
    expect(idx(8_000).points).toBe(10);
    expect(idx(7_000).value).toBeCloseTo(72.165, 3);
    expect(idx(7_000).points).toBe(0);
    expect(idx(11_000).reference?.method).toBe('sales-weighted-mean');
  });

  it('weights dwelling types by their sales', () => {
    const extra = [
      o('9001', ind.priceM2('apartments'), '2024', 40_000),
      o('9001', ind.sales('apartments'), '2024', 30),
    ];
    const s = score(world([{ code: '9001', price: 20_000, sales: 10, extra }]));
    const r = ruleOf(s.get('9001'), 'housing_cost');
    expect(r.detail).toMatchObject({ k: 'housing', price: 35_000 }); // (20 000·10 + 40 000·30) / 40
  });

  it.each([
    [7, 10], // 0.7 per 1000 vs 1.0 → 70 %
    [8, 0], // exactly 80 %
    [20, 0],
  ])('%s dwellings started per 10 000 inhabitants → %s points', (n, p) => {
    const r = ruleOf(one({ dwellings: [[ind.dwellingsStarted05889, '2024', n]] }), 'dwellings_started');
    expect(r.value).toBeCloseTo(n * 10, 10);
    expect(r.points).toBe(p);
  });
});

describe('total bounds', () => {
  const top: KommuneSpec = {
    code: '1000',
    pop2021: 10_000,
    pop2026: 9_000,
    income: 200_000,
    price: 20_000,
    unemployment: [[ind.unemploymentNav12m, '2025', 3.0]],
    votes: { a: 500, total: 1000 },
    seats: { A: 10, H: 2 },
    dwellings: [[ind.dwellingsStarted05889, '2024', 2]],
  };
  const none: KommuneSpec = {
    code: '2000',
    pop2021: 10_000,
    pop2026: 10_100,
    income: 600_000,
    price: 5_000,
    unemployment: [[ind.unemploymentNav12m, '2025', 1.0]],
    votes: { a: 100, total: 1000 },
    dwellings: [[ind.dwellingsStarted05889, '2024', 20]],
  };
  // A large market that sets the national price near 20 000 kr/m².
  const market: KommuneSpec = { code: '3000', sales: 10_000 };
  const res = score(world([top, none, market]));

  it('a kommune in every top band totals exactly 100 with each category at its max', () => {
    const s = res.get('1000')!;
    expect(pointsOf(s)).toEqual({
      population_change: 10,
      housing_cost: 20,
      median_income: 15,
      unemployment: 10,
      labour_vote: 15,
      council_stability: 10,
      property_value: 10,
      dwellings_started: 10,
    });
    expect(s.total).toBe(100);
    expect(s.maxPossible).toBe(100);
    expect(s.coverage).toBe(1);
    for (const c of s.categories) {
      expect(c.points).toBe(c.max);
      expect(c.coveredMax).toBe(c.max);
    }
    expect(s.categories.map((c) => [c.id, c.max])).toEqual([['demographic', 30], ['economic', 25], ['political', 25], ['property', 20]]);
    expect(s).toMatchObject({ tier: 1, tierStatus: 'complete', heldByHysteresis: false, modelId: 'seed-2026', modelVersion: '1.0.0' });
  });

  it('a kommune in no band totals 0 with full coverage', () => {
    const s = res.get('2000')!;
    expect(Object.values(pointsOf(s))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.total).toBe(0);
    expect(s.maxPossible).toBe(0);
    expect(s).toMatchObject({ coverage: 1, tier: 3, tierStatus: 'complete' });
  });

  it('random kommuner with random gaps: 0 ≤ total ≤ maxPossible ≤ 100 and the parts add up', () => {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const maybe = <T>(v: T, pNull = 0.15): T | null => (rnd() < pNull ? null : v);
    const specs: KommuneSpec[] = [];
    for (let i = 0; i < 300; i++) {
      const total = 1000;
      const a = Math.floor(rnd() * 600);
      specs.push({
        code: String(5000 + i),
        pop2021: 10_000,
        pop2026: maybe(Math.round(9_000 + rnd() * 2_000)),
        pop2024: 10_000,
        income: maybe(Math.round(200_000 + rnd() * 600_000)),
        // rarely missing, so the national price keeps its 95 % population coverage
        price: maybe(Math.round(5_000 + rnd() * 60_000), 0.02),
        sales: 1 + Math.floor(rnd() * 100),
        unemployment: [[ind.unemploymentNav12m, '2025', maybe(Math.round(rnd() * 500) / 100)]],
        votes: maybe({ a, total }),
        seats: maybe({ A: Math.floor(rnd() * 10), H: Math.floor(rnd() * 10), SV: Math.floor(rnd() * 5), RODT: 1 + Math.floor(rnd() * 3), LOKALE_LISTER: Math.floor(rnd() * 6) }),
        dwellings: [[ind.dwellingsStarted05889, '2024', maybe(Math.floor(rnd() * 30))]],
      });
    }
    const all = [...score(world(specs)).values()];
    expect(all).toHaveLength(300);
    const seen = new Set<string>();
    for (const s of all) {
      expect(s.total).toBeGreaterThanOrEqual(0);
      expect(s.total).toBeLessThanOrEqual(s.maxPossible);
      expect(s.maxPossible).toBeLessThanOrEqual(100);
      const covered = s.categories.reduce((x, c) => x + c.coveredMax, 0);
      expect(s.coverage).toBe(covered / 100);
      expect(s.total).toBe(s.categories.reduce((x, c) => x + c.points, 0));
      const missingMax = s.rules.filter((r) => r.points === null).reduce((x, r) => x + r.maxPoints, 0);
      expect(s.maxPossible).toBe(s.total + missingMax);
      for (const c of s.categories) {
        expect(c.points).toBeLessThanOrEqual(c.coveredMax);
        expect(c.coveredMax).toBeLessThanOrEqual(c.max);
      }
      for (const r of s.rules) if (r.points !== null) expect(r.points).toBeLessThanOrEqual(r.maxPoints);
      expect(s.tierStatus).toBe(s.coverage === 1 ? 'complete' : s.coverage >= 0.7 ? 'partial' : 'insufficient');
      seen.add(s.tierStatus);
    }
    // the generator must actually exercise gaps
    expect(seen).toEqual(new Set(['complete', 'partial', 'insufficient']));
  });
});

describe('coverage and missing data', () => {
  it('missing prices: housing_cost and property_value are null, excluded from coveredMax, counted in maxPossible', () => {
    const s = score(world([{ code: '9001', price: null, pop2026: 9_850 }, { code: '9002' }])).get('9001')!;
    expect(ruleOf(s, 'housing_cost').points).toBeNull();
    expect(ruleOf(s, 'property_value').points).toBeNull();
    expect(ruleOf(s, 'housing_cost').missing?.en).toContain('06035');
    expect(s.total).toBe(7);
    expect(s.categories.find((c) => c.id === 'demographic')).toMatchObject({ points: 7, coveredMax: 10, max: 30 });
    expect(s.categories.find((c) => c.id === 'property')).toMatchObject({ points: 0, coveredMax: 10, max: 20 });
    expect(s.coverage).toBe(0.7);
    expect(s.maxPossible).toBe(7 + 30);
    expect(s.tierStatus).toBe('partial');
    expect(s.tier).toBe(3);
  });

  it('suppressed prices say so in the reason', () => {
    const s = score(world([{ code: '9001', price: 'suppressed' }, { code: '9002' }])).get('9001')!;
    for (const id of ['housing_cost', 'property_value']) {
      const r = ruleOf(s, id);
      expect(r.points).toBeNull();
      expect(r.missing?.en).toMatch(/too few sales.*06035/);
      expect(r.inputs).toEqual([]);
    }
  });

  it('missing median income removes median_income and housing_cost (35 points) → insufficient', () => {
    const s = score(world([{ code: '9001', income: null }])).get('9001')!;
    expect(ruleOf(s, 'median_income').points).toBeNull();
    expect(ruleOf(s, 'housing_cost').points).toBeNull();
    expect(ruleOf(s, 'housing_cost').missing?.en).toContain('06944');
    expect(s.coverage).toBeCloseTo(0.65, 12);
    expect(s.total).toBe(10);
    expect(s.maxPossible).toBe(45);
    // tier of 10 is 3, tier of 45 is 2: the missing points could change the tier
    expect(s).toMatchObject({ tierStatus: 'insufficient', tier: null });
  });

  it('with nothing at all every rule is missing: total 0, maxPossible 100, coverage 0, no tier', () => {
    const s = score({ observations: [], kommuneCodes: ['9001'] }).get('9001')!;
    expect(s.rules.every((r) => r.points === null && r.outcome.k === 'missing')).toBe(true);
    expect(s).toMatchObject({ total: 0, maxPossible: 100, coverage: 0, tier: null, tierStatus: 'insufficient' });
    expect(s.categories.every((c) => c.points === 0 && c.coveredMax === 0)).toBe(true);
  });

  describe('computed national references need kommune values covering ≥ 95 % of the population', () => {
    const incomeWorld = (popWith: number, popWithout: number) =>
      score(
        world(
          [
            { code: '9001', pop2024: popWith, income: 400_000 },
            { code: '9002', pop2024: popWithout, income: null },
          ],
          { income2024: null },
        ),
      ).get('9001')!;

    it('exactly 95 % is enough: population-weighted mean with its coverage', () => {
      const r = ruleOf(incomeWorld(95, 5), 'median_income');
      expect(r.points).toBe(0);
      expect(r.value).toBe(100);
      expect(r.reference).toMatchObject({ method: 'population-weighted-mean', populationCoverage: 0.95, value: 400_000, period: '2024' });
    });

    it('94 % is not: the rule is missing (null) and says why', () => {
      const r = ruleOf(incomeWorld(94, 6), 'median_income');
      expect(r.points).toBeNull();
      expect(r.reference).toBeNull();
      expect(r.missing?.en).toBe('no national median income for 2024 (too few kommuner with figures)');
    });

    it('the mean is weighted by population on 1 January of the same year', () => {
      const s = score(
        world(
          [
            { code: '9001', pop2024: 60, income: 400_000 },
            { code: '9002', pop2024: 40, income: 600_000 },
          ],
          { income2024: null },
        ),
      );
      const r = ruleOf(s.get('9001'), 'median_income');
      expect(r.reference?.value).toBe(480_000);
      expect(r.value).toBeCloseTo(83.333, 3);
      expect(r.points).toBe(15);
      expect(ruleOf(s.get('9002'), 'median_income').value).toBe(125);
    });

    it('a price reference below 95 % removes property_value but not the absolute housing_cost rule', () => {
      const s = score(world([{ code: '9001', pop2024: 94, price: null }, { code: '9002', pop2024: 6 }])).get('9002')!;
      const pv = ruleOf(s, 'property_value');
      expect(pv.points).toBeNull();
      expect(pv.missing?.en).toBe('no national price per m² for 2024 (too few kommuner with figures)');
      expect(ruleOf(s, 'housing_cost').points).toBe(0);
      expect(ruleOf(s, 'housing_cost').reference).toBeNull();
    });
  });

  describe('unemployment uses a definition only with a national figure for the same measure and period', () => {
    const ssb = (code: string, pct: number, unemployed: number, employed: number) => [
      o(code, ind.unemploymentSsb13563, '2024', pct),
      o(code, ind.unemployedSsb13563, '2024', unemployed),
      o(code, ind.employedSsb13563, '2024', employed),
    ];

    it('SSB 13563 counts for only part of the country → missing, naming what was tried', () => {
      const s = score(
        world([
          { code: '9001', pop2024: 30, unemployment: [], extra: ssb('9001', 3, 3, 97) },
          { code: '9002', pop2024: 70, unemployment: [] },
        ]),
      ).get('9001')!;
      const r = ruleOf(s, 'unemployment');
      expect(r.points).toBeNull();
      expect(r.missing?.en).toBe(`unemployment figures exist (${TEST_SOURCE} test-table 2024), but no national figure for the same measure and period`);
    });

    it('SSB 13563 counts covering ≥ 95 % → Norway is the ratio of the summed counts', () => {
      const s = score(
        world([
          { code: '9001', pop2024: 50, unemployment: [], extra: ssb('9001', 4, 4, 96) },
          { code: '9002', pop2024: 46, unemployment: [], extra: ssb('9002', 1, 1, 99) },
          { code: '9003', pop2024: 4, unemployment: [] },
        ]),
      ).get('9001')!;
      const r = ruleOf(s, 'unemployment');
      expect(r.reference).toMatchObject({ method: 'ratio-of-sums', value: 2.5, populationCoverage: 0.96, period: '2024' });
      expect(r.value).toBe(160);
      expect(r.points).toBe(10);
    });

    it('falls through to the NAV 12-month mean for 2025 when it has a national row', () => {
      const s = score(
        world([
          { code: '9001', pop2024: 30, unemployment: [[ind.unemploymentNav12m, '2025', 2.2]], extra: ssb('9001', 3, 3, 97) },
          { code: '9002', pop2024: 70, unemployment: [] },
        ]),
      ).get('9001')!;
      const r = ruleOf(s, 'unemployment');
      expect(r.period).toBe('2025');
      expect(r.reference).toMatchObject({ method: 'published', value: 2.0, period: '2025' });
      expect(r.reference?.sources.map((x) => [x.regionCode, x.indicator, x.period])).toEqual([[NATIONAL_REGION, ind.unemploymentNav12m, '2025']]);
      expect(r.inputs[0]).toMatchObject({ regionCode: '9001', indicator: ind.unemploymentNav12m, period: '2025', value: 2.2 });
      expect(r.value).toBeCloseTo(110, 10);
      expect(r.points).toBe(7);
    });

    it('uses an older period that has a national row rather than a newer one that does not', () => {
      const w = world(
        [{ code: '9001', unemployment: [[ind.unemploymentNav12m, '2025', 9.9], [ind.unemploymentNav12m, '2024', 3.0]] }],
        { nav12m2025: null, extra: [o(NATIONAL_REGION, ind.unemploymentNav12m, '2024', 2.0)] },
      );
      const r = ruleOf(score(w).get('9001'), 'unemployment');
      expect(r.period).toBe('2024');
      expect(r.value).toBe(150);
    });

    it('a NAV month with no national row for that month → missing', () => {
      const r = ruleOf(score(world([{ code: '9001', unemployment: [[ind.unemploymentNavMonth, '2026-04', 1.9]] }])).get('9001'), 'unemployment');
      expect(r.points).toBeNull();
      expect(r.missing?.en).toContain('2026-04');
    });

    it('no unemployment figure at all → missing with its own reason', () => {
      const r = ruleOf(score(world([{ code: '9001', unemployment: [] }])).get('9001'), 'unemployment');
      expect(r.points).toBeNull();
      expect(r.missing?.en).toBe('no registered unemployment for the kommune in the data');
    });
  });

  describe('dwellings started', () => {
    // A kommune with most of the population and no 05940 figure keeps 05940's coverage far below 95 %.
    const big = { code: '9002', pop2021: 990_000, pop2024: 990_000, pop2026: 990_000 };

    it('skips a table without a national figure (05940) and uses 05889 with its published row', () => {
      const r = ruleOf(
        score(world([{ code: '9001', dwellings: [[ind.dwellingsStarted05940, '2024', 99], [ind.dwellingsStarted05889, '2024', 7]] }, big])).get('9001'),
        'dwellings_started',
      );
      expect(r.reference).toMatchObject({ method: 'published', value: 1, period: '2024' });
      expect(r.inputs.map((i) => i.indicator)).toEqual([ind.dwellingsStarted05889, ind.population]);
      expect(r.points).toBe(10);
    });

    it('only a table without a national figure → missing, naming it', () => {
      const r = ruleOf(score(world([{ code: '9001', dwellings: [[ind.dwellingsStarted05940, '2024', 7]] }, big])).get('9001'), 'dwellings_started');
      expect(r.points).toBeNull();
      expect(r.missing?.en).toContain(`${TEST_SOURCE} test-table 2024`);
    });

    it('a table without a national figure is compared with the kommune sum when it covers ≥ 95 % of the population', () => {
      const w = world(
        [
          { code: '9001', dwellings: [[ind.dwellingsStarted05940, '2024', 5]] },
          { code: '9002', pop2024: 30_000, dwellings: [[ind.dwellingsStarted05940, '2024', 105]] },
        ],
        { pop2024: null },
      );
      const r = ruleOf(score(w).get('9001'), 'dwellings_started');
      // Norway's rate = (5 + 105) / 40,000 × 1000 = 2.75; 9001: 0.5 per 1000 = 18 % of it.
      expect(r.reference).toMatchObject({ method: 'ratio-of-sums', value: 2.75, populationCoverage: 1 });
      expect(r.value).toBeCloseTo((100 * 0.5) / 2.75, 6);
      expect(r.points).toBe(10);
    });

    it('no national population for the year → missing (the per-1000 reference cannot be formed)', () => {
      // 2024 population neither published nor complete over the kommuner
      const w = world([{ code: '9001' }, { code: '9002', pop2024: null }], { pop2024: null });
      const r = ruleOf(score(w).get('9001'), 'dwellings_started');
      expect(r.points).toBeNull();
    });
  });

  it('population change needs both years; the missing one is named', () => {
    const r = ruleOf(score(world([{ code: '9001', pop2021: null }, { code: '9002' }])).get('9001'), 'population_change');
    expect(r.points).toBeNull();
    expect(r.missing?.en).toBe('population on 1 Jan 2021 is missing (SSB 07459)');
  });
});

describe('tiers and hysteresis (assignTier)', () => {
  const t = (total: number, previous: Tier | null = null, coverage = 1, maxPossible = total + (1 - coverage) * 100) =>
    assignTier(M, total, maxPossible, coverage, previous);

  it('tierOf: 70 → 1, 69 → 2, 40 → 2, 39 → 3', () => {
    expect([100, 70, 69.9, 69, 40, 39.9, 0].map((x) => tierOf(M, x))).toEqual([1, 1, 2, 2, 2, 3, 3]);
  });

  it('without a previous tier: 70 → 1, 69 → 2', () => {
    expect(t(70)).toEqual({ tier: 1, tierStatus: 'complete', heldByHysteresis: false });
    expect(t(69)).toEqual({ tier: 2, tierStatus: 'complete', heldByHysteresis: false });
  });

  it('a Tier 1 kommune stays in Tier 1 down to 66 and leaves below it', () => {
    expect(t(67, 1)).toEqual({ tier: 1, tierStatus: 'complete', heldByHysteresis: true });
    expect(t(66, 1)).toEqual({ tier: 1, tierStatus: 'complete', heldByHysteresis: true });
    expect(t(65.9, 1)).toEqual({ tier: 2, tierStatus: 'complete', heldByHysteresis: false });
    expect(t(75, 1)).toEqual({ tier: 1, tierStatus: 'complete', heldByHysteresis: false });
  });

  it('hysteresis only keeps Tier 1: previous 2 or 3 does not hold', () => {
    expect(t(67, 2).tier).toBe(2);
    expect(t(67, 3).tier).toBe(2);
    expect(t(39, 2).tier).toBe(3);
  });

  it('hysteresis also holds with partial coverage, but not below the minimum coverage', () => {
    expect(t(67, 1, 0.8)).toEqual({ tier: 1, tierStatus: 'partial', heldByHysteresis: true });
    const low = t(67, 1, 0.65, 100);
    expect(low.heldByHysteresis).toBe(false);
    expect(low.tier).toBeNull();
  });

  it('below the minimum coverage a tier is given only when total and maxPossible agree', () => {
    expect(t(10, null, 0.65, 35)).toEqual({ tier: 3, tierStatus: 'insufficient', heldByHysteresis: false });
    expect(t(10, null, 0.65, 45)).toEqual({ tier: null, tierStatus: 'insufficient', heldByHysteresis: false });
    expect(t(45, null, 0.6, 69)).toEqual({ tier: 2, tierStatus: 'insufficient', heldByHysteresis: false });
    expect(t(72, null, 0.5, 100)).toEqual({ tier: 1, tierStatus: 'insufficient', heldByHysteresis: false });
  });

  it('status: coverage 1 → complete, ≥ 0.7 → partial, below → insufficient', () => {
    expect(t(0, null, 1).tierStatus).toBe('complete');
    expect(t(0, null, 0.99).tierStatus).toBe('partial');
    expect(t(0, null, 0.7).tierStatus).toBe('partial');
    expect(t(0, null, 0.69).tierStatus).toBe('insufficient');
    // with partial coverage the tier is that of the points earned, even if missing points could raise it
    expect(t(60, null, 0.8, 80).tier).toBe(2);
  });

  it('scoreAll passes previous tiers through: a 67-point kommune is held in Tier 1', () => {
    const income = 460_000; // 92 % → 10
    const price = priceForHousingRatio(36, income); // → 20
    const spec: KommuneSpec = {
      code: '9001',
      pop2021: 10_000,
      pop2026: 9_850, // −1.5 % → 7
      income,
      price,
      unemployment: [[ind.unemploymentNav12m, '2025', 3.0]], // 150 % → 10
      votes: { a: 300, total: 1000 }, // 30 % → 10
    };
    const w = world([spec, { code: '9002', price, sales: 1000 }]);
    const fresh = score(w).get('9001')!;
    expect(fresh.total).toBe(67);
    expect(fresh).toMatchObject({ tier: 2, heldByHysteresis: false });
    const held = score(w, new Map([['9001', 1 as Tier]])).get('9001')!;
    expect(held).toMatchObject({ total: 67, tier: 1, heldByHysteresis: true, tierStatus: 'complete' });
    expect(score(w, new Map([['9002', 1 as Tier]])).get('9001')?.tier).toBe(2);
  });
});

describe('scoreKommune and describeKommune on one Deriver', () => {
  it('scoreKommune equals the scoreAll result for the same kommune', () => {
    const w = world([{ code: '9001', pop2026: 9_000 }, { code: '9002', income: 300_000 }]);
    const d = new Deriver(new ObservationIndex(w.observations, w.kommuneCodes), M);
    expect(scoreKommune(M, d, '9002', null)).toEqual(score(w).get('9002'));
  });

  it('an unknown kommune code scores with every rule missing rather than borrowing data', () => {
    const w = world([{ code: '9001' }]);
    const d = new Deriver(new ObservationIndex(w.observations, w.kommuneCodes), M);
    const s = scoreKommune(M, d, '9999', null);
    expect(s.rules.every((r) => r.points === null)).toBe(true);
  });

  it('describeKommune shows own figures with their national comparison', () => {
    const w = world([{ code: '9001', pop2026: 12_000, income: 450_000 }, { code: '9002', pop2026: 8_000 }]);
    const d = new Deriver(new ObservationIndex(w.observations, w.kommuneCodes), M);
    const k = new Map(describeKommune(d, '9001').map((x) => [x.id, x]));
    expect(k.get('population')).toMatchObject({ value: 12_000, period: '2026', national: { value: 20_000, method: 'sum' } });
    expect(k.get('median_income')).toMatchObject({ value: 450_000, period: '2024', national: { value: 500_000, method: 'published' } });
    expect(k.get('population_change_5y')?.value).toBeCloseTo(20, 10);
    expect(k.get('labour_vote_share')).toMatchObject({ value: 20, national: { value: 20, method: 'ratio-of-sums' } });
    expect(k.get('labour_vote_share')?.sources.map((s) => s.indicator)).toEqual([ind.councilVotes('A'), ind.councilVotesTotal]);
    expect(k.get('dwellings_started_per_1000')?.value).toBeCloseTo(1, 12);
    expect(k.get('rental_share')).toMatchObject({ value: null, missing: { en: 'missing (SSB 11084)' } });
  });

  // Deriver.nationalPopulation returns the published national row (region "0") when there is one;
  // the card must not call that figure a sum.
  it('describeKommune labels a published national population as published, not as a sum', () => {
    const w = world([{ code: '9001' }], { extra: [o(NATIONAL_REGION, ind.population, '2026', 5_600_000)] });
    const d = new Deriver(new ObservationIndex(w.observations, w.kommuneCodes), M);
    const pop = describeKommune(d, '9001').find((x) => x.id === 'population');
    expect(pop?.national).toEqual({ value: 5_600_000, method: 'published' });
  });
});

describe('model validation (parseModel)', () => {
  const clone = (): PointsModel => structuredClone(M);
  const mutate = (f: (m: PointsModel) => void) => {
    const m = clone();
    f(m);
    return () => parseModel(m);
  };

  it('accepts seed-2026 unchanged', () => {
    expect(parseModel(clone())).toEqual(M);
    expect(M.categories.reduce((s, c) => s + c.max, 0)).toBe(100);
    expect(M.rules.reduce((s, r) => s + ruleMaxPoints(r), 0)).toBe(100);
  });

  it('rejects category maxima that do not sum to 100', () => {
    expect(mutate((m) => (m.categories[0]!.max = 40))).toThrow(/category maxima sum to 110, not 100/);
  });

  it('rejects a rule in an unknown category', () => {
    expect(mutate((m) => (m.rules[0]!.category = 'weather'))).toThrow(/rule population_change: unknown category weather/);
  });

  it('rejects duplicate rule ids', () => {
    expect(mutate((m) => (m.rules[1]!.id = m.rules[0]!.id))).toThrow(/duplicate rule id population_change/);
  });

  it('rejects bands in the wrong order, for both directions', () => {
    const reverse = (id: string) =>
      mutate((m) => {
        const r = m.rules.find((x) => x.id === id)!;
        if (r.scoring.kind === 'thresholds') r.scoring.bands.reverse();
      });
    expect(reverse('population_change')).toThrow(/rule population_change: bands must go from the strictest threshold to the loosest/);
    expect(reverse('housing_cost')).toThrow(/rule housing_cost: bands must go/);
    // equal thresholds are not an order either
    expect(
      mutate((m) => {
        const r = m.rules.find((x) => x.id === 'median_income')!;
        if (r.scoring.kind === 'thresholds') r.scoring.bands[1]!.threshold = 90;
      }),
    ).toThrow(/rule median_income: bands must go/);
  });

  it('rejects category rules that do not sum to the category max', () => {
    expect(
      mutate((m) => {
        const r = m.rules.find((x) => x.id === 'dwellings_started')!;
        if (r.scoring.kind === 'thresholds') r.scoring.bands[0]!.points = 5;
      }),
    ).toThrow(/category property: rules give at most 15 points, the category max is 20/);
  });

  it('counts the fallback points in a rule max', () => {
    expect(ruleMaxPoints(rule('labour_vote'))).toBe(15);
    expect(
      mutate((m) => {
        const r = m.rules.find((x) => x.id === 'labour_vote')!;
        if (r.scoring.kind === 'thresholds' && r.scoring.otherwise) r.scoring.otherwise.points = 16;
      }),
    ).toThrow(/category political: rules give at most 26 points, the category max is 25/);
  });

  it('rejects incoherent tiers and lists every problem', () => {
    expect(mutate((m) => (m.tiers.tier1ExitBelow = 72))).toThrow(/tier2Min < tier1ExitBelow <= tier1Min/);
    let message = '';
    try {
      mutate((m) => {
        m.categories[0]!.max = 40;
        m.rules[1]!.id = m.rules[0]!.id;
      })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid scoring model:/);
    expect(message).toContain('category maxima sum to 110');
    expect(message).toContain('duplicate rule id population_change');
  });

  it('rejects an unknown derived indicator', () => {
    expect(mutate((m) => ((m.rules[0] as { indicator: string }).indicator = 'sunshine_hours'))).toThrow(/Invalid scoring model/);
  });
});
