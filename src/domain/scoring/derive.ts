import { DWELLING_TYPES, PARTY_CODES, ind } from '../indicators';
import { NATIONAL_REGION } from '../kommune/types';
import type { Localized } from '../localized';
import type { Observation } from '../observation';
import type { DerivedIndicatorId, ScoringModel } from './model';

/**
 * Derived indicators: the values the rules of a model read, computed from observations.
 * Each returns its value with every input observation (provenance) and, where the rule compares
 * with Norway, the national reference and how that reference was obtained.
 *
 * National references (documented per method in docs/scoring.md):
 * - published: a national observation (region "0") for the same indicator and period;
 * - population-weighted mean of kommune values (median income);
 * - sales-weighted mean of kommune prices (price per m², SSB 06035);
 * - ratio of sums (unemployment from SSB 13563 counts, dwellings started per 1,000);
 * a computed reference needs kommune values covering `references.minPopulationCoverage` of the
 * population, otherwise it is missing and so is every rule that needs it.
 */

/**
 * An input of a score: the observation itself (its value and provenance). The engine keeps
 * references rather than copies; the store serialises them compactly.
 */
export type SourceRef = Pick<Observation, 'indicator' | 'regionCode' | 'period' | 'value' | 'unit' | 'source' | 'sourceTable' | 'publishedAt'>;

export type ReferenceMethod = 'published' | 'sum' | 'population-weighted-mean' | 'sales-weighted-mean' | 'ratio-of-sums';

export interface Reference {
  value: number;
  unit: string;
  period: string;
  method: ReferenceMethod;
  /** Share of Norway's population in kommuner that contributed (computed references). */
  populationCoverage: number | null;
  /** Published national observations used (method "published"); computed ones name their tables. */
  sources: SourceRef[];
}

export type Derived =
  | {
      ok: true;
      value: number;
      unit: string;
      period: string;
      /** The figures behind the value, for the one-line explanation (rendered by `explain.ts`). */
      detail: DerivedDetail;
      inputs: SourceRef[];
      reference?: Reference;
      /** Facts a rule's fallback reads (e.g. the left bloc's seats). */
      facts?: { leftSeats?: number; totalSeats?: number; leftParties?: string[] };
    }
  | { ok: false; reason: Localized; inputs: SourceRef[] };

/** Structured facts behind a derived value; text is rendered only when a user asks. */
export type DerivedDetail =
  | { k: 'popchange'; start: string; end: string; from: number; to: number }
  | { k: 'housing'; m2: number; price: number; cost: number; income: number; year: string }
  | { k: 'income'; own: number; national: number; year: string }
  | { k: 'unemployment'; own: number; national: number; source: string; period: string }
  | { k: 'labour'; votes: number; total: number; year: string }
  | { k: 'enp'; lists: number; seats: number; largest: number; year: string }
  | { k: 'pvi'; price: number; national: number; year: string }
  | { k: 'started'; per1000: number; national: number; period: string };

export function toRef(o: Observation): SourceRef {
  return o;
}

const EMPTY: readonly (Observation | undefined)[] = [];

/**
 * Fast lookups over one set of observations. Values are kept in columns per (indicator, period)
 * aligned with the kommune list, so scoring does array reads rather than keyed lookups.
 */
export class ObservationIndex {
  private readonly columns = new Map<string, Map<string, (Observation | undefined)[]>>();
  private readonly national = new Map<string, Observation>();
  private readonly periodsByIndicator = new Map<string, string[]>();
  private readonly position = new Map<string, number>();
  readonly kommuneCodes: readonly string[];

  constructor(observations: readonly Observation[], kommuneCodes: readonly string[]) {
    this.kommuneCodes = kommuneCodes;
    kommuneCodes.forEach((c, i) => this.position.set(c, i));
    const periods = new Map<string, Set<string>>();
    const n = kommuneCodes.length;
    for (const o of observations) {
      if (o.regionCode === NATIONAL_REGION) {
        this.national.set(`${o.indicator}|${o.period}`, o);
        continue;
      }
      const pos = this.position.get(o.regionCode);
      if (pos === undefined) continue;
      let byPeriod = this.columns.get(o.indicator);
      if (!byPeriod) this.columns.set(o.indicator, (byPeriod = new Map()));
      let col = byPeriod.get(o.period);
      if (!col) byPeriod.set(o.period, (col = new Array<Observation | undefined>(n)));
      col[pos] = o;
      if (o.value !== null) {
        let set = periods.get(o.indicator);
        if (!set) periods.set(o.indicator, (set = new Set()));
        set.add(o.period);
      }
    }
    for (const [k, set] of periods) this.periodsByIndicator.set(k, [...set].sort().reverse());
  }

  get(region: string, indicator: string, period: string): Observation | undefined {
    if (region === NATIONAL_REGION) return this.national.get(`${indicator}|${period}`);
    const pos = this.position.get(region);
    return pos === undefined ? undefined : this.columns.get(indicator)?.get(period)?.[pos];
  }

  /** All kommuner's observations of one indicator and period, aligned with `kommuneCodes`. */
  column(indicator: string, period: string): readonly (Observation | undefined)[] {
    return this.columns.get(indicator)?.get(period) ?? EMPTY;
  }

  positionOf(region: string): number | undefined {
    return this.position.get(region);
  }

  /** The value when present, else undefined. */
  value(region: string, indicator: string, period: string): number | undefined {
    const v = this.get(region, indicator, period)?.value;
    return v === null ? undefined : v;
  }

  /** Periods with at least one kommune value, newest first. */
  periods(indicator: string): readonly string[] {
    return this.periodsByIndicator.get(indicator) ?? [];
  }

  latest(indicator: string): string | undefined {
    return this.periods(indicator)[0];
  }
}

const L = (nb: string, en: string): Localized => ({ nb, en });

interface Seats {
  byParty: Map<string, number>;
  total: number;
  inputs: SourceRef[];
}

const SEAT_INDICATORS: readonly string[] = PARTY_CODES.map((p) => ind.councilSeats(p));
const VOTES_A = ind.councilVotes('A');

/** Computes and caches derived indicators and national references for one model and data set. */
export class Deriver {
  private readonly refCache = new Map<string, Reference | null>();
  private readonly popTotals = new Map<string, number | null>();

  constructor(
    readonly idx: ObservationIndex,
    readonly model: ScoringModel,
  ) {}

  derive(id: DerivedIndicatorId, code: string): Derived {
    switch (id) {
      case 'population_change_5y':
        return this.populationChange(code);
      case 'housing_cost_ratio':
        return this.housingCost(code);
      case 'median_income_pct_of_national':
        return this.medianIncome(code);
      case 'unemployment_pct_of_national':
        return this.unemployment(code);
      case 'labour_vote_share':
        return this.labourVote(code);
      case 'council_effective_parties':
        return this.effectiveParties(code);
      case 'property_value_index':
        return this.propertyIndex(code);
      case 'dwellings_started_pct_of_national':
        return this.dwellingsStarted(code);
    }
  }

  // ── population ────────────────────────────────────────────────────────────

  /** Norway's population on 1 January of a year: published, or the sum when every kommune has a value. */
  nationalPopulation(year: string): number | null {
    if (this.popTotals.has(year)) return this.popTotals.get(year)!;
    const published = this.idx.value(NATIONAL_REGION, ind.population, year);
    let total: number | null = published ?? null;
    if (total === null) {
      let sum = 0;
      for (const c of this.idx.kommuneCodes) {
        const v = this.idx.value(c, ind.population, year);
        if (v === undefined) {
          sum = NaN;
          break;
        }
        sum += v;
      }
      total = Number.isNaN(sum) ? null : sum;
    }
    this.popTotals.set(year, total);
    return total;
  }

  /** The population used to weight a period: 1 January of the period's year, or the nearest earlier year. */
  private weightPopulation(code: string, period: string): number | undefined {
    const year = Number(period.slice(0, 4));
    for (let y = year; y >= year - 2; y--) {
      const v = this.idx.value(code, ind.population, String(y));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The population of the nearest year with a figure (within five years), for coverage shares. */
  private anyPopulation(code: string, period: string): number {
    const year = Number(period.slice(0, 4));
    for (let d = 0; d <= 5; d++) {
      const v = this.idx.value(code, ind.population, String(year - d)) ?? this.idx.value(code, ind.population, String(year + d));
      if (v !== undefined) return v;
    }
    return 0;
  }

  private populationCoverage(codes: Iterable<string>, period: string): number {
    let covered = 0;
    let total = 0;
    const have = new Set(codes);
    for (const c of this.idx.kommuneCodes) {
      // A kommune without a figure for the year still counts with its nearest known population,
      // so a gap cannot make the covered share look larger than it is.
      const p = this.anyPopulation(c, period);
      total += p;
      if (have.has(c)) covered += p;
    }
    return total > 0 ? covered / total : 0;
  }

  private populationChange(code: string): Derived {
    const years = this.model.parameters.populationChange.years;
    const end = this.idx.latest(ind.population);
    if (!end) return { ok: false, reason: L('ingen befolkningstall', 'no population figures'), inputs: [] };
    const start = String(Number(end) - years);
    const oEnd = this.idx.get(code, ind.population, end);
    const oStart = this.idx.get(code, ind.population, start);
    const inputs = [oStart, oEnd].filter((o): o is Observation => !!o).map(toRef);
    if (oEnd?.value == null || oStart?.value == null) {
      const miss = oStart?.value == null ? start : end;
      return {
        ok: false,
        reason: L(`folketall for 1.1.${miss} mangler (SSB 07459)`, `population on 1 Jan ${miss} is missing (SSB 07459)`),
        inputs,
      };
    }
    const value = ((oEnd.value - oStart.value) / oStart.value) * 100;
    const ref = this.reference(`popchange|${start}|${end}`, () => {
      let a = 0;
      let b = 0;
      const codes: string[] = [];
      for (const c of this.idx.kommuneCodes) {
        const s = this.idx.value(c, ind.population, start);
        const e = this.idx.value(c, ind.population, end);
        if (s !== undefined && e !== undefined) {
          a += s;
          b += e;
          codes.push(c);
        }
      }
      const cov = this.populationCoverage(codes, end);
      if (a === 0 || cov < this.model.parameters.references.minPopulationCoverage) return null;
      return { value: ((b - a) / a) * 100, unit: '%', period: `${start}-${end}`, method: 'ratio-of-sums', populationCoverage: cov, sources: [] };
    });
    return {
      ok: true,
      value,
      unit: '%',
      period: `${start}-${end}`,
      detail: { k: 'popchange', start, end, from: oStart.value, to: oEnd.value },
      inputs,
      ...(ref ? { reference: ref } : {}),
    };
  }

  // ── prices and housing cost ───────────────────────────────────────────────

  /** Sales-weighted price per m² across SSB 06035's dwelling types for one kommune and year. */
  price(code: string, year: string): { value: number; inputs: SourceRef[] } | { value: null; suppressed: boolean; inputs: SourceRef[] } {
    const inputs: SourceRef[] = [];
    let weighted = 0;
    let sales = 0;
    let suppressed = false;
    const priced: number[] = [];
    let unweightable = false;
    for (const t of DWELLING_TYPES) {
      const p = this.idx.get(code, ind.priceM2(t.key), year);
      if (!p) continue;
      if (p.value === null) {
        if (p.status === 'suppressed') suppressed = true;
        continue;
      }
      inputs.push(toRef(p));
      priced.push(p.value);
      const s = this.idx.get(code, ind.sales(t.key), year);
      if (s?.value == null) unweightable = true;
      else {
        inputs.push(toRef(s));
        weighted += p.value * s.value;
        sales += s.value;
      }
    }
    if (priced.length === 0) return { value: null, suppressed, inputs };
    if (!unweightable && sales > 0) return { value: weighted / sales, inputs };
    if (priced.length === 1) return { value: priced[0]!, inputs };
    return { value: null, suppressed: false, inputs };
  }

  /** The year of price data: the latest year with sales counts (needed to weight dwelling types). */
  priceYear(): string | undefined {
    if (this.cachedPriceYear === null) this.cachedPriceYear = this.computePriceYear();
    return this.cachedPriceYear;
  }

  private cachedPriceYear: string | undefined | null = null;

  private computePriceYear(): string | undefined {
    return DWELLING_TYPES.map((t) => this.idx.latest(ind.sales(t.key))).filter((y): y is string => !!y).sort().reverse()[0];
  }

  nationalPrice(year: string): Reference | null {
    return this.reference(`price|${year}`, () => {
      let weighted = 0;
      let sales = 0;
      const codes: string[] = [];
      for (const c of this.idx.kommuneCodes) {
        let any = false;
        for (const t of DWELLING_TYPES) {
          const p = this.idx.value(c, ind.priceM2(t.key), year);
          const s = this.idx.value(c, ind.sales(t.key), year);
          if (p !== undefined && s !== undefined && s > 0) {
            weighted += p * s;
            sales += s;
            any = true;
          }
        }
        if (any) codes.push(c);
      }
      const cov = this.populationCoverage(codes, year);
      if (sales === 0 || cov < this.model.parameters.references.minPopulationCoverage) return null;
      return { value: weighted / sales, unit: 'kr/m²', period: year, method: 'sales-weighted-mean', populationCoverage: cov, sources: [] };
    });
  }

  private priceMissing(code: string, year: string | undefined, inputs: SourceRef[], suppressed: boolean): Derived {
    if (!year) return { ok: false, reason: L('ingen kvadratmeterpriser (SSB 06035)', 'no prices per m² (SSB 06035)'), inputs };
    return {
      ok: false,
      reason: suppressed
        ? L(`SSB publiserer ikke kvadratmeterpris for ${year} (for få omsetninger, tabell 06035)`, `SSB does not publish a price per m² for ${year} (too few sales, table 06035)`)
        : L(`kvadratmeterpris for ${year} mangler (SSB 06035)`, `price per m² for ${year} is missing (SSB 06035)`),
      inputs,
    };
  }

  private annualCost(price: number): number {
    const { dwellingSizeM2, loanShare, annualInterestRate, termYears } = this.model.parameters.housingCost;
    const loan = price * dwellingSizeM2 * loanShare;
    const n = termYears * 12;
    const r = annualInterestRate / 12;
    const monthly = r === 0 ? loan / n : (loan * r) / (1 - Math.pow(1 + r, -n));
    return monthly * 12;
  }

  private housingCost(code: string): Derived {
    const year = this.priceYear();
    const pr = year ? this.price(code, year) : { value: null, suppressed: false, inputs: [] as SourceRef[] };
    if (!year || pr.value === null) return this.priceMissing(code, year, pr.inputs, 'suppressed' in pr && pr.suppressed);
    const inc = this.idx.get(code, ind.medianIncome, year);
    const inputs = [...pr.inputs, ...(inc ? [toRef(inc)] : [])];
    if (inc?.value == null) {
      return { ok: false, reason: L(`medianinntekt for ${year} mangler (SSB 06944)`, `median income for ${year} is missing (SSB 06944)`), inputs };
    }
    const cost = this.annualCost(pr.value);
    const value = (cost / inc.value) * 100;
    const np = this.nationalPrice(year);
    const ni = this.nationalIncome(year);
    const reference: Reference | null =
      np && ni
        ? { value: (this.annualCost(np.value) / ni.value) * 100, unit: '%', period: year, method: np.method, populationCoverage: Math.min(np.populationCoverage ?? 1, ni.populationCoverage ?? 1), sources: [] }
        : null;
    const { dwellingSizeM2: m2 } = this.model.parameters.housingCost;
    return {
      ok: true,
      value,
      unit: '%',
      period: year,
      detail: { k: 'housing', m2, price: pr.value, cost, income: inc.value, year },
      inputs,
      ...(reference ? { reference } : {}),
    };
  }

  private propertyIndex(code: string): Derived {
    const year = this.priceYear();
    const pr = year ? this.price(code, year) : { value: null, suppressed: false, inputs: [] as SourceRef[] };
    if (!year || pr.value === null) return this.priceMissing(code, year, pr.inputs, 'suppressed' in pr && pr.suppressed);
    const ref = this.nationalPrice(year);
    if (!ref) return { ok: false, reason: this.noReference('kvadratmeterpris', 'price per m²', year), inputs: pr.inputs };
    const value = (pr.value / ref.value) * 100;
    return {
      ok: true,
      value,
      unit: 'indeks',
      period: year,
      detail: { k: 'pvi', price: pr.value, national: ref.value, year },
      inputs: pr.inputs,
      reference: ref,
    };
  }

  // ── income ────────────────────────────────────────────────────────────────

  nationalIncome(year: string): Reference | null {
    return this.weightedMean(ind.medianIncome, year, 'kr');
  }

  private medianIncome(code: string): Derived {
    const year = this.idx.latest(ind.medianIncome);
    const o = year ? this.idx.get(code, ind.medianIncome, year) : undefined;
    const inputs = o ? [toRef(o)] : [];
    if (!year || o?.value == null) {
      return { ok: false, reason: L('medianinntekt mangler (SSB 06944)', 'median income is missing (SSB 06944)'), inputs };
    }
    const ref = this.nationalIncome(year);
    if (!ref) return { ok: false, reason: this.noReference('medianinntekt', 'median income', year), inputs };
    const value = (o.value / ref.value) * 100;
    return {
      ok: true,
      value,
      unit: '% av landet',
      period: year,
      detail: { k: 'income', own: o.value, national: ref.value, year },
      inputs,
      reference: ref,
    };
  }

  // ── unemployment ──────────────────────────────────────────────────────────

  private unemploymentReference(def: string, period: string): Reference | null {
    return this.reference(`unemp|${def}|${period}`, () => {
      const pub = this.idx.get(NATIONAL_REGION, def, period);
      if (pub?.value != null) {
        return { value: pub.value, unit: pub.unit, period, method: 'published', populationCoverage: null, sources: [toRef(pub)] };
      }
      if (def !== ind.unemploymentSsb13563) return null;
      // SSB 13563 publishes counts, so Norway's rate is the ratio of the summed counts.
      let unemployed = 0;
      let employed = 0;
      const codes: string[] = [];
      for (const c of this.idx.kommuneCodes) {
        const u = this.idx.value(c, ind.unemployedSsb13563, period);
        const e = this.idx.value(c, ind.employedSsb13563, period);
        if (u !== undefined && e !== undefined) {
          unemployed += u;
          employed += e;
          codes.push(c);
        }
      }
      const cov = this.populationCoverage(codes, period);
      if (unemployed + employed === 0 || cov < this.model.parameters.references.minPopulationCoverage) return null;
      return { value: (100 * unemployed) / (unemployed + employed), unit: '%', period, method: 'ratio-of-sums', populationCoverage: cov, sources: [] };
    });
  }

  private unemployment(code: string): Derived {
    const tried: string[] = [];
    const inputs: SourceRef[] = [];
    for (const def of this.model.parameters.unemployment.definitions) {
      for (const period of this.idx.periods(def)) {
        const o = this.idx.get(code, def, period);
        if (o?.value == null) continue;
        const ref = this.unemploymentReference(def, period);
        if (!ref) {
          tried.push(`${o.source} ${o.sourceTable} ${period}`);
          inputs.push(toRef(o));
          continue;
        }
        const value = (o.value / ref.value) * 100;
        return {
          ok: true,
          value,
          unit: '% av landet',
          period,
          detail: { k: 'unemployment', own: o.value, national: ref.value, source: o.source, period },
          inputs: [toRef(o), ...ref.sources],
          reference: ref,
        };
      }
    }
    if (tried.length > 0) {
      return {
        ok: false,
        reason: L(
          `ledighetstall finnes (${tried.join(', ')}), men ikke landstall for samme mål og periode`,
          `unemployment figures exist (${tried.join(', ')}), but no national figure for the same measure and period`,
        ),
        inputs,
      };
    }
    return { ok: false, reason: L('ingen registrert ledighet for kommunen i datagrunnlaget', 'no registered unemployment for the kommune in the data'), inputs };
  }

  // ── politics ──────────────────────────────────────────────────────────────

  private labourVote(code: string): Derived {
    const year = this.model.parameters.politics.electionYear;
    const a = this.idx.get(code, VOTES_A, year);
    const total = this.idx.get(code, ind.councilVotesTotal, year);
    const inputs = [a, total].filter((o): o is Observation => !!o).map(toRef);
    if (a?.value == null || total?.value == null || total.value === 0) {
      return { ok: false, reason: L(`stemmetall fra kommunestyrevalget ${year} mangler (SSB 01180)`, `votes from the ${year} council election are missing (SSB 01180)`), inputs };
    }
    const value = (100 * a.value) / total.value;
    const seats = this.seats(code, year);
    const left = this.model.parameters.politics.leftParties;
    const facts = seats
      ? { leftSeats: left.reduce((s, p) => s + (seats.byParty.get(p) ?? 0), 0), totalSeats: seats.total, leftParties: left }
      : { leftParties: left };
    if (seats) inputs.push(...seats.inputs);
    return {
      ok: true,
      value,
      unit: '%',
      period: year,
      detail: { k: 'labour', votes: a.value, total: total.value, year },
      inputs,
      facts,
    };
  }

  private readonly seatCache = new Map<string, Seats | null>();

  /** Seats by party for one council; read by two rules, so computed once per kommune. */
  private seats(code: string, year: string): Seats | null {
    const key = `${code}|${year}`;
    let s = this.seatCache.get(key);
    if (s === undefined) this.seatCache.set(key, (s = this.readSeats(code, year)));
    return s;
  }

  private seatColumns: { year: string; total: readonly (Observation | undefined)[]; parties: (readonly (Observation | undefined)[])[] } | null = null;

  private readSeats(code: string, year: string): Seats | null {
    const pos = this.idx.positionOf(code);
    if (pos === undefined) return null;
    if (this.seatColumns?.year !== year) {
      this.seatColumns = {
        year,
        total: this.idx.column(ind.councilSeatsTotal, year),
        parties: SEAT_INDICATORS.map((id) => this.idx.column(id, year)),
      };
    }
    const cols = this.seatColumns;
    const total = cols.total[pos];
    if (total?.value == null || total.value <= 0) return null;
    const byParty = new Map<string, number>();
    const inputs: SourceRef[] = [toRef(total)];
    for (let i = 0; i < PARTY_CODES.length; i++) {
      const p = PARTY_CODES[i]!;
      const o = cols.parties[i]![pos];
      if (o?.value == null) return null;
      if (o.value > 0) {
        byParty.set(p, o.value);
        inputs.push(toRef(o));
      }
    }
    return { byParty, total: total.value, inputs };
  }

  private effectiveParties(code: string): Derived {
    const year = this.model.parameters.politics.electionYear;
    const seats = this.seats(code, year);
    if (!seats || seats.byParty.size === 0) {
      return { ok: false, reason: L(`mandatfordeling ${year} mangler (SSB 04813)`, `seat distribution ${year} is missing (SSB 04813)`), inputs: seats?.inputs ?? [] };
    }
    // S² / Σ s² equals 1 / Σ (s/S)² but stays in integers until the one division, so a council
    // of 15 split 7/4/3/1 gives exactly 3 (the float form gives 2.9999…, crossing a threshold).
    let sumSq = 0;
    for (const n of seats.byParty.values()) sumSq += n * n;
    const value = (seats.total * seats.total) / sumSq;
    const largest = [...seats.byParty.entries()].sort((x, y) => y[1] - x[1])[0]!;
    return {
      ok: true,
      value,
      unit: 'effektive partier',
      period: year,
      detail: { k: 'enp', lists: seats.byParty.size, seats: seats.total, largest: largest[1], year },
      inputs: seats.inputs,
    };
  }

  // ── dwellings started ─────────────────────────────────────────────────────

  private dwellingsReference(def: string, years: string[]): Reference | null {
    return this.reference(`started|${def}|${years.join(',')}`, () => this.publishedDwellingsRate(def, years) ?? this.summedDwellingsRate(def, years));
  }

  /** Norway's published dwellings started ÷ Norway's population, same table and years. */
  private publishedDwellingsRate(def: string, years: string[]): Reference | null {
    let started = 0;
    let pop = 0;
    const sources: SourceRef[] = [];
    for (const y of years) {
      const pub = this.idx.get(NATIONAL_REGION, def, y);
      const p = this.nationalPopulation(y);
      if (pub?.value == null || p === null) return null;
      started += pub.value;
      pop += p;
      sources.push(toRef(pub));
      const pp = this.idx.get(NATIONAL_REGION, ind.population, y);
      if (pp) sources.push(toRef(pp));
    }
    return { value: (1000 * started) / pop, unit: 'per 1000 innb.', period: years.join('+'), method: 'published', populationCoverage: null, sources };
  }

  /** Σ started ÷ Σ population over kommuner with figures for every year, when they cover enough of Norway. */
  private summedDwellingsRate(def: string, years: string[]): Reference | null {
    let started = 0;
    let pop = 0;
    const codes: string[] = [];
    for (const c of this.idx.kommuneCodes) {
      let s = 0;
      let p = 0;
      let complete = true;
      for (const y of years) {
        const v = this.idx.value(c, def, y);
        const q = this.idx.value(c, ind.population, y);
        if (v === undefined || q === undefined) {
          complete = false;
          break;
        }
        s += v;
        p += q;
      }
      if (!complete) continue;
      started += s;
      pop += p;
      codes.push(c);
    }
    const cov = this.populationCoverage(codes, years[0]!);
    if (pop === 0 || cov < this.model.parameters.references.minPopulationCoverage) return null;
    return { value: (1000 * started) / pop, unit: 'per 1000 innb.', period: years.join('+'), method: 'ratio-of-sums', populationCoverage: cov, sources: [] };
  }

  private dwellingsStarted(code: string): Derived {
    const n = this.model.parameters.dwellingsStarted.years;
    const tried: string[] = [];
    for (const def of this.model.parameters.dwellingsStarted.definitions) {
      const periods = this.idx.periods(def);
      for (let i = 0; i + n <= periods.length; i++) {
        // Most kommuner have no figure in most tables: test the newest year before building arrays.
        if (this.idx.get(code, def, periods[i]!)?.value == null) continue;
        const years = periods.slice(i, i + n);
        const obs = years.map((y) => this.idx.get(code, def, y));
        const pops = years.map((y) => this.idx.get(code, ind.population, y));
        if (obs.some((o) => o?.value == null) || pops.some((o) => o?.value == null)) continue;
        const ref = this.dwellingsReference(def, years);
        const first = obs[0]!;
        if (!ref) {
          tried.push(`${first.source} ${first.sourceTable} ${years.join('+')}`);
          continue;
        }
        const started = obs.reduce((s, o) => s + o!.value!, 0);
        const pop = pops.reduce((s, o) => s + o!.value!, 0);
        const per1000 = (1000 * started) / pop;
        const value = (100 * per1000) / ref.value;
        const period = years.join('+');
        return {
          ok: true,
          value,
          unit: '% av landet',
          period,
          detail: { k: 'started', per1000, national: ref.value, period },
          inputs: [...obs, ...pops].map((o) => toRef(o!)),
          reference: ref,
        };
      }
    }
    if (tried.length > 0) {
      return {
        ok: false,
        reason: L(
          `igangsatte boliger finnes (${tried.join(', ')}), men ikke landstall for samme tabell og år`,
          `dwellings started exist (${tried.join(', ')}), but no national figure for the same table and year`,
        ),
        inputs: [],
      };
    }
    return { ok: false, reason: L('ingen tall for igangsatte boliger i datagrunnlaget (SSB 05940/05889)', 'no dwellings-started figures in the data (SSB 05940/05889)'), inputs: [] };
  }

  // ── shared ────────────────────────────────────────────────────────────────

  /** Population-weighted mean of kommune values, or the published national value. */
  weightedMean(indicator: string, period: string, unit: string): Reference | null {
    return this.reference(`wmean|${indicator}|${period}`, () => {
      const pub = this.idx.get(NATIONAL_REGION, indicator, period);
      if (pub?.value != null) return { value: pub.value, unit, period, method: 'published', populationCoverage: null, sources: [toRef(pub)] };
      let sum = 0;
      let weight = 0;
      const codes: string[] = [];
      for (const c of this.idx.kommuneCodes) {
        const v = this.idx.value(c, indicator, period);
        const w = this.weightPopulation(c, period);
        if (v !== undefined && w !== undefined) {
          sum += v * w;
          weight += w;
          codes.push(c);
        }
      }
      const cov = this.populationCoverage(codes, period);
      if (weight === 0 || cov < this.model.parameters.references.minPopulationCoverage) return null;
      return { value: sum / weight, unit, period, method: 'population-weighted-mean', populationCoverage: cov, sources: [] };
    });
  }

  /** Norway's ratio Σnumerator/Σdenominator × scale, only when every kommune has both values. */
  nationalRatio(numerator: string, denominator: string, period: string, scale: number, unit: string): Reference | null {
    return this.reference(`ratio|${numerator}|${denominator}|${period}`, () => {
      const num = this.idx.value(NATIONAL_REGION, numerator, period);
      const den = this.idx.value(NATIONAL_REGION, denominator, period);
      if (num !== undefined && den !== undefined && den > 0) {
        return { value: (scale * num) / den, unit, period, method: 'published', populationCoverage: null, sources: [] };
      }
      let a = 0;
      let b = 0;
      for (const c of this.idx.kommuneCodes) {
        const x = this.idx.value(c, numerator, period);
        const y = this.idx.value(c, denominator, period);
        if (x === undefined || y === undefined) return null;
        a += x;
        b += y;
      }
      return b > 0 ? { value: (scale * a) / b, unit, period, method: 'ratio-of-sums', populationCoverage: 1, sources: [] } : null;
    });
  }

  private reference(key: string, compute: () => Reference | null): Reference | null {
    if (!this.refCache.has(key)) this.refCache.set(key, compute());
    return this.refCache.get(key)!;
  }

  private noReference(nb: string, en: string, period: string): Localized {
    return L(
      `landstall for ${nb} ${period} mangler (for få kommuner med tall)`,
      `no national ${en} for ${period} (too few kommuner with figures)`,
    );
  }
}
