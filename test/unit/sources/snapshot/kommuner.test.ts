import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCodeChangesCsv, parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';

const dataFile = (name: string) => readFileSync(new URL(`../../../../data/${name}`, import.meta.url), 'utf8');

const KOMMUNE_HEADER =
  'kommunenummer,kommunenavn,navn_norsk,navn_samisk,samisk_sprak,navn_kvensk,kommunenavn_kartverket_2024,fylkesnummer,fylkesnavn,fylkesnavn_norsk,merknad';
const CHANGE_HEADER = 'gammel_kode,gammelt_navn,kommunenummer_2024,status,merknad';

describe('parseKommunerCsv on data/kommuner-2024.csv', () => {
  const kommuner = parseKommunerCsv(dataFile('kommuner-2024.csv'));

  it('reads all 357 kommuner with unique four-digit codes', () => {
    expect(kommuner).toHaveLength(357);
    expect(new Set(kommuner.map((k) => k.code)).size).toBe(357);
    for (const k of kommuner) expect(k.code).toMatch(/^\d{4}$/);
  });

  it('spans the 15 counties of 2024', () => {
    expect(new Set(kommuner.map((k) => k.countyCode)).size).toBe(15);
  });

  it('maps a plain row with nulls for empty fields and the 2024 validity', () => {
    expect(kommuner.find((k) => k.code === '0301')).toEqual({
      code: '0301',
      name: 'Oslo',
      nameNorwegian: 'Oslo',
      nameSami: null,
      samiLanguage: null,
      nameKven: null,
      countyCode: '03',
      countyName: 'Oslo',
      countyNameOfficial: 'Oslo',
      validFrom: '2024-01-01',
      validTo: null,
    });
  });

  it('keeps Sami and Kven names and the official county name', () => {
    const porsanger = kommuner.find((k) => k.code === '5622')!;
    expect(porsanger.name).toBe('Porsanger - Porsángu - Porsanki');
    expect(porsanger.nameNorwegian).toBe('Porsanger');
    expect(porsanger.nameSami).toBe('Porsáŋgu');
    expect(porsanger.samiLanguage).toBe('Northern Sami');
    expect(porsanger.nameKven).toBe('Porsanki');
    expect(porsanger.countyName).toBe('Finnmark');
    expect(porsanger.countyNameOfficial).toBe('Finnmark - Finnmárku - Finmarkku');
  });

  it('keeps "ikke oppgitt i kilden" as the Sami language where the source says so', () => {
    const rana = kommuner.find((k) => k.code === '1833')!;
    expect(rana.nameSami).toBe('Raane');
    expect(rana.samiLanguage).toBe('ikke oppgitt i kilden');
  });

  it('keeps the county qualifier in the Norwegian name of Herøy and Våler', () => {
    expect(kommuner.find((k) => k.code === '1818')!.nameNorwegian).toBe('Herøy (Nordland)');
    expect(kommuner.find((k) => k.code === '3419')!.nameNorwegian).toBe('Våler (Innlandet)');
  });
});

describe('parseKommunerCsv errors', () => {
  const row = (code: string) => `${code},Oslo,Oslo,,,,Oslo,03,Oslo,Oslo,`;

  it('parses a minimal valid file, with CRLF and a BOM', () => {
    const text = `\uFEFF${KOMMUNE_HEADER}\r\n${row('0301')}\r\n`;
    expect(parseKommunerCsv(text).map((k) => k.code)).toEqual(['0301']);
  });

  it('throws on a missing column and names it', () => {
    const header = KOMMUNE_HEADER.replace('navn_samisk,', '');
    const text = `${header}\n0301,Oslo,Oslo,,,Oslo,03,Oslo,Oslo,\n`;
    expect(() => parseKommunerCsv(text)).toThrow(/missing column\(s\): navn_samisk/);
  });

  it('throws on a missing column even without data rows', () => {
    expect(() => parseKommunerCsv('kommunenummer,kommunenavn\n')).toThrow(/missing column/);
  });

  it('throws on a code that is not four digits', () => {
    expect(() => parseKommunerCsv(`${KOMMUNE_HEADER}\n${row('301')}\n`)).toThrow(/"301" is not a four-digit code/);
    expect(() => parseKommunerCsv(`${KOMMUNE_HEADER}\n${row('03O1')}\n`)).toThrow(/four-digit/);
  });

  it('throws on a duplicate code', () => {
    expect(() => parseKommunerCsv(`${KOMMUNE_HEADER}\n${row('0301')}\n${row('0301')}\n`)).toThrow(/twice/);
  });
});

describe('parseCodeChangesCsv on data/kodeendringer-til-2024.csv', () => {
  const changes = parseCodeChangesCsv(dataFile('kodeendringer-til-2024.csv'));

  it('reads all 862 rows with the documented status counts', () => {
    expect(changes).toHaveLength(862);
    const count = (s: string) => changes.filter((c) => c.status === s).length;
    expect(count('samme_kode')).toBe(357);
    expect(count('slatt_inn_eller_omkodet')).toBe(477);
    expect(count('delt')).toBe(1);
    expect(count('delt_eller_ikke_kommune')).toBe(27);
  });

  it('maps a merged kommune with its period in the name', () => {
    expect(changes.find((c) => c.oldCode === '1001')).toEqual({
      oldCode: '1001',
      oldName: 'Kristiansand (-2019)',
      newCode: '4204',
      status: 'slatt_inn_eller_omkodet',
      note: null,
    });
  });

  it('keeps the delt row for 1507 and its note', () => {
    const alesund = changes.find((c) => c.oldCode === '1507')!;
    expect(alesund.status).toBe('delt');
    expect(alesund.note).toContain('1580 Haram');
  });

  it('gives unmappable rows no 2024 code', () => {
    for (const c of changes.filter((x) => x.status === 'delt_eller_ikke_kommune')) expect(c.newCode).toBeNull();
    expect(changes.find((c) => c.oldCode === '2111')).toMatchObject({ oldName: 'Longyearbyen', newCode: null });
  });

  it('keeps the source letter suffix of a reused code', () => {
    expect(changes.find((c) => c.oldCode === '0716u')).toMatchObject({ oldName: 'Våle (-2001)', newCode: '3905' });
    expect(changes.find((c) => c.oldCode === '0716')).toMatchObject({ oldName: 'Re (2002-2019)', newCode: '3905' });
  });
});

describe('parseCodeChangesCsv errors', () => {
  it('throws on a missing column', () => {
    expect(() => parseCodeChangesCsv('gammel_kode,gammelt_navn,status,merknad\n1001,Kristiansand,samme_kode,\n')).toThrow(
      /missing column\(s\): kommunenummer_2024/,
    );
  });

  it('throws on codes that are not four digits', () => {
    expect(() => parseCodeChangesCsv(`${CHANGE_HEADER}\n10011,X,4204,slatt_inn_eller_omkodet,\n`)).toThrow(/gammel_kode "10011"/);
    expect(() => parseCodeChangesCsv(`${CHANGE_HEADER}\n1001,X,424,slatt_inn_eller_omkodet,\n`)).toThrow(
      /kommunenummer_2024 "424"/,
    );
  });

  it('throws on an unknown status', () => {
    expect(() => parseCodeChangesCsv(`${CHANGE_HEADER}\n1001,X,4204,flyttet,\n`)).toThrow(/unknown status "flyttet"/);
  });

  it('throws when a mapped status has no 2024 code', () => {
    expect(() => parseCodeChangesCsv(`${CHANGE_HEADER}\n1001,X,,slatt_inn_eller_omkodet,\n`)).toThrow(/does not fit/);
  });

  it('reads quoted fields with commas', () => {
    const [c] = parseCodeChangesCsv(`${CHANGE_HEADER}\n1507,Ålesund (2020-2023),1508,delt,"delt i 1508, 1580"\n`);
    expect(c).toMatchObject({ oldCode: '1507', newCode: '1508', status: 'delt', note: 'delt i 1508, 1580' });
  });
});
