/**
 * Parsers for the bundled kommune snapshot: data/kommuner-2024.csv (KLASS 131, 2024 division)
 * and data/kodeendringer-til-2024.csv (old codes → 2024 codes). Pure: callers read the files.
 */
import { parseCsv } from '../../lib/csv';
import type { CodeChange, Kommune } from '../../domain/kommune/types';

const DIVISION_VALID_FROM = '2024-01-01';

const KOMMUNE_COLUMNS = [
  'kommunenummer',
  'kommunenavn',
  'navn_norsk',
  'navn_samisk',
  'samisk_sprak',
  'navn_kvensk',
  'fylkesnummer',
  'fylkesnavn',
  'fylkesnavn_norsk',
] as const;

const CODE_CHANGE_COLUMNS = [
  'gammel_kode',
  'gammelt_navn',
  'kommunenummer_2024',
  'status',
  'merknad',
] as const;

const STATUSES: readonly CodeChange['status'][] = [
  'samme_kode',
  'slatt_inn_eller_omkodet',
  'delt',
  'delt_eller_ikke_kommune',
];

const FOUR_DIGITS = /^\d{4}$/;
// The source keeps two rows for a code that was reused by a later kommune and tells them
// apart with a letter suffix ("0716u" Våle (-2001) vs "0716" Re (2002-2019)).
const OLD_CODE = /^\d{4}[a-z]?$/;

export function parseKommunerCsv(text: string): Kommune[] {
  requireColumns(text, KOMMUNE_COLUMNS, 'kommuner CSV');
  const records = parseCsv(text);
  const seen = new Set<string>();
  return records.map((r, i) => {
    const row = i + 2;
    const code = field(r, 'kommunenummer');
    if (!FOUR_DIGITS.test(code)) {
      throw new Error(`kommuner CSV row ${row}: kommunenummer "${code}" is not a four-digit code`);
    }
    if (seen.has(code)) throw new Error(`kommuner CSV row ${row}: kommunenummer ${code} appears twice`);
    seen.add(code);
    const countyCode = field(r, 'fylkesnummer');
    if (!/^\d{2}$/.test(countyCode)) {
      throw new Error(`kommuner CSV row ${row}: fylkesnummer "${countyCode}" is not a two-digit code`);
    }
    const name = field(r, 'kommunenavn');
    const nameNorwegian = field(r, 'navn_norsk');
    if (!name || !nameNorwegian) throw new Error(`kommuner CSV row ${row}: kommune ${code} has no name`);
    return {
      code,
      name,
      nameNorwegian,
      nameSami: orNull(field(r, 'navn_samisk')),
      samiLanguage: orNull(field(r, 'samisk_sprak')),
      nameKven: orNull(field(r, 'navn_kvensk')),
      countyCode,
      countyName: field(r, 'fylkesnavn_norsk'),
      countyNameOfficial: field(r, 'fylkesnavn'),
      validFrom: DIVISION_VALID_FROM,
      validTo: null,
    };
  });
}

export function parseCodeChangesCsv(text: string): CodeChange[] {
  requireColumns(text, CODE_CHANGE_COLUMNS, 'kodeendringer CSV');
  const records = parseCsv(text);
  return records.map((r, i) => {
    const row = i + 2;
    const oldCode = field(r, 'gammel_kode');
    if (!OLD_CODE.test(oldCode)) {
      throw new Error(`kodeendringer CSV row ${row}: gammel_kode "${oldCode}" is not a four-digit code`);
    }
    const status = field(r, 'status') as CodeChange['status'];
    if (!STATUSES.includes(status)) {
      throw new Error(`kodeendringer CSV row ${row}: unknown status "${status}"`);
    }
    const newCodeText = field(r, 'kommunenummer_2024');
    if (newCodeText !== '' && !FOUR_DIGITS.test(newCodeText)) {
      throw new Error(
        `kodeendringer CSV row ${row}: kommunenummer_2024 "${newCodeText}" is not a four-digit code`,
      );
    }
    const newCode = orNull(newCodeText);
    // Downstream mapping trusts that only unmappable rows lack a 2024 code.
    if ((newCode === null) !== (status === 'delt_eller_ikke_kommune')) {
      throw new Error(
        `kodeendringer CSV row ${row}: status ${status} does not fit kommunenummer_2024 "${newCodeText}"`,
      );
    }
    return {
      oldCode,
      oldName: field(r, 'gammelt_navn'),
      newCode,
      status,
      note: orNull(field(r, 'merknad')),
    };
  });
}

function requireColumns(text: string, columns: readonly string[], what: string): void {
  const header = headerOf(text);
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${what} is missing column(s): ${missing.join(', ')} (header: ${header.join(',')})`);
  }
}

// parseCsv drops the header when there are no data rows, so read it on its own: a header line
// parsed as both header and row yields a record whose keys are the column names.
function headerOf(text: string): string[] {
  const firstLine = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') return [];
  const [rec] = parseCsv(`${firstLine}\n${firstLine}`);
  return rec ? Object.keys(rec) : [];
}

function field(r: Record<string, string>, column: string): string {
  return (r[column] ?? '').trim();
}

function orNull(s: string): string | null {
  return s === '' ? null : s;
}
