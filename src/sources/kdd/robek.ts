import type { HttpClient } from '../../lib/http';
import type { Observation } from '../../domain/observation';
import { ind } from '../../domain/indicators';

/**
 * The ROBEK register (Register om betinget godkjenning og kontroll) as the Ministry of Local
 * Government publishes it: one regjeringen.no page, "Kommuner som er oppført i registeret", with
 * an HTML table (fylke, kommunenummer, kommune, lovhjemmelbokstav) and two sentences the parser
 * checks the table against ("Registeret er sist oppdatert DD.MM.YYYY", "Antall registrerte
 * kommuner nå: N"). NLOD 2.0. There is no API.
 */
export const ROBEK_URL = 'https://www.regjeringen.no/no/tema/kommuner-og-regioner/kommuneokonomi/robek-2/kommuner-som-er-oppfort-i-registeret/id415422/';

export class RobekPageError extends Error {
  constructor(message: string) {
    super(`ROBEK: ${message}; the register tomte holds is kept`);
    this.name = 'RobekPageError';
  }
}

export interface RobekEntry {
  code: string;
  name: string;
  /** Letters of kommuneloven § 28-1 first paragraph, as the page writes them: "c og d". */
  letters: string;
}

export interface RobekRegister {
  /** ISO date of "Registeret er sist oppdatert". */
  date: string;
  entries: RobekEntry[];
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", shy: '',
  aring: 'å', Aring: 'Å', oslash: 'ø', Oslash: 'Ø', aelig: 'æ', AElig: 'Æ', aacute: 'á', Aacute: 'Á', eacute: 'é', ndash: '–', mdash: '—', sect: '§',
};

/** Text of an HTML fragment: tags dropped (a <br> is a space), entities decoded, whitespace collapsed. */
export function htmlText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(n) ? String.fromCodePoint(n) : m;
      }
      return ENTITIES[e] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rows of an HTML table as cell texts (th and td alike). */
function tableRows(tableHtml: string): string[][] {
  const rows: string[][] = [];
  for (const tr of tableHtml.match(/<tr[\s>][\s\S]*?<\/tr>/gi) ?? []) {
    rows.push([...tr.matchAll(/<t([hd])[^>]*>([\s\S]*?)<\/t\1>/gi)].map((m) => htmlText(m[2] ?? '')));
  }
  return rows;
}

/**
 * Reads the register from the page. Every check that fails throws: a page whose shape changed
 * must stop the refresh, never empty the register. Checked: the update date, the stated count, a
 * table whose header names kommunenummer and lovhjemmel, one row per registered kommune with a
 * four-digit code, the county subtotals, no code twice, and the count of rows equal to the stated
 * count.
 */
export function parseRobekPage(html: string): RobekRegister {
  const text = htmlText(html);
  const dm = /Registeret er sist oppdatert\s+(\d{1,2})\.(\d{1,2})\.(\d{4})/i.exec(text);
  if (!dm) throw new RobekPageError('the page no longer says «Registeret er sist oppdatert DD.MM.ÅÅÅÅ»');
  const date = `${dm[3]}-${dm[2]!.padStart(2, '0')}-${dm[1]!.padStart(2, '0')}`;
  const cm = /Antall registrerte kommuner nå:\s*(\d+)/i.exec(text);
  if (!cm) throw new RobekPageError('the page no longer says «Antall registrerte kommuner nå: N»');
  const stated = Number(cm[1]);

  const table = (html.match(/<table[\s>][\s\S]*?<\/table>/gi) ?? []).find((t) => /kommune[\s\S]*?nummer/i.test(htmlText(t)) && /lovhjemmel/i.test(htmlText(t)));
  if (!table) throw new RobekPageError('no table with the columns kommunenummer and lovhjemmelbokstav');

  const entries: RobekEntry[] = [];
  let subtotal = 0;
  let countyRows = 0;
  for (const cells of tableRows(table)) {
    const at = cells.findIndex((c) => /^\d{4}$/.test(c));
    if (at >= 0) {
      const name = cells[at + 1] ?? '';
      const letters = cells[at + 2] ?? '';
      if (name === '') throw new RobekPageError(`the row for ${cells[at]} has no kommune name`);
      entries.push({ code: cells[at]!, name, letters: letters.replace(/\s+/g, ' ').trim() });
      continue;
    }
    const sub = /(\d+)\s+kommuner?\b/i.exec(cells.join(' '));
    if (sub) {
      subtotal += Number(sub[1]);
      countyRows++;
    }
  }
  const dupes = entries.map((e) => e.code).filter((c, i, all) => all.indexOf(c) !== i);
  if (dupes.length > 0) throw new RobekPageError(`kommune ${dupes.join(', ')} is listed twice`);
  if (entries.length !== stated) throw new RobekPageError(`the page says ${stated} kommuner are registered but its table lists ${entries.length}`);
  if (countyRows > 0 && subtotal !== stated) throw new RobekPageError(`the county subtotals add up to ${subtotal}, not the stated ${stated}`);
  return { date, entries };
}

export interface RobekContext {
  kommuneCodes: readonly string[];
  url: string;
  fetchedAt: string;
}

/**
 * The register as observations in the snapshot's form: every 2024 kommune 1 (registered, with the
 * law letters in the note) or 0 on the register's date. A code that is not a 2024 kommune fails
 * the run rather than be dropped silently.
 */
export function robekObservations(reg: RobekRegister, ctx: RobekContext): Observation[] {
  const known = new Set(ctx.kommuneCodes);
  const unknown = reg.entries.filter((e) => !known.has(e.code));
  if (unknown.length > 0) throw new RobekPageError(`the register lists ${unknown.map((e) => `${e.code} ${e.name}`).join(', ')}, not in the 2024 kommune list`);
  const registered = new Map(reg.entries.map((e) => [e.code, e]));
  return ctx.kommuneCodes.map((code) => {
    const e = registered.get(code);
    return {
      regionCode: code,
      indicator: ind.robekRegistered,
      period: reg.date,
      value: e ? 1 : 0,
      status: 'ok',
      unit: 'registrert',
      source: 'KDD',
      sourceTable: 'ROBEK',
      publishedAt: reg.date,
      fetchedAt: ctx.fetchedAt,
      origin: ctx.url,
      note: e?.letters ? `kommuneloven § 28-1 bokstav ${e.letters}` : null,
    };
  });
}

/** Fetches and parses the page. */
export async function fetchRobekRegister(http: HttpClient, url: string = ROBEK_URL): Promise<RobekRegister> {
  const res = await http.request({ url, headers: { accept: 'text/html' } });
  return parseRobekPage(res.text);
}
