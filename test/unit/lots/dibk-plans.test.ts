// DiBK "planlegging igangsatt" on the RECORDED excerpt (features 600, 4522, 4536). The recorded
// file has no OGC `links`; the paging test splits its features over two pages joined by a `links`
// array BUILT FROM THE OGC API FEATURES SCHEMA, and says so.
import { readFileSync } from 'node:fs';
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/lib/http';
import { LotSourceError } from '../../../src/sources/lots/common';
import { DIBK_PLANOMRADE_URL, fetchDibkPlans, parseDibkPlans } from '../../../src/sources/lots/dibk-plans';
import { server, useMsw } from '../../support/msw';

useMsw();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const recorded = (): any => JSON.parse(readFileSync(new URL('../../fixtures/lots/dibk_planlegging_igangsatt_planomrade_majorstuen_excerpt.geojson', import.meta.url), 'utf8'));

describe('parseDibkPlans on the recorded Majorstuen excerpt', () => {
  it('reads the three notices with their ids, names, dates, plan ids and links', () => {
    const r = parseDibkPlans(recorded(), { sourceId: 'dibk', fetchedAt: '2026-11-24T08:00:00.000Z' });
    expect(r.errors).toEqual([]);
    expect(r.next).toBeUndefined();
    expect(r.plans.map(({ geometry: _g, ...p }) => p)).toEqual([
      {
        sourceId: 'dibk', key: '600', kommuneCode: '0301', nationalPlanId: '0301-202453451',
        planName: 'Sørkedalsveien 10 m.m. (bydelene Frogner og Ullern)', planType: 'Detaljregulering', announcedAt: '2025-03-21',
        // link is "" in the source: no link.
        planLink: 'https://plandata.ft.dibk.no/services/planleggingigangsatt/collections/arealplan/items/340',
        fetchedAt: '2026-11-24T08:00:00.000Z',
      },
      {
        sourceId: 'dibk', key: '4522', kommuneCode: '0301', nationalPlanId: '0301-2026/02282',
        planName: 'Nedre del av Hegdehaugsveien', planType: 'Detaljregulering', announcedAt: '2026-08-28',
        link: 'https://innsyn.pbe.oslo.kommune.no/saksinnsyn/casedet.asp?caseno=202602282',
        planLink: 'https://plandata.ft.dibk.no/services/planleggingigangsatt/collections/arealplan/items/2053',
        fetchedAt: '2026-11-24T08:00:00.000Z',
      },
      {
        // planid "-": no national plan id yet; link "www.oslo.kommune.no/saksinnsyn." is not absolute.
        sourceId: 'dibk', key: '4536', kommuneCode: '0301',
        planName: 'Thaulows vei 19-25', planType: 'Detaljregulering', announcedAt: '2026-09-08',
        planLink: 'https://plandata.ft.dibk.no/services/planleggingigangsatt/collections/arealplan/items/2070',
        fetchedAt: '2026-11-24T08:00:00.000Z',
      },
    ]);
    const src = recorded();
    r.plans.forEach((p, i) => expect(p.geometry).toEqual(src.features[i].geometry));
  });

  it('never keeps beroerteParter (a marker added in the test; the excerpt has none)', () => {
    const doc = recorded();
    doc.features[1].properties.beroerteParter = [{ navn: 'TEST-MARKER-PERSON', adresse: 'TEST-MARKER-ADDRESS' }];
    doc.features[2].properties.plannavn = null;
    doc.features[2].properties.beroerteParter = [{ navn: 'TEST-MARKER-PERSON' }];
    const out = JSON.stringify(parseDibkPlans(doc, { sourceId: 'dibk' }));
    expect(out).not.toContain('TEST-MARKER');
    expect(out).not.toContain('beroerteParter');
  });

  it('reports features it cannot use and filters by kommune', () => {
    const doc = recorded();
    delete doc.features[0].properties.kunngjøringsdatoVarselOmPlanoppstart;
    doc.features[1].properties.nasjonalArealplanId.kommunenummer = 'NO';
    doc.features[2].geometry.coordinates[0].pop();
    const r = parseDibkPlans(doc, { sourceId: 'dibk' });
    expect(r.plans).toEqual([]);
    expect(r.errors).toEqual([
      { key: '600', message: 'missing kunngjøringsdatoVarselOmPlanoppstart' },
      { key: '4522', message: 'nasjonalArealplanId.kommunenummer is "NO", not a kommune code' },
      { key: '4536', message: 'invalid geometry: polygon ring 0 is not closed (first and last positions differ)' },
    ]);
    expect(parseDibkPlans(recorded(), { sourceId: 'dibk', kommuneCode: '3201' })).toEqual({ plans: [], errors: [] });
    expect(() => parseDibkPlans({ type: 'Feature' }, { sourceId: 'dibk' })).toThrow(LotSourceError);
  });
});

describe('fetchDibkPlans (msw; paging links built from the OGC API Features schema)', () => {
  const http = createHttpClient({ source: 'dibk', fetch: (...a) => fetch(...a), retries: 0 });
  const page = (ids: number[], next?: string) => {
    const doc = recorded();
    doc.features = doc.features.filter((f: { id: number }) => ids.includes(f.id));
    doc.numberReturned = doc.features.length;
    if (next) doc.links = [{ rel: 'self', type: 'application/geo+json', href: DIBK_PLANOMRADE_URL }, { rel: 'next', type: 'application/geo+json', href: next }];
    return doc;
  };

  it('follows rel=next, caps limit at 500 and sends the bbox', async () => {
    const seen: URLSearchParams[] = [];
    const nextUrl = `${DIBK_PLANOMRADE_URL}?limit=500&offset=2&bbox=10.70,59.91,10.74,59.94`;
    server.use(mswHttp.get(DIBK_PLANOMRADE_URL, ({ request }) => {
      const q = new URL(request.url).searchParams;
      seen.push(q);
      // The second page repeats 4522, as a page boundary that moved would.
      return HttpResponse.json(q.get('offset') === '2' ? page([4522, 4536]) : page([600, 4522], nextUrl));
    }));
    const r = await fetchDibkPlans(http, { sourceId: 'dibk', bbox: [10.7, 59.91, 10.74, 59.94], limit: 1000 });
    expect(seen.map((q) => [q.get('limit'), q.get('offset'), q.get('bbox')])).toEqual([
      ['500', null, '10.7,59.91,10.74,59.94'],
      ['500', '2', '10.70,59.91,10.74,59.94'],
    ]);
    expect(r.plans.map((p) => p.key)).toEqual(['600', '4522', '4536']);
    expect(r.errors).toEqual([]);
  });

  it('does not follow a next link to another host, nor past maxPages', async () => {
    server.use(mswHttp.get(DIBK_PLANOMRADE_URL, () => HttpResponse.json(page([600], 'https://elsewhere.example/items?offset=1'))));
    const away = await fetchDibkPlans(http, { sourceId: 'dibk' });
    expect(away.errors).toEqual([{ key: null, message: 'dibk: next link leaves https://plandata.ft.dibk.no; not followed' }]);

    server.use(mswHttp.get(DIBK_PLANOMRADE_URL, () => HttpResponse.json(page([600], `${DIBK_PLANOMRADE_URL}?offset=1`))));
    const capped = await fetchDibkPlans(http, { sourceId: 'dibk', maxPages: 2 });
    expect(capped.plans.map((p) => p.key)).toEqual(['600']);
    expect(capped.errors).toEqual([{ key: null, message: 'dibk: stopped after 2 pages; more plans remain' }]);
  });
});
