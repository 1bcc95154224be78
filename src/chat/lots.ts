import type { Actor } from '../domain/access';
import { fmt, fmtPct } from '../domain/format';
import type { Lang } from '../domain/localized';
import { displayUrl } from '../lib/outbound-policy';
import { addLotSource, CADENCES, LOT_SOURCE_KINDS, LotSourceConfigError, LotSourceRefusedError, lotsInKommune, lotSourceList, removeLotSource, type Cadence, type LotSourceKind, type LotSourceRow } from '../services/lots/queries';
import type { ReadModel } from '../services/read-model';
import type { ChatPlace } from '../services/subscriptions';
import { actorOf, adminOnlyReply, auditActorOf } from './access';
import { fmtArea, mapLink } from './alerts';
import type { Reply } from './reply';

/**
 * `tomter <kommune>` (lots known in a kommune), `tomtekilder` (configured lot sources),
 * `tomtekilde legg til <type> <url> [kommune <navn>] [hver time|daglig|ukentlig]` and
 * `tomtekilde fjern <id>`. Adding and removing sources, and their technical detail (address,
 * error), are for administrators: the server fetches every source for everyone.
 */
export type LotCommand =
  | { name: 'tomter'; lang: Lang | null; kommune: string }
  | { name: 'tomtekilder'; lang: Lang | null }
  | { name: 'tomtekilde-legg-til'; lang: Lang | null; kind: string; url: string; kommune: string | null; cadence: string }
  | { name: 'tomtekilde-fjern'; lang: Lang | null; id: string }
  | { name: 'invalid-lot'; lang: Lang | null; message: { nb: string; en: string } };

const CADENCE_WORDS: Record<string, Cadence> = { 'hver time': 'hourly', timevis: 'hourly', hourly: 'hourly', daglig: 'daily', daily: 'daily', ukentlig: 'weekly', weekly: 'weekly', 'månedlig': 'monthly', monthly: 'monthly' };

/** Which lot command the command table (./commands.ts) matched; `lang` null for Norwegian words. */
export type LotHead = 'tomter' | 'tomtekilder' | 'tomtekilde';

/** Parses a lot command's arguments (`rest`, the text after the head word); null when it is not one. */
export function parseLot(which: LotHead, lang: Lang | null, rest: string): LotCommand | null {
  if (which === 'tomter') {
    if (rest === '') return { name: 'invalid-lot', lang, message: { nb: 'Hvilken kommune? Prøv «tomter Bodø».', en: 'Which kommune? Try "lots Bodø".' } };
    return { name: 'tomter', lang, kommune: rest };
  }
  // "tomtekilder"; in English two words, "lot sources".
  if (which === 'tomtekilder') return (lang === 'en' ? rest.toLowerCase() === 'sources' : rest === '') ? { name: 'tomtekilder', lang } : null;
  {
    const remove = /^(?:fjern|remove)\s+(\S+)$/i.exec(rest);
    if (remove) return { name: 'tomtekilde-fjern', lang, id: remove[1]!.toLowerCase() };
    const add = /^(?:legg til|add)\s+(\S+)\s+(\S+)(.*)$/i.exec(rest);
    if (!add) return { name: 'invalid-lot', lang, message: { nb: 'Skriv «tomtekilde legg til geojson https://… kommune Bodø daglig» eller «tomtekilde fjern <id>».', en: 'Type "lot-source add geojson https://… municipality Bodø daily" or "lot-source remove <id>".' } };
    let tail = add[3]!.trim();
    let cadence = 'daily';
    for (const [word, c] of Object.entries(CADENCE_WORDS)) {
      const re = new RegExp(`(?:^|\\s)${word}$`, 'i');
      if (re.test(tail)) {
        cadence = c;
        tail = tail.replace(re, '').trim();
      }
    }
    const k = /^(?:kommune|municipality)\s+(.+)$/i.exec(tail);
    if (tail !== '' && !k) return { name: 'invalid-lot', lang, message: { nb: `Forstod ikke «${tail}». Bruk «kommune <navn>» og «daglig», «ukentlig» eller «hver time».`, en: `Did not understand "${tail}". Use "municipality <name>" and "daily", "weekly" or "hourly".` } };
    return { name: 'tomtekilde-legg-til', lang, kind: add[1]!.toLowerCase(), url: add[2]!, kommune: k ? k[1]!.trim() : null, cadence };
  }
  return null;
}

const problem = (lang: Lang, title: string): Reply => ({ kind: 'error', lang, title, sections: [], actions: [], fallback: title });

/** A stored failure code (sources/lots/failure.ts) in words; older free-text errors are not repeated. */
export function lotFailureText(code: string, kind: string, lang: Lang): string {
  const nb = lang === 'nb';
  const status = /^http:(\d{3})$/.exec(code);
  if (status) return nb ? `svarte ${status[1]}` : `answered ${status[1]}`;
  const format = kind === 'wfs' ? 'GML' : kind === 'matrikkel-csv' ? 'CSV' : 'GeoJSON';
  const words: Record<string, [string, string]> = {
    'too-large': ['for stor', 'too large'],
    invalid: [`ugyldig ${format}`, `invalid ${format}`],
    config: ['oppsettet er ugyldig; legg den til på nytt', 'invalid configuration; add it again'],
    blocked: ['adressen er ikke tillatt', 'address not allowed'],
    credentials: ['adressen har brukernavn eller passord', 'the URL has a user name or password'],
    timeout: ['svarte ikke i tide', 'did not answer in time'],
    network: ['kunne ikke nås', 'could not be reached'],
    redirect: ['for mange omdirigeringer', 'too many redirects'],
  };
  const w = words[code];
  return w ? w[nb ? 0 : 1] : nb ? 'feilet' : 'failed';
}

function kommuneLabel(rm: ReadModel, s: LotSourceRow): string {
  const code = typeof s.config.kommuneCode === 'string' ? s.config.kommuneCode : null;
  return code ? `${code} ${rm.kommune(code)?.nameNorwegian ?? ''}`.trim() : '–';
}

export async function handleLotCommand(rm: ReadModel, place: ChatPlace | null, cmd: LotCommand, lang: Lang, sender?: Actor): Promise<Reply> {
  const nb = lang === 'nb';
  const actor = actorOf(sender, place);
  switch (cmd.name) {
    case 'invalid-lot':
      return problem(lang, cmd.message[lang]);
    case 'tomter': {
      const r = rm.registry.resolve(cmd.kommune);
      if (r.kind !== 'found') {
        const options = (r.kind === 'ambiguous' ? r.candidates : r.suggestions).slice(0, 5).map((k) => `${k.code} ${k.nameNorwegian}`);
        return problem(lang, nb ? `Fant ingen kommune «${cmd.kommune}».${options.length ? ` Mente du ${options.join(', ')}?` : ''}` : `No kommune "${cmd.kommune}".${options.length ? ` Did you mean ${options.join(', ')}?` : ''}`);
      }
      const k = r.kommune;
      const lots = await lotsInKommune(rm.deps, k.code);
      const title = nb ? `Tomter i ${k.code} ${k.nameNorwegian} (${lots.length})` : `Lots in ${k.code} ${k.nameNorwegian} (${lots.length})`;
      if (lots.length === 0) {
        return {
          kind: 'ranking',
          lang,
          title,
          sections: [{ type: 'text', text: nb ? 'tomte kjenner ingen åpne tomter her ennå. Legg til kommunens tomteliste med «tomtekilde legg til geojson <url> kommune …».' : 'tomte knows no open lots here yet. Add the kommune\'s lot list with "lot-source add geojson <url> municipality …".' }],
          actions: [{ kind: 'command', label: nb ? 'Kommunen' : 'The kommune', command: `kommune ${k.code}` }],
          fallback: title,
        };
      }
      const rows = lots.map((l) => [
        typeof l.properties.name === 'string' ? `${l.properties.name} (${l.key})` : l.key,
        fmtArea(l.areaM2, lang),
        l.zoningShare === null ? (nb ? 'ukjent' : 'unknown') : fmtPct(l.zoningShare * 100, lang, 0),
        `${l.sourceId}${l.crossesBorder ? (nb ? ' (krysser grensen)' : ' (crosses the border)') : ''}`,
        l.firstSeenAt.toISOString().slice(0, 10),
        mapLink(l.centroidLat, l.centroidLon),
      ]);
      return {
        kind: 'ranking',
        lang,
        title,
        sections: [
          { type: 'table', columns: [{ label: nb ? 'Tomt' : 'Lot' }, { label: nb ? 'Areal' : 'Area', align: 'right' }, { label: nb ? 'I boligformål' : 'Residential zoning', align: 'right' }, { label: nb ? 'Kilde' : 'Source' }, { label: nb ? 'Først sett' : 'First seen' }, { label: nb ? 'Kart' : 'Map' }], rows },
          { type: 'context', text: nb ? `Areal beregnet fra tomtens omriss (geodetisk). Samlet ${fmt(lots.reduce((a, l) => a + l.areaM2, 0), lang)} m².` : `Area computed from the outline (geodesic). Total ${fmt(lots.reduce((a, l) => a + l.areaM2, 0), lang)} m².` },
        ],
        actions: [{ kind: 'command', label: nb ? 'Kommunen' : 'The kommune', command: `kommune ${k.code}` }],
        fallback: `${title}: ${rows.map((r) => `${r[0]} ${r[1]}`).join('; ')}`,
      };
    }
    case 'tomtekilder': {
      const sources = await lotSourceList(rm.deps);
      const title = nb ? `Tomtekilder (${sources.length})` : `Lot sources (${sources.length})`;
      const when = (s: LotSourceRow) => (s.lastSuccessAt ? s.lastSuccessAt.toISOString().slice(0, 16).replace('T', ' ') : nb ? 'ikke hentet ennå' : 'not fetched yet');
      const failing = (s: LotSourceRow) => s.lastError !== null && (!s.lastSuccessAt || (s.lastFetchAt !== null && s.lastFetchAt > s.lastSuccessAt));
      const state = (s: LotSourceRow) => (s.status === 'paused' ? (nb ? 'på pause' : 'paused') : failing(s) ? (nb ? 'feiler' : 'failing') : 'ok');
      // Members see what is covered; the address and the reason a source fails are for administrators.
      const detail = actor !== null && (await actor.isAdmin());
      const rows = detail
        ? sources.map((s) => [s.id, s.kind, kommuneLabel(rm, s), displayUrl(String(s.config.url ?? '')), s.cadence, when(s), s.status === 'paused' ? state(s) : failing(s) ? lotFailureText(s.lastError!, s.kind, lang) : state(s)])
        : sources.map((s) => [s.kind, kommuneLabel(rm, s), s.cadence, when(s), state(s)]);
      const columns = detail
        ? [{ label: 'Id' }, { label: nb ? 'Type' : 'Kind' }, { label: 'Kommune' }, { label: nb ? 'Adresse' : 'Address' }, { label: nb ? 'Hvor ofte' : 'Cadence' }, { label: nb ? 'Sist hentet (UTC)' : 'Last fetched (UTC)' }, { label: 'Status' }]
        : [{ label: nb ? 'Type' : 'Kind' }, { label: 'Kommune' }, { label: nb ? 'Hvor ofte' : 'Cadence' }, { label: nb ? 'Sist hentet (UTC)' : 'Last fetched (UTC)' }, { label: 'Status' }];
      return {
        kind: 'sources',
        lang,
        title,
        sections: sources.length > 0 ? [{ type: 'table', columns, rows }] : [{ type: 'text', text: nb ? 'Ingen tomtekilder ennå.' : 'No lot sources yet.' }],
        actions: [],
        fallback: `${title}: ${rows.map((r) => `${r[0]} ${r[1]}`).join(', ')}`,
      };
    }
    case 'tomtekilde-fjern': {
      if (!actor) return problem(lang, nb ? 'Hvem er du? Tomtekilder fjernes fra Slack, Teams eller terminalen.' : 'Who are you? Lot sources are removed from Slack, Teams or the terminal.');
      if (!(await actor.isAdmin())) return adminOnlyReply(lang, 'lot-source:remove');
      const { removed, withdrawn } = await removeLotSource(rm.deps, cmd.id, auditActorOf(actor));
      if (!removed) return problem(lang, nb ? `Fant ingen tomtekilde «${cmd.id}». Se idene med «tomtekilder».` : `No lot source "${cmd.id}". See the ids with "lot sources".`);
      const title = nb ? `Tomtekilden ${cmd.id} er fjernet` : `Lot source ${cmd.id} removed`;
      return { kind: 'sources', lang, title, sections: [{ type: 'text', text: nb ? `Den hentes ikke lenger; ${withdrawn} åpne tomter fra den er markert som trukket.` : `It is no longer fetched; ${withdrawn} open lots from it are marked withdrawn.` }], actions: [], fallback: title };
    }
    case 'tomtekilde-legg-til': {
      if (!actor) return problem(lang, nb ? 'Tomtekilder legges til fra Slack, Teams eller terminalen, så vi vet hvem som la dem til.' : 'Lot sources are added from Slack, Teams or the terminal, so we know who added them.');
      if (!(await actor.isAdmin())) return adminOnlyReply(lang, 'lot-source:add');
      if (!(LOT_SOURCE_KINDS as readonly string[]).includes(cmd.kind)) return problem(lang, nb ? `Ukjent type «${cmd.kind}». Typene er ${LOT_SOURCE_KINDS.join(', ')}.` : `Unknown kind "${cmd.kind}". The kinds are ${LOT_SOURCE_KINDS.join(', ')}.`);
      let url: URL;
      try {
        url = new URL(cmd.url);
      } catch {
        return problem(lang, nb ? `«${cmd.url}» er ikke en gyldig adresse.` : `"${cmd.url}" is not a valid URL.`);
      }
      if (url.protocol !== 'https:') return problem(lang, nb ? 'Adressen må begynne med https://.' : 'The URL must start with https://.');
      if (url.username !== '' || url.password !== '') return problem(lang, nb ? 'Adressen kan ikke inneholde brukernavn eller passord: tomte lagrer og viser adressen.' : 'The URL cannot contain a user name or password: tomte stores and shows it.');
      let kommuneCode: string | null = null;
      if (cmd.kommune) {
        const r = rm.registry.resolve(cmd.kommune);
        if (r.kind !== 'found') return problem(lang, nb ? `Fant ingen kommune «${cmd.kommune}».` : `No kommune "${cmd.kommune}".`);
        kommuneCode = r.kommune.code;
      }
      if (!(CADENCES as readonly string[]).includes(cmd.cadence)) return problem(lang, 'cadence');
      let row;
      try {
        row = await addLotSource(rm.deps, { kind: cmd.kind as LotSourceKind, url: url.toString(), kommuneCode, cadence: cmd.cadence as Cadence, createdBy: actor.userId }, auditActorOf(actor));
      } catch (err) {
        if (err instanceof LotSourceRefusedError) return refusedReply(lang, err);
        if (err instanceof LotSourceConfigError || (err instanceof Error && err.message.startsWith('lot source config'))) {
          return problem(lang, nb ? `Kilden kan ikke brukes slik: ${err.message}` : `The source cannot be used like that: ${err.message}`);
        }
        throw err;
      }
      const title = nb ? `Tomtekilden ${row.id} er lagt til` : `Lot source ${row.id} added`;
      const when = { hourly: 'hver time', daily: 'daglig', weekly: 'ukentlig', monthly: 'månedlig' }[row.cadence as Cadence] ?? row.cadence;
      return {
        kind: 'sources',
        lang,
        title,
        sections: [{ type: 'text', text: nb ? `Hentes ${when}. Første henting lagrer tomtene uten varsel; deretter varsles nye tomter til abonnementer på «tomter».` : `Fetched ${row.cadence}. The first fetch stores the lots without alerts; after that new lots alert subscriptions to "lots".` }],
        actions: [],
        fallback: title,
      };
    }
  }
}

function refusedReply(lang: Lang, err: LotSourceRefusedError): Reply {
  const nb = lang === 'nb';
  switch (err.reason) {
    case 'address':
      return problem(lang, nb ? 'Adressen er ikke tillatt: tomte henter bare fra offentlige https-adresser, ikke fra interne nett eller maskinen selv. En bevisst intern kilde må stå i TOMTE_FETCH_ALLOW.' : 'The address is not allowed: tomte fetches only from public https addresses, not from internal networks or the machine itself. A deliberate internal source must be listed in TOMTE_FETCH_ALLOW.');
    case 'unresolved':
      return problem(lang, nb ? 'Fant ikke verten i adressen: navnet kan ikke slås opp (DNS). Sjekk skrivemåten.' : 'The host in the URL was not found: the name does not resolve (DNS). Check the spelling.');
    case 'credentials':
      return problem(lang, nb ? 'Adressen kan ikke inneholde brukernavn eller passord.' : 'The URL cannot contain a user name or password.');
    case 'limit-user':
      return problem(lang, nb ? `Du har allerede ${err.limit} aktive tomtekilder, som er grensen. Fjern en med «tomtekilde fjern <id>» først.` : `You already have ${err.limit} active lot sources, the limit. Remove one with "lot-source remove <id>" first.`);
    case 'limit-kommune':
      return problem(lang, nb ? `Kommunen har allerede ${err.limit} aktive tomtekilder, som er grensen.` : `The kommune already has ${err.limit} active lot sources, the limit.`);
    case 'limit-total':
      return problem(lang, nb ? `tomte har allerede ${err.limit} aktive tomtekilder, som er grensen.` : `tomte already has ${err.limit} active lot sources, the limit.`);
  }
}
