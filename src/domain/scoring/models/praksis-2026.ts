import { parseModelOf } from '../model';
import { seed2026 } from './seed-2026';

/**
 * praksis-2026: the practitioners' model (docs/scoring.md, "praksis-2026"). Three pillars answer
 * three questions — will homes built here be needed, is the kommune able and inclined to make a
 * land deal, can a project be built here soon — each from several indicators scored as percentile
 * ranks over all kommuner. Directions and weights were written down with their reasons before the
 * model was checked against the known cases (`tomte valider`); the tier bounds were set from the
 * distribution of totals on the bundled snapshot (docs/scoring.md says where they fell).
 *
 * Indicators that only the live refresh can fill nationally (municipal dwellings, dwellings
 * started) are part of the model already: until their figures cover enough of Norway they are
 * "not ranked yet" and the pillar is re-normalised over the rest.
 */
export const praksis2026 = parseModelOf('percentile', {
  kind: 'percentile',
  id: 'praksis-2026',
  version: '1.0.0',
  title: { nb: 'Praksismodell 2026', en: "Practitioners' model 2026" },
  description: {
    nb: 'Etterspørsel og behov 40, vilje og kapasitet 30, gjennomførbarhet 30; hver indikator som persentil blant alle kommuner; ROBEK stenger for Tier 1.',
    en: 'Demand and need 40, willingness and capacity 30, feasibility 30; each indicator as a percentile among all kommuner; ROBEK blocks Tier 1.',
  },
  pillars: [
    {
      id: 'demand',
      label: { nb: 'Etterspørsel og behov', en: 'Demand and need' },
      question: { nb: 'Vil boliger bygget her trengs og bli tatt i bruk?', en: 'Will homes built here be needed and taken up?' },
      weight: 40,
      minCoverage: 0.5,
      tier1MinShare: 0.5,
    },
    {
      id: 'capacity',
      label: { nb: 'Vilje og kapasitet', en: 'Willingness and capacity' },
      question: { nb: 'Kan og vil kommunen inngå en tomteavtale?', en: 'Can and will the kommune make a land deal?' },
      weight: 30,
      minCoverage: 0.5,
      tier1MinShare: 0.4,
    },
    {
      id: 'feasibility',
      label: { nb: 'Gjennomførbarhet', en: 'Feasibility' },
      question: { nb: 'Kan et prosjekt bygges her snart?', en: 'Can a project be built here soon?' },
      weight: 30,
      minCoverage: 0.5,
      tier1MinShare: 0.4,
    },
  ],
  indicators: [
    {
      id: 'growth',
      pillar: 'demand',
      indicator: 'population_change_5y',
      label: { nb: 'Befolkningsvekst siste 5 år', en: 'Population growth over 5 years' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Kommuner som vokser trenger flere boliger; nedgang betyr fallende etterspørsel.',
        en: 'Growing kommuner need more homes; decline means falling demand.',
      },
    },
    {
      id: 'centrality',
      pillar: 'demand',
      indicator: 'centrality_index',
      label: { nb: 'Sentralitet', en: 'Centrality' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Sentrale kommuner har arbeidsplasser og tjenester innen rekkevidde, og dermed jevn etterspørsel etter boliger.',
        en: 'Central kommuner have jobs and services within reach, and so steady demand for homes.',
      },
    },
    {
      id: 'housing_cost',
      pillar: 'demand',
      indicator: 'housing_cost_ratio',
      label: { nb: 'Boutgift i andel av medianinntekt', en: 'Housing cost as share of median income' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Høye priser målt mot inntektene betyr at vanlige husholdninger stenges ute: behovet for boliger under markedspris er størst der.',
        en: 'High prices against incomes shut ordinary households out: the need for below-market homes is greatest there.',
      },
    },
    {
      id: 'renters',
      pillar: 'demand',
      indicator: 'rental_share',
      label: { nb: 'Andel husholdninger som leier', en: 'Share of households renting' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Leietakere er målgruppen for ikke-kommersiell utleie og leie-til-eie; et dypt leiemarked viser etterspørselen.',
        en: 'Renters are the target group of non-commercial rental and rent-to-own; a deep rental market shows the demand.',
      },
    },
    {
      id: 'projected_growth',
      pillar: 'demand',
      indicator: 'projected_population_change_2035',
      label: { nb: 'Framskrevet befolkningsvekst til 2035', en: 'Projected population growth to 2035' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'SSBs hovedalternativ sier hvor mange flere som vil trenge bolig de neste årene, også der veksten ennå ikke har kommet.',
        en: "SSB's main projection says how many more people will need a home in the coming years, also where the growth has not come yet.",
      },
    },
    {
      id: 'size',
      pillar: 'capacity',
      indicator: 'population',
      label: { nb: 'Innbyggertall (administrativ kapasitet)', en: 'Population (administrative capacity)' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Større kommuner har plan- og eiendomsfolk, ofte egne tomteselskap, og kapasitet til utbyggingsavtaler og konkurranser; Ekspertutvalget for kommunereformen (2014) satte 15–20 000 innbyggere som nivå for god kapasitet.',
        en: "Larger kommuner have planning and property staff, often land companies, and the capacity for development agreements and competitions; the expert committee on the municipal reform (2014) set 15,000–20,000 inhabitants as the level for sound capacity.",
      },
    },
    {
      id: 'municipal_housing',
      pillar: 'capacity',
      indicator: 'municipal_dwellings_per_1000',
      label: { nb: 'Kommunalt disponerte boliger per 1000 innbyggere', en: 'Municipal dwellings per 1,000 inhabitants' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'En kommune som selv disponerer mange boliger driver aktiv boligpolitikk og kjenner behovet.',
        en: 'A kommune that holds many dwellings itself runs an active housing policy and knows the need.',
      },
      shrink: { priorPopulation: 5000 },
    },
    {
      id: 'startlan',
      pillar: 'capacity',
      indicator: 'startlan_per_1000',
      label: { nb: 'Startlån per 1000 innbyggere (Husbanken)', en: 'Start-up loans per 1,000 inhabitants (Husbanken)' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Startlån går gjennom kommunen: mange lån viser et løpende samarbeid med Husbanken om å hjelpe husholdninger inn på boligmarkedet.',
        en: 'Start-up loans go through the kommune: many loans show an ongoing cooperation with Husbanken on helping households into housing.',
      },
      shrink: { priorPopulation: 5000 },
    },
    {
      id: 'finances',
      pillar: 'capacity',
      indicator: 'net_operating_result_pct',
      label: { nb: 'Netto driftsresultat (sunn økonomi)', en: 'Net operating result (sound finances)' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Sunn økonomi (TBU anbefaler minst 1,75 % over tid) gir rom til å binde tomt i en avtale under markedspris og til å ta risiko.',
        en: 'Sound finances (TBU recommends at least 1.75 % over time) leave room to commit land to a below-market deal and to carry risk.',
      },
    },
    {
      id: 'left_seats',
      pillar: 'capacity',
      indicator: 'left_seat_share',
      label: { nb: 'Venstresidens mandatandel (Ap, SV, Rødt)', en: 'Left bloc share of seats (Ap, SV, Rødt)' },
      direction: 'higher',
      weight: 0.5,
      reason: {
        nb: 'Planrapportens egen viljemarkør: partiene som har gått inn for en tredje boligsektor. Lav vekt, fordi vilje også finnes i andre flertall.',
        en: "The planning report's own willingness marker: the parties that have backed a third housing sector. Low weight, because willingness is found in other majorities too.",
      },
    },
    {
      id: 'stability',
      pillar: 'capacity',
      indicator: 'council_effective_parties',
      label: { nb: 'Politisk stabilitet (få effektive partier)', en: 'Political stability (few effective parties)' },
      direction: 'lower',
      weight: 0.5,
      reason: {
        nb: 'Et samlet flertall kan forplikte kommunen til en tomteavtale over flere år; et fragmentert kommunestyre snur lettere.',
        en: 'A clear majority can commit the kommune to a land deal over several years; a fragmented council turns more easily.',
      },
    },
    {
      id: 'apartments',
      pillar: 'feasibility',
      indicator: 'dwelling_share_blocks',
      label: { nb: 'Andel boliger i boligblokk', en: 'Share of dwellings in apartment blocks' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Der det allerede står blokker, planlegges, reguleres og bygges flerboligprosjekter – formen ikke-kommersielle prosjekter har.',
        en: 'Where apartment blocks already stand, multi-unit projects — the form non-commercial projects take — are planned, zoned and built.',
      },
    },
    {
      id: 'building',
      pillar: 'feasibility',
      indicator: 'dwellings_started_per_1000',
      label: { nb: 'Igangsatte boliger per 1000 innbyggere (3 år)', en: 'Dwellings started per 1,000 inhabitants (3 years)' },
      direction: 'higher',
      weight: 1,
      reason: {
        nb: 'Byggeaktivitet viser at tomter, regulering og utbyggere finnes; tre år og demping for folketall tar bort tilfeldige topper i små kommuner.',
        en: 'Building activity shows that land, zoning and builders exist; three years and damping for population remove chance peaks in small kommuner.',
      },
      shrink: { priorPopulation: 5000 },
    },
  ],
  gates: [
    {
      id: 'robek',
      indicator: 'robek_registered',
      label: { nb: 'Oppført i ROBEK', en: 'Listed in ROBEK' },
      equals: 1,
      capTier: 2,
      reason: {
        nb: 'Kommuner i ROBEK må ha statens godkjenning for lån og langsiktige leieavtaler (kommuneloven § 28-2): de kan ikke forplikte seg til en tomteavtale på egen hånd.',
        en: "Kommuner in ROBEK need the state's approval for loans and long-term leases (Local Government Act § 28-2): they cannot commit to a land deal on their own.",
      },
    },
  ],
  ranking: { winsorise: [0.025, 0.975], minPopulationCoverage: 0.9 },
  parameters: {
    ...seed2026.parameters,
    dwellingsStarted: { ...seed2026.parameters.dwellingsStarted, years: 3 },
  },
  tiers: { tier1Min: 75, tier2Min: 50, tier1ExitBelow: 72, minCoverage: 0.6 },
});
