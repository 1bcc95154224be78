import { ind } from '../../indicators';
import { NATIONAL_REGION } from '../../kommune/types';
import { L, toRef, type Derived, type Reference, type SourceRef } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/**
 * Dwellings started per 1,000 inhabitants over `dwellingsStarted.years` (SSB 05940 annual, 05889
 * sum of quarters — kept apart because SSB may revise annual figures), with Norway's rate from the
 * same table and years: published national counts, else Σ started ÷ Σ population over the
 * kommuner with figures for every year.
 */
function reference(ctx: DeriveContext, def: string, years: string[]): Reference | null {
  return ctx.refs.cached(`started|${def}|${years.join(',')}`, () => published(ctx, def, years) ?? summed(ctx, def, years));
}

function published(ctx: DeriveContext, def: string, years: string[]): Reference | null {
  let started = 0;
  let pop = 0;
  const sources: SourceRef[] = [];
  for (const y of years) {
    const pub = ctx.idx.get(NATIONAL_REGION, def, y);
    const p = ctx.refs.nationalPopulation(y);
    if (pub?.value == null || p === null) return null;
    started += pub.value;
    pop += p;
    sources.push(toRef(pub));
    const pp = ctx.idx.get(NATIONAL_REGION, ind.population, y);
    if (pp) sources.push(toRef(pp));
  }
  return { value: (1000 * started) / pop, unit: 'per 1000 innb.', period: years.join('+'), method: 'published', populationCoverage: null, sources };
}

function summed(ctx: DeriveContext, def: string, years: string[]): Reference | null {
  const s = ctx.refs.sums(years[0]!, (c, add) => {
    let started = 0;
    let pop = 0;
    for (const y of years) {
      const v = ctx.idx.value(c, def, y);
      const q = ctx.idx.value(c, ind.population, y);
      if (v === undefined || q === undefined) return;
      started += v;
      pop += q;
    }
    add(started, pop);
  });
  return s ? { value: (1000 * s.num) / s.den, unit: 'per 1000 innb.', period: years.join('+'), method: 'ratio-of-sums', populationCoverage: s.coverage, sources: [] } : null;
}

interface Found {
  per1000: number;
  started: number;
  pop: number;
  period: string;
  inputs: SourceRef[];
  reference: Reference | null;
  def: string;
}

/**
 * The newest complete window of `years` years in the first table (in priority order) that has
 * one. With `needReference`, a window counts only when Norway's rate exists for it. Runs per
 * kommune: arrays are built only for the window that is found.
 */
function find(ctx: DeriveContext, code: string, needReference: boolean): Found | { tried: string[] } {
  const n = ctx.params.dwellingsStarted.years;
  let tried: string[] | undefined;
  for (const def of ctx.params.dwellingsStarted.definitions) {
    const periods = ctx.idx.periods(def);
    next: for (let i = 0; i + n <= periods.length; i++) {
      // Most kommuner have no figure in most tables: test the newest year before anything else.
      if (ctx.idx.value(code, def, periods[i]!) === undefined) continue;
      let started = 0;
      let pop = 0;
      for (let k = i; k < i + n; k++) {
        const v = ctx.idx.value(code, def, periods[k]!);
        const q = ctx.idx.value(code, ind.population, periods[k]!);
        if (v === undefined || q === undefined) continue next;
        started += v;
        pop += q;
      }
      const years = periods.slice(i, i + n);
      const ref = reference(ctx, def, years);
      if (!ref && needReference) {
        const first = ctx.idx.get(code, def, years[0]!)!;
        (tried ??= []).push(`${first.source} ${first.sourceTable} ${years.join('+')}`);
        continue;
      }
      const inputs: SourceRef[] = [];
      for (const y of years) inputs.push(toRef(ctx.idx.get(code, def, y)!));
      for (const y of years) inputs.push(toRef(ctx.idx.get(code, ind.population, y)!));
      return { per1000: (1000 * started) / pop, started, pop, period: years.join('+'), inputs, reference: ref, def };
    }
  }
  return { tried: tried ?? [] };
}

function missing(tried: string[]): Derived {
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

/** The kommune's rate as % of Norway's (the seed model's rule). */
export const dwellingsStartedPct: IndicatorModule = {
  id: 'dwellings_started_pct_of_national',
  reads: ['dwellingsStarted'],
  derive(ctx, code) {
    const f = find(ctx, code, true);
    if ('tried' in f) return missing(f.tried);
    const ref = f.reference!;
    return {
      ok: true,
      value: (100 * f.per1000) / ref.value,
      unit: '% av landet',
      period: f.period,
      detail: { k: 'started', per1000: f.per1000, national: ref.value, period: f.period },
      inputs: f.inputs,
      reference: ref,
    };
  },
};

/**
 * Dwellings started per 1,000 inhabitants: the newest window with Norway's rate beside it, else
 * the newest window alone.
 */
export const dwellingsStartedPer1000: IndicatorModule = {
  id: 'dwellings_started_per_1000',
  reads: ['dwellingsStarted'],
  derive(ctx, code) {
    const withReference = find(ctx, code, true);
    const f = 'tried' in withReference ? find(ctx, code, false) : withReference;
    if ('tried' in f) return missing(f.tried);
    return {
      ok: true,
      value: f.per1000,
      unit: 'per 1000',
      period: f.period,
      detail: { k: 'rate', count: f.started, population: f.pop, period: f.period },
      inputs: f.inputs,
      base: f.pop / ctx.params.dwellingsStarted.years,
      ...(f.reference ? { reference: f.reference } : {}),
    };
  },
};
