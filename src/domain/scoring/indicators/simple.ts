import { ind } from '../../indicators';
import { L, toRef } from '../derived';
import type { IndicatorModule } from '../deriver';
import { latestValue } from './latest-value';

/** Share of residents aged 65 and over (SSB 07459 counts), with Norway's share. */
export const share65plus: IndicatorModule = {
  id: 'share_65plus',
  reads: [],
  derive(ctx, code) {
    const year = ctx.idx.latest(ind.population65plus);
    const o65 = year ? ctx.idx.get(code, ind.population65plus, year) : undefined;
    const pop = year ? ctx.idx.get(code, ind.population, year) : undefined;
    if (!year || o65?.value == null || !pop?.value) return { ok: false, reason: L('aldersfordeling mangler (SSB 07459)', 'age distribution is missing (SSB 07459)'), inputs: [] };
    const national = ctx.refs.nationalRatio(ind.population65plus, ind.population, year, 100, '%');
    return {
      ok: true,
      value: (100 * o65.value) / pop.value,
      unit: '%',
      period: year,
      detail: { k: 'plain' },
      inputs: [toRef(o65), toRef(pop)],
      ...(national ? { reference: national } : {}),
    };
  },
};

/** Share of households that rent (SSB 11084). */
export const rentalShare = latestValue('rental_share', ind.rentalShare, '%', { nb: 'mangler (SSB 11084)', en: 'missing (SSB 11084)' });

/** Municipally disposed dwellings per 1,000 inhabitants (SSB/KOSTRA 12008). */
export const municipalDwellings = latestValue('municipal_dwellings_per_1000', ind.municipalDwellingsPer1000, 'per 1000', { nb: 'mangler (SSB/KOSTRA 12008)', en: 'missing (SSB/KOSTRA 12008)' }, { base: true });

/** SSB's centrality index, 0 (least) to 1000 (most central) (KLASS 128). */
export const centralityIndex = latestValue('centrality_index', ind.centralityIndex, 'av 1000', { nb: 'sentralitetsindeks mangler (SSB KLASS 128)', en: 'centrality index is missing (SSB KLASS 128)' });

/** Share of dwellings in apartment blocks (SSB 06265). */
export const dwellingShareBlocks = latestValue('dwelling_share_blocks', ind.dwellingShareBlocks, '%', { nb: 'boligtyper mangler (SSB 06265)', en: 'dwellings by type are missing (SSB 06265)' });

/** 1 when the kommune is in the ROBEK register on its latest published date, else 0. */
export const robekRegistered = latestValue('robek_registered', ind.robekRegistered, 'registrert', { nb: 'ROBEK-status mangler', en: 'ROBEK status is missing' });
