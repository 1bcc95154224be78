import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  JsonStatError,
  cellStatus,
  decodeJsonStat,
  statusMeaning,
  type JsonStatDataset,
} from '../../../../src/sources/ssb/jsonstat';

// Copies of real responses; provenance in test/fixtures/README.md.
const readFixture = (rel: string): string =>
  readFileSync(new URL(`../../../fixtures/${rel}`, import.meta.url), 'utf8');
// A fresh object each call, so tests can mutate it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (rel: string): any => JSON.parse(readFixture(rel));

const F07459 = 'ssb/ssb_jsonstat2_07459_population_by_municipality_2022.json';
const F07221 = 'ssb/ssb_jsonstat2_07221_house_price_index_2022K1-2023K4.json';
const F14216 = 'ssb/ssb_v2_metadata_14216_trimmed.json';

function decodeError(json: unknown, options?: { allowEmptyValues?: boolean }): JsonStatError {
  try {
    decodeJsonStat(json, options);
  } catch (e) {
    expect(e).toBeInstanceOf(JsonStatError);
    return e as JsonStatError;
  }
  throw new Error('expected decodeJsonStat to throw');
}

/** Every cell read by flat index must be found again by its coordinates. */
function expectRoundTrip(ds: JsonStatDataset): void {
  let n = 0;
  for (const c of ds.cells()) {
    expect(ds.get(c.coords)).toEqual({ value: c.value, status: c.status });
    n++;
  }
  expect(n).toBe(ds.cellCount);
}

describe('decodeJsonStat on SSB 07459 (population by kommune, 1 Jan 2022)', () => {
  const ds = decodeJsonStat(fixture(F07459));

  it('reads the header, dimension order and roles', () => {
    expect(ds.label).toBe('07459: Befolkning, etter region, statistikkvariabel og år');
    expect(ds.source).toBe('Statistisk sentralbyrå');
    expect(ds.updated).toBe('2022-02-24T07:00:00Z');
    expect(ds.ids).toEqual(['Region', 'ContentsCode', 'Tid']);
    expect(ds.sizes).toEqual([359, 1, 1]);
    expect(ds.strides).toEqual([1, 1, 1]);
    expect(ds.cellCount).toBe(359);
    expect(ds.hasValues).toBe(true);
    expect(ds.roles).toEqual({ time: ['Tid'], metric: ['ContentsCode'], geo: ['Region'] });
  });

  it('reads codes in index order, labels and units', () => {
    const region = ds.dimensions['Region']!;
    expect(region.label).toBe('region');
    expect(region.codes).toHaveLength(359);
    expect(region.codes.slice(0, 3)).toEqual(['K-3001', 'K-3002', 'K-3003']);
    expect(region.codes.slice(-3)).toEqual(['K-21-22', 'K-23', 'K-Rest']);
    expect(region.labels['K-0301']).toBe('Oslo');
    expect(region.labels['K-21-22']).toBe('Svalbard og Jan Mayen');
    expect(region.unit).toBeUndefined();
    expect(ds.dimensions['ContentsCode']!.unit).toEqual({ Personer1: { base: 'personer', decimals: 0 } });
  });

  it('gives the published 2022 population of six kommuner whose code is unchanged in 2024', () => {
    // Expected figures copied from data/befolkning.csv (kommunenummer,2022 rows, source "ssb").
    const expected: Record<string, number> = {
      '0301': 699827, // Oslo
      '1804': 52803, // Bodø
      '4601': 286930, // Bergen
      '5001': 210496, // Trondheim
      '1103': 144699, // Stavanger
      '1151': 188, // Utsira
    };
    for (const [kommune, population] of Object.entries(expected)) {
      const full = ds.get({ Region: `K-${kommune}`, ContentsCode: 'Personer1', Tid: '2022' });
      expect(full, kommune).toEqual({ value: population, status: null });
      // Single-category dimensions may be left out.
      expect(ds.get({ Region: `K-${kommune}` })?.value, kommune).toBe(population);
    }
  });

  it('sums to the published national population on 1 Jan 2022 (5 425 270)', () => {
    let sum = 0;
    for (const c of ds.cells()) {
      expect(typeof c.value).toBe('number');
      expect(c.status).toBeNull();
      expect(cellStatus(c.value, c.status)).toBe('ok');
      sum += c.value as number;
    }
    expect(sum).toBe(5425270);
  });

  it('reports the special regions with their (zero) values', () => {
    for (const code of ['K-21-22', 'K-23', 'K-Rest']) expect(ds.get({ Region: code })?.value).toBe(0);
  });

  it('finds every cell again by its coordinates', () => expectRoundTrip(ds));

  it('returns undefined for an unknown code, an unknown dimension, or a missing multi-category dimension', () => {
    expect(ds.get({ Region: '0301' })).toBeUndefined(); // the fixture uses K- codes
    expect(ds.get({ Region: 'K-0301', Aar: '2022' })).toBeUndefined();
    expect(ds.get({ ContentsCode: 'Personer1' })).toBeUndefined();
  });

  it('rejects a flat index outside the dataset', () => {
    expect(() => ds.cell(359)).toThrow(RangeError);
    expect(() => ds.cell(-1)).toThrow(RangeError);
    expect(() => ds.cell(1.5)).toThrow(RangeError);
  });
});

describe('decodeJsonStat on SSB 07221 (house price index, 12 regions × 3 types × 8 quarters)', () => {
  const raw = fixture(F07221);
  const ds = decodeJsonStat(raw);

  it('computes row-major strides from id/size, last dimension fastest', () => {
    expect(ds.ids).toEqual(['Region', 'Boligtype', 'ContentsCode', 'Tid']);
    expect(ds.sizes).toEqual([12, 3, 1, 8]);
    expect(ds.strides).toEqual([24, 8, 8, 1]);
    expect(ds.cellCount).toBe(288);
    expect(ds.roles).toEqual({ time: ['Tid'], metric: ['ContentsCode'] });
    expect(ds.dimensions['Region']!.labels['TOTAL']).toBe('Hele landet');
    expect(ds.dimensions['Tid']!.codes).toEqual([
      '2022K1', '2022K2', '2022K3', '2022K4', '2023K1', '2023K2', '2023K3', '2023K4',
    ]);
  });

  it('matches cells read by hand from the raw value array', () => {
    // value[i] with i = region*24 + boligtype*8 + quarter.
    const spot: [number, Record<string, string>, number][] = [
      [0, { Region: 'TOTAL', Boligtype: '01', Tid: '2022K1' }, 136.2],
      [1, { Region: 'TOTAL', Boligtype: '01', Tid: '2022K2' }, 144.5],
      [8, { Region: 'TOTAL', Boligtype: '02', Tid: '2022K1' }, 142.3],
      [24, { Region: '001', Boligtype: '01', Tid: '2022K1' }, 156.2],
      [100, { Region: '004', Boligtype: '01', Tid: '2023K1' }, 139.2],
      [175, { Region: '007', Boligtype: '01', Tid: '2023K4' }, 131.5],
      [184, { Region: '007', Boligtype: '03', Tid: '2022K1' }, 146],
      [287, { Region: '011', Boligtype: '03', Tid: '2023K4' }, 134.6],
    ];
    for (const [i, coords, value] of spot) {
      expect(raw.value[i]).toBe(value);
      expect(ds.cell(i)).toEqual({ coords: { ...coords, ContentsCode: 'Boligindeks' }, value, status: null });
      expect(ds.get(coords)).toEqual({ value, status: null });
    }
  });

  it("decodes nulls flagged '..' as missing, and only those", () => {
    const nullCells = [...ds.cells()].filter((c) => c.value === null);
    expect(nullCells).toHaveLength(24);
    for (const c of nullCells) {
      expect(c.status).toBe('..');
      expect(statusMeaning(c.status)).toBe('missing');
      expect(cellStatus(c.value, c.status)).toBe('missing');
    }
    // Småhus in Innlandet, Trøndelag uten Trondheim and Nord-Norge, all eight quarters.
    expect(new Set(nullCells.map((c) => `${c.coords['Region']}/${c.coords['Boligtype']}`))).toEqual(
      new Set(['007/02', '010/02', '011/02']),
    );
    expect(ds.cell(176)).toEqual({
      coords: { Region: '007', Boligtype: '02', ContentsCode: 'Boligindeks', Tid: '2022K1' },
      value: null,
      status: '..',
    });
    const flagged = [...ds.cells()].filter((c) => c.status !== null);
    expect(flagged).toHaveLength(24);
  });

  it('reads the same cells whatever the key order of category.index', () => {
    const shuffled = fixture(F07221);
    const index = shuffled.dimension.Region.category.index as Record<string, number>;
    shuffled.dimension.Region.category.index = Object.fromEntries(Object.entries(index).reverse());
    expect(Object.keys(shuffled.dimension.Region.category.index)[0]).toBe('011');
    const again = decodeJsonStat(shuffled);
    expect(again.dimensions['Region']!.codes).toEqual(ds.dimensions['Region']!.codes);
    expect([...again.cells()]).toEqual([...ds.cells()]);
  });

  it('finds every cell again by its coordinates', () => expectRoundTrip(ds));
});

describe('category.index positions that differ from key order', () => {
  // 05810's Kjonn has {"1":2,"2":1}-style indexes; here a tiny dataset in that shape.
  const json = {
    version: '2.0',
    class: 'dataset',
    id: ['Kjonn', 'Tid'],
    size: [2, 2],
    dimension: {
      Kjonn: { label: 'kjønn', category: { index: { '1': 1, '2': 0 }, label: { '1': 'Menn', '2': 'Kvinner' } } },
      Tid: { label: 'år', category: { index: ['2023', '2024'] } },
    },
    value: [10, 11, 20, 21],
  };

  it('orders codes by position and addresses cells by it', () => {
    const ds = decodeJsonStat(json);
    expect(ds.dimensions['Kjonn']!.codes).toEqual(['2', '1']);
    expect(ds.get({ Kjonn: '2', Tid: '2023' })?.value).toBe(10);
    expect(ds.get({ Kjonn: '1', Tid: '2024' })?.value).toBe(21);
    expect(ds.cell(2).coords).toEqual({ Kjonn: '1', Tid: '2023' });
    // Tid has no category.label: codes label themselves.
    expect(ds.dimensions['Tid']!.labels).toEqual({ '2023': '2023', '2024': '2024' });
  });
});

describe('decodeJsonStat on the PxWebApi v2 metadata of 14216 (value: [])', () => {
  it('refuses the empty value without allowEmptyValues', () => {
    const err = decodeError(fixture(F14216));
    expect(err.kind).toBe('size-mismatch');
    expect(err.message).toContain('120×2×2×25 = 12000 cells but value has 0');
    expect(err.message).toContain('allowEmptyValues');
  });

  const ds = decodeJsonStat(fixture(F14216), { allowEmptyValues: true });

  it('decodes dimensions, labels, units and roles with allowEmptyValues', () => {
    expect(ds.hasValues).toBe(false);
    expect(ds.ids).toEqual(['Region', 'TettSted', 'ContentsCode', 'Tid']);
    expect(ds.sizes).toEqual([120, 2, 2, 25]);
    expect(ds.cellCount).toBe(12000);
    expect(ds.updated).toBe('2026-08-31T06:00:00Z');
    expect(ds.roles).toEqual({ time: ['Tid'], geo: ['Region', 'TettSted'], metric: ['ContentsCode'] });
    const region = ds.dimensions['Region']!;
    expect(region.codes).toHaveLength(120);
    expect(region.codes[0]).toBe('3101');
    expect(region.codes.at(-1)).toBe('0399');
    expect(region.labels['0301']).toBe('Oslo - Oslove');
    expect(region.labels['3001']).toBe('Halden (2020-2023)');
    expect(region.extension?.['show']).toBe('code_value');
    expect(ds.dimensions['ContentsCode']!.unit).toEqual({
      Areal: { base: 'km²', decimals: 2 },
      Bosatte: { base: 'personer', decimals: 0 },
    });
    expect(ds.dimensions['Tid']!.codes.slice(0, 2)).toEqual(['2000', '2002']);
  });

  it('exposes the v2 codelists of a dimension', () => {
    expect(ds.dimensions['Region']!.codelists).toEqual([
      { id: 'agg_Valgdistrikt', label: 'Valgdistrikt', type: 'Aggregation' },
      { id: 'vs_Kommun', label: 'Alle kommuner ', type: 'Valueset' },
    ]);
    expect(ds.dimensions['TettSted']!.codelists).toEqual([]);
    expect(ds.dimensions['Tid']!.codelists).toEqual([]);
  });

  it('keeps the order of a trimmed index whose positions (159, 160) exceed its size', () => {
    expect(ds.dimensions['TettSted']!.codes).toEqual(['0801', '0802']);
    expect(ds.get({ Region: '0301', TettSted: '0801', ContentsCode: 'Bosatte', Tid: '2000' })).toEqual({
      value: null,
      status: null,
    });
    expect(ds.cell(0).value).toBeNull();
  });

  it('still refuses such an index on a dataset that carries values', () => {
    const json = fixture(F14216);
    json.size = [120, 2, 1, 1];
    json.dimension.ContentsCode.category.index = { Bosatte: 0 };
    json.dimension.Tid.category.index = { '2024': 0 };
    json.value = new Array(240).fill(1);
    const err = decodeError(json);
    expect(err.kind).toBe('dimension-mismatch');
    expect(err.message).toContain('"TettSted"');
    expect(err.message).toContain('159, 160');
  });
});

describe('decodeJsonStat on the conformance set', () => {
  const files = [
    'ssb/ssb-12191-kostra-kommunehelse.json',
    'ssb/ssb-12367-kostra-driftsregnskap.json',
    'ssb/ssb-08655-byggekostnadsindeks.json',
    'ssb/ssb-13861-lonnsulikhet-naering.json',
    'samples/oecd.json',
    'samples/canada.json',
    'samples/galicia.json',
    'samples/order.json',
    'samples/hierarchy.json',
    'samples/us-gsp.json',
    'samples/us-unr.json',
  ];
  const load = (name: string) => {
    const raw = fixture(`jsonstat-conformance/${name}`);
    return { raw, ds: decodeJsonStat(raw) };
  };

  it.each(files)('%s decodes, and every dense value is read back at its flat index', (name) => {
    const { raw, ds } = load(name);
    expect(ds.ids).toEqual(raw.id);
    expect(ds.cellCount).toBe((raw.size as number[]).reduce((a, b) => a * b, 1));
    for (const id of ds.ids) expect(ds.dimensions[id]!.codes).toHaveLength(ds.sizes[ds.ids.indexOf(id)]!);
    if (Array.isArray(raw.value)) {
      for (let i = 0; i < ds.cellCount; i++) expect(ds.cell(i).value).toBe(raw.value[i]);
    }
    expectRoundTrip(ds);
  });

  it('order.json: each string value names its own coordinates', () => {
    const { ds } = load('samples/order.json');
    expect(ds.cellCount).toBe(24);
    const wrong: number[] = [];
    for (let i = 0; i < ds.cellCount; i++) {
      const { coords, value } = ds.cell(i);
      if (value !== `A${coords['A']}B${coords['B']}C${coords['C']}`) wrong.push(i);
    }
    // The published sample (json-stat.org, copied byte for byte) has one typo: the cell at
    // A2 B1 C4 holds "A1B1C4". Every other cell names itself, so the strides are right.
    expect(wrong).toEqual([11]);
    expect(ds.cell(11)).toEqual({ coords: { A: '2', B: '1', C: '4' }, value: 'A1B1C4', status: null });
    expect(ds.get({ A: '3', B: '2', C: '1' })?.value).toBe('A3B2C1');
    expect(ds.get({ A: '1', B: '2', C: '4' })?.value).toBe('A1B2C4');
  });

  it('hierarchy.json: sparse value {"0": null} leaves all 132 cells null, never invented', () => {
    const { ds } = load('samples/hierarchy.json');
    expect(ds.cellCount).toBe(132);
    expect(ds.dimensions['commodity']!.codes.slice(0, 4)).toEqual(['T', '1', '1.1', '1.1.1']);
    expect(ds.dimensions['commodity']!.labels['T']).toBe('Total');
    for (const c of ds.cells()) {
      expect(c.value).toBeNull();
      expect(c.status).toBeNull();
      expect(cellStatus(c.value, c.status)).toBe('missing');
    }
  });

  it('a sparse value object fills only its keys', () => {
    const ds = decodeJsonStat({
      version: '2.0',
      class: 'dataset',
      id: ['x'],
      size: [3],
      dimension: { x: { category: { index: ['a', 'b', 'c'] } } },
      value: { '1': 7 },
      status: { '2': ':' },
    });
    expect([...ds.cells()].map((c) => [c.value, c.status])).toEqual([[null, null], [7, null], [null, ':']]);
    expect(ds.dimensions['x']!.label).toBe('x');
  });

  it("canada.json: status ['a'] applies to every cell; a dimension without index", () => {
    const { ds } = load('samples/canada.json');
    expect(ds.cellCount).toBe(120);
    for (const c of ds.cells()) expect(c.status).toBe('a');
    expect(statusMeaning('a')).toBe('ok');
    expect(ds.dimensions['country']!.codes).toEqual(['CA']);
    expect(ds.dimensions['age']!.codes.slice(0, 3)).toEqual(['T', '4', '9']);
    expect(ds.dimensions['concept']!.unit?.['POP']).toEqual({ base: 'people', decimals: 1 });
    // sex is the fastest dimension: for every age group, POP total ≈ male + female.
    for (const age of ds.dimensions['age']!.codes) {
      const pop = (sex: string) => ds.get({ age, concept: 'POP', sex })!.value as number;
      expect(Math.abs(pop('T') - pop('M') - pop('F'))).toBeLessThanOrEqual(0.2);
      expect(ds.get({ age: 'T', concept: 'PERCENT', sex: 'T' })?.value).toBe(100);
    }
  });

  it('oecd.json: a dimension without index; status object flags exactly the 2013–2014 projections', () => {
    const { ds } = load('samples/oecd.json');
    expect(ds.dimensions['concept']!.codes).toEqual(['UNR']);
    expect(ds.dimensions['concept']!.labels).toEqual({ UNR: 'unemployment rate' });
    expect(ds.dimensions['area']!.codes).toHaveLength(36);
    expect(ds.get({ area: 'AU', year: '2003' })?.value).toBe(5.943826289);
    expect(ds.get({ area: 'NO', year: '2012' })).toEqual({ value: 3.098584692, status: null });
    expect(ds.get({ area: 'US', year: '2003' })?.value).toBe(5.986539203);
    let flagged = 0;
    for (const c of ds.cells()) {
      const projection = c.coords['year'] === '2013' || c.coords['year'] === '2014';
      expect(c.status).toBe(projection ? 'e' : null);
      if (c.status !== null) flagged++;
    }
    expect(flagged).toBe(72);
  });

  it('galicia.json: six dimensions, 3960 cells, four nulls without status', () => {
    const { ds } = load('samples/galicia.json');
    expect(ds.sizes).toEqual([6, 22, 3, 2, 5, 1]);
    expect(ds.cellCount).toBe(3960);
    expect(ds.roles.geo).toEqual(['residence', 'birth']);
    const nulls = [...ds.cells()].filter((c) => c.value === null);
    expect(nulls).toHaveLength(4);
    for (const c of nulls) {
      expect(c.status).toBeNull();
      expect(cellStatus(c.value, c.status)).toBe('missing');
    }
    expect(ds.cell(3278).coords).toEqual({
      birth: 'A', age: '100', gender: 'T', time: '2011', residence: '32', concept: 'pop',
    });
    expect(ds.get({ birth: 'T', age: 'T', gender: 'T', time: '2001', residence: 'T' })?.value).toBe(2695880);
    expect(ds.dimensions['time']!.labels).toEqual({ '2001': '2001', '2011': '2011' });
  });

  it('us-gsp.json and us-unr.json: leading-zero codes, a 3220-category index', () => {
    const gsp = load('samples/us-gsp.json').ds;
    expect(gsp.dimensions['state']!.codes.slice(0, 3)).toEqual(['01', '02', '04']);
    expect(gsp.dimensions['state']!.labels['01']).toBe('Alabama');
    const unr = load('samples/us-unr.json').ds;
    expect(unr.dimensions['county']!.codes).toHaveLength(3220);
    expect(unr.dimensions['county']!.codes[0]).toBe('01001');
    expect(unr.dimensions['year']!.codes).toEqual(['2012']);
  });

  it('SSB 12191: region dimension second and without geo role; every null carries a symbol', () => {
    const { ds } = load('ssb/ssb-12191-kostra-kommunehelse.json');
    expect(ds.ids[1]).toBe('KOKkommuneregion0000');
    expect(ds.roles.geo).toBeUndefined();
    const counts: Record<string, number> = {};
    for (const c of ds.cells()) {
      if (c.value === null) expect(c.status).not.toBeNull();
      const meaning = cellStatus(c.value, c.status);
      counts[meaning] = (counts[meaning] ?? 0) + 1;
    }
    expect(counts).toEqual({ ok: 43, not_applicable: 90, suppressed: 1, missing: 1 });
  });

  it('SSB 12367: six dimensions, KOSTRA region codes, negative values, 485 flagged nulls', () => {
    const { ds } = load('ssb/ssb-12367-kostra-driftsregnskap.json');
    expect(ds.cellCount).toBe(1250);
    expect(ds.dimensions['KOKkommuneregion0000']!.codes).toEqual(['EAK', 'EAKUO', '3001', 'EKG16', 'EKG17']);
    const cells = [...ds.cells()];
    expect(cells.filter((c) => c.value === null)).toHaveLength(485);
    expect(cells.filter((c) => c.status === '.')).toHaveLength(400);
    expect(cells.filter((c) => c.status === ':')).toHaveLength(85);
    expect(cells.filter((c) => typeof c.value === 'number' && c.value < 0)).toHaveLength(2);
  });

  it('SSB 08655 and 13861: monthly periods, hyphenated codes, no status at all', () => {
    const bygg = load('ssb/ssb-08655-byggekostnadsindeks.json').ds;
    expect(bygg.dimensions['Tid']!.codes.slice(0, 3)).toEqual(['1978M01', '1978M02', '1978M03']);
    expect([...bygg.cells()].filter((c) => c.status === '..')).toHaveLength(25);
    const lonn = load('ssb/ssb-13861-lonnsulikhet-naering.json').ds;
    expect(lonn.dimensions['NACE2007']!.codes[0]).toBe('A-Z');
    for (const c of lonn.cells()) expect(c.status).toBeNull();
  });
});

describe('category codes that are names of Object.prototype', () => {
  // Found by test/fuzz/jsonstat.fuzz.test.ts: order.json with the code "A1" replaced by "__proto__".
  it('labels "__proto__", "constructor" and "toString" by their own label or by themselves', () => {
    const raw = JSON.parse(`{"version":"2.0","class":"dataset","id":["a"],"size":[3],
      "dimension":{"a":{"category":{"index":["__proto__","constructor","toString"],"label":{"toString":"Tekst"}}}},
      "value":[1,2,3]}`);
    const dim = decodeJsonStat(raw).dimensions['a']!;
    expect(dim.codes).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.entries(dim.labels)).toEqual([['__proto__', '__proto__'], ['constructor', 'constructor'], ['toString', 'Tekst']]);
  });

  // Found by the fuzzer: a "__proto__" key (which JSON.parse keeps as an own property) vanished
  // in schema parsing, so a sparse value with it passed as if the key were absent, and an index
  // naming one code more than size says was accepted.
  it('refuses a "__proto__" key in value, status, category.index, category.label and dimension', () => {
    const doc = (dimension: string, value = '[1]', extra = '') =>
      JSON.parse(`{"version":"2.0","class":"dataset","id":["a"],"size":[1],"dimension":${dimension},"value":${value}${extra}}`);
    const plain = '{"a":{"category":{"index":["b"]}}}';
    expect(decodeJsonStat(doc(plain)).cell(0).value).toBe(1);
    for (const json of [
      doc(plain, '{"__proto__":5,"0":3}'),
      doc(plain, '[1]', ',"status":{"__proto__":":"}'),
      doc('{"a":{"category":{"index":{"b":0,"__proto__":1}}}}'),
      doc('{"a":{"category":{"index":["b"],"label":{"__proto__":"X"}}}}'),
      doc('{"a":{"category":{"index":["b"]}},"__proto__":{"category":{"index":["c"]}}}'),
    ]) {
      const e = decodeError(json);
      expect(e.kind).toBe('schema');
      expect(e.message).toMatch(/__proto__/);
    }
  });
});

describe('decodeJsonStat errors', () => {
  it('size[0] - 1 on 07459: size-mismatch naming the dimension', () => {
    const json = fixture(F07459);
    json.size[0] -= 1;
    const err = decodeError(json);
    expect(err.kind).toBe('size-mismatch');
    expect(err.message).toBe('dimension "Region": size says 358 categories but category has 359');
  });

  it('one value short: size-mismatch with the cell arithmetic', () => {
    const json = fixture(F07459);
    json.value.pop();
    const err = decodeError(json);
    expect(err.kind).toBe('size-mismatch');
    expect(err.message).toBe('size says 359×1×1 = 359 cells but value has 358');
  });

  it('id and size of different lengths: size-mismatch', () => {
    const json = fixture(F07221);
    json.size.push(1);
    const err = decodeError(json);
    expect(err.kind).toBe('size-mismatch');
    expect(err.message).toContain('id has 4 dimensions');
    expect(err.message).toContain('size has 5 entries');
  });

  it('an id without a dimension: dimension-mismatch naming it', () => {
    const json = fixture(F07459);
    delete json.dimension.Tid;
    const err = decodeError(json);
    expect(err.kind).toBe('dimension-mismatch');
    expect(err.message).toContain('"Tid"');
  });

  it('a duplicate id, a role naming an unknown dimension, an index-less dimension with two labels', () => {
    const dup = fixture(F07459);
    dup.id[2] = 'Region';
    expect(decodeError(dup).kind).toBe('dimension-mismatch');

    const role = fixture(F07459);
    role.role.geo = ['Kommune'];
    expect(decodeError(role).message).toContain('role.geo names Kommune');

    const noIndex = fixture(F07221);
    delete noIndex.dimension.ContentsCode.category.index;
    noIndex.dimension.ContentsCode.category.label.Extra = 'x';
    const err = decodeError(noIndex);
    expect(err.kind).toBe('dimension-mismatch');
    expect(err.message).toContain('"ContentsCode"');
  });

  it('a duplicate position in category.index: dimension-mismatch', () => {
    const json = fixture(F07221);
    json.dimension.Boligtype.category.index = { '01': 0, '02': 0, '03': 2 };
    expect(decodeError(json).kind).toBe('dimension-mismatch');
  });

  it('a status array of the wrong length, a sparse key out of range or not an index', () => {
    const status = fixture(F07221);
    status.status = ['..', '..'];
    expect(decodeError(status).kind).toBe('size-mismatch');

    const outOfRange = fixture(F07221);
    outOfRange.status['288'] = '..';
    expect(decodeError(outOfRange).kind).toBe('size-mismatch');

    const badKey = fixture(F07221);
    badKey.status['K-0301'] = '..';
    expect(decodeError(badKey).kind).toBe('schema');
  });

  it('a PxWebApi error body is a schema error that quotes its title', () => {
    const err = decodeError({ title: 'Non-existent value', status: 400 });
    expect(err.kind).toBe('schema');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('JsonStatError');
    expect(err.message).toContain('not a JSON-stat 2.0 dataset');
    expect(err.message).toContain('"Non-existent value", status 400');
  });

  it('anything else that is not a JSON-stat 2.0 dataset is a schema error', () => {
    for (const bad of [null, [], 'x', 42, {}]) expect(decodeError(bad).kind).toBe('schema');
    const v1 = fixture(F07459);
    v1.version = '1.0';
    expect(decodeError(v1).message).toContain('version');
    const collection = fixture(F07459);
    collection.class = 'collection';
    expect(decodeError(collection).kind).toBe('schema');
    const noValue = fixture(F07459);
    delete noValue.value;
    expect(decodeError(noValue).kind).toBe('schema');
    expect(decodeJsonStat(noValue, { allowEmptyValues: true }).hasValues).toBe(false);
  });

  it('truncated JSON never reaches the decoder: JSON.parse throws first', () => {
    const text = readFixture(F07459);
    expect(() => JSON.parse(text.slice(0, 500))).toThrow(SyntaxError);
  });
});

describe('statusMeaning and cellStatus', () => {
  it('maps SSB symbols', () => {
    expect(statusMeaning('.')).toBe('not_applicable');
    expect(statusMeaning('..')).toBe('missing');
    expect(statusMeaning(':')).toBe('suppressed');
    expect(statusMeaning('...')).toBe('missing');
    expect(statusMeaning('-')).toBe('missing');
    expect(statusMeaning('*')).toBe('missing');
    expect(statusMeaning(null)).toBe('ok');
    expect(statusMeaning(undefined)).toBe('ok');
  });

  it('never calls a null value ok', () => {
    expect(cellStatus(12, null)).toBe('ok');
    expect(cellStatus(0, undefined)).toBe('ok');
    expect(cellStatus(null, null)).toBe('missing');
    expect(cellStatus(null, 'e')).toBe('missing');
    expect(cellStatus(5.1, 'e')).toBe('ok');
    expect(cellStatus(null, ':')).toBe('suppressed');
    expect(cellStatus(null, '.')).toBe('not_applicable');
  });
});
