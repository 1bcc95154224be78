import { NATIONAL_REGION } from '../kommune/types';
import type { Observation } from '../observation';

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
