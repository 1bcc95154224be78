import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeName, stripParenQualifier, stripPeriodQualifier } from '../../../../src/domain/kommune/normalize';
import { createKommuneRegistry, osaDistance, type Resolution } from '../../../../src/domain/kommune/registry';
import type { Kommune } from '../../../../src/domain/kommune/types';
import { parseCodeChangesCsv, parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';

const dataFile = (name: string) => readFileSync(new URL(`../../../../data/${name}`, import.meta.url), 'utf8');
const kommuner = parseKommunerCsv(dataFile('kommuner-2024.csv'));
const changes = parseCodeChangesCsv(dataFile('kodeendringer-til-2024.csv'));
const registry = createKommuneRegistry(kommuner, changes);

function found(input: string): Extract<Resolution, { kind: 'found' }> {
  const r = registry.resolve(input);
  if (r.kind !== 'found') throw new Error(`expected ${JSON.stringify(input)} to be found, got ${JSON.stringify(r)}`);
  return r;
}

const codes = (ks: Kommune[]) => ks.map((k) => k.code);

describe('normalizeName', () => {
  it.each([
    ['Bodø', 'bodo'],
    ['BODØ', 'bodo'],
    ['Ålesund', 'alesund'],
    ['Bærum', 'baerum'],
    ['Tråante', 'traante'],
    ['Porsáŋgu', 'porsangu'],
    ['Kárášjohka', 'karasjohka'],
    ['Evenášši', 'evenassi'],
    ['Trööndelage', 'troondelage'],
    ['Đ ŧ ʒ ž č', 'd t z z c'],
    ['  Nord-Odal ', 'nord odal'],
    ['Aurskog–Høland', 'aurskog holand'],
    ['Herøy (Nordland)', 'heroy nordland'],
    ['herøy,   nordland', 'heroy nordland'],
    ['Gáivuotna - Kåfjord - Kaivuono', 'gaivuotna kafjord kaivuono'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('leaves period qualifiers for the separate helper', () => {
    expect(stripPeriodQualifier('Halden (2020-2023)')).toBe('Halden');
    expect(stripPeriodQualifier('Kristiansand (-2019)')).toBe('Kristiansand');
    expect(stripPeriodQualifier('Snillfjord (1924-2017)')).toBe('Snillfjord');
    expect(stripPeriodQualifier('Våler (Hedmark) (-2019)')).toBe('Våler (Hedmark)');
    expect(stripPeriodQualifier('Herøy (Nordland)')).toBe('Herøy (Nordland)');
    expect(stripParenQualifier('Herøy (Nordland)')).toBe('Herøy');
  });
});

describe('osaDistance', () => {
  it('counts a transposition as one edit', () => {
    expect(osaDistance('trondhiem', 'trondheim')).toBe(1);
    expect(osaDistance('bergn', 'bergen')).toBe(1);
    expect(osaDistance('', 'abc')).toBe(3);
    expect(osaDistance('molde', 'molde')).toBe(0);
    expect(osaDistance('ca', 'abc')).toBe(3);
  });

  it('stops early past the budget', () => {
    expect(osaDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
  });
});

describe('registry basics', () => {
  it('holds 357 kommuner sorted by unique code', () => {
    const all = registry.all();
    expect(all).toHaveLength(357);
    expect(new Set(codes([...all])).size).toBe(357);
    expect(codes([...all])).toEqual(codes([...all]).sort());
    expect(all[0]!.code).toBe('0301');
  });

  it('sorts even when given unsorted input', () => {
    const r = createKommuneRegistry([...kommuner].reverse(), changes);
    expect(r.all()[0]!.code).toBe('0301');
    expect(r.all().at(-1)!.code).toBe('5636');
  });

  it('looks up by code', () => {
    expect(registry.byCode('1804')?.nameNorwegian).toBe('Bodø');
    expect(registry.byCode('9999')).toBeUndefined();
  });

  it('lists the 15 counties sorted, with official names', () => {
    const counties = registry.counties();
    expect(counties).toHaveLength(15);
    expect(counties.map((c) => c.code)).toEqual([
      '03', '11', '15', '18', '31', '32', '33', '34', '39', '40', '42', '46', '50', '55', '56',
    ]);
    expect(counties.find((c) => c.code === '55')).toEqual({
      code: '55',
      name: 'Troms',
      nameOfficial: 'Troms - Romsa - Tromssa',
    });
  });
});

describe('resolveCounty', () => {
  it.each([
    ['Nordland', '18'],
    ['nordlannda', '18'],
    ['Nordlánnda', '18'],
    ['Troms', '55'],
    ['Romsa', '55'],
    ['Tromssa', '55'],
    ['Trøndelag', '50'],
    ['Trööndelage', '50'],
    ['trondelag', '50'],
    ['Møre og Romsdal', '15'],
    ['more og romsdal', '15'],
    ['Finnmárku', '56'],
    ['18', '18'],
    ['3', '03'],
    ['Vestland fylke', '46'],
  ])('%j → %s', (input, code) => {
    expect(registry.resolveCounty(input)?.code).toBe(code);
  });

  it('returns the Norwegian name', () => {
    expect(registry.resolveCounty('Romsa')).toEqual({ code: '55', name: 'Troms' });
  });

  it('does not know former or made-up counties', () => {
    expect(registry.resolveCounty('Viken')).toBeUndefined();
    expect(registry.resolveCounty('99')).toBeUndefined();
    expect(registry.resolveCounty('')).toBeUndefined();
  });
});

describe('resolve by code', () => {
  it('finds a 2024 code', () => {
    expect(found('1804')).toMatchObject({ matchedBy: 'code', matchedText: '1804', kommune: { code: '1804' } });
    expect(found(' 5001 ').kommune.code).toBe('5001');
  });

  it('pads a three-digit code', () => {
    expect(found('301')).toMatchObject({ matchedBy: 'code', matchedText: '0301', kommune: { code: '0301' } });
  });

  it('maps a merged pre-2024 code and names the old kommune without its period', () => {
    const r = found('1001');
    expect(r.kommune.code).toBe('4204');
    expect(r.matchedBy).toBe('old-code');
    expect(r.previous).toEqual({ code: '1001', name: 'Kristiansand' });
  });

  it('maps a pre-2020 code given with three digits', () => {
    const r = found('101');
    expect(r.kommune.code).toBe('3101');
    expect(r.previous).toEqual({ code: '0101', name: 'Halden' });
  });

  it('treats 1507 as split into 1508 and 1580, not as 1508', () => {
    expect(registry.resolve('1507')).toEqual({
      kind: 'ambiguous',
      input: '1507',
      reason: 'split',
      candidates: [registry.byCode('1508'), registry.byCode('1580')],
    });
  });

  it.each(['2111', '2211', '1850', '5012', '9999', '2311'])('does not map unmappable code %s', (code) => {
    expect(registry.resolve(code)).toEqual({ kind: 'not-found', input: code, suggestions: [] });
  });

  it.each(['0000', '12', '12345', '7777'])('does not find %s and suggests nothing', (code) => {
    expect(registry.resolve(code)).toEqual({ kind: 'not-found', input: code, suggestions: [] });
  });
});

describe('resolve by name', () => {
  it.each(['bodo', 'BODØ', 'Bodø', 'Bodø kommune'])('%j → 1804 Bodø', (input) => {
    expect(found(input)).toMatchObject({ matchedBy: 'name', kommune: { code: '1804' } });
  });

  it('finds Oslo', () => {
    expect(found('Oslo')).toMatchObject({ matchedBy: 'name', matchedText: 'Oslo', kommune: { code: '0301' } });
  });

  it('finds by Sami name', () => {
    expect(found('Guovdageaidnu')).toMatchObject({ matchedBy: 'sami-name', kommune: { code: '5612' } });
    expect(found('Kautokeino')).toMatchObject({ matchedBy: 'name', kommune: { code: '5612' } });
    for (const input of ['Tråante', 'traante']) {
      expect(found(input)).toMatchObject({ matchedBy: 'sami-name', matchedText: 'Tråante', kommune: { code: '5001' } });
    }
    for (const input of ['Porsáŋgu', 'Porsangu', 'porsángu']) {
      expect(found(input)).toMatchObject({ matchedBy: 'sami-name', kommune: { code: '5622' } });
    }
    expect(found('Raane')).toMatchObject({ matchedBy: 'sami-name', kommune: { code: '1833' } });
  });

  it('finds by Kven name', () => {
    expect(found('Porsanki')).toMatchObject({ matchedBy: 'kven-name', kommune: { code: '5622' } });
    expect(found('Raisi')).toMatchObject({ matchedBy: 'kven-name', kommune: { code: '5544' } });
  });

  it('finds by the full parallel name in KLASS and Kartverket order', () => {
    expect(found('Trondheim - Tråante').kommune.code).toBe('5001');
    expect(found('Røros - Rosse').kommune.code).toBe('5025');
    expect(found('Rosse - Røros').kommune.code).toBe('5025');
    expect(found('Nord-Odal').kommune.code).toBe('3414');
    expect(found('nord odal').kommune.code).toBe('3414');
  });

  it('finds every kommune by its own name and its own code', () => {
    for (const k of kommuner) {
      expect(found(k.name).kommune.code).toBe(k.code);
      expect(found(k.nameNorwegian).kommune.code).toBe(k.code);
      expect(found(k.code).kommune.code).toBe(k.code);
      if (k.nameSami) expect(found(k.nameSami).kommune.code).toBe(k.code);
      if (k.nameKven) expect(found(k.nameKven).kommune.code).toBe(k.code);
    }
  });

  it('reports names shared by two kommuner as ambiguous', () => {
    for (const [input, expected] of [
      ['Herøy', ['1515', '1818']],
      ['heroy', ['1515', '1818']],
      ['Våler', ['3114', '3419']],
    ] as const) {
      const r = registry.resolve(input);
      expect(r.kind).toBe('ambiguous');
      if (r.kind !== 'ambiguous') continue;
      expect(r.reason).toBe('same-name');
      expect(codes(r.candidates)).toEqual(expected);
    }
  });

  it.each([
    ['Herøy Nordland', '1818'],
    ['Herøy (Nordland)', '1818'],
    ['herøy, nordland', '1818'],
    ['Herøy i Nordland', '1818'],
    ['Herøy Nordlánnda', '1818'],
    ['Herøy (Møre og Romsdal)', '1515'],
    ['heroy i more og romsdal', '1515'],
    ['Våler i Østfold', '3114'],
    ['Våler (Innlandet)', '3419'],
    ['valer, innlandet', '3419'],
  ])('narrows %j by county to %s', (input, code) => {
    expect(found(input).kommune.code).toBe(code);
  });

  it('does not narrow to a county where the name does not exist', () => {
    expect(registry.resolve('Herøy i Troms').kind).toBe('not-found');
  });
});

describe('resolve by old name', () => {
  it('maps a merged kommune to its 2024 successor', () => {
    const r = found('Søgne');
    expect(r.kommune.code).toBe('4204');
    expect(r.matchedBy).toBe('old-name');
    expect(r.previous).toEqual({ code: '1018', name: 'Søgne' });
    expect(found('sogne').kommune.code).toBe('4204');
  });

  it('names the latest period of an old kommune as previous', () => {
    expect(found('Våler (Viken)')).toMatchObject({
      matchedBy: 'old-name',
      kommune: { code: '3114' },
      previous: { code: '3018', name: 'Våler (Viken)' },
    });
  });

  it('uses former county qualifiers', () => {
    expect(found('Våler i Hedmark')).toMatchObject({ matchedBy: 'old-name', kommune: { code: '3419' } });
    expect(found('Nes (Buskerud)')).toMatchObject({ matchedBy: 'old-name', kommune: { code: '3322' } });
    expect(found('Sande i Vestfold')).toMatchObject({ matchedBy: 'old-name', kommune: { code: '3903' } });
    expect(found('Os (Hordaland)')).toMatchObject({ matchedBy: 'old-name', kommune: { code: '4624' } });
  });

  it('prefers a current name over an old one', () => {
    expect(found('Ålesund')).toMatchObject({ matchedBy: 'name', kommune: { code: '1508' } });
    expect(found('Nes')).toMatchObject({ matchedBy: 'name', kommune: { code: '3228' } });
    expect(found('Hitra')).toMatchObject({ matchedBy: 'name', kommune: { code: '5056' } });
    expect(found('Os')).toMatchObject({ matchedBy: 'name', kommune: { code: '3430' } });
    expect(found('Sande')).toMatchObject({ matchedBy: 'name', kommune: { code: '1514' } });
  });

  it('tells apart the two holders of code 0716', () => {
    expect(found('Re').previous).toEqual({ code: '0716', name: 'Re' });
    expect(found('Våle').previous).toEqual({ code: '0716u', name: 'Våle' });
    expect(found('Våle').kommune.code).toBe('3905');
  });

  it('does not guess for kommuner that were split or are not kommuner', () => {
    for (const input of ['Tysfjord', 'Snillfjord', 'Longyearbyen', 'Jan Mayen']) {
      expect(registry.resolve(input)).toEqual({ kind: 'not-found', input, suggestions: [] });
    }
  });

  it('reports an old name that went to several kommuner as ambiguous', () => {
    const split = createKommuneRegistry(kommuner, [
      ...changes,
      { oldCode: '1599', oldName: 'Testvik (-2019)', newCode: '1508', status: 'slatt_inn_eller_omkodet', note: null },
      { oldCode: '1598', oldName: 'Testvik (2020-2023)', newCode: '1580', status: 'slatt_inn_eller_omkodet', note: null },
    ]);
    const r = split.resolve('Testvik');
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') expect(codes(r.candidates)).toEqual(['1508', '1580']);
  });
});

describe('not found and suggestions', () => {
  function suggestions(input: string): string[] {
    const r = registry.resolve(input);
    expect(r.kind).toBe('not-found');
    return r.kind === 'not-found' ? codes(r.suggestions) : [];
  }

  it('returns nothing for empty input', () => {
    expect(registry.resolve('')).toEqual({ kind: 'not-found', input: '', suggestions: [] });
    expect(registry.resolve('   ')).toEqual({ kind: 'not-found', input: '   ', suggestions: [] });
  });

  it('ranks a prefix first', () => {
    expect(suggestions('kristians').slice(0, 2)).toEqual(['4204', '1505']);
    expect(suggestions('hammer')[0]).toBe('5603');
  });

  it('corrects a transposed letter', () => {
    expect(suggestions('Trondhiem')[0]).toBe('5001');
    expect(suggestions('Bergn')[0]).toBe('4601');
  });

  it('ranks current names above old names of equal merit', () => {
    // "Norddal" (now Fjord) also starts with "nord", but is a pre-2024 name.
    expect(suggestions('nord').slice(0, 4)).not.toContain('1578');
  });

  it('finds words inside multi-word names', () => {
    expect(suggestions('odal').slice(0, 2).sort()).toEqual(['3414', '3415']);
  });

  it('gives at most five distinct suggestions', () => {
    const s = suggestions('sa');
    expect(s.length).toBe(5);
    expect(new Set(s).size).toBe(5);
  });

  it('suggests nothing for input far from every name', () => {
    expect(suggestions('xqzwv')).toEqual([]);
  });
});
