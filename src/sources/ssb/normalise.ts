import type { Observation, ObservationStatus } from '../../domain/observation';
import { NATIONAL_REGION } from '../../domain/kommune/types';
import { ind } from '../../domain/indicators';
import { cellStatus, type JsonStatDataset } from './jsonstat';
import { normaliseRegionCode } from './region';
import type { CodeMatch, SsbSpec } from './specs';

export interface NormaliseContext {
  /** The 2024 kommune codes; other regions are dropped and counted. */
  kommuneCodes: ReadonlySet<string>;
  url: string;
  /** The table's `updated` stamp (ISO). */
  publishedAt: string | null;
  fetchedAt: string;
}

export interface NormaliseResult {
  observations: Observation[];
  dropped: { aggregates: number; specials: number; unknown: number };
  periods: string[];
}

function matches(code: string, m: CodeMatch, order: readonly string[]): boolean {
  if (typeof m === 'string') return code === m;
  if (Array.isArray(m)) return m.includes(code);
  const from = order.indexOf(m.from);
  return from >= 0 && order.indexOf(code) >= from;
}

const STATUS_RANK: Record<ObservationStatus, number> = { ok: 0, not_applicable: 1, missing: 2, suppressed: 3 };

/**
 * Turns decoded JSON-stat into observations for a spec: regions normalised to 2024 kommune codes
 * (national kept as "0", aggregates and specials dropped with a count), status symbols mapped to
 * "missing, with reason", sums formed only when every part is present.
 */
export function normaliseSsb(spec: SsbSpec, datasets: readonly JsonStatDataset[], ctx: NormaliseContext): NormaliseResult {
  const acc = new Map<string, { regionCode: string; indicator: string; unit: string; period: string; sum: number; status: ObservationStatus; symbols: Set<string> }>();
  const dropped = { aggregates: 0, specials: 0, unknown: 0 };
  const droppedRegions = new Set<string>();
  const periods = new Set<string>();
  for (const ds of datasets) {
    const regionDim = ds.dimensions[spec.regionVariable];
    if (!regionDim) throw new Error(`SSB ${spec.table}: response has no ${spec.regionVariable} dimension`);
    const regionMap = new Map<string, string | null>();
    for (const code of regionDim.codes) {
      const n = normaliseRegionCode(code);
      if (n.kind === 'kommune' && ctx.kommuneCodes.has(n.code)) regionMap.set(code, n.code);
      else if (n.kind === 'national') regionMap.set(code, NATIONAL_REGION);
      else {
        regionMap.set(code, null);
        if (!droppedRegions.has(code)) {
          droppedRegions.add(code);
          if (n.kind === 'county') dropped.aggregates++;
          else if (n.kind === 'kommune') dropped.unknown++;
          else dropped.specials++;
        }
      }
    }
    for (const cell of ds.cells()) {
      const region = regionMap.get(cell.coords[spec.regionVariable]!);
      if (!region) continue;
      const period = cell.coords[spec.timeVariable]!;
      for (const out of spec.outputs) {
        const ok = Object.entries(out.where).every(([v, m]) => matches(cell.coords[v]!, m, ds.dimensions[v]?.codes ?? []));
        if (!ok) continue;
        const key = `${region}|${out.indicator}|${period}`;
        let a = acc.get(key);
        if (!a) acc.set(key, (a = { regionCode: region, indicator: out.indicator, unit: out.unit, period, sum: 0, status: 'ok', symbols: new Set() }));
        const st = cellStatus(cell.value, cell.status);
        if (cell.status) a.symbols.add(cell.status);
        if (st !== 'ok' || typeof cell.value !== 'number') {
          if (STATUS_RANK[st === 'ok' ? 'missing' : st] > STATUS_RANK[a.status]) a.status = st === 'ok' ? 'missing' : st;
        } else a.sum += cell.value;
        periods.add(period);
      }
    }
  }
  const observations: Observation[] = [];
  for (const a of acc.values()) {
    observations.push({
      regionCode: a.regionCode,
      indicator: a.indicator,
      period: a.period,
      value: a.status === 'ok' ? a.sum : null,
      status: a.status,
      unit: a.unit,
      source: 'SSB',
      sourceTable: spec.table,
      publishedAt: ctx.publishedAt,
      fetchedAt: ctx.fetchedAt,
      origin: ctx.url,
      note: a.status === 'ok' ? null : `SSB-symbol ${[...a.symbols].join(' ') || '(tom celle)'}`,
    });
  }
  if (spec.derive === 'unemployment-rate-13563') observations.push(...unemploymentRates(observations, spec, ctx));
  return { observations, dropped, periods: [...periods].sort() };
}

/** 100 × registered unemployed / (employed + registered unemployed), as the snapshot computes it. */
function unemploymentRates(obs: readonly Observation[], spec: SsbSpec, ctx: NormaliseContext): Observation[] {
  const by = new Map<string, { u?: Observation; e?: Observation }>();
  for (const o of obs) {
    if (o.indicator !== ind.unemployedSsb13563 && o.indicator !== ind.employedSsb13563) continue;
    const k = `${o.regionCode}|${o.period}`;
    const x = by.get(k) ?? {};
    if (o.indicator === ind.unemployedSsb13563) x.u = o;
    else x.e = o;
    by.set(k, x);
  }
  const out: Observation[] = [];
  for (const { u, e } of by.values()) {
    if (!u || !e) continue;
    const ok = u.value !== null && e.value !== null && u.value + e.value > 0;
    out.push({
      ...u,
      indicator: ind.unemploymentSsb13563,
      unit: '%',
      value: ok ? Math.round((10000 * u.value!) / (u.value! + e.value!)) / 100 : null,
      status: ok ? 'ok' : 'missing',
      sourceTable: spec.table,
      origin: ctx.url,
      note: ok ? 'value = 100 × A.09 / (A.01 + A.09), beregnet av tomte' : 'mangler: tellingene er ikke publisert',
    });
  }
  return out;
}
