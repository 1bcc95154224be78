import type { Localized } from './localized';

/** Licence and attribution of each publisher whose figures tomte shows. */
export interface PublisherInfo {
  name: Localized;
  licence: string;
  attribution: string;
  url: string;
}

export const PUBLISHERS: Record<string, PublisherInfo> = {
  SSB: {
    name: { nb: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    licence: 'CC BY 4.0',
    attribution: 'Kilde: Statistisk sentralbyrå (SSB)',
    url: 'https://www.ssb.no/statbank',
  },
  NAV: {
    name: { nb: 'NAV', en: 'NAV (Norwegian Labour and Welfare Administration)' },
    licence: 'offentlig statistikk; vilkår for videreformidling ikke avklart',
    attribution: 'Kilde: NAV',
    url: 'https://www.nav.no/no/nav-og-samfunn/statistikk',
  },
  Kartverket: {
    name: { nb: 'Kartverket', en: 'Norwegian Mapping Authority' },
    licence: 'CC BY 4.0',
    attribution: '© Kartverket',
    url: 'https://www.kartverket.no',
  },
  KDD: {
    name: { nb: 'Kommunal- og distriktsdepartementet', en: 'Ministry of Local Government and Regional Development' },
    licence: 'NLOD 2.0',
    attribution: 'Kilde: Kommunal- og distriktsdepartementet (ROBEK)',
    url: 'https://www.regjeringen.no/no/tema/kommuner-og-regioner/kommuneokonomi/robek-2/id449271/',
  },
  Valgdirektoratet: {
    name: { nb: 'Valgdirektoratet', en: 'Norwegian Directorate of Elections' },
    licence: 'NLOD 2.0',
    attribution: 'Kilde: Valgdirektoratet',
    url: 'https://valgresultat.no',
  },
};

/** Statbank table titles for the tables tomte reads. */
export const TABLE_TITLES: Record<string, Localized> = {
  '07459': { nb: 'Befolkning, etter region, kjønn og alder', en: 'Population by region, sex and age' },
  '06944': { nb: 'Inntekt etter skatt for husholdninger (median)', en: 'Household income after tax (median)' },
  '06035': { nb: 'Selveierboliger: kvadratmeterpris og antall omsetninger', en: 'Owner-occupied dwellings: price per m² and sales' },
  '11084': { nb: 'Husholdninger etter eierstatus', en: 'Households by tenure' },
  '13563': { nb: 'Prioritert arbeidsstyrkestatus (registerbasert)', en: 'Labour force status (register-based)' },
  '05889': { nb: 'Igangsatte og fullførte boliger (kvartal)', en: 'Dwellings started and completed (quarterly)' },
  '05940': { nb: 'Boliger og bruksareal til bolig (årlig)', en: 'Dwellings and floor space (annual)' },
  '12008': { nb: 'Kommunalt disponerte boliger (KOSTRA)', en: 'Municipal dwellings (KOSTRA)' },
  '01180': { nb: 'Kommunestyrevalget: godkjente stemmer etter parti', en: 'Council election: approved votes by party' },
  '04813': { nb: 'Kommunestyremedlemmer etter parti', en: 'Council members by party' },
  '06265': { nb: 'Boliger etter bygningstype', en: 'Dwellings by type of building' },
  'KLASS 128': { nb: 'Standard for sentralitet', en: 'Classification of centrality' },
  ROBEK: { nb: 'Register om betinget godkjenning og kontroll', en: 'Register of kommuner under state financial supervision' },
};

export function sourceLabel(source: string, table: string): string {
  return /^\d{5}$/.test(table) ? `${source} ${table}` : `${source}: ${table}`;
}
