import { ind } from '../indicators';
import { NATIONAL_REGION } from '../kommune/types';
import type { Localized } from '../localized';
import { L, toRef, type Reference, type ReferenceMethod, type SourceRef } from './derived';
import type { ObservationIndex } from './observation-index';

/**
 * National references shared by the indicator modules (documented per method in
 * docs/scoring.md):
 * - published: a national observation (region "0") for the same indicator and period;
 * - computed from kommune values: a ratio of sums (Σ numerator ÷ Σ denominator) over the kommuner
 *   that have both, which covers population-weighted means (Σ v·w ÷ Σ w), sales-weighted prices,
 *   unemployment from counts and dwellings started per 1,000.
 * A computed reference needs kommune values covering `minPopulationCoverage` of Norway's
 * population, otherwise it is missing and so is every rule that needs it.
 */
export class References {
  private readonly cache = new Map<string, Reference | null>();
  private readonly popTotals = new Map<string, number | null>();

  constructor(
    readonly idx: ObservationIndex,
    readonly minPopulationCoverage: number,
  ) {}

  /** A reference computed once per data set. */
  cached(key: string, compute: () => Reference | null): Reference | null {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key)!;
  }

  /** The published national observation of an indicator and period as a reference, if any. */
  published(indicator: string, period: string, unit?: string): Reference | null {
    const pub = this.idx.get(NATIONAL_REGION, indicator, period);
    return pub?.value != null ? { value: pub.value, unit: unit ?? pub.unit, period, method: 'published', populationCoverage: null, sources: [toRef(pub)] } : null;
  }

  /** Norway's population on 1 January of a year: published, or the sum when every kommune has a value. */
  nationalPopulation(year: string): number | null {
    if (this.popTotals.has(year)) return this.popTotals.get(year)!;
    const published = this.idx.value(NATIONAL_REGION, ind.population, year);
    let total: number | null = published ?? null;
    if (total === null) {
      let sum = 0;
      for (let i = 0; i < this.idx.kommuneCodes.length; i++) {
        const v = this.idx.value(this.idx.moveTo(i), ind.population, year);
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

  /** The population of the nearest year with a figure (within five years), for coverage shares. */
  anyPopulation(code: string, period: string): number {
    const year = Number(period.slice(0, 4));
    for (let d = 0; d <= 5; d++) {
      const v = this.idx.value(code, ind.population, String(year - d)) ?? this.idx.value(code, ind.population, String(year + d));
      if (v !== undefined) return v;
    }
    return 0;
  }

  private readonly coverageWeights = new Map<string, Float64Array>();

  /**
   * Each kommune's population for coverage shares in a period: a kommune without a figure for the
   * year counts with its nearest known population, so a gap cannot make a covered share look larger.
   */
  private weightsFor(period: string): Float64Array {
    const year = period.slice(0, 4);
    let w = this.coverageWeights.get(year);
    if (!w) {
      const codes = this.idx.kommuneCodes;
      w = new Float64Array(codes.length);
      for (let i = 0; i < codes.length; i++) w[i] = this.anyPopulation(this.idx.moveTo(i), year);
      this.coverageWeights.set(year, w);
    }
    return w;
  }

  /** Share of Norway's population living in the kommuner at these positions of the kommune list. */
  populationCoverage(positions: ArrayLike<boolean | number>, period: string): number {
    const w = this.weightsFor(period);
    let covered = 0;
    let total = 0;
    for (let i = 0; i < w.length; i++) {
      total += w[i]!;
      if (positions[i]) covered += w[i]!;
    }
    return total > 0 ? covered / total : 0;
  }

  /**
   * Σ numerator and Σ denominator over the kommuner for which `part` adds something, with the share
   * of the population they cover; null when that share is below the minimum or nothing was summed.
   * `part` calls `add` once per term (e.g. once per dwelling type), so sums are formed in one order.
   */
  sums(period: string, part: (code: string, add: (num: number, den: number) => void) => void): { num: number; den: number; coverage: number } | null {
    let num = 0;
    let den = 0;
    let added = false;
    const add = (n: number, d: number) => {
      num += n;
      den += d;
      added = true;
    };
    const codes = this.idx.kommuneCodes;
    const have = new Array<boolean>(codes.length).fill(false);
    for (let i = 0; i < codes.length; i++) {
      added = false;
      // moveTo: the lookups `part` makes for this kommune find it without a search by code.
      part(this.idx.moveTo(i), add);
      have[i] = added;
    }
    if (den === 0) return null;
    const coverage = this.populationCoverage(have, period);
    return coverage < this.minPopulationCoverage ? null : { num, den, coverage };
  }

  /** A computed reference from `sums`, its value `value(num, den)`. */
  ratioOfSums(
    key: string,
    period: string,
    part: (code: string, add: (num: number, den: number) => void) => void,
    out: { unit: string; method: ReferenceMethod; value: (num: number, den: number) => number; period?: string },
  ): Reference | null {
    return this.cached(key, () => {
      const s = this.sums(period, part);
      return s ? { value: out.value(s.num, s.den), unit: out.unit, period: out.period ?? period, method: out.method, populationCoverage: s.coverage, sources: [] } : null;
    });
  }

  /** The population used to weight a period: 1 January of the period's year, or the nearest earlier year. */
  weightPopulation(code: string, period: string): number | undefined {
    const year = Number(period.slice(0, 4));
    for (let y = year; y >= year - 2; y--) {
      const v = this.idx.value(code, ind.population, String(y));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Population-weighted mean of kommune values, or the published national value. */
  weightedMean(indicator: string, period: string, unit: string): Reference | null {
    return this.cached(`wmean|${indicator}|${period}`, () => {
      const pub = this.published(indicator, period, unit);
      if (pub) return pub;
      const s = this.sums(period, (c, add) => {
        const v = this.idx.value(c, indicator, period);
        const w = this.weightPopulation(c, period);
        if (v !== undefined && w !== undefined) add(v * w, w);
      });
      return s ? { value: s.num / s.den, unit, period, method: 'population-weighted-mean', populationCoverage: s.coverage, sources: [] } : null;
    });
  }

  /** Norway's ratio Σnumerator/Σdenominator × scale, only when every kommune has both values. */
  nationalRatio(numerator: string, denominator: string, period: string, scale: number, unit: string): Reference | null {
    return this.cached(`ratio|${numerator}|${denominator}|${period}`, () => {
      const num = this.idx.value(NATIONAL_REGION, numerator, period);
      const den = this.idx.value(NATIONAL_REGION, denominator, period);
      if (num !== undefined && den !== undefined && den > 0) {
        return { value: (scale * num) / den, unit, period, method: 'published', populationCoverage: null, sources: [] };
      }
      let a = 0;
      let b = 0;
      for (let i = 0; i < this.idx.kommuneCodes.length; i++) {
        const c = this.idx.moveTo(i);
        const x = this.idx.value(c, numerator, period);
        const y = this.idx.value(c, denominator, period);
        if (x === undefined || y === undefined) return null;
        a += x;
        b += y;
      }
      return b > 0 ? { value: (scale * a) / b, unit, period, method: 'ratio-of-sums', populationCoverage: 1, sources: [] } : null;
    });
  }

  /** Why a rule that needs a national reference is missing. */
  static missing(nb: string, en: string, period: string): Localized {
    return L(`landstall for ${nb} ${period} mangler (for få kommuner med tall)`, `no national ${en} for ${period} (too few kommuner with figures)`);
  }
}

export type { SourceRef };
