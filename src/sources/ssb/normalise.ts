import type { Observation, ObservationStatus } from '../../domain/observation';
import { NATIONAL_REGION } from '../../domain/kommune/types';
import { ind } from '../../domain/indicators';
import { cellStatus, type JsonStatDataset } from './jsonstat';
import { droppedKind, normaliseRegionCode } from './region';
import type { CodeMatch, SsbDerive, SsbSpec } from './specs';

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
  /** Periods the table has but the spec leaves to another table (`SsbSpec.periods`). */
  periodsOutside: string[];
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
  const outside = new Set<string>();
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
          const kind = droppedKind(n);
          if (kind === 'aggregate') dropped.aggregates++;
          else if (kind === 'special') dropped.specials++;
          else dropped.unknown++;
        }
      }
    }
    for (const cell of ds.cells()) {
      const region = regionMap.get(cell.coords[spec.regionVariable]!);
      if (!region) continue;
      const period = cell.coords[spec.timeVariable]!;
      if (!inPeriods(spec, period)) {
        outside.add(period);
        continue;
      }
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
  const derived: Observation[] = [];
  for (const d of spec.derive ?? []) {
    if (d.kind === 'unemployment-rate-13563') derived.push(...unemploymentRates(observations, spec, ctx));
    else derived.push(...shares(observations, d));
  }
  observations.push(...derived);
  return { observations, dropped, periods: [...periods].sort(), periodsOutside: [...outside].sort() };
}

function inPeriods(spec: SsbSpec, period: string): boolean {
  const p = spec.periods;
  return !p || ((p.from === undefined || period >= p.from) && (p.to === undefined || period <= p.to));
}

/** Pairs of observations of two indicators for the same region and period. */
function pairs(obs: readonly Observation[], a: string, b: string): { a: Observation; b: Observation }[] {
  const by = new Map<string, { a?: Observation; b?: Observation }>();
  for (const o of obs) {
    if (o.indicator !== a && o.indicator !== b) continue;
    const k = `${o.regionCode}|${o.period}`;
    const x = by.get(k) ?? {};
    if (o.indicator === a) x.a = o;
    else x.b = o;
    by.set(k, x);
  }
  return [...by.values()].filter((x): x is { a: Observation; b: Observation } => !!x.a && !!x.b);
}

const NOT_PUBLISHED = 'mangler: tellingene er ikke publisert';

/** 100 × part / whole per region and period, rounded as the spec says (a missing part or whole makes it missing). */
function shares(obs: readonly Observation[], d: Extract<SsbDerive, { kind: 'share' }>): Observation[] {
  const scale = 10 ** d.decimals;
  return pairs(obs, d.part, d.whole).map(({ a: part, b: whole }) => {
    const ok = part.value !== null && whole.value !== null && whole.value > 0;
    return {
      ...whole,
      indicator: d.indicator,
      unit: '%',
      value: ok ? Math.round((scale * 100 * part.value!) / whole.value!) / scale : null,
      status: ok ? 'ok' : whole.status === 'ok' ? part.status : whole.status,
      note: ok ? d.note : NOT_PUBLISHED,
    };
  });
}

/** 100 × registered unemployed / (employed + registered unemployed), as the snapshot computes it. */
function unemploymentRates(obs: readonly Observation[], spec: SsbSpec, ctx: NormaliseContext): Observation[] {
  return pairs(obs, ind.unemployedSsb13563, ind.employedSsb13563).map(({ a: u, b: e }) => {
    const ok = u.value !== null && e.value !== null && u.value + e.value > 0;
    return {
      ...u,
      indicator: ind.unemploymentSsb13563,
      unit: '%',
      value: ok ? Math.round((10000 * u.value!) / (u.value! + e.value!)) / 100 : null,
      status: ok ? 'ok' : 'missing',
      sourceTable: spec.table,
      origin: ctx.url,
      note: ok ? 'value = 100 × A.09 / (A.01 + A.09), beregnet av tomte' : NOT_PUBLISHED,
    };
  });
}
