import { fmt, fmtPct } from '../domain/format';
import type { Lang } from '../domain/localized';
import { addLotSource, CADENCES, LOT_SOURCE_KINDS, LotSourceConfigError, lotsInKommune, lotSourceList, type Cadence, type LotSourceKind } from '../services/lots/queries';
import type { ReadModel } from '../services/read-model';
import type { ChatPlace } from '../services/subscriptions';
import { fmtArea, mapLink } from './alerts';
import { cleanInput } from './grammar';
import type { Reply } from './reply';

/**
 * `tomter <kommune>` (lots known in a kommune), `tomtekilder` (configured lot sources) and
 * `tomtekilde legg til <type> <url> [kommune <navn>] [hver time|daglig|ukentlig]`.
 */
export type LotCommand =
  | { name: 'tomter'; lang: Lang | null; kommune: string }
  | { name: 'tomtekilder'; lang: Lang | null }
  | { name: 'tomtekilde-legg-til'; lang: Lang | null; kind: string; url: string; kommune: string | null; cadence: string }
  | { name: 'invalid-lot'; lang: Lang | null; message: { nb: string; en: string } };

const CADENCE_WORDS: Record<string, Cadence> = { 'hver time': 'hourly', timevis: 'hourly', hourly: 'hourly', daglig: 'daily', daily: 'daily', ukentlig: 'weekly', weekly: 'weekly', 'månedlig': 'monthly', monthly: 'monthly' };

export function parseLotCommand(input: string): LotCommand | null {
  const text = cleanInput(input);
  const m = /^(\S+)\s*(.*)$/.exec(text);
  if (!m) return null;
  const head = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (head === 'tomter' || head === 'lots') {
    const lang = head === 'lots' ? 'en' : null;
    if (rest === '') return { name: 'invalid-lot', lang, message: { nb: 'Hvilken kommune? Prøv «tomter Bodø».', en: 'Which kommune? Try "lots Bodø".' } };
    return { name: 'tomter', lang, kommune: rest };
  }
  if (head === 'tomtekilder' || (head === 'lot' && rest.toLowerCase() === 'sources')) return { name: 'tomtekilder', lang: head === 'lot' ? 'en' : null };
  if (head === 'tomtekilde' || head === 'lot-source') {
    const lang = head === 'lot-source' ? 'en' : null;
    const add = /^(?:legg til|add)\s+(\S+)\s+(\S+)(.*)$/i.exec(rest);
    if (!add) return { name: 'invalid-lot', lang, message: { nb: 'Skriv «tomtekilde legg til geojson https://… kommune Bodø daglig».', en: 'Type "lot-source add geojson https://… municipality Bodø daily".' } };
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

export async function handleLotCommand(rm: ReadModel, place: ChatPlace | null, cmd: LotCommand, lang: Lang): Promise<Reply> {
  const nb = lang === 'nb';
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
      const rows = sources.map((s) => [s.id, s.kind, s.cadence, s.lastSuccessAt ? s.lastSuccessAt.toISOString().slice(0, 16).replace('T', ' ') : nb ? 'ikke hentet ennå' : 'not fetched yet', s.lastError ?? '']);
      return {
        kind: 'sources',
        lang,
        title,
        sections: sources.length > 0 ? [{ type: 'table', columns: [{ label: 'Id' }, { label: nb ? 'Type' : 'Kind' }, { label: nb ? 'Hvor ofte' : 'Cadence' }, { label: nb ? 'Sist hentet (UTC)' : 'Last fetched (UTC)' }, { label: nb ? 'Feil' : 'Error' }], rows }] : [{ type: 'text', text: nb ? 'Ingen tomtekilder ennå.' : 'No lot sources yet.' }],
        actions: [],
        fallback: `${title}: ${rows.map((r) => r[0]).join(', ')}`,
      };
    }
    case 'tomtekilde-legg-til': {
      if (!place) return problem(lang, nb ? 'Tomtekilder legges til fra Slack eller Teams, så vi vet hvem som la dem til.' : 'Lot sources are added from Slack or Teams, so we know who added them.');
      if (!(LOT_SOURCE_KINDS as readonly string[]).includes(cmd.kind)) return problem(lang, nb ? `Ukjent type «${cmd.kind}». Typene er ${LOT_SOURCE_KINDS.join(', ')}.` : `Unknown kind "${cmd.kind}". The kinds are ${LOT_SOURCE_KINDS.join(', ')}.`);
      let url: URL;
      try {
        url = new URL(cmd.url);
      } catch {
        return problem(lang, nb ? `«${cmd.url}» er ikke en gyldig adresse.` : `"${cmd.url}" is not a valid URL.`);
      }
      if (url.protocol !== 'https:') return problem(lang, nb ? 'Adressen må begynne med https://.' : 'The URL must start with https://.');
      let kommuneCode: string | null = null;
      if (cmd.kommune) {
        const r = rm.registry.resolve(cmd.kommune);
        if (r.kind !== 'found') return problem(lang, nb ? `Fant ingen kommune «${cmd.kommune}».` : `No kommune "${cmd.kommune}".`);
        kommuneCode = r.kommune.code;
      }
      if (!(CADENCES as readonly string[]).includes(cmd.cadence)) return problem(lang, 'cadence');
      let row;
      try {
        row = await addLotSource(rm.deps, { kind: cmd.kind as LotSourceKind, url: url.toString(), kommuneCode, cadence: cmd.cadence as Cadence, createdBy: place.user });
      } catch (err) {
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
