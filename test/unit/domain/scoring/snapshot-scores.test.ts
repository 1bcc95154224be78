/**
 * The real snapshot (data/*.csv) through the seed model: the figures a user sees for a kommune
 * must be the raw cells of the CSV files, read here independently of the snapshot parsers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DWELLING_TYPES, PARTY_CODES, ind } from '../../../../src/domain/indicators';
import { parseCsv } from '../../../../src/lib/csv';
import { Deriver, ObservationIndex } from '../../../../src/domain/scoring/deriver';
import { describeKommune, scoreAll, type KommuneScore, type RuleResult } from '../../../../src/domain/scoring/engine';
import type { KeyIndicator } from '../../../../src/domain/scoring/key-indicators';
import { seed2026 } from '../../../../src/domain/scoring/models/seed-2026';
import { parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../../../../src/sources/snapshot/observations';

const dataFile = (name: string) => readFileSync(new URL(`../../../../data/${name}`, import.meta.url), 'utf8');

const observations = SNAPSHOT_FILES.flatMap((f) => f.parse(dataFile(f.name)));
const kommuneCodes = parseKommunerCsv(dataFile('kommuner-2024.csv')).map((k) => k.code);
const scores = scoreAll({ model: seed2026, observations, kommuneCodes });
const byCode = new Map(scores.map((s) => [s.kommuneCode, s]));
const deriver = new Deriver(new ObservationIndex(observations, kommuneCodes), seed2026);

// ── raw CSV cells, read without the snapshot parsers ─────────────────────────
const csv = (name: string) => parseCsv(dataFile(name));
const befolkning = csv('befolkning.csv');
const inntekt = csv('medianinntekt-etter-skatt.csv');
const boligpris = csv('boligpris-kvm.csv');
const stemmer = csv('valg-kommunestyre-2023-stemmer.csv');
const mandater = csv('valg-kommunestyre-2023-mandater.csv');

function cell(rows: Record<string, string>[], code: string, year: string, col: string): number {
  const matches = rows.filter((r) => r.kommunenummer === code && r.year === year);
  if (matches.length !== 1) throw new Error(`expected one row for ${code} ${year}, found ${matches.length}`);
  const raw = matches[0]![col];
  if (raw === undefined || raw.trim() === '') throw new Error(`empty cell ${col} for ${code} ${year}`);
  return Number(raw);
}

const pop = (code: string, year: string) => cell(befolkning, code, year, 'value');
const income = (code: string) => cell(inntekt, code, '2024', 'value');

/** The 2024 price rows of a kommune: [type key, price per m², number of sales]. */
function priceRows(code: string): [string, number, number][] {
  return boligpris
    .filter((r) => r.kommunenummer === code && r.year === '2024' && r.boligtype !== '')
    .map((r) => {
      const t = DWELLING_TYPES.find((x) => x.code === r.boligtype);
      if (!t) throw new Error(`unknown boligtype ${r.boligtype}`);
      return [t.key, Number(r.value), Number(r.antall_omsetninger)];
    });
}

function keyIndicator(code: string, id: string): KeyIndicator {
  const k = describeKommune(deriver, code).find((x) => x.id === id);
  if (!k) throw new Error(`no key indicator ${id}`);
  return k;
}

function rule(code: string, id: string): RuleResult {
  const r = byCode.get(code)?.rules.find((x) => x.ruleId === id);
  if (!r) throw new Error(`no rule ${id} for ${code}`);
  return r;
}

const SPOT = [
  ['0301', 'Oslo'],
  ['1804', 'Bodø'],
  ['1151', 'Utsira'],
  ['5612', 'Kautokeino'],
  ['5501', 'Tromsø'],
] as const;
const SUPPRESSED = new Set(['1151', '5612']);

describe('seed-2026 on the real snapshot', () => {
  it('scores all 357 kommuner, in the order of the kommune list', () => {
    expect(kommuneCodes).toHaveLength(357);
    expect(scores).toHaveLength(357);
    expect(scores.map((s) => s.kommuneCode)).toEqual(kommuneCodes);
  });

  it('anchors: Oslo median income 635 200 kr, Bodø population 53 638 on 1.1.2026', () => {
    expect(keyIndicator('0301', 'median_income')).toMatchObject({ value: 635_200, period: '2024' });
    expect(keyIndicator('1804', 'population')).toMatchObject({ value: 53_638, period: '2026' });
    expect(rule('1804', 'population_change').detail).toEqual({ k: 'popchange', start: '2021', end: '2026', from: 52_560, to: 53_638 });
  });

  describe.each(SPOT)('%s %s: shown figures equal the CSV cells', (code) => {
    it('population on 1.1.2026 and the 2021–2026 change', () => {
      expect(keyIndicator(code, 'population')).toMatchObject({ value: pop(code, '2026'), period: '2026' });
      const r = rule(code, 'population_change');
      expect(r.inputs.map((i) => [i.indicator, i.period, i.value])).toEqual([
        [ind.population, '2021', pop(code, '2021')],
        [ind.population, '2026', pop(code, '2026')],
      ]);
      expect(r.value).toBeCloseTo((100 * (pop(code, '2026') - pop(code, '2021'))) / pop(code, '2021'), 10);
      expect(keyIndicator(code, 'population_change_5y').value).toBe(r.value);
    });

    it('median household income after tax 2024', () => {
      expect(keyIndicator(code, 'median_income')).toMatchObject({ value: income(code), period: '2024' });
      const r = rule(code, 'median_income');
      expect(r.inputs.map((i) => [i.indicator, i.period, i.value])).toEqual([[ind.medianIncome, '2024', income(code)]]);
      expect(r.detail).toMatchObject({ k: 'income', own: income(code), year: '2024' });
    });

    it('price per m² 2024: the SSB 06035 cells and their sales weights', () => {
      const ki = keyIndicator(code, 'price_per_m2');
      if (SUPPRESSED.has(code)) {
        expect(priceRows(code)).toEqual([]);
        expect(ki.value).toBeNull();
        expect(ki.missing?.en).toBe('SSB does not publish a price per m² for 2024 (too few sales, table 06035)');
        return;
      }
      const rows = priceRows(code);
      expect(rows).toHaveLength(3);
      const expectedInputs = rows.flatMap(([key, price, sales]) => [
        [ind.priceM2(key), '2024', price],
        [ind.sales(key), '2024', sales],
      ]);
      expect(ki.sources.map((s) => [s.indicator, s.period, s.value])).toEqual(expectedInputs);
      const weighted = rows.reduce((s, [, p, n]) => s + p * n, 0) / rows.reduce((s, [, , n]) => s + n, 0);
      expect(ki.value).toBeCloseTo(weighted, 8);
      expect(ki.period).toBe('2024');
      for (const id of ['housing_cost', 'property_value']) {
        const r = rule(code, id);
        expect(r.inputs.filter((i) => i.indicator.startsWith('price_m2_') || i.indicator.startsWith('sales_')).map((s) => [s.indicator, s.period, s.value])).toEqual(expectedInputs);
      }
      expect(rule(code, 'housing_cost').detail).toMatchObject({ k: 'housing', price: ki.value, income: income(code), year: '2024' });
      expect(rule(code, 'property_value').detail).toMatchObject({ k: 'pvi', price: ki.value, year: '2024' });
    });

    it('Ap votes and total votes 2023', () => {
      const a = cell(stemmer, code, '2023', 'A_stemmer');
      const total = cell(stemmer, code, '2023', 'godkjente_stemmer_totalt');
      const ki = keyIndicator(code, 'labour_vote_share');
      expect(ki.sources.map((s) => [s.indicator, s.period, s.value])).toEqual([
        [ind.councilVotes('A'), '2023', a],
        [ind.councilVotesTotal, '2023', total],
      ]);
      expect(ki.value).toBeCloseTo((100 * a) / total, 10);
      expect(rule(code, 'labour_vote').detail).toEqual({ k: 'labour', votes: a, total, year: '2023' });
      // the published percentage column agrees to its two decimals
      expect(ki.value).toBeCloseTo(cell(stemmer, code, '2023', 'A_pct'), 2);
    });

    it('council seats 2023', () => {
      const total = cell(mandater, code, '2023', 'value');
      const seats = PARTY_CODES.map((p) => [p, cell(mandater, code, '2023', p)] as const).filter(([, n]) => n > 0);
      const r = rule(code, 'council_stability');
      expect(r.inputs.map((i) => [i.indicator, i.value])).toEqual([
        [ind.councilSeatsTotal, total],
        ...seats.map(([p, n]) => [ind.councilSeats(p), n]),
      ]);
      expect(r.value).toBeCloseTo(total ** 2 / seats.reduce((s, [, n]) => s + n * n, 0), 10);
      const left = ['A', 'SV', 'RODT'].reduce((s, p) => s + cell(mandater, code, '2023', p), 0);
      const lv = rule(code, 'labour_vote');
      if (lv.outcome.k === 'left-majority' || lv.outcome.k === 'no-left-majority') {
        expect([lv.outcome.leftSeats, lv.outcome.totalSeats]).toEqual([left, total]);
      }
    });
  });

  it('Oslo, Bodø and Tromsø have every price-based rule scored', () => {
    for (const code of ['0301', '1804', '5501']) {
      expect(rule(code, 'housing_cost').points).not.toBeNull();
      expect(rule(code, 'property_value').points).not.toBeNull();
    }
  });

  it.each([['1151'], ['5612']])('%s has suppressed prices: housing_cost and property_value are null, citing 06035', (code) => {
    for (const id of ['housing_cost', 'property_value']) {
      const r = rule(code, id);
      expect(r.points).toBeNull();
      expect(r.outcome).toEqual({ k: 'missing' });
      expect(r.missing?.en).toContain('06035');
      expect(r.missing?.nb).toContain('06035');
      expect(r.missing?.en).toContain('too few sales');
    }
    const s = byCode.get(code)!;
    expect(s.coverage).toBeLessThanOrEqual(0.7);
    expect(s.maxPossible - s.total).toBeGreaterThanOrEqual(30);
  });

  it('Utsira: a single local list holds all 11 seats → one effective party, 0 % Ap and no left majority', () => {
    expect(rule('1151', 'council_stability')).toMatchObject({ value: 1, points: 10 });
    expect(rule('1151', 'labour_vote')).toMatchObject({ value: 0, points: 0, outcome: { k: 'no-left-majority', leftSeats: 0, totalSeats: 11 } });
  });

  it('kommuner whose 2021 population is not published (split kommuner) get population_change null', () => {
    const missing = scores.filter((s) => s.rules.find((r) => r.ruleId === 'population_change')?.points === null).map((s) => s.kommuneCode);
    const noStart = kommuneCodes.filter((c) => befolkning.find((r) => r.kommunenummer === c && r.year === '2021')?.value === '');
    expect(noStart.length).toBeGreaterThan(0);
    expect(missing).toEqual(noStart);
  });

  it('unemployment is scored only where a national figure for the same measure exists (NAV 12-month 2025)', () => {
    const scored = scores.filter((s) => s.rules.find((r) => r.ruleId === 'unemployment')?.points !== null);
    expect(scored.length).toBeGreaterThan(0);
    for (const s of scored) {
      const r = s.rules.find((x) => x.ruleId === 'unemployment')!;
      expect(r.period).toBe('2025');
      expect(r.reference).toMatchObject({ method: 'published', value: 2.11 });
    }
    // Bodø has only SSB 13563 counts, which cover Nordland, Troms and Finnmark alone
    expect(rule('1804', 'unemployment').points).toBeNull();
    expect(rule('1804', 'unemployment').missing?.en).toContain('13563 2024');
  });

  it('every total is within bounds and the parts add up', () => {
    for (const s of scores) {
      expect(s.total).toBeGreaterThanOrEqual(0);
      expect(s.total).toBeLessThanOrEqual(s.maxPossible);
      expect(s.maxPossible).toBeLessThanOrEqual(100);
      expect(s.coverage).toBeGreaterThanOrEqual(0);
      expect(s.coverage).toBeLessThanOrEqual(1);
      expect(s.total).toBe(s.categories.reduce((x, c) => x + c.points, 0));
      expect(s.maxPossible).toBe(s.total + s.rules.filter((r) => r.points === null).reduce((x, r) => x + r.maxPoints, 0));
      for (const r of s.rules) {
        if (r.points === null) expect(r.missing).not.toBeNull();
        else expect(r.value).not.toBeNull();
      }
    }
  });

  it('independent recomputation of the simple rules from the CSV cells gives the same points', () => {
    // Exact arithmetic on integers: compare 100·(end−start) with threshold·start, total² with ENP·Σseats².
    const below = (cmp: (t: number) => boolean, bands: [number, number][]) => bands.find(([t]) => cmp(t))?.[1] ?? 0;
    const diffs: string[] = [];
    for (const code of kommuneCodes) {
      const s21 = befolkning.find((r) => r.kommunenummer === code && r.year === '2021')?.value;
      if (s21) {
        const start = Number(s21);
        const d = 100 * (pop(code, '2026') - start);
        const p = below((t) => d < t * start, [[-2, 10], [-1, 7], [0, 5]]);
        if (rule(code, 'population_change').points !== p) diffs.push(`${code} population_change`);
      }
      const a = cell(stemmer, code, '2023', 'A_stemmer');
      const votes = cell(stemmer, code, '2023', 'godkjente_stemmer_totalt');
      const ap = [[35, 15], [25, 10]].find(([t]) => 100 * a > t! * votes)?.[1];
      if (ap !== undefined && rule(code, 'labour_vote').points !== ap) diffs.push(`${code} labour_vote`);
      const total = cell(mandater, code, '2023', 'value');
      const sumSq = PARTY_CODES.reduce((s, p) => s + cell(mandater, code, '2023', p) ** 2, 0);
      const enp = below((t) => total * total < t * sumSq, [[3, 10], [4, 7], [5, 4]]);
      if (rule(code, 'council_stability').points !== enp) diffs.push(`${code} council_stability (${total}²/${sumSq})`);
    }
    // 3450 Etnedal has 15 seats split 7/4/3/1: 225/75 = exactly 3 effective parties, which is not
    // "below 3" (7 points); the float form 1/Σshare² is 2.9999999999999996 and would give 10.
    expect(diffs).toEqual([]);
  });

  it('is deterministic: two runs are deep-equal, whatever the order of the observations', () => {
    const again = scoreAll({ model: seed2026, observations, kommuneCodes });
    expect(again).toEqual(scores);
    const reversed = scoreAll({ model: seed2026, observations: [...observations].reverse(), kommuneCodes });
    expect(reversed).toEqual(scores);
  });

  it('scores with real provenance only (no synthetic sources)', () => {
    const origins = new Set<string>();
    for (const s of scores as KommuneScore[]) for (const r of s.rules) for (const i of r.inputs) origins.add(i.source);
    expect([...origins].sort()).toEqual(['NAV', 'SSB']);
  });
});
