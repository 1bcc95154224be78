import { ind } from '../indicators';
import { NATIONAL_REGION } from '../kommune/types';
import type { Localized } from '../localized';
import { toRef, type Derived, type Deriver, type ReferenceMethod, type SourceRef } from './derive';

/** A figure shown on the kommune card, with the national comparison where one exists. */
export interface KeyIndicator {
  id: string;
  label: Localized;
  value: number | null;
  unit: string;
  period: string | null;
  national: { value: number; method: ReferenceMethod } | null;
  /** Why the value is missing, when it is. */
  missing: Localized | null;
  sources: SourceRef[];
}

const L = (nb: string, en: string): Localized => ({ nb, en });


function ki(
  id: string,
  label: Localized,
  unit: string,
  v: KiValue,
  national?: { value: number; method: ReferenceMethod } | null,
): KeyIndicator {
  if ('missing' in v) {
    return { id, label, value: null, unit, period: null, national: null, missing: v.missing, sources: v.sources ?? [] };
  }
  return {
    id,
    label,
    value: v.value,
    unit,
    period: v.period,
    national: national ? { value: national.value, method: national.method } : null,
    missing: null,
    sources: v.sources,
  };
}

type KiValue = { value: number; period: string; sources: SourceRef[] } | { missing: Localized; sources?: SourceRef[] };

function fromDerived(d: Derived | undefined): { missing: Localized; sources: SourceRef[] } {
  if (!d) return { missing: L('ikke beregnet', 'not computed'), sources: [] };
  return { missing: d.ok ? L('ikke beregnet', 'not computed') : d.reason, sources: d.inputs };
}

/** A derived indicator shown as it is, with its own national reference. */
function derivedKi(id: string, label: Localized, unit: string, d: Derived | undefined): KeyIndicator {
  const v: KiValue = d && d.ok ? { value: d.value, period: d.period, sources: d.inputs } : fromDerived(d);
  return ki(id, label, unit, v, d && d.ok ? (d.reference ?? null) : null);
}

export function keyIndicators(dv: Deriver, code: string, derived: ReadonlyMap<string, Derived>): KeyIndicator[] {
  const idx = dv.idx;
  const out: KeyIndicator[] = [];

  const popYear = idx.latest(ind.population);
  const pop = popYear ? idx.get(code, ind.population, popYear) : undefined;
  const natPop = popYear ? dv.nationalPopulation(popYear) : null;
  out.push(
    ki('population', L('Folketall', 'Population'), 'personer',
      pop?.value != null ? { value: pop.value, period: pop.period, sources: [toRef(pop)] } : { missing: L('folketall mangler (SSB 07459)', 'population is missing (SSB 07459)') },
      natPop !== null ? { value: natPop, method: idx.get(NATIONAL_REGION, ind.population, popYear!) ? 'published' : 'sum' } : null),
  );

  out.push(derivedKi('population_change_5y', L('Befolkningsendring 5 år', 'Population change, 5 years'), '%', derived.get('population_change_5y')));

  const y65 = idx.latest(ind.population65plus);
  const o65 = y65 ? idx.get(code, ind.population65plus, y65) : undefined;
  const p65 = y65 ? idx.get(code, ind.population, y65) : undefined;
  const nat65 = y65 ? dv.nationalRatio(ind.population65plus, ind.population, y65, 100, '%') : null;
  out.push(
    ki('share_65plus', L('Andel 65 år og eldre', 'Share aged 65+'), '%',
      o65?.value != null && p65?.value
        ? { value: (100 * o65.value) / p65.value, period: y65!, sources: [toRef(o65), toRef(p65)] }
        : { missing: L('aldersfordeling mangler (SSB 07459)', 'age distribution is missing (SSB 07459)') },
      nat65),
  );

  const incYear = idx.latest(ind.medianIncome);
  const inc = incYear ? idx.get(code, ind.medianIncome, incYear) : undefined;
  out.push(
    ki('median_income', L('Medianinntekt etter skatt (husholdninger)', 'Median household income after tax'), 'kr',
      inc?.value != null ? { value: inc.value, period: inc.period, sources: [toRef(inc)] } : { missing: L('medianinntekt mangler (SSB 06944)', 'median income is missing (SSB 06944)') },
      incYear ? dv.nationalIncome(incYear) : null),
  );

  const un = derived.get('unemployment_pct_of_national');
  if (un && un.ok && un.reference) {
    const own = un.inputs[0]!;
    out.push(ki('unemployment_rate', L('Registrert ledighet', 'Registered unemployment'), '%',
      { value: own.value!, period: un.period, sources: un.inputs }, un.reference));
  } else {
    // No national figure of the same measure: show the kommune's own latest figure without comparison.
    const own = dv.model.parameters.unemployment.definitions
      .map((def) => idx.periods(def).map((p) => idx.get(code, def, p)).find((o) => o?.value != null))
      .find((o) => o !== undefined);
    out.push(
      ki('unemployment_rate', L('Registrert ledighet', 'Registered unemployment'), '%',
        own?.value != null ? { value: own.value, period: own.period, sources: [toRef(own)] } : fromDerived(un)),
    );
  }

  const py = dv.priceYear();
  const pr = py ? dv.price(code, py) : null;
  out.push(
    ki('price_per_m2', L('Kvadratmeterpris brukte boliger', 'Price per m², used dwellings'), 'kr/m²',
      pr && pr.value !== null
        ? { value: pr.value, period: py!, sources: pr.inputs }
        : { missing: pr && 'suppressed' in pr && pr.suppressed ? L('SSB publiserer ikke tall (for få omsetninger)', 'not published by SSB (too few sales)') : L('mangler (SSB 06035)', 'missing (SSB 06035)'), sources: pr?.inputs ?? [] },
      py ? dv.nationalPrice(py) : null),
  );

  out.push(derivedKi('housing_cost_ratio', L('Boutgift i andel av medianinntekt', 'Housing cost, share of median income'), '%', derived.get('housing_cost_ratio')));

  const rsYear = idx.latest(ind.rentalShare);
  const rs = rsYear ? idx.get(code, ind.rentalShare, rsYear) : undefined;
  out.push(
    ki('rental_share', L('Andel husholdninger som leier', 'Households renting'), '%',
      rs?.value != null ? { value: rs.value, period: rs.period, sources: [toRef(rs)] } : { missing: L('mangler (SSB 11084)', 'missing (SSB 11084)') }),
  );

  const lv = derived.get('labour_vote_share');
  const ey = dv.model.parameters.politics.electionYear;
  const natAp = dv.nationalRatio(ind.councilVotes('A'), ind.councilVotesTotal, ey, 100, '%');
  out.push(
    ki('labour_vote_share', L('Ap-oppslutning kommunestyrevalg', 'Labour vote share, council election'), '%',
      lv && lv.ok ? { value: lv.value, period: lv.period, sources: lv.inputs.slice(0, 2) } : fromDerived(lv),
      natAp),
  );

  out.push(derivedKi('council_effective_parties', L('Effektivt antall partier i kommunestyret', 'Effective number of council parties'), 'partier', derived.get('council_effective_parties')));

  const ds = derived.get('dwellings_started_pct_of_national');
  if (ds && ds.ok && ds.reference) {
    out.push(ki('dwellings_started_per_1000', L('Igangsatte boliger per 1000 innbyggere', 'Dwellings started per 1,000 inhabitants'), 'per 1000',
      { value: (ds.value * ds.reference.value) / 100, period: ds.period, sources: ds.inputs }, ds.reference));
  } else {
    out.push(ki('dwellings_started_per_1000', L('Igangsatte boliger per 1000 innbyggere', 'Dwellings started per 1,000 inhabitants'), 'per 1000', fromDerived(ds)));
  }

  const mdYear = idx.latest(ind.municipalDwellingsPer1000);
  const md = mdYear ? idx.get(code, ind.municipalDwellingsPer1000, mdYear) : undefined;
  out.push(
    ki('municipal_dwellings_per_1000', L('Kommunalt disponerte boliger per 1000 innbyggere', 'Municipal dwellings per 1,000 inhabitants'), 'per 1000',
      md?.value != null ? { value: md.value, period: md.period, sources: [toRef(md)] } : { missing: L('mangler (SSB/KOSTRA 12008)', 'missing (SSB/KOSTRA 12008)'), sources: md ? [toRef(md)] : [] }),
  );
  return out;
}
