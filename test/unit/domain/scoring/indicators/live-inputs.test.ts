/**
 * The derived indicators over the live sources of issue 16 (projections, startlån, KOSTRA finances
 * and housing demand) and the 14545 price years, on tiny hand-made worlds (factory.ts provenance).
 */
import { describe, expect, it } from 'vitest';
import { ind } from '../../../../../src/domain/indicators';
import { Deriver, ObservationIndex } from '../../../../../src/domain/scoring/deriver';
import type { Derived } from '../../../../../src/domain/scoring/derived';
import { INDICATOR_MODULES, DERIVED_INDICATORS } from '../../../../../src/domain/scoring/indicators';
import { seed2026 } from '../../../../../src/domain/scoring/models/seed-2026';
import type { Observation } from '../../../../../src/domain/observation';
import { o } from '../factory';

const K = ['9001', '9002'];

function derive(obs: Observation[], id: (typeof DERIVED_INDICATORS)[number], code = '9001'): Derived {
  return new Deriver(new ObservationIndex(obs, K), seed2026).derive(id, code);
}

const pops = (year: string, a = 10_000, b = 30_000) => [o('9001', ind.population, year, a), o('9002', ind.population, year, b)];

describe('derived indicators over the live sources', () => {
  it('every id has its module', () => {
    expect(Object.keys(INDICATOR_MODULES).sort()).toEqual([...DERIVED_INDICATORS].sort());
  });

  describe('projected population change (SSB 14746 MMMM)', () => {
    const proj = (code: string, base: number, y2030: number, y2035: number) => [
      o(code, ind.populationProjected, '2026', base),
      o(code, ind.populationProjected, '2030', y2030),
      o(code, ind.populationProjected, '2035', y2035),
    ];
    const world = [...proj('9001', 1000, 950, 900), ...proj('9002', 3000, 3300, 3600), ...pops('2026')];

    it('to 2030: % change from the base year, with Norway as the ratio of sums', () => {
      const d = derive(world, 'projected_population_change_2030');
      expect(d).toMatchObject({ ok: true, value: -5, unit: '%', period: '2026-2030', detail: { k: 'popchange', start: '2026', end: '2030', from: 1000, to: 950 } });
      expect(d.ok && d.reference).toMatchObject({ value: (100 * (4250 - 4000)) / 4000, method: 'ratio-of-sums' });
    });

    it('to 2035, and the published national projection is preferred when present', () => {
      const d = derive([...world, ...proj('0', 5_500_000, 5_720_000, 5_830_000)], 'projected_population_change_2035', '9002');
      expect(d).toMatchObject({ ok: true, value: 20, period: '2026-2035' });
      expect(d.ok && d.reference).toMatchObject({ value: 6, method: 'published' });
    });

    it('missing without a projection to the target year', () => {
      const d = derive([...proj('9001', 1000, 950, 900)].filter((x) => x.period !== '2035'), 'projected_population_change_2035');
      expect(d).toMatchObject({ ok: false, reason: { en: 'no population projection to 2035 (SSB 14746)' } });
    });
  });

  describe('startlån per 1,000 inhabitants (SSB/KOSTRA 13277)', () => {
    it('count ÷ population on 1 January of the year × 1000, with Norway as the ratio of sums', () => {
      const d = derive([o('9001', ind.startlanCount, '2025', 25), o('9002', ind.startlanCount, '2025', 15), ...pops('2025')], 'startlan_per_1000');
      expect(d).toMatchObject({ ok: true, value: 2.5, unit: 'per 1000', period: '2025', base: 10_000, detail: { k: 'rate', count: 25, population: 10_000 } });
      expect(d.ok && d.reference).toMatchObject({ value: 1, method: 'ratio-of-sums' });
    });

    it('uses the latest population before the year when its own is not out yet', () => {
      const d = derive([o('9001', ind.startlanCount, '2026', 20), ...pops('2025', 8_000)], 'startlan_per_1000');
      expect(d).toMatchObject({ ok: true, value: 2.5 });
    });

    it('missing without a count', () => {
      expect(derive(pops('2025'), 'startlan_per_1000')).toMatchObject({ ok: false, reason: { en: 'start-up loans are missing (SSB/KOSTRA 13277)' } });
    });
  });

  describe('KOSTRA finances (12134) and housing demand (12008)', () => {
    it.each([
      ['net_operating_result_pct', ind.netOperatingResultPct, '%', 1.5, 3.5],
      ['long_term_debt_pct', ind.longTermDebtPct, '%', 120, 80],
      ['municipal_housing_applications_per_1000', ind.municipalHousingApplicationsPer1000, 'per 1000', 4, 2],
      ['municipal_housing_rejected_share', ind.municipalHousingRejectedShare, '%', 30, 10],
    ] as const)('%s: the latest value, with Norway as the population-weighted mean', (id, observed, unit, a, b) => {
      const d = derive([o('9001', observed, '2024', 0), o('9001', observed, '2025', a), o('9002', observed, '2025', b), ...pops('2025')], id);
      expect(d).toMatchObject({ ok: true, value: a, unit, period: '2025' });
      expect(d.ok && d.reference).toMatchObject({ value: (a * 10_000 + b * 30_000) / 40_000, method: 'population-weighted-mean' });
    });

    it("SSB's national row (EAK, stored as region 0) is the reference when published", () => {
      const d = derive([o('9001', ind.netOperatingResultPct, '2025', 1.5), o('9002', ind.netOperatingResultPct, '2025', 3.5), o('0', ind.netOperatingResultPct, '2025', 2.1), ...pops('2025')], 'net_operating_result_pct');
      expect(d.ok && d.reference).toMatchObject({ value: 2.1, method: 'published' });
    });
  });

  describe('prices from 14545 (2025+) continue the 06035 series', () => {
    const y2024 = [
      o('9001', ind.priceM2('detached'), '2024', 20_000),
      o('9001', ind.sales('detached'), '2024', 10),
      o('9001', ind.priceM2('apartments'), '2024', 40_000),
      o('9001', ind.sales('apartments'), '2024', 30),
      o('9002', ind.priceM2('detached'), '2024', 30_000),
      o('9002', ind.sales('detached'), '2024', 20),
    ];
    const y2025 = [
      o('9001', ind.priceM2('all'), '2025', 36_000),
      o('9001', ind.sales('all'), '2025', 40),
      o('9001', ind.priceM2('detached'), '2025', 21_000),
      o('9001', ind.sales('detached'), '2025', 10),
      o('9002', ind.priceM2('all'), '2025', 31_000),
      o('9002', ind.sales('all'), '2025', 20),
    ];

    it('a year with all types (00) but not every type is priced by the all-types figure, for the kommune and Norway alike', () => {
      const d = derive([...y2024, ...y2025, ...pops('2025')], 'price_per_m2');
      expect(d).toMatchObject({ ok: true, value: 36_000, period: '2025' });
      expect(d.ok && d.reference).toMatchObject({ value: (36_000 * 40 + 31_000 * 20) / 60, method: 'sales-weighted-mean' });
      expect(d.ok && d.inputs.map((i) => i.indicator)).toEqual(['price_m2_all', 'sales_all']);
    });

    it('2024 keeps the sales-weighted mean of the types (06035)', () => {
      const d = derive([...y2024, ...pops('2024')], 'price_per_m2');
      expect(d).toMatchObject({ ok: true, value: (20_000 * 10 + 40_000 * 30) / 40, period: '2024' });
    });

    it('the housing-cost ratio stays on the latest year with both prices and incomes', () => {
      const w = [...y2024, ...y2025, ...pops('2024'), ...pops('2025'), o('9001', ind.medianIncome, '2024', 500_000), o('9002', ind.medianIncome, '2024', 600_000)];
      expect(derive(w, 'housing_cost_ratio')).toMatchObject({ ok: true, period: '2024' });
      expect(derive([...w, o('9001', ind.medianIncome, '2025', 520_000)], 'housing_cost_ratio')).toMatchObject({ ok: true, period: '2025' });
    });
  });
});
