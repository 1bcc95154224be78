import { NATIONAL_REGION } from '../kommune/types';
import type { Observation } from '../observation';
import { ObservationTable, type ObservationMeta, type TableColumn } from './observation-table';

/**
 * Fast lookups over one set of observations, held as an `ObservationTable`: each
 * (indicator, period) is a column of unboxed values aligned with the kommune list, so scoring
 * reads numbers from contiguous memory, and an observation object is made only when a score
 * names it as an input.
 */
export class ObservationIndex {
  readonly table: ObservationTable;
  readonly kommuneCodes: readonly string[];
  private readonly national = new Map<string, Observation>();
  private readonly position: ReadonlyMap<string, number>;
  // Derivations ask about one kommune many times in a row: the last position asked for.
  private lastRegion: string | undefined;
  private lastPos: number | undefined;

  /**
   * From a table, or from observations and the kommune list (the table is built here). A table
   * brings its own kommune list; one given beside it must be the same.
   */
  constructor(input: ObservationTable | readonly Observation[], kommuneCodes?: readonly string[]) {
    const table = input instanceof ObservationTable ? input : ObservationTable.from(input, kommuneCodes ?? []);
    if (kommuneCodes && kommuneCodes !== table.kommuneCodes && (kommuneCodes.length !== table.kommuneCodes.length || kommuneCodes.some((c, i) => c !== table.kommuneCodes[i]))) {
      throw new Error('the observation table was built for another kommune list');
    }
    this.table = table;
    this.kommuneCodes = table.kommuneCodes;
    this.position = table.position;
    for (const o of table.national) this.national.set(`${o.indicator}|${o.period}`, o);
  }

  get(region: string, indicator: string, period: string): Observation | undefined {
    if (region === NATIONAL_REGION) return this.national.get(`${indicator}|${period}`);
    const pos = this.positionOf(region);
    if (pos === undefined) return undefined;
    const col = this.table.column(indicator, period);
    return col ? this.table.observation(indicator, period, col, pos) : undefined;
  }

  positionOf(region: string): number | undefined {
    if (region !== this.lastRegion) {
      this.lastRegion = region;
      this.lastPos = this.position.get(region);
    }
    return this.lastPos;
  }

  /**
   * The code of the kommune at `pos`, remembered as the last one asked for: loops over the kommune
   * list call this so the lookups that follow need no search by code.
   */
  moveTo(pos: number): string {
    const code = this.kommuneCodes[pos];
    if (code === undefined) throw new RangeError(`no kommune at position ${pos} of ${this.kommuneCodes.length}`);
    this.lastRegion = code;
    this.lastPos = pos;
    return code;
  }

  /** The value when present, else undefined. Kommune values come from the unboxed column. */
  value(region: string, indicator: string, period: string): number | undefined {
    if (region === NATIONAL_REGION) {
      const v = this.national.get(`${indicator}|${period}`)?.value;
      return v === null ? undefined : v;
    }
    const pos = this.positionOf(region);
    const v = pos === undefined ? undefined : this.table.column(indicator, period)?.values[pos];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  /** Every kommune's value of one indicator and period (NaN where missing), aligned with `kommuneCodes`. */
  values(indicator: string, period: string): Float64Array | undefined {
    return this.table.column(indicator, period)?.values;
  }

  /** The metadata of the first kommune (in list order) whose observation of this column passes `test`. */
  findMeta(indicator: string, period: string, test: (m: ObservationMeta) => boolean): ObservationMeta | undefined {
    const col: TableColumn | undefined = this.table.column(indicator, period);
    if (!col) return undefined;
    const passes = col.metas.map(test);
    for (let i = 0; i < col.meta.length; i++) {
      const k = col.meta[i]!;
      if (k !== 0 && passes[k - 1]) return col.metas[k - 1];
    }
    return undefined;
  }

  /** Periods with at least one kommune value, newest first. */
  periods(indicator: string): readonly string[] {
    return this.table.periodsByIndicator.get(indicator) ?? [];
  }

  latest(indicator: string): string | undefined {
    return this.periods(indicator)[0];
  }
}
