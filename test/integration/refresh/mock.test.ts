/**
 * The test doubles the refresh tests stand on: the JSON-stat encoder reads back through the
 * project's decoder, and the SSB mock answers like PxWebApi v2 (GET and POST alike, its error
 * bodies, every SSB_SPECS table with metadata the specs accept). No database.
 */
import { describe, expect, it } from 'vitest';
import { createHttpClient, type UpstreamError } from '../../../src/lib/http';
import { buildDataRequest, checkSpecAgainstMetadata, createSsbClient, SSB_BASE_URL } from '../../../src/sources/ssb/client';
import { cellStatus, decodeJsonStat } from '../../../src/sources/ssb/jsonstat';
import { SSB_SPECS } from '../../../src/sources/ssb/specs';
import { encodeJsonStat, metadataOf } from '../../support/jsonstat-encode';
import { createSsbMock, snapshotCsv, syntheticSummary } from '../../support/ssb-mock';

describe('encodeJsonStat', () => {
  const ds = encodeJsonStat({
    dims: [
      { id: 'Region', codes: ['0301', 'K-Rest'], labels: { '0301': 'Oslo' } },
      { id: 'ContentsCode', codes: ['A', 'B'] },
      { id: 'Tid', codes: ['2023', '2024', '2025'] },
    ],
    value: (c) => (c.Region === 'K-Rest' ? null : Number(c.Tid) * (c.ContentsCode === 'A' ? 1 : 10)),
    status: (c) => (c.Region === 'K-Rest' ? '..' : undefined),
    updated: '2026-02-25T07:00:00Z',
    label: '07459: test',
  });

  it("has SSB's v2 shape", () => {
    expect(ds).toMatchObject({ version: '2.0', class: 'dataset', id: ['Region', 'ContentsCode', 'Tid'], size: [2, 2, 3], role: { geo: ['Region'], metric: ['ContentsCode'], time: ['Tid'] } });
    expect(ds.extension.px.tableid).toBe('07459');
    expect(ds.dimension.Region!.category).toEqual({ index: { '0301': 0, 'K-Rest': 1 }, label: { '0301': 'Oslo', 'K-Rest': 'K-Rest' } });
    expect(Object.keys(ds.status!)).toEqual(['6', '7', '8', '9', '10', '11']);
  });

  it('reads back through the project decoder, cell by cell', () => {
    const d = decodeJsonStat(JSON.parse(JSON.stringify(ds)));
    expect(d.get({ Region: '0301', ContentsCode: 'B', Tid: '2024' })).toEqual({ value: 20240, status: null });
    expect(d.get({ Region: 'K-Rest', ContentsCode: 'A', Tid: '2025' })).toEqual({ value: null, status: '..' });
    expect(cellStatus(null, '..')).toBe('missing');
  });

  it('metadataOf: empty values, codelists on the region dimension', () => {
    const m = metadataOf(ds, { codelists: { Region: ['agg_KommSummer', 'vs_Kommun'] } });
    expect(m.value).toEqual([]);
    expect(m.status).toBeUndefined();
    const d = decodeJsonStat(m, { allowEmptyValues: true });
    expect(d.hasValues).toBe(false);
    expect(d.dimensions.Region!.codelists).toEqual([
      { id: 'agg_KommSummer', label: 'Kommuner summert (2024-inndeling)', type: 'Aggregation' },
      { id: 'vs_Kommun', label: 'Alle kommuner', type: 'Valueset' },
    ]);
    expect(d.dimensions.Tid!.codelists).toEqual([]);
    expect(() => decodeJsonStat(m)).toThrow(/allowEmptyValues/);
  });
});

describe('the SSB mock', () => {
  const mock = createSsbMock();
  const http = createHttpClient({ source: 'ssb', fetch: mock.fetch, retries: 0, problemTitles: true });
  const ssb = createSsbClient(http);

  it('serves every SSB_SPECS table, with metadata each spec accepts', async () => {
    for (const spec of SSB_SPECS) {
      const info = await ssb.tableInfo(spec.table);
      expect(info).toMatchObject({ id: spec.table, updated: mock.updated(spec.table) });
      const meta = await ssb.metadata(spec.table);
      expect(() => checkSpecAgainstMetadata(spec, meta), spec.table).not.toThrow();
      const {
        datasets: [data],
      } = await ssb.data(spec, meta);
      expect(data!.cellCount, spec.table).toBeGreaterThan(0);
    }
  });

  it('answers a POST exactly as the same GET', async () => {
    const spec = SSB_SPECS.find((s) => s.table === '13563')!;
    const get = buildDataRequest(SSB_BASE_URL, spec.table, spec.selection);
    expect(get.method).toBe('GET');
    const body = JSON.stringify({ selection: spec.selection.map((s) => ({ variableCode: s.variable, valueCodes: s.values, ...(s.codelist ? { codelist: s.codelist } : {}) })) });
    const a = await http.request({ url: get.url });
    const b = await http.request({ url: `${SSB_BASE_URL}/tables/13563/data?lang=no&outputFormat=json-stat2`, method: 'POST', body });
    expect(b.text).toBe(a.text);
    expect(mock.requests.at(-1)).toMatchObject({ method: 'POST', endpoint: 'data', table: '13563' });
  });

  it('evaluates selection expressions: top(n), from(), ranges in brackets, ???? and explicit codes', async () => {
    const tid = (j: unknown) => Object.keys((j as { dimension: { Tid: { category: { index: object } } } }).dimension.Tid.category.index);
    const url = (v: string) => `${SSB_BASE_URL}/tables/07459/data?lang=no&valueCodes[Region]=0301&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=${encodeURIComponent(v)}`;
    expect(tid(JSON.parse((await http.request({ url: url('top(2)') })).text))).toEqual(['2025', '2026']);
    expect(tid(JSON.parse((await http.request({ url: url('from(2024)') })).text))).toEqual(['2024', '2025', '2026']);
    expect(tid(JSON.parse((await http.request({ url: url('[range(2020,2022)]') })).text))).toEqual(['2020', '2021', '2022']);
    const four = JSON.parse((await http.request({ url: `${SSB_BASE_URL}/tables/01180/data?valueCodes[Region]=${encodeURIComponent('????')}&valueCodes[PolitParti]=01&valueCodes[ContentsCode]=Godkjente1&valueCodes[Tid]=2023` })).text) as { size: number[] };
    expect(four.size[0]).toBe(357 + 2 + 2); // kommuner, historical 1507/3001, 2111 and 9999
  });

  it("answers PxWebApi's errors: 400 problem bodies, 500 for a repeated code", async () => {
    const fail = async (url: string) => {
      try {
        await http.request({ url });
      } catch (err) {
        return err as UpstreamError;
      }
      throw new Error('no error');
    };
    const base = `${SSB_BASE_URL}/tables/07459/data?valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=2024`;
    expect(await fail(`${base}&valueCodes[Region]=9876`)).toMatchObject({ status: 400, title: 'Non-existent value' });
    expect(await fail(`${base}&valueCodes[Region]=0301&valueCodes[Fylke]=1`)).toMatchObject({ status: 400, title: 'Non-existent variable' });
    expect(await fail(`${base}&valueCodes[Region]=*&codelist[Region]=agg_Nope`)).toMatchObject({ status: 400, title: 'Non-existent codelist' });
    expect(await fail(`${SSB_BASE_URL}/tables/07459/data?valueCodes[Region]=0301&valueCodes[Tid]=2024`)).toMatchObject({ status: 400, title: 'Missing selection for mandantory variable' });
    expect(await fail(`${base}&valueCodes[Region]=0301,0301`)).toMatchObject({ status: 500, bodyLength: undefined });
    expect(await fail(`${SSB_BASE_URL}/tables/99999`)).toMatchObject({ status: 404, title: 'Non-existent table' });
  });

  it('re-encodes real rows exactly and names what is synthetic', async () => {
    const j = mock.dataJson('07459', [
      { variable: 'Region', codelist: 'agg_KommSummer', values: ['K-0301'] },
      { variable: 'Alder', values: ['*'] },
      { variable: 'ContentsCode', values: ['Personer1'] },
      { variable: 'Tid', values: ['2024'] },
    ]);
    const oslo = snapshotCsv('befolkning.csv').find((r) => r.kommunenummer === '0301' && r.year === '2024')!;
    expect(j.value[0]! + j.value[1]!).toBe(Number(oslo.value));
    expect(syntheticSummary()).toEqual([
      { table: '13563', kommuner: 277, note: expect.stringContaining('SYNTHETIC') },
      { table: '05940', kommuner: 357 - 18, note: expect.stringContaining('SYNTHETIC') },
      ...['14545', '14746', '06265', '12008', '13277', '12134'].map((table) => ({ table, kommuner: 357, note: expect.stringContaining('SYNTHETIC') })),
    ]);
  });

  it('the stamp controls what a refresh sees as new', () => {
    const before = mock.updated('07459');
    expect(mock.touch('07459')).toBe(new Date(Date.parse(before) + 86_400_000).toISOString().replace('.000Z', 'Z'));
    mock.setUpdated('07459', before);
    expect(mock.updated('07459')).toBe(before);
  });
});
