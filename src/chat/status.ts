import type { Lang } from '../domain/localized';
import { sourceLabel } from '../domain/publishers';
import type { DatasetStatus } from '../services/source-coverage';
import type { Section } from './reply';

/** Where `kilder` and `status` point for how each source was chosen (and why some are not used). */
export const SOURCES_DOC = 'docs/sources.md';

export function sourcesDocLine(lang: Lang): Section {
  return {
    type: 'context',
    text:
      lang === 'nb'
        ? `Hva hver kilde gir, vilkårene og hvorfor noen kilder ikke brukes (Kommunedatabasen, Husbanken, Eiendomsverdi): ${SOURCES_DOC} i tomte.`
        : `What each source offers, its terms, and why some are not used (Kommunedatabasen, Husbanken, Eiendomsverdi): ${SOURCES_DOC} in tomte.`,
  };
}

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '–');

/**
 * `status` per dataset: its source table, the latest period with kommune values, how many of the
 * kommuner have a value in it, when it was last fetched, and its last failure when that is newer.
 */
export function datasetStatusTable(rows: readonly DatasetStatus[], kommuner: number, lang: Lang): Section {
  const nb = lang === 'nb';
  return {
    type: 'table',
    title: nb ? 'Datasett: dekning, periode og kildetabell' : 'Datasets: coverage, period and source table',
    columns: [
      { label: nb ? 'Kilde og tabell' : 'Source and table' },
      { label: nb ? 'Siste periode' : 'Latest period' },
      { label: nb ? 'Dekning' : 'Coverage', align: 'right' },
      { label: nb ? 'Sist hentet (UTC)' : 'Last fetched (UTC)' },
      { label: nb ? 'Siste feil' : 'Last failure' },
    ],
    rows: rows.map((r) => {
      const s = r.refresh;
      const failing = s?.lastFailureAt && (!s.lastSuccessAt || s.lastFailureAt > s.lastSuccessAt);
      return [
        sourceLabel(r.source, r.table),
        r.coverage?.period ?? '–',
        r.coverage ? `${r.coverage.kommuner}/${kommuner}` : '–',
        s ? when(s.lastSuccessAt) : nb ? 'datapakken' : 'snapshot',
        failing ? `${when(s.lastFailureAt)}: ${(s.lastError ?? '').slice(0, 80)}` : '–',
      ];
    }),
  };
}
