// A list of matrikkelnumre as CSV, as a kommune might send it on request ("our lots for sale"):
// one number a line ("3401-12/34", "1804-66/1/0/0"), or columns. The header is optional and the
// separator is ';', ',' or a tab. The numbers are then resolved to teig polygons through
// Kartverket's eiendom API (eiendom-api.ts).
import { formatMatrikkelnummer, matrikkelFromParts, parseMatrikkelnummer, type MatrikkelParse } from '../../domain/lots/matrikkel';
import type { Matrikkelnummer } from '../../domain/lots/types';
import { parseCsvRows } from '../../lib/csv';
import { absoluteHttpUrl, readPrice } from './common';

export interface MatrikkelCsvEntry {
  /** 1-based line (row) of the CSV. */
  line: number;
  key: string;
  matrikkel: Matrikkelnummer;
  name?: string;
  price?: number;
  priceText?: string;
  url?: string;
}

export interface MatrikkelCsvResult {
  entries: MatrikkelCsvEntry[];
  errors: { line: number; key: string | null; message: string }[];
}

type Column = 'matrikkel' | 'knr' | 'gnr' | 'bnr' | 'fnr' | 'snr' | 'name' | 'price' | 'url';

const HEADERS: [Column, RegExp][] = [
  ['matrikkel', /^(matrikkel(nummer|nr)?|matrikkelnummertekst|eiendom|gnr\/?bnr)$/],
  ['knr', /^(kommunenummer|kommunenr|knr|komnr)$/],
  ['gnr', /^(gardsnummer|gårdsnummer|gardsnr|gnr)$/],
  ['bnr', /^(bruksnummer|bruksnr|bnr)$/],
  ['fnr', /^(festenummer|festenr|fnr)$/],
  ['snr', /^(seksjonsnummer|seksjonsnr|snr)$/],
  ['name', /^(navn|name|tittel|title|adresse|address)$/],
  ['price', /^(pris|price|prisantydning)$/],
  ['url', /^(url|lenke|link)$/],
];

/** The separator of the first non-empty line: the most frequent of ';', tab and ','. */
function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = [';', '\t', ','].map((d) => [d, first.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ';';
}

function headerColumns(row: string[]): Map<Column, number> | null {
  const cols = new Map<Column, number>();
  row.forEach((cell, i) => {
    const h = cell.trim().toLowerCase().replace(/\s+/g, '');
    const hit = HEADERS.find(([, re]) => re.test(h));
    if (hit && !cols.has(hit[0])) cols.set(hit[0], i);
  });
  return cols.has('matrikkel') || (cols.has('gnr') && cols.has('bnr')) ? cols : null;
}

/**
 * Parses the CSV. Without a header the first column is the matrikkelnummer and other columns are
 * ignored; a first row without digits is taken as a header of unknown names. With a known header, a `matrikkelnummer` column or `gnr`/`bnr` (+ `knr`, `fnr`, `snr`) columns
 * are read, and `navn`, `pris`, `url` when present. `defaultKommune` completes numbers written
 * without a kommune ("12/34"). Blank lines and lines starting with '#' are skipped; a number met
 * twice is reported on its second line.
 */
export function parseMatrikkelCsv(text: string, opts: { defaultKommune?: string } = {}): MatrikkelCsvResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = parseCsvRows(body, detectDelimiter(body));
  const entries: MatrikkelCsvEntry[] = [];
  const errors: MatrikkelCsvResult['errors'] = [];
  const seen = new Map<string, number>();
  const firstIndex = rows.findIndex((r) => r.some((c) => c.trim() !== '') && !r[0]!.trim().startsWith('#'));
  let cols: Map<Column, number> = new Map([['matrikkel', 0]]);
  let start = 0;
  if (firstIndex >= 0) {
    const header = headerColumns(rows[firstIndex]!);
    // A first row whose first cell reads as a number is data, whatever else it holds.
    const firstIsData = parseMatrikkelnummer(rows[firstIndex]![0] ?? '', { defaultKommune: opts.defaultKommune ?? '0301' }).ok;
    if (header && !firstIsData) {
      cols = header;
      start = firstIndex + 1;
    } else if (!firstIsData && !/\d/.test(rows[firstIndex]!.join(''))) {
      // A header with names we do not know ("Tomter"): skip it, read the first column.
      start = firstIndex + 1;
    }
  }
  const cell = (row: string[], c: Column) => {
    const i = cols.get(c);
    const v = i === undefined ? undefined : row[i]?.trim();
    return v === '' ? undefined : v;
  };
  const knrOpt = opts.defaultKommune === undefined ? {} : { defaultKommune: opts.defaultKommune };

  for (let r = start; r < rows.length; r++) {
    const row = rows[r]!;
    const line = r + 1;
    if (row.every((c) => c.trim() === '') || row[0]!.trim().startsWith('#')) continue;
    let parsed: MatrikkelParse;
    const text = cell(row, 'matrikkel');
    if (text !== undefined) parsed = parseMatrikkelnummer(text, knrOpt);
    else if (cols.has('gnr')) {
      const knr = cell(row, 'knr') ?? opts.defaultKommune;
      parsed = knr === undefined
        ? { ok: false, message: 'no kommunenummer on the line and none is configured' }
        : matrikkelFromParts({ kommunenummer: knr, gardsnummer: cell(row, 'gnr'), bruksnummer: cell(row, 'bnr'), festenummer: cell(row, 'fnr'), seksjonsnummer: cell(row, 'snr') });
    } else parsed = { ok: false, message: 'the matrikkelnummer cell is empty' };
    if (!parsed.ok) {
      errors.push({ line, key: null, message: parsed.message });
      continue;
    }
    const key = formatMatrikkelnummer(parsed.value);
    const before = seen.get(key);
    if (before !== undefined) {
      errors.push({ line, key, message: `duplicate of line ${before}` });
      continue;
    }
    seen.set(key, line);
    const entry: MatrikkelCsvEntry = { line, key, matrikkel: parsed.value };
    const name = cell(row, 'name');
    if (name !== undefined) entry.name = name;
    Object.assign(entry, readPrice(cell(row, 'price')));
    const url = absoluteHttpUrl(cell(row, 'url'));
    if (url !== undefined) entry.url = url;
    entries.push(entry);
  }
  return { entries, errors };
}
