import type { Lang } from '../localized';
import { PARTY_NAMES, type PartyCode } from '../indicators';
import { fmt, fmtKr, fmtPct, fmtPoints } from '../format';
import type { DerivedDetail } from './derived';
import type { RuleResult } from './engine';

/** Renders the structured results of the engine as one-line texts, in bokmål or English. */

const SHORT_PARTY: Record<string, string> = { A: 'Ap', RODT: 'Rødt', FRP: 'FrP', KRF: 'KrF', SP: 'Sp' };

export function partyShort(code: string): string {
  return SHORT_PARTY[code] ?? (code in PARTY_NAMES ? code : code);
}

export function partyName(code: string, lang: Lang): string {
  return PARTY_NAMES[code as PartyCode]?.[lang] ?? code;
}

/** A value with its unit, as users read it. */
export function formatValue(value: number, unit: string, lang: Lang): string {
  switch (unit) {
    case '%':
      return fmtPct(value, lang, 1);
    case '% av landet':
      return lang === 'nb' ? `${fmtPct(value, lang, 0)} av landet` : `${fmtPct(value, lang, 0)} of national`;
    case 'kr':
      return fmtKr(value, lang);
    case 'kr/m²':
      return `${fmtKr(value, lang)}/m²`;
    case 'indeks':
      return lang === 'nb' ? `indeks ${fmt(value, lang, 1)}` : `index ${fmt(value, lang, 1)}`;
    case 'effektive partier':
    case 'partier':
      return fmt(value, lang, 2);
    case 'registrert':
      return value === 1 ? (lang === 'nb' ? 'ja' : 'yes') : value === 0 ? (lang === 'nb' ? 'nei' : 'no') : fmt(value, lang);
    case 'per 1000':
    case 'per 1000 innb.':
      return fmt(value, lang, Number.isInteger(value) ? 0 : 2);
    default:
      return fmt(value, lang, Number.isInteger(value) ? 0 : 1);
  }
}

export function describeDetail(d: DerivedDetail, value: number, lang: Lang, unit = ''): string {
  const nb = lang === 'nb';
  switch (d.k) {
    case 'popchange':
      return nb
        ? `${fmtPct(value, lang, 1, true)} (1.1.${d.start}–1.1.${d.end}: ${fmt(d.from, lang)} → ${fmt(d.to, lang)})`
        : `${fmtPct(value, lang, 1, true)} (1 Jan ${d.start}–1 Jan ${d.end}: ${fmt(d.from, lang)} → ${fmt(d.to, lang)})`;
    case 'housing':
      return nb
        ? `${fmtPct(value, lang)} (${d.m2} m² à ${fmtKr(d.price, lang)}/m² gir ${fmtKr(d.cost, lang)} i året mot medianinntekt ${fmtKr(d.income, lang)}, ${d.year})`
        : `${fmtPct(value, lang)} (${d.m2} m² at ${fmtKr(d.price, lang)}/m² costs ${fmtKr(d.cost, lang)} a year against a median income of ${fmtKr(d.income, lang)}, ${d.year})`;
    case 'income':
      return nb
        ? `${fmtPct(value, lang)} av landet (${fmtKr(d.own, lang)} mot ${fmtKr(d.national, lang)}, ${d.year})`
        : `${fmtPct(value, lang)} of national (${fmtKr(d.own, lang)} against ${fmtKr(d.national, lang)}, ${d.year})`;
    case 'unemployment':
      return nb
        ? `${fmtPct(value, lang, 0)} av landet (${fmtPct(d.own, lang, 2)} mot ${fmtPct(d.national, lang, 2)}, ${d.source} ${d.period})`
        : `${fmtPct(value, lang, 0)} of national (${fmtPct(d.own, lang, 2)} against ${fmtPct(d.national, lang, 2)}, ${d.source} ${d.period})`;
    case 'labour':
      return nb
        ? `Ap ${fmtPct(value, lang)} (${fmt(d.votes, lang)} av ${fmt(d.total, lang)} stemmer, ${d.year})`
        : `Labour ${fmtPct(value, lang)} (${fmt(d.votes, lang)} of ${fmt(d.total, lang)} votes, ${d.year})`;
    case 'enp':
      return nb
        ? `${fmt(value, lang, 2)} effektive partier (${d.lists} ${d.lists === 1 ? 'liste' : 'lister'} i et kommunestyre på ${d.seats}; største har ${d.largest} mandater, ${d.year})`
        : `${fmt(value, lang, 2)} effective parties (${d.lists} ${d.lists === 1 ? 'list' : 'lists'} in a council of ${d.seats}; the largest holds ${d.largest} seats, ${d.year})`;
    case 'pvi':
      return nb
        ? `indeks ${fmt(value, lang, 1)} (${fmtKr(d.price, lang)}/m² mot landet ${fmtKr(d.national, lang)}/m², ${d.year})`
        : `index ${fmt(value, lang, 1)} (${fmtKr(d.price, lang)}/m² against Norway's ${fmtKr(d.national, lang)}/m², ${d.year})`;
    case 'started':
      return nb
        ? `${fmtPct(value, lang, 0)} av landet (${fmt(d.per1000, lang, 2)} mot ${fmt(d.national, lang, 2)} igangsatte per 1000 innbyggere, ${d.period})`
        : `${fmtPct(value, lang, 0)} of national (${fmt(d.per1000, lang, 2)} against ${fmt(d.national, lang, 2)} started per 1,000 inhabitants, ${d.period})`;
    case 'seatshare': {
      const parties = d.parties.map(partyShort).join(', ');
      return nb
        ? `${fmtPct(value, lang, 1)} (${parties}: ${d.seats} av ${d.total} mandater, ${d.year})`
        : `${fmtPct(value, lang, 1)} (${parties}: ${d.seats} of ${d.total} seats, ${d.year})`;
    }
    case 'rate':
      return nb
        ? `${fmt(value, lang, 2)} per 1000 (${fmt(d.count, lang)} på ${fmt(d.population, lang)} innbyggerår, ${d.period})`
        : `${fmt(value, lang, 2)} per 1,000 (${fmt(d.count, lang)} over ${fmt(d.population, lang)} inhabitant-years, ${d.period})`;
    case 'plain':
      return formatValue(value, unit, lang);
  }
}

function thresholdText(t: number, unit: string | null, lang: Lang): string {
  const dec = Number.isInteger(t) ? 0 : 1;
  return unit !== null && unit.startsWith('%') ? fmtPct(t, lang, dec) : fmt(t, lang, dec);
}

function points(n: number, max: number, lang: Lang): string {
  return lang === 'nb' ? `${n} av ${max} poeng` : `${n} of ${max} points`;
}

/** The one-line reason for a rule's points: the input value, the threshold and the outcome. */
export function ruleReason(r: RuleResult, lang: Lang): string {
  const nb = lang === 'nb';
  const o = r.outcome;
  if (o.k === 'inactive') {
    const own = r.detail !== null && r.value !== null ? `${describeDetail(r.detail, r.value, lang, r.unit ?? '')}; ` : '';
    return nb ? `${own}ikke med: ${r.missing?.nb ?? ''}` : `${own}not counted: ${r.missing?.en ?? ''}`;
  }
  if (o.k === 'missing' || r.detail === null || r.value === null) {
    const why = r.missing?.[lang] ?? (nb ? 'ingen data' : 'no data');
    return nb ? `Mangler data: ${why} – ikke med i summen` : `Missing data: ${why} – not counted`;
  }
  const what = describeDetail(r.detail, r.value, lang, r.unit ?? '');
  const word = (dir: 'above' | 'below') => (nb ? (dir === 'above' ? 'over' : 'under') : dir);
  const p = r.points === null ? '' : ` → ${points(r.points, r.maxPoints, lang)}`;
  switch (o.k) {
    case 'band':
      return `${what} ${nb ? 'er' : 'is'} ${word(o.direction)} ${thresholdText(o.threshold, r.unit, lang)}${p}`;
    case 'no-band':
      return `${what} ${nb ? 'er ikke' : 'is not'} ${word(o.direction)} ${thresholdText(o.threshold, r.unit, lang)}${p}`;
    case 'in-range':
    case 'out-of-range': {
      const between = nb ? `mellom ${fmt(o.min, lang)} og ${fmt(o.max, lang)}` : `between ${fmt(o.min, lang)} and ${fmt(o.max, lang)}`;
      const is = o.k === 'in-range' ? (nb ? 'er' : 'is') : nb ? 'er ikke' : 'is not';
      return `${what} ${is} ${between}${p}`;
    }
    case 'left-majority':
    case 'no-left-majority': {
      const parties = o.parties.map(partyShort).join(', ');
      const not = `${nb ? 'er ikke' : 'is not'} ${word(o.direction)} ${thresholdText(o.threshold, r.unit, lang)}`;
      const seats = nb
        ? `${parties} har ${o.leftSeats} av ${o.totalSeats} mandater`
        : `${parties} hold ${o.leftSeats} of ${o.totalSeats} seats`;
      const tail = o.k === 'left-majority' ? (nb ? `, men ${seats} (flertall)` : `, but ${seats} (a majority)`) : nb ? `, og ${seats} (ikke flertall)` : `, and ${seats} (no majority)`;
      return `${what} ${not}${tail}${p}`;
    }
    case 'seats-missing':
      return nb
        ? `${what} er ikke over ${thresholdText(o.threshold, r.unit, lang)}; mandatfordelingen som avgjør resten mangler (SSB 04813) – ikke med i summen`
        : `${what} is not above ${thresholdText(o.threshold, r.unit, lang)}; the seat distribution that decides the rest is missing (SSB 04813) – not counted`;
    case 'percentile': {
      const pct = Math.round(o.percentile * 100);
      const dir = o.direction === 'higher' ? (nb ? 'høyere er bedre' : 'higher is better') : nb ? 'lavere er bedre' : 'lower is better';
      const pts = r.points === null ? '' : ` → ${fmtPoints(r.points, lang)} ${nb ? 'av' : 'of'} ${fmtPoints(r.maxPoints, lang)} ${nb ? 'poeng' : 'points'}`;
      const damped = r.value !== null && Math.abs(o.scored - r.value) > 1e-9 ? (nb ? `, justert for folketall til ${fmt(o.scored, lang, 2)}` : `, damped for population to ${fmt(o.scored, lang, 2)}`) : '';
      return nb
        ? `${what}${damped} · persentil ${pct} av ${o.among} kommuner (${dir})${pts}`
        : `${what}${damped} · percentile ${pct} among ${o.among} kommuner (${dir})${pts}`;
    }
  }
}
