import type { Lang } from '../domain/localized';
import type { Kommune } from '../domain/kommune/types';
import { fmt, fmtPct } from '../domain/format';
import type { InvalidReason } from './grammar';
import type { ScoredKommune } from '../services/scored';
import type { SubscriptionKind } from '../domain/alerts/types';

/** User-facing texts: bokmål is the default, English on request. */
const nb = {
  internalError: 'Beklager, noe gikk galt hos oss. Prøv igjen om litt.',
  invalid(p: InvalidReason): string {
    switch (p.k) {
      case 'missing-kommune':
        return `Hvilken kommune? Skriv for eksempel «${p.command} Bodø» eller «${p.command} 1804».`;
      case 'bad-number':
        return `«${p.value}» er ikke et gyldig antall. Skriv for eksempel «topp 10».`;
      case 'bad-tier':
        return p.value === '' ? 'Hvilken tier? Skriv «tier 1», «tier 2» eller «tier 3».' : `«${p.value}» er ikke en tier. Bruk 1, 2 eller 3.`;
      case 'too-few-to-compare':
        return 'Skriv minst to kommuner, for eksempel «sammenlign Bodø, Tromsø».';
      case 'too-many-to-compare':
        return `Jeg kan sammenligne høyst ${p.max} kommuner om gangen.`;
      case 'unknown-option':
        return `Forstod ikke «${p.value}» i «${p.command}». Skriv «hjelp» for eksempler.`;
      case 'missing-model':
        return `Hvilken modell? Skriv for eksempel «${p.command} … modell seed-2026»; «modeller» viser dem.`;
    }
  },
  helpButton: 'Vis hjelp',
  tierUnclassified: 'ikke klassifisert (for lite data)',
  heldByHysteresis: (bound: number) => `beholdt: over nedre grense ${fmt(bound, 'nb')}`,
  splitKommune: (input: string) => `${input} ble delt 1.1.2024. Hvilken kommune mener du?`,
  ambiguous: (input: string) => `Flere kommuner heter «${input}». Hvilken mener du?`,
  notFound: (input: string) => `Fant ingen kommune som heter «${input}».`,
  notFoundHint: 'Skriv kommunenavnet (norsk, samisk eller kvensk) eller kommunenummeret, for eksempel «kommune 1804».',
  didYouMean: 'Mente du …?',
  didYouMeanCommand: (command: string) => `Mente du «${command}»?`,
  coverage: 'Datadekning',
  coverageShort: 'Data',
  coverageValue: (s: ScoredKommune) =>
    s.coverage >= 1
      ? '100 % av poengene har data'
      : `${fmtPct(s.coverage * 100, 'nb', 0)} av poengene har data; med manglende tall kunne totalen blitt opptil ${fmt(s.maxPossible, 'nb')}`,
  total: 'Totalt',
  of: 'av',
  trend: 'Utvikling',
  noTrend: 'ingen tidligere beregning å sammenligne med',
  pointsSince: 'poeng siden',
  codeChanged: (prev: { code: string; name: string }, k: Kommune) => `Merk: ${prev.code} ${prev.name} er i dag ${k.code} ${k.name} (kommunenummeret er endret).`,
  notScoredYet: 'Kommunen er ikke beregnet ennå.',
  categories: 'Kategorier',
  category: 'Kategori',
  points: 'Poeng',
  withData: 'Med data',
  rules: 'Regel for regel',
  rule: 'Regel',
  reason: 'Begrunnelse',
  ruleSources: 'Kilder per regel',
  none: 'ingen',
  keyIndicators: 'Nøkkeltall',
  indicator: 'Indikator',
  norway: 'Landet',
  period: 'Periode',
  source: 'Kilde',
  missing: 'mangler',
  missingData: 'Mangler data (teller ikke i totalen)',
  sources: 'Kilder',
  modelLine: (id: string, version: string, at: Date | null) => `Modell ${id} v${version}${at ? ` · beregnet ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''} · «hvorfor <kommune>» viser hver regel`,
  whyButton: 'Hvorfor?',
  shareButton: 'Del i kanalen',
  cardButton: 'Vis kortet',
  unknownCounty: (c: string) => `Fant ikke fylket «${c}».`,
  counties: 'Fylker',
  topTitle: (n: number, county?: string) => `Topp ${n} kommuner${county ? ` i ${county}` : ''}`,
  tierTitle: (tier: number, n: number, county?: string) => `Tier ${tier}: ${n} ${n === 1 ? 'kommune' : 'kommuner'}${county ? ` i ${county}` : ''}`,
  noneMatched: 'Ingen kommuner passer.',
  kommune: 'Kommune',
  county: 'Fylke',
  unclassifiedNote: (minCoverage: number) =>
    `Tier «–»: for lite data til å plassere kommunen (under ${fmtPct(minCoverage * 100, 'nb', 0)} av poengene har data, eller for lite i én søyle, og manglende tall kan endre tier).`,
  unknownModel: (id: string, known: string[]) => `Kjenner ingen modell «${id}». Modellene er ${known.join(' og ')}; «modeller» forteller om dem.`,
  otherModel: (title: string, score: string, command: string) => `${title}: ${score} («${command}»)`,
  modelsTitle: 'Modellene',
  modelDefault: 'standard',
  pillars: 'Søyler',
  strongest: 'Viktigste grunner',
  pillar: 'Søyle',
  gates: 'Sperrer for Tier 1',
  gateHolds: 'gjelder',
  gateClear: 'ok',
  inactiveNote: (n: number) => `${n} ${n === 1 ? 'indikator' : 'indikatorer'} rangeres ikke ennå (for få kommuner har tallet); søylen regnes på de andre.`,
  validationTitle: 'Treffsikkerhet mot kjente tilfeller',
  validationHeader: ['Rangering', 'Snittpersentil', 'Topp 25', 'Topp 50', 'AUC'],
  validationNote: (n: number, N: number) => `${n} kommuner som har solgt eller festet bort tomt til ikke-kommersielle boliger, kjørt leie-til-eie eller vedtatt slik politikk (data/fasit), rangert blant ${N}. 1 = øverst, 0,5 = tilfeldig.`,
  compareTitle: (names: string[]) => `Sammenligning: ${names.join(', ')}`,
  score: 'Poeng',
  table: 'Tabell',
  periods: 'Perioder',
  kommuner: 'Kommuner',
  fetched: 'Hentet',
  licences: 'Lisenser og kreditering',
  sourcesNote: 'Alle tall vises med kilde og periode. Manglende tall vises som manglende og gir ikke poeng.',
  sourcesTitle: 'Datakilder',
  statusTitle: 'Status',
  statusNote: (at: Date | null, refreshed: boolean) =>
    `${at ? `Siste beregning: ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Ingen beregning ennå.'} ${refreshed ? 'Tallene oppdateres fra SSB og Kartverket etter planen (tider i UTC).' : 'Ingen oppdatering fra kildene ennå: tallene kommer fra den medfølgende datapakken.'}`,
  refreshTitle: 'Oppdatering fra kildene',
  lastSuccess: 'Sist vellykket (UTC)',
  lastFailure: 'Sist feilet (UTC)',
  neverRefreshed: 'ikke hentet ennå',
  helpTitle: 'tomte – kommuner som kan selge tomt til ikke-kommersielle boliger',
  command: 'Kommando',
  what: 'Hva den gjør',
  helpFooter:
    'Kommunenavn kan skrives uten æøå, på samisk eller kvensk, eller som nummer (også gamle numre). Legg til «modell seed-2026» for svar etter planrapportens modell (f.eks. «topp 10 modell seed-2026»). Engelske kommandoer (municipality, top, compare, why, sources, help) gir svar på engelsk.',
  topButton: 'Topp 10',
  compareTop: (n: number) => `Sammenlign topp ${n}`,
  /** The subscription form (Slack modal, Teams card): src/chat/subscriptions/form.ts. */
  form: {
    title: 'Nytt abonnement',
    open: 'Nytt abonnement',
    submit: 'Opprett',
    cancel: 'Avbryt',
    kind: 'Hva vil du ha varsel om?',
    kinds: { tier1: 'Kommuner som går inn i eller ut av Tier 1', kommune: 'Hver endring for én kommune', tomter: 'Nye tomter og planoppstart', digest: 'Ukentlig sammendrag (mandag 08:00)' } as Record<SubscriptionKind, string>,
    place: 'Kommune eller fylke',
    placeHint: 'Påkrevd for «én kommune». For Tier 1: et fylke, eller tomt for hele landet. Sammendraget gjelder hele landet.',
    placeSearch: 'Søk etter kommune eller fylke',
    model: 'Poengmodell (valgfritt)',
    modelHint: 'Tomt: tjenestens standardmodell.',
    channel: 'Kanal',
    channelHint: 'Tomt: din overvåkningsliste i meldingsfanen med tomte.',
    county: (name: string) => `${name} (fylke)`,
    errors: {
      kind: 'Velg hva du vil ha varsel om.',
      unknownPlace: 'Fant ikke den kommunen eller det fylket. Velg fra listen.',
      needKommune: 'Velg en kommune.',
      tier1County: 'Tier 1-varsel kan begrenses til et fylke, ikke en kommune. Velg et fylke, eller «Hver endring for én kommune».',
      digestNoPlace: 'Sammendraget gjelder hele landet: la feltet stå tomt.',
      model: 'Ukjent poengmodell. Velg fra listen.',
    },
  },
};

type Texts = typeof nb;

const en: Texts = {
  internalError: 'Sorry, something went wrong on our side. Please try again shortly.',
  invalid(p: InvalidReason): string {
    switch (p.k) {
      case 'missing-kommune':
        return `Which kommune? Try "${p.command} Bodø" or "${p.command} 1804".`;
      case 'bad-number':
        return `"${p.value}" is not a valid number. Try "top 10".`;
      case 'bad-tier':
        return p.value === '' ? 'Which tier? Try "tier 1", "tier 2" or "tier 3".' : `"${p.value}" is not a tier. Use 1, 2 or 3.`;
      case 'too-few-to-compare':
        return 'Name at least two kommuner, e.g. "compare Bodø, Tromsø".';
      case 'too-many-to-compare':
        return `I can compare at most ${p.max} kommuner at a time.`;
      case 'unknown-option':
        return `Did not understand "${p.value}" in "${p.command}". Type "help" for examples.`;
      case 'missing-model':
        return `Which model? Try "${p.command} … model seed-2026"; "models" lists them.`;
    }
  },
  helpButton: 'Show help',
  tierUnclassified: 'unclassified (too little data)',
  heldByHysteresis: (bound: number) => `kept: above the lower bound ${fmt(bound, 'en')}`,
  splitKommune: (input: string) => `${input} was split on 1 Jan 2024. Which kommune do you mean?`,
  ambiguous: (input: string) => `Several kommuner are called "${input}". Which one do you mean?`,
  notFound: (input: string) => `No kommune called "${input}".`,
  notFoundHint: 'Type the kommune name (Norwegian, Sami or Kven) or its number, e.g. "municipality 1804".',
  didYouMean: 'Did you mean …?',
  didYouMeanCommand: (command: string) => `Did you mean "${command}"?`,
  coverage: 'Data coverage',
  coverageShort: 'Data',
  coverageValue: (s: ScoredKommune) =>
    s.coverage >= 1
      ? '100 % of the points have data'
      : `${fmtPct(s.coverage * 100, 'en', 0)} of the points have data; with the missing figures the total could reach ${fmt(s.maxPossible, 'en')}`,
  total: 'Total',
  of: 'of',
  trend: 'Trend',
  noTrend: 'no earlier run to compare with',
  pointsSince: 'points since',
  codeChanged: (prev: { code: string; name: string }, k: Kommune) => `Note: ${prev.code} ${prev.name} is now ${k.code} ${k.name} (the kommune number changed).`,
  notScoredYet: 'The kommune has not been scored yet.',
  categories: 'Categories',
  category: 'Category',
  points: 'Points',
  withData: 'With data',
  rules: 'Rule by rule',
  rule: 'Rule',
  reason: 'Reason',
  ruleSources: 'Sources per rule',
  none: 'none',
  keyIndicators: 'Key figures',
  indicator: 'Indicator',
  norway: 'Norway',
  period: 'Period',
  source: 'Source',
  missing: 'missing',
  missingData: 'Missing data (not counted in the total)',
  sources: 'Sources',
  modelLine: (id: string, version: string, at: Date | null) => `Model ${id} v${version}${at ? ` · scored ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''} · "why <kommune>" shows every rule`,
  whyButton: 'Why?',
  shareButton: 'Share in channel',
  cardButton: 'Show card',
  unknownCounty: (c: string) => `No county called "${c}".`,
  counties: 'Counties',
  topTitle: (n: number, county?: string) => `Top ${n} kommuner${county ? ` in ${county}` : ''}`,
  tierTitle: (tier: number, n: number, county?: string) => `Tier ${tier}: ${n} ${n === 1 ? 'kommune' : 'kommuner'}${county ? ` in ${county}` : ''}`,
  noneMatched: 'No kommuner match.',
  kommune: 'Kommune',
  county: 'County',
  unclassifiedNote: (minCoverage: number) =>
    `Tier "–": too little data to place the kommune (under ${fmtPct(minCoverage * 100, 'en', 0)} of the points have data, or too little in one pillar, and the missing figures could change the tier).`,
  unknownModel: (id: string, known: string[]) => `No model called "${id}". The models are ${known.join(' and ')}; "models" describes them.`,
  otherModel: (title: string, score: string, command: string) => `${title}: ${score} ("${command}")`,
  modelsTitle: 'The models',
  modelDefault: 'default',
  pillars: 'Pillars',
  strongest: 'Strongest reasons',
  pillar: 'Pillar',
  gates: 'Gates for Tier 1',
  gateHolds: 'holds',
  gateClear: 'ok',
  inactiveNote: (n: number) => `${n} ${n === 1 ? 'indicator is' : 'indicators are'} not ranked yet (too few kommuner have the figure); the pillar is scored on the others.`,
  validationTitle: 'Hits against known cases',
  validationHeader: ['Ranking', 'Mean percentile', 'Top 25', 'Top 50', 'AUC'],
  validationNote: (n: number, N: number) => `${n} kommuner that sold or leased land to non-commercial housing, ran rent-to-own or adopted such a policy (data/fasit), ranked among ${N}. 1 = top, 0.5 = chance.`,
  compareTitle: (names: string[]) => `Comparison: ${names.join(', ')}`,
  score: 'Score',
  table: 'Table',
  periods: 'Periods',
  kommuner: 'Kommuner',
  fetched: 'Fetched',
  licences: 'Licences and attribution',
  sourcesNote: 'Every figure is shown with its source and period. Missing figures are shown as missing and earn no points.',
  sourcesTitle: 'Data sources',
  statusTitle: 'Status',
  statusNote: (at: Date | null, refreshed: boolean) =>
    `${at ? `Last scored: ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Not scored yet.'} ${refreshed ? 'Figures are refreshed from SSB and Kartverket on schedule (times in UTC).' : 'No refresh from the sources yet: the figures come from the bundled snapshot.'}`,
  refreshTitle: 'Refresh from the sources',
  lastSuccess: 'Last success (UTC)',
  lastFailure: 'Last failure (UTC)',
  neverRefreshed: 'not fetched yet',
  helpTitle: 'tomte – kommuner that may sell land for non-commercial housing',
  command: 'Command',
  what: 'What it does',
  helpFooter:
    'Kommune names work without æøå, in Sami or Kven, or as numbers (old numbers too). Add "model seed-2026" for answers by the planning report\'s model (e.g. "top 10 model seed-2026"). Norwegian commands (kommune, topp, sammenlign, hvorfor, kilder, hjelp) answer in bokmål unless English is your setting.',
  topButton: 'Top 10',
  compareTop: (n: number) => `Compare top ${n}`,
  form: {
    title: 'New subscription',
    open: 'New subscription',
    submit: 'Create',
    cancel: 'Cancel',
    kind: 'What do you want alerts about?',
    kinds: { tier1: 'Kommuner entering or leaving Tier 1', kommune: 'Every change for one kommune', tomter: 'New lots and plan starts', digest: 'Weekly digest (Monday 08:00)' },
    place: 'Kommune or county',
    placeHint: 'Required for "one kommune". For Tier 1: a county, or empty for all of Norway. The digest covers all of Norway.',
    placeSearch: 'Search for a kommune or county',
    model: 'Scoring model (optional)',
    modelHint: "Empty: the service's default model.",
    channel: 'Channel',
    channelHint: 'Empty: your watchlist in the Messages tab with tomte.',
    county: (name: string) => `${name} (county)`,
    errors: {
      kind: 'Choose what you want alerts about.',
      unknownPlace: 'No such kommune or county. Choose one from the list.',
      needKommune: 'Choose a kommune.',
      tier1County: 'Tier 1 alerts can be limited to a county, not a kommune. Choose a county, or "Every change for one kommune".',
      digestNoPlace: 'The digest covers all of Norway: leave this empty.',
      model: 'Unknown scoring model. Choose one from the list.',
    },
  },
};

export function t(lang: Lang): Texts {
  return lang === 'en' ? en : nb;
}
