/**
 * The recorded probe of the live PxWebApi v2 (test/fixtures/ssb/ssb_v2_12134_kostra_probe_responses.json):
 * its real answers replayed through msw, byte for byte, to the SSB client. The JSON-stat data
 * answer decodes and its KOKkommuneregion0000 regions become 2024 kommuner; every recorded 400
 * becomes an error that names the table and what SSB said; the recorded 404 HTML page for an
 * over-long GET is recognised and the request is sent once more as POST, never retried in a loop.
 */
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { bodyKindOf, createHttpClient, UpstreamError } from '../../../../src/lib/http';
import { buildDataRequest, checkSpecAgainstMetadata, createSsbClient, isRequestTooLong, MAX_GET_URL, SSB_BASE_URL } from '../../../../src/sources/ssb/client';
import { decodeJsonStat } from '../../../../src/sources/ssb/jsonstat';
import { normaliseSsb } from '../../../../src/sources/ssb/normalise';
import { SSB_SPECS, type SsbSpec } from '../../../../src/sources/ssb/specs';
import { server, useMsw } from '../../../support/msw';
import { recordedProbe, snapshotKommuner } from '../../../support/ssb-mock';

useMsw();

const probe = recordedProbe();
const DATA_URL = `${SSB_BASE_URL}/tables/12134/data`;
const kommuner = new Set(snapshotKommuner().map((k) => k.code));

/** A spec for exactly what the probe asked: three kommuner, KOSAG110000, 2024. */
const probeSpec: SsbSpec = {
  id: 'probe',
  group: 'ssb',
  table: '12134',
  title: 'Utvalgte nøkkeltall for kommuneregnskap (probe)',
  selection: [
    { variable: 'KOKkommuneregion0000', values: ['0301', '4601', '5001'] },
    { variable: 'ContentsCode', values: ['KOSAG110000'] },
    { variable: 'Tid', values: ['2024'] },
  ],
  regionVariable: 'KOKkommuneregion0000',
  timeVariable: 'Tid',
  outputs: [{ indicator: 'free_income_per_inhabitant', unit: 'kr', where: { ContentsCode: 'KOSAG110000' } }],
  requires: { ContentsCode: ['KOSAG110000'] },
  evidence: 'the recorded probe',
  note: '',
};

/** The probe's own dimensions as metadata: the data answer with its values stripped. */
function probeMetadata() {
  const body = JSON.parse(probe.smoke.body) as Record<string, unknown>;
  return decodeJsonStat({ ...body, value: [] }, { allowEmptyValues: true });
}

function client(seen: string[]) {
  const http = createHttpClient({ source: 'ssb', problemTitles: true, fetch: (input, init) => globalThis.fetch(input, init), retries: 3, backoffMs: 1, sleep: async () => {}, onResponse: (r) => void seen.push(`${r.method} ${r.status}`) });
  return createSsbClient(http);
}

describe('the recorded probe of the live PxWebApi v2', () => {
  it('its JSON-stat data answer decodes, with KOKkommuneregion0000 regions normalised to 2024 kommuner', async () => {
    server.use(mswHttp.get(DATA_URL, () => new HttpResponse(probe.smoke.body, { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' } })));
    const seen: string[] = [];
    const res = await client(seen).data(probeSpec, probeMetadata());
    expect(seen).toEqual(['GET 200']);
    const ds = res.datasets[0]!;
    expect(ds.ids).toEqual(['KOKkommuneregion0000', 'ContentsCode', 'Tid']);
    expect(ds.roles.geo).toEqual(['KOKkommuneregion0000']);
    expect(ds.updated).toBe('2026-03-16T07:00:00Z');
    const norm = normaliseSsb(res.spec, res.datasets, { kommuneCodes: kommuner, url: 'ssb:12134', publishedAt: '2026-03-16', fetchedAt: '2026-04-25T10:35:12Z' });
    expect(norm.observations.map((o) => [o.regionCode, o.period, o.value, o.sourceTable])).toEqual([
      ['0301', '2024', 81240, '12134'],
      ['4601', '2024', 66605, '12134'],
      ['5001', '2024', 62853, '12134'],
    ]);
    expect(norm.dropped).toEqual({ aggregates: 0, specials: 0, unknown: 0 });
  });

  it("the real 12134 spec, checked against the probe's dimensions, fails naming the table, the variable and the codes it lacks", () => {
    const spec = SSB_SPECS.find((s) => s.table === '12134')!;
    expect(() => checkSpecAgainstMetadata(spec, probeMetadata())).toThrow('SSB 12134: ContentsCode has no code KOSAGD230000, KOSKG320000');
  });

  it('has five recorded error answers, each HTTP 400 with a PxWebApi problem body', () => {
    expect(probe.errors.map((e) => [e.status, (JSON.parse(e.snippet) as { title: string }).title])).toEqual([
      [400, 'Non-existent table'],
      [400, 'Non-existent value'],
      [400, 'Missing selection for mandantory variable'],
      [400, 'Non-existent value'],
      [400, 'Non-existent value'],
    ]);
  });

  it.each(probe.errors.map((e) => [e.label, e] as const))('400 «%s» becomes one clear error naming the table, without a retry', async (_label, recorded) => {
    const title = (JSON.parse(recorded.snippet) as { title: string }).title;
    const answer = () => new HttpResponse(recorded.snippet, { status: recorded.status, headers: { 'content-type': 'application/problem+json' } });
    const seen: string[] = [];
    const ssb = client(seen);
    let err: unknown;
    if (title === 'Non-existent table') {
      server.use(mswHttp.get(`${SSB_BASE_URL}/tables/99999`, answer));
      err = await ssb.tableInfo('99999').catch((e: unknown) => e);
      expect(String(err)).toMatch(/^SsbSpecError: SSB 99999: 400 «Non-existent table»: the table does not exist/);
    } else {
      server.use(mswHttp.get(DATA_URL, answer));
      err = await ssb.data(probeSpec, probeMetadata()).catch((e: unknown) => e);
      expect(String(err)).toContain(`SSB 12134: 400 «${title}»: `);
    }
    expect(seen).toEqual(['GET 400']);
  });

  it('the recorded over-long GET was 4,365 characters; tomte would have sent it as POST from the start', () => {
    expect(probe.singleBatch.status).toBe(404);
    expect(probe.singleBatch.url.length).toBe(4365);
    const codes = decodeURIComponent(/valuecodes\[KOKkommuneregion0000\]=([^&]+)/.exec(probe.singleBatch.url)![1]!).split(',');
    expect(codes.length).toBeGreaterThan(300);
    const req = buildDataRequest(SSB_BASE_URL, '12134', [{ variable: 'KOKkommuneregion0000', values: codes }, ...probeSpec.selection.slice(1)]);
    expect(req.method).toBe('POST');
    expect(req.url.length).toBeLessThanOrEqual(MAX_GET_URL);
    expect(JSON.parse(req.body!)).toMatchObject({ selection: [{ variableCode: 'KOKkommuneregion0000', valueCodes: codes }, { variableCode: 'ContentsCode' }, { variableCode: 'Tid' }] });
  });

  it("the recorded 404 HTML page is recognised as 'request too long': the same selection is sent once more as POST", async () => {
    server.use(
      mswHttp.get(DATA_URL, () => new HttpResponse(probe.singleBatch.body, { status: 404, headers: { 'content-type': 'text/html' } })),
      mswHttp.post(DATA_URL, async ({ request }) => {
        const body = (await request.json()) as { selection: { variableCode: string; valueCodes: string[] }[] };
        expect(body.selection.map((s) => [s.variableCode, s.valueCodes])).toEqual(probeSpec.selection.map((s) => [s.variable, s.values]));
        return new HttpResponse(probe.smoke.body, { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const seen: string[] = [];
    const res = await client(seen).data(probeSpec, probeMetadata());
    expect(seen).toEqual(['GET 404', 'POST 200']);
    expect(res.datasets[0]!.cellCount).toBe(3);
  });

  it('a POST refused the same way fails at once with what SSB answered: two requests, not a loop', async () => {
    const page = () => new HttpResponse(probe.singleBatch.body, { status: 404, headers: { 'content-type': 'text/html' } });
    server.use(mswHttp.get(DATA_URL, page), mswHttp.post(DATA_URL, page));
    const seen: string[] = [];
    const err = await client(seen).data(probeSpec, probeMetadata()).catch((e: unknown) => e);
    expect(seen).toEqual(['GET 404', 'POST 404']);
    expect(String(err)).toMatch(/^SsbSpecError: SSB 12134: 404 HTML page: SSB's answer to a request that is too long \(POST /);
  });

  it('isRequestTooLong tells the HTML 404 from a 404 problem body (an unknown table)', () => {
    // The error keeps what kind of body it was (the recorded IIS page is HTML), never the body itself.
    const html = new UpstreamError('x', { kind: 'http', source: 'ssb', url: DATA_URL, method: 'GET', attempts: 1, status: 404, bodyKind: bodyKindOf('text/html', probe.singleBatch.body) });
    const problem = new UpstreamError('x', { kind: 'http', source: 'ssb', url: DATA_URL, method: 'GET', attempts: 1, status: 404, title: 'Non-existent table', bodyKind: bodyKindOf('application/json', '{}') });
    expect(html.bodyKind).toBe('html');
    expect(isRequestTooLong(html)).toBe(true);
    expect(isRequestTooLong(problem)).toBe(false);
  });
});
