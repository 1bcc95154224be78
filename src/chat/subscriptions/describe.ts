/**
 * Plain-language texts for subscriptions: what a stored subscription does, why a subscription
 * command was not understood, and the help rows. Bokmål by default, English on request.
 */
import type { Lang } from '../../domain/localized';
import type { DigestSchedule, QuietHours, SubscriptionFilter, SubscriptionKind } from '../../domain/alerts/types';
import { DEFAULT_DIGEST } from '../../domain/alerts/types';
import { fmt } from '../../domain/format';
import type { SubscriptionProblem } from './grammar';

export interface DescribableSubscription {
  kind: SubscriptionKind;
  filter: SubscriptionFilter;
  /** Digest only; null or absent means DEFAULT_DIGEST. */
  digest?: DigestSchedule | null;
  quiet?: QuietHours | null;
}

/** Display names for kommune and county numbers ("1804" → "Bodø", "18" → "Nordland"). */
export interface PlaceNames {
  kommune(nr: string): string;
  fylke(nr: string): string;
}

const DAY_NAMES: Record<Lang, string[]> = {
  nb: ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** "a", "a og b", "a, b og c" (no serial comma in either language). */
function joinList(items: string[], word: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

/** The effective subscription in one or two sentences. */
export function describeSubscription(s: DescribableSubscription, names: PlaceNames, lang: Lang): string {
  const en = lang === 'en';
  const and = (xs: string[]) => joinList(xs, en ? 'and' : 'og');
  const or = (xs: string[]) => joinList(xs, en ? 'or' : 'eller');
  const fylker = (s.filter.fylker ?? []).map((nr) => names.fylke(nr));
  const kommuner = s.filter.kommuner ?? [];
  const unntatt = (s.filter.unntatt ?? []).map((nr) => names.kommune(nr));
  const except = unntatt.length > 0 ? `${en ? ', except' : ', unntatt'} ${and(unntatt)}` : '';

  let main: string;
  switch (s.kind) {
    case 'tier1': {
      const where = fylker.length > 0 ? ` ${en ? 'in' : 'i'} ${or(fylker)}` : '';
      main = en
        ? `Alerts when a kommune${where} enters or leaves Tier 1${except}.`
        : `Varsler når en kommune${where} går inn i eller ut av Tier 1${except}.`;
      break;
    }
    case 'kommune': {
      const which = and(kommuner.map((nr) => `${nr} ${names.kommune(nr)}`));
      main = en ? `All changes in score and tier for ${which}.` : `Alle endringer i poeng og tier for ${which}.`;
      break;
    }
    case 'digest': {
      const d = s.digest ?? DEFAULT_DIGEST;
      const day = DAY_NAMES[lang][d.weekday - 1];
      const scope = fylker.length > 0 ? ` for ${and(fylker)}` : '';
      main = en
        ? `Weekly digest${scope} every ${day} at ${d.time} (${d.timeZone})${except}.`
        : `Ukentlig sammendrag${scope} hver ${day} kl. ${d.time} (${d.timeZone})${except}.`;
      break;
    }
    case 'tomter': {
      // Counties and kommuner together: a lot anywhere in them counts.
      const places = [...fylker, ...kommuner.map((nr) => names.kommune(nr))];
      const where = places.length > 0 ? ` ${en ? 'in' : 'i'} ${or(places)}` : en ? ' anywhere in Norway' : ' i hele landet';
      const min = s.filter.minArealM2;
      const area = min ? (en ? ` of at least ${fmt(min, lang)} m²` : ` på minst ${fmt(min, lang)} m²`) : '';
      const tiers = s.filter.tiers && s.filter.tiers.length > 0 ? (en ? ` in kommuner in ${or(s.filter.tiers.map((t) => `Tier ${t}`))}` : ` i kommuner i ${or(s.filter.tiers.map((t) => `Tier ${t}`))}`) : '';
      main = en ? `New municipal lots${where}${area}${tiers}${except}.` : `Nye kommunale tomter${where}${area}${tiers}${except}.`;
      break;
    }
  }
  // Tier 1, kommune and digest alerts come from one scoring model; lots only read it for a tier filter.
  if (s.filter.model && (s.kind !== 'tomter' || (s.filter.tiers?.length ?? 0) > 0)) {
    main = en ? `${main.slice(0, -1)} (model ${s.filter.model}).` : `${main.slice(0, -1)} (modell ${s.filter.model}).`;
  }
  if (!s.quiet) return main;
  const span = `${s.quiet.start}–${s.quiet.end}`;
  return en
    ? `${main} Quiet ${span}: alerts in that window arrive together when it ends.`
    : `${main} Stille ${span}: varsler i den tiden kommer samlet når det er over.`;
}

/** Example commands shown in error messages and help. */
const EX = {
  nb: {
    tier1: 'abonner tier1 fylke Nordland, Troms unntatt Bodø',
    kommune: 'abonner kommune Bodø',
    digest: 'abonner digest fredag 15:00',
    timezone: 'abonner digest mandag 08:00 tidssone Europe/Oslo',
    tomter: 'abonner tomter fylke Nordland min 2 mål',
    unsubscribe: 'avslutt 2',
    quiet: 'stille 22:00-07:00',
    mute: 'demp Bodø 30 dager',
    unmute: 'opphev demping Bodø',
    list: 'abonnementer',
  },
  en: {
    tier1: 'subscribe tier1 county Nordland, Troms except Bodø',
    kommune: 'subscribe municipality Bodø',
    digest: 'subscribe digest friday 15:00',
    timezone: 'subscribe digest monday 08:00 timezone Europe/Oslo',
    tomter: 'subscribe lots county Nordland min 2000 m2',
    unsubscribe: 'unsubscribe 2',
    quiet: 'quiet 22:00-07:00',
    mute: 'mute Bodø 30 days',
    unmute: 'unmute Bodø',
    list: 'subscriptions',
  },
} as const;

/** A clear message for an invalid subscription command, with an example of the correct form. */
export function invalidSubscriptionText(p: SubscriptionProblem, lang: Lang): string {
  const x = EX[lang];
  const q = (s: string) => (lang === 'en' ? `"${s}"` : `«${s}»`);
  if (lang === 'en') {
    switch (p.k) {
      case 'missing-what':
        return p.command === 'subscribe'
          ? `What do you want to subscribe to? Try ${q('subscribe tier1')}, ${q(x.kommune)} or ${q('subscribe digest')}.`
          : `What do you want to end? Try ${q(x.unsubscribe)} (the number from ${q(x.list)}), ${q('unsubscribe tier1')}, ${q('unsubscribe municipality Bodø')} or ${q('unsubscribe all')}.`;
      case 'unknown-what':
        return p.command === 'subscribe'
          ? `Cannot subscribe to ${q(p.value)}. Choose tier1, municipality, digest or lots, e.g. ${q(x.tier1)} or ${q(x.kommune)}.`
          : `Cannot end ${q(p.value)}. Try ${q(x.unsubscribe)} (the number from ${q(x.list)}), ${q('unsubscribe digest')} or ${q('unsubscribe all')}.`;
      case 'missing-kommune':
        return `Which kommune? Try ${q(p.context === 'kommune' ? x.kommune : p.context === 'mute' ? x.mute : x.unmute)}.`;
      case 'missing-value':
        return `${q(p.option === 'fylke' ? 'county' : p.option === 'kommune' ? 'municipality' : 'except')} needs a name. Try ${q(p.context === 'tier1' ? x.tier1 : 'subscribe lots municipality Bodø')}.`;
      case 'unknown-option':
        return `Did not understand ${q(p.value)}. Try ${q(p.context === 'digest' ? x.digest : 'unsubscribe digest')}.`;
      case 'missing-model':
        return `Which model? Try ${q('subscribe tier1 model seed-2026')}; ${q('models')} lists them.`;
      case 'bad-day':
        return `${q(p.value)} is not a day of the week. Try ${q(x.digest)}.`;
      case 'bad-time':
        return `${q(p.value)} is not a valid time. Use HH:MM (00:00–23:59), e.g. ${q(x.digest)} or ${q(x.quiet)}.`;
      case 'bad-timezone':
        return p.value === ''
          ? `Which time zone? Use an IANA name, e.g. ${q(x.timezone)}.`
          : `${q(p.value)} is not a known time zone. Use an IANA name such as Europe/Oslo or America/New_York, e.g. ${q(x.timezone)}.`;
      case 'bad-area':
        return `${q(p.value)} is not a valid area. Write a number with a unit, e.g. ${q('min 2000 m2')} or ${q('min 2 daa')} (1 mål = 1 daa = 1,000 m²).`;
      case 'bad-days':
        return `${q(p.value)} is not a valid number of days (1–${p.max}). Try ${q(x.mute)}.`;
      case 'bad-quiet':
        return `Write quiet hours as from–to, e.g. ${q(x.quiet)}, or ${q('quiet off')} to turn them off.`;
      case 'bad-number':
        return `${q(p.value)} is not a subscription number. ${q(x.list)} shows the numbers.`;
      case 'bad-tier':
        return `${p.value === '' ? 'Which tier?' : `${q(p.value)} is not a tier.`} Use 1, 2 or 3, e.g. ${q('subscribe lots county Nordland tier 1')}.`;
    }
  }
  switch (p.k) {
    case 'missing-what':
      return p.command === 'subscribe'
        ? `Hva vil du abonnere på? Skriv for eksempel ${q('abonner tier1')}, ${q(x.kommune)} eller ${q('abonner digest')}.`
        : `Hva vil du avslutte? Skriv ${q(x.unsubscribe)} (nummeret fra ${q(x.list)}), ${q('avslutt tier1')}, ${q('avslutt kommune Bodø')} eller ${q('avslutt alle')}.`;
    case 'unknown-what':
      return p.command === 'subscribe'
        ? `Kan ikke abonnere på ${q(p.value)}. Velg tier1, kommune, digest eller tomter, for eksempel ${q(x.tier1)} eller ${q(x.kommune)}.`
        : `Kan ikke avslutte ${q(p.value)}. Skriv ${q(x.unsubscribe)} (nummeret fra ${q(x.list)}), ${q('avslutt digest')} eller ${q('avslutt alle')}.`;
    case 'missing-kommune':
      return `Hvilken kommune? Skriv for eksempel ${q(p.context === 'kommune' ? x.kommune : p.context === 'mute' ? x.mute : x.unmute)}.`;
    case 'missing-value':
      return `${q(p.option)} mangler et navn. Skriv for eksempel ${q(p.context === 'tier1' ? x.tier1 : 'abonner tomter kommune Bodø')}.`;
    case 'unknown-option':
      return `Forstod ikke ${q(p.value)}. Skriv for eksempel ${q(p.context === 'digest' ? x.digest : 'avslutt digest')}.`;
    case 'missing-model':
      return `Hvilken modell? Skriv for eksempel ${q('abonner tier1 modell seed-2026')}; ${q('modeller')} viser dem.`;
    case 'bad-day':
      return `${q(p.value)} er ikke en ukedag. Skriv for eksempel ${q(x.digest)}.`;
    case 'bad-time':
      return `${q(p.value)} er ikke et gyldig klokkeslett. Bruk TT:MM (00:00–23:59), for eksempel ${q(x.digest)} eller ${q(x.quiet)}.`;
    case 'bad-timezone':
      return p.value === ''
        ? `Hvilken tidssone? Bruk et IANA-navn, for eksempel ${q(x.timezone)}.`
        : `${q(p.value)} er ikke en kjent tidssone. Bruk et IANA-navn som Europe/Oslo eller America/New_York, for eksempel ${q(x.timezone)}.`;
    case 'bad-area':
      return `${q(p.value)} er ikke et gyldig areal. Skriv tall og enhet, for eksempel ${q('min 2000 m2')} eller ${q('min 2 mål')} (1 mål = 1 daa = 1 000 m²).`;
    case 'bad-days':
      return `${q(p.value)} er ikke et gyldig antall dager (1–${p.max}). Skriv for eksempel ${q(x.mute)}.`;
    case 'bad-quiet':
      return `Skriv stille timer som fra–til, for eksempel ${q(x.quiet)}, eller ${q('stille av')} for å slå dem av.`;
    case 'bad-number':
      return `${q(p.value)} er ikke et abonnementsnummer. ${q(x.list)} viser numrene.`;
    case 'bad-tier':
      return `${p.value === '' ? 'Hvilken tier?' : `${q(p.value)} er ikke en tier.`} Bruk 1, 2 eller 3, for eksempel ${q('abonner tomter fylke Nordland tier 1')}.`;
  }
}

