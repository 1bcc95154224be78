/**
 * Tiny synthetic worlds for the scoring tests. Every observation carries obviously-test
 * provenance so a leak into real output would be easy to spot.
 */
import { PARTY_CODES, ind, type PartyCode } from '../../../../src/domain/indicators';
import { NATIONAL_REGION } from '../../../../src/domain/kommune/types';
import type { Observation, ObservationStatus } from '../../../../src/domain/observation';
import { scoreAll, type KommuneScore, type RuleResult, type Tier } from '../../../../src/domain/scoring/engine';
import { seed2026 } from '../../../../src/domain/scoring/models/seed-2026';

export const TEST_SOURCE = 'TEST-SOURCE';

/** One observation with test provenance. */
export function o(regionCode: string, indicator: string, period: string, value: number | null, status?: ObservationStatus): Observation {
  return {
    regionCode,
    indicator,
    period,
    value,
    status: status ?? (value === null ? 'missing' : 'ok'),
    unit: 'test-unit',
    source: TEST_SOURCE,
    sourceTable: 'test-table',
    publishedAt: null,
    fetchedAt: '1999-12-31',
    origin: 'test:factory',
    note: null,
  };
}

/** Annual cost per kr/m² of price under the seed model's housing parameters (annuity loan). */
export function annualCostPerPriceUnit(): number {
  const { dwellingSizeM2, loanShare, annualInterestRate, termYears } = seed2026.parameters.housingCost;
  const r = annualInterestRate / 12;
  const n = termYears * 12;
  return dwellingSizeM2 * loanShare * ((r / (1 - Math.pow(1 + r, -n))) * 12);
}

/** The price per m² that makes the housing-cost ratio equal `ratioPct` for `income`. */
export function priceForHousingRatio(ratioPct: number, income: number): number {
  return ((ratioPct / 100) * income) / annualCostPerPriceUnit();
}

type Series = [indicator: string, period: string, value: number | null][];

export interface KommuneSpec {
  code: string;
  /** Population on 1 Jan of the start (2021), 2024 and end (2026) years; null omits the value. */
  pop2021?: number | null;
  pop2024?: number | null;
  pop2026?: number | null;
  income?: number | null;
  /** Detached-house price per m² in 2024; 'suppressed' emits SSB's suppressed rows for all types. */
  price?: number | 'suppressed' | null;
  sales?: number;
  unemployment?: Series;
  votes?: { a: number; total: number } | null;
  seats?: Partial<Record<PartyCode, number>> | null;
  seatsTotal?: number;
  dwellings?: Series;
  extra?: Observation[];
}

export const DEFAULT_SEATS: Partial<Record<PartyCode, number>> = { A: 2, H: 2, FRP: 2, SP: 2, V: 2, KRF: 2 };

export function kommuneObs(spec: KommuneSpec): Observation[] {
  const c = spec.code;
  const out: Observation[] = [];
  const pop = { '2021': spec.pop2021 === undefined ? 10_000 : spec.pop2021, '2024': spec.pop2024 === undefined ? 10_000 : spec.pop2024, '2026': spec.pop2026 === undefined ? 10_000 : spec.pop2026 };
  for (const [y, v] of Object.entries(pop)) if (v !== null) out.push(o(c, ind.population, y, v));
  const income = spec.income === undefined ? 500_000 : spec.income;
  if (income !== null) out.push(o(c, ind.medianIncome, '2024', income));
  const price = spec.price === undefined ? 20_000 : spec.price;
  if (price === 'suppressed') {
    for (const t of ['detached', 'small_houses', 'apartments']) out.push(o(c, ind.priceM2(t), '2024', null, 'suppressed'));
  } else if (price !== null) {
    out.push(o(c, ind.priceM2('detached'), '2024', price));
    out.push(o(c, ind.sales('detached'), '2024', spec.sales ?? 10));
  }
  for (const [i, p, v] of spec.unemployment ?? [[ind.unemploymentNav12m, '2025', 2.0]]) out.push(o(c, i, p, v));
  const votes = spec.votes === undefined ? { a: 200, total: 1000 } : spec.votes;
  if (votes) {
    out.push(o(c, ind.councilVotes('A'), '2023', votes.a));
    out.push(o(c, ind.councilVotesTotal, '2023', votes.total));
  }
  const seats = spec.seats === undefined ? DEFAULT_SEATS : spec.seats;
  if (seats) {
    let sum = 0;
    for (const p of PARTY_CODES) {
      out.push(o(c, ind.councilSeats(p), '2023', seats[p] ?? 0));
      sum += seats[p] ?? 0;
    }
    out.push(o(c, ind.councilSeatsTotal, '2023', spec.seatsTotal ?? sum));
  }
  for (const [i, p, v] of spec.dwellings ?? [[ind.dwellingsStarted05889, '2024', 10]]) out.push(o(c, i, p, v));
  out.push(...(spec.extra ?? []));
  return out;
}

export interface NationalSpec {
  pop2024?: number | null;
  income2024?: number | null;
  nav12m2025?: number | null;
  started05889in2024?: number | null;
  extra?: Observation[];
}

/** Published national rows (region "0"); defaults make every default kommune exactly "national". */
export function nationalObs(spec: NationalSpec = {}): Observation[] {
  const N = NATIONAL_REGION;
  const rows: [string, string, number | null | undefined, number][] = [
    [ind.population, '2024', spec.pop2024, 1_000_000],
    [ind.medianIncome, '2024', spec.income2024, 500_000],
    [ind.unemploymentNav12m, '2025', spec.nav12m2025, 2.0],
    [ind.dwellingsStarted05889, '2024', spec.started05889in2024, 1_000],
  ];
  const out = rows.filter(([, , v]) => v !== null).map(([i, p, v, d]) => o(N, i, p, v ?? d));
  return [...out, ...(spec.extra ?? [])];
}

export interface World {
  observations: Observation[];
  kommuneCodes: string[];
}

export function world(kommuner: KommuneSpec[], national: NationalSpec = {}): World {
  return {
    observations: [...kommuner.flatMap(kommuneObs), ...nationalObs(national)],
    kommuneCodes: kommuner.map((k) => k.code),
  };
}

export function score(w: World, previousTiers?: ReadonlyMap<string, Tier | null>): Map<string, KommuneScore> {
  const res = scoreAll({ model: seed2026, observations: w.observations, kommuneCodes: w.kommuneCodes, ...(previousTiers ? { previousTiers } : {}) });
  return new Map(res.map((r) => [r.kommuneCode, r]));
}

export function ruleOf(s: KommuneScore | undefined, ruleId: string): RuleResult {
  const r = s?.rules.find((x) => x.ruleId === ruleId);
  if (!r) throw new Error(`no rule ${ruleId} in ${s?.kommuneCode ?? '(no score)'}`);
  return r;
}

export function pointsOf(s: KommuneScore | undefined): Record<string, number | null> {
  if (!s) throw new Error('no score');
  return Object.fromEntries(s.rules.map((r) => [r.ruleId, r.points]));
}
