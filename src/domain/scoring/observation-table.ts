import { NATIONAL_REGION } from '../kommune/types';
import type { Observation } from '../observation';

/** What an observation says besides its kommune, indicator, period and value. */
export type ObservationMeta = Pick<Observation, 'status' | 'unit' | 'source' | 'sourceTable' | 'publishedAt' | 'fetchedAt' | 'origin' | 'note'>;

/**
 * One (indicator, period) for every kommune, aligned with the table's kommune list: the values
 * unboxed (NaN when absent or null) and, per kommune, which of the column's distinct metadata
 * records it has (0 = no observation; k = `metas[k - 1]`). A column of 100,000 kommuner is two
 * typed arrays and a handful of objects instead of 100,000 observation objects.
 */
export interface TableColumn {
  readonly values: Float64Array;
  readonly meta: Uint32Array;
  readonly metas: readonly ObservationMeta[];
}

/**
 * The observations a score run reads, by column. Kommune observations are stored as typed columns,
 * so a data set of any size keeps only the columns' distinct metadata records as objects (about
 * 1,600 for the snapshot), not one object per observation: at 100,000 kommuner 6.5 million
 * objects made each run of the garbage collector mark a gigabyte (docs/speed.md). An observation
 * is made again, equal field by field, when a score needs it as provenance (`observation`).
 * Norway's own observations (a handful) are kept as they are.
 * Observations of regions outside the kommune list are left out, as scoring ignores them. A value
 * that is not a number (NaN) reads as no value, as null does; the store accepts finite values only.
 */
export class ObservationTable {
  /** Periods with at least one kommune value, newest first, by indicator. */
  readonly periodsByIndicator: ReadonlyMap<string, readonly string[]>;

  constructor(
    readonly kommuneCodes: readonly string[],
    readonly national: readonly Observation[],
    readonly columns: ReadonlyMap<string, ReadonlyMap<string, TableColumn>>,
    /** Each kommune code's position in `kommuneCodes` (`from` passes the one it placed rows with). */
    readonly position: ReadonlyMap<string, number> = positionsOf(kommuneCodes),
  ) {
    const periods = new Map<string, string[]>();
    for (const [indicator, byPeriod] of columns) {
      const have: string[] = [];
      for (const [period, col] of byPeriod) if (col.values.some((v) => !Number.isNaN(v))) have.push(period);
      if (have.length > 0) periods.set(indicator, have.sort().reverse());
    }
    this.periodsByIndicator = periods;
  }

  /** The table of these observations for this kommune list (in the list's order). */
  static from(observations: readonly Observation[], kommuneCodes: readonly string[]): ObservationTable {
    const n = kommuneCodes.length;
    const position = positionsOf(kommuneCodes);
    const national: Observation[] = [];
    const columns = new Map<string, Map<string, Building>>();
    // Observations arrive grouped by kommune or by indicator: remember the last region and column.
    let region: string | undefined;
    let pos: number | undefined;
    let colIndicator: string | undefined;
    let colPeriod: string | undefined;
    let byPeriod: Map<string, Building> | undefined;
    let col: Building | undefined;
    for (const o of observations) {
      if (o.regionCode === NATIONAL_REGION) {
        national.push(o);
        continue;
      }
      if (o.regionCode !== region) {
        region = o.regionCode;
        pos = position.get(region);
      }
      if (pos === undefined) continue;
      if (o.indicator !== colIndicator || !byPeriod) {
        colIndicator = o.indicator;
        byPeriod = columns.get(o.indicator);
        if (!byPeriod) columns.set(o.indicator, (byPeriod = new Map()));
        col = undefined;
      }
      if (o.period !== colPeriod || !col) {
        colPeriod = o.period;
        col = byPeriod.get(o.period);
        if (!col) byPeriod.set(o.period, (col = { values: new Float64Array(n).fill(NaN), meta: new Uint32Array(n), metas: [], keys: null, last: 0 }));
      }
      col.meta[pos] = metaIndex(col, o);
      col.values[pos] = o.value === null ? NaN : o.value;
    }
    const out = new Map<string, Map<string, TableColumn>>();
    for (const [indicator, periods] of columns) {
      out.set(indicator, new Map([...periods].map(([p, c]) => [p, { values: c.values, meta: c.meta, metas: c.metas }])));
    }
    return new ObservationTable(kommuneCodes, national, out, position);
  }

  column(indicator: string, period: string): TableColumn | undefined {
    return this.columns.get(indicator)?.get(period);
  }

  /** The observation of the kommune at `pos`, made again from its column (equal field by field to the one stored). */
  observation(indicator: string, period: string, col: TableColumn, pos: number): Observation | undefined {
    const k = col.meta[pos]!;
    if (k === 0) return undefined;
    const m = col.metas[k - 1]!;
    const v = col.values[pos]!;
    return {
      regionCode: this.kommuneCodes[pos]!,
      indicator,
      period,
      value: Number.isNaN(v) ? null : v,
      status: m.status,
      unit: m.unit,
      source: m.source,
      sourceTable: m.sourceTable,
      publishedAt: m.publishedAt,
      fetchedAt: m.fetchedAt,
      origin: m.origin,
      note: m.note,
    };
  }
}

/** Each code's position in the list; a code listed twice is refused. */
function positionsOf(kommuneCodes: readonly string[]): Map<string, number> {
  const position = new Map<string, number>();
  kommuneCodes.forEach((c, i) => position.set(c, i));
  if (position.size !== kommuneCodes.length) throw new Error('an observation table needs each kommune code once');
  return position;
}

interface Building {
  values: Float64Array;
  meta: Uint32Array;
  metas: ObservationMeta[];
  /** By key, once a column has many distinct records. */
  keys: Map<string, number> | null;
  /** The record the previous observation of the column had (1-based; 0 = none yet). */
  last: number;
}

/** The column's record for this observation's metadata (1-based), added when new. */
function metaIndex(col: Building, o: Observation): number {
  // Nearly every observation of a column has the record the previous one had: compare fields.
  if (col.last !== 0 && sameMeta(col.metas[col.last - 1]!, o)) return col.last;
  let k: number | undefined;
  if (col.keys) k = col.keys.get(metaKey(o));
  else {
    const i = col.metas.findIndex((m) => sameMeta(m, o));
    if (i >= 0) k = i + 1;
  }
  if (k === undefined) {
    col.metas.push(metaOf(o));
    k = col.metas.length;
    if (col.keys) col.keys.set(metaKey(o), k);
    else if (k > 16) col.keys = new Map(col.metas.map((m, i) => [metaKey(m), i + 1]));
  }
  col.last = k;
  return k;
}

function sameMeta(m: ObservationMeta, o: ObservationMeta): boolean {
  return (
    m.status === o.status &&
    m.unit === o.unit &&
    m.source === o.source &&
    m.sourceTable === o.sourceTable &&
    m.publishedAt === o.publishedAt &&
    m.fetchedAt === o.fetchedAt &&
    m.origin === o.origin &&
    m.note === o.note
  );
}

function metaOf(o: Observation): ObservationMeta {
  return { status: o.status, unit: o.unit, source: o.source, sourceTable: o.sourceTable, publishedAt: o.publishedAt, fetchedAt: o.fetchedAt, origin: o.origin, note: o.note };
}

/** null and undefined apart from each other and from any text. */
const optional = (v: string | null | undefined) => (v === null ? '\u0001' : v === undefined ? '\u0002' : v);

function metaKey(o: ObservationMeta): string {
  return `${o.status}\u0000${o.unit}\u0000${o.source}\u0000${o.sourceTable}\u0000${optional(o.publishedAt)}\u0000${o.fetchedAt}\u0000${o.origin}\u0000${optional(o.note)}`;
}
