import { describe, expect, it } from 'vitest';
import { formatMatrikkelnummer, matrikkelFromParts, parseMatrikkelnummer } from '../../../src/domain/lots/matrikkel';
import { parseMatrikkelCsv } from '../../../src/sources/lots/matrikkel-csv';

const ok = (text: string, defaultKommune?: string) => {
  const r = parseMatrikkelnummer(text, defaultKommune ? { defaultKommune } : {});
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('parseMatrikkelnummer / formatMatrikkelnummer', () => {
  it('reads knr-gnr/bnr and knr-gnr/bnr/fnr/snr', () => {
    expect(ok('3401-12/34')).toEqual({ kommunenummer: '3401', gardsnummer: 12, bruksnummer: 34, festenummer: 0, seksjonsnummer: 0 });
    expect(ok('1804-66/1/0/0')).toEqual({ kommunenummer: '1804', gardsnummer: 66, bruksnummer: 1, festenummer: 0, seksjonsnummer: 0 });
    expect(ok(' 0301 - 215 / 42 ')).toMatchObject({ kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42 });
    expect(ok('0301 215/42')).toMatchObject({ kommunenummer: '0301', gardsnummer: 215 });
  });

  it('formats festenummer and seksjonsnummer only when needed', () => {
    expect(formatMatrikkelnummer(ok('1804-66/1/0/0'))).toBe('1804-66/1');
    expect(formatMatrikkelnummer(ok('1804-66/1/3'))).toBe('1804-66/1/3');
    expect(formatMatrikkelnummer(ok('1804-66/1/0/5'))).toBe('1804-66/1/0/5');
    expect(formatMatrikkelnummer(ok('1804-66/1/2/5'))).toBe('1804-66/1/2/5');
  });

  it('pads a kommunenummer a spreadsheet cut to three digits, and uses the default kommune', () => {
    expect(ok('301-215/42').kommunenummer).toBe('0301');
    expect(ok('215/42', '0301')).toMatchObject({ kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42 });
  });

  it.each([
    ['215/42', 'no kommunenummer'],
    ['0301-0/42', 'gardsnummer must be at least 1'],
    ['0000-1/1', 'not 3–4 digits'],
    ['01-1/1', 'not 3–4 digits'],
    ['0301-215', 'not a matrikkelnummer'],
    ['0301-215/42/1/2/3', 'not a matrikkelnummer'],
    ['0301-123456/1', 'larger than 99999'],
    ['gnr 215 bnr 42', 'not a matrikkelnummer'],
  ])('rejects %j (%s)', (text, message) => {
    const r = parseMatrikkelnummer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it('builds from parts given as numbers or numeric strings', () => {
    const r = matrikkelFromParts({ kommunenummer: '0301', gardsnummer: 215, bruksnummer: '42', festenummer: null });
    expect(r.ok && formatMatrikkelnummer(r.value)).toBe('0301-215/42');
    expect(matrikkelFromParts({ kommunenummer: '0301', gardsnummer: 1.5, bruksnummer: 1 }).ok).toBe(false);
  });
});

describe('parseMatrikkelCsv', () => {
  it('reads one number a line with no header, ";" or "," files alike', () => {
    for (const text of ['3401-12/34\n1804-66/1/0/0\n', '3401-12/34;x\r\n1804-66/1/0/0;y', '3401-12/34,x\n1804-66/1/0/0,y']) {
      const r = parseMatrikkelCsv(text);
      expect(r.errors).toEqual([]);
      expect(r.entries.map((e) => [e.line, e.key])).toEqual([[1, '3401-12/34'], [2, '1804-66/1']]);
    }
  });

  it('reads a header with name, price and url columns in any order, BOM and quotes included', () => {
    const text = '\ufeffNavn;Matrikkelnummer;Pris;Lenke\n"Tomt 1; Solbakken";3401-12/34;1 250 000 kr;https://kommune.example/tomt1\nTomt 2;3401-12/35;25 kr/m²;www.kommune.example\n';
    const r = parseMatrikkelCsv(text);
    expect(r.errors).toEqual([]);
    expect(r.entries).toEqual([
      { line: 2, key: '3401-12/34', matrikkel: expect.objectContaining({ bruksnummer: 34 }), name: 'Tomt 1; Solbakken', price: 1250000, url: 'https://kommune.example/tomt1' },
      // A price per m² stays text; a link without scheme is dropped.
      { line: 3, key: '3401-12/35', matrikkel: expect.objectContaining({ bruksnummer: 35 }), name: 'Tomt 2', priceText: '25 kr/m²' },
    ]);
  });

  it('reads separate gnr/bnr columns with the configured kommune', () => {
    const r = parseMatrikkelCsv('gnr,bnr,fnr\n12,34,\n66,1,2\n', { defaultKommune: '3401' });
    expect(r.entries.map((e) => e.key)).toEqual(['3401-12/34', '3401-66/1/2']);
    const noKnr = parseMatrikkelCsv('gnr,bnr\n12,34\n');
    expect(noKnr.errors).toEqual([{ line: 2, key: null, message: 'no kommunenummer on the line and none is configured' }]);
  });

  it('reports bad and duplicate lines without dropping the good ones; skips blanks and comments', () => {
    const text = 'Tomter\n# liste fra kommunen\n3401-12/34\n\n3401-12/x\n3401-12/34/0/0\n215/42\n1804-66/1\n';
    const r = parseMatrikkelCsv(text);
    expect(r.entries.map((e) => [e.line, e.key])).toEqual([[3, '3401-12/34'], [8, '1804-66/1']]);
    expect(r.errors).toEqual([
      { line: 5, key: null, message: expect.stringContaining('not a matrikkelnummer') },
      { line: 6, key: '3401-12/34', message: 'duplicate of line 3' },
      { line: 7, key: null, message: expect.stringContaining('no kommunenummer') },
    ]);
  });

  it('returns nothing for an empty file', () => {
    expect(parseMatrikkelCsv('')).toEqual({ entries: [], errors: [] });
    expect(parseMatrikkelCsv('\n\n')).toEqual({ entries: [], errors: [] });
  });
});
