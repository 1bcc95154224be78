import { NATIONAL_REGION } from '../kommune/types';
import type { Observation } from '../observation';

const EMPTY: readonly (Observation | undefined)[] = [];

/** One (indicator, period): each kommune's observation and, unboxed, its value (NaN when absent or null). */
interface Column {
  readonly obs: (Observation | undefined)[];
  readonly values: Float64Array;
}

/**
 * Fast lookups over one set of observations. Each (indicator, period) is a column aligned with the
 * kommune list: the observations (for provenance) and their values in a Float64Array, so scoring
 * reads numbers from contiguous memory instead of following a pointer per observation, which at
 * 100,000 kommuner is a cache miss each time.
 */
export class ObservationIndex {
  private readonly columns = new Map<string, Map<string, Column>>();
  private readonly national = new Map<string, Observation>();
  private readonly periodsByIndicator = new Map<string, string[]>();
  private readonly position = new Map<string, number>();
  readonly kommuneCodes: readonly string[];
  // Derivations ask about one kommune many times in a row: the last position asked for.
  private lastRegion: string | undefined;
  private lastPos: number | undefined;

  constructor(observations: readonly Observation[], kommuneCodes: readonly string[]) {
    this.kommuneCodes = kommuneCodes;
    kommuneCodes.forEach((c, i) => this.position.set(c, i));
    const periods = new Map<string, Set<string>>();
    const n = kommuneCodes.length;
    // Observations arrive grouped by kommune or by indicator: remember the last region, indicator and column.
    let region: string | undefined;
    let pos: number | undefined;
    let colIndicator: string | undefined;
    let byPeriod: Map<string, Column> | undefined;
    let colPeriod: string | undefined;
    let col: Column | undefined;
    for (const o of observations) {
      if (o.regionCode === NATIONAL_REGION) {
        this.national.set(`${o.indicator}|${o.period}`, o);
        continue;
      }
      if (o.regionCode !== region) {
        region = o.regionCode;
        pos = this.position.get(region);
      }
      if (pos === undefined) continue;
      if (o.indicator !== colIndicator || !byPeriod) {
        colIndicator = o.indicator;
        byPeriod = this.columns.get(o.indicator);
        if (!byPeriod) this.columns.set(o.indicator, (byPeriod = new Map()));
        col = undefined;
      }
      if (o.period !== colPeriod || !col) {
        colPeriod = o.period;
        col = byPeriod.get(o.period);
        if (!col) byPeriod.set(o.period, (col = { obs: new Array<Observation | undefined>(n), values: new Float64Array(n).fill(NaN) }));
      }
      col.obs[pos] = o;
      if (o.value !== null) {
        col.values[pos] = o.value;
        let set = periods.get(o.indicator);
        if (!set) periods.set(o.indicator, (set = new Set()));
        set.add(o.period);
      } else col.values[pos] = NaN;
    }
    for (const [k, set] of periods) this.periodsByIndicator.set(k, [...set].sort().reverse());
  }

  get(region: string, indicator: string, period: string): Observation | undefined {
    if (region === NATIONAL_REGION) return this.national.get(`${indicator}|${period}`);
    const pos = this.positionOf(region);
    return pos === undefined ? undefined : this.columnOf(indicator, period)?.obs[pos];
  }

  /** All kommuner's observations of one indicator and period, aligned with `kommuneCodes`. */
  column(indicator: string, period: string): readonly (Observation | undefined)[] {
    return this.columnOf(indicator, period)?.obs ?? EMPTY;
  }

  positionOf(region: string): number | undefined {
    if (region !== this.lastRegion) {
      this.lastRegion = region;
      this.lastPos = this.position.get(region);
    }
    return this.lastPos;
  }

  /** The value when present, else undefined. Kommune values come from the unboxed column. */
  value(region: string, indicator: string, period: string): number | undefined {
    if (region === NATIONAL_REGION) {
      const v = this.get(region, indicator, period)?.value;
      return v === null ? undefined : v;
    }
    const pos = this.positionOf(region);
    const v = pos === undefined ? undefined : this.columnOf(indicator, period)?.values[pos];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  private columnOf(indicator: string, period: string): Column | undefined {
    return this.columns.get(indicator)?.get(period);
  }

  /** Periods with at least one kommune value, newest first. */
  periods(indicator: string): readonly string[] {
    return this.periodsByIndicator.get(indicator) ?? [];
  }

  latest(indicator: string): string | undefined {
    return this.periods(indicator)[0];
  }
}
