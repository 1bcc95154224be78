/**
 * `adresse <tekst>` end to end below the transport: Kartverket's address search served by msw,
 * the reply is the kommune card with the address on top. No recorded address answer exists (see
 * test/fixtures/README.md): the answer is built in the documented shape (Kartverket's own backend,
 * research/data-sources.md §3) from the real teig of test/fixtures/lots (0301, gnr/bnr 215/42, a
 * point inside it); the street address itself is the test's own.
 */
import { readFileSync } from 'node:fs';
import { http as mswHttp, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, isVolatileCommand } from '../../../src/chat/commands';
import { createHttpClient } from '../../../src/lib/http';
import { ReadModel } from '../../../src/services/read-model';
import { ADRESSER_BASE_URL, createAddressSearch } from '../../../src/sources/kartverket/adresser';
import { backends, type TestDb } from '../../support/db';
import { server, useMsw } from '../../support/msw';
import { prepareRuntime } from '../../support/runtime';

useMsw();

const teig = JSON.parse(readFileSync(new URL('../../fixtures/lots/kartverket_eiendom_punkt_omrader_majorstuen.geojson', import.meta.url), 'utf8')) as {
  features: { properties: { kommunenummer: string; gardsnummer: number; bruksnummer: number }; geometry: { coordinates: number[][][] } }[];
};
const unit = teig.features[0]!;
const ring = unit.geometry.coordinates[0]!;
const inside = { lat: ring.reduce((a, p) => a + p[1]!, 0) / ring.length, lon: ring.reduce((a, p) => a + p[0]!, 0) / ring.length };

/** One address in the documented response shape (metadata + adresser[]). */
function address(over: Record<string, unknown>) {
  return {
    adressenavn: 'Testgata',
    adressetekst: 'Testgata 1',
    adressetilleggsnavn: null,
    adressekode: 10001,
    nummer: 1,
    bokstav: '',
    kommunenummer: unit.properties.kommunenummer,
    kommunenavn: 'OSLO',
    gardsnummer: unit.properties.gardsnummer,
    bruksnummer: unit.properties.bruksnummer,
    festenummer: 0,
    undernummer: null,
    bruksenhetsnummer: [],
    objtype: 'Vegadresse',
    poststed: 'OSLO',
    postnummer: '0367',
    adressetekstutenadressetilleggsnavn: 'Testgata 1',
    stedfestingverifisert: true,
    representasjonspunkt: { epsg: 'EPSG:4258', lat: inside.lat, lon: inside.lon },
    oppdateringsdato: '2024-05-02T10:00:00',
    ...over,
  };
}

const answer = (adresser: unknown[], sokeStreng: string) => ({ metadata: { treffPerSide: 5, side: 0, totaltAntallTreff: adresser.length, viserFra: 0, viserTil: adresser.length, sokeStreng, asciiKompatibel: true }, adresser });

const pglite = backends.find((b) => b.name === 'pglite')!;
let t: TestDb;
let rm: ReadModel;
const urls: string[] = [];

beforeAll(async () => {
  t = await pglite.open();
  const { deps } = await prepareRuntime(t.db);
  const http = createHttpClient({ source: 'adresser', fetch: (input, init) => globalThis.fetch(input, init), retries: 0 });
  rm = await ReadModel.load({ ...deps, addressSearch: createAddressSearch(http) });
});
afterAll(async () => {
  await t?.close();
});

function serve(body: (q: string) => unknown, status = 200) {
  server.use(
    mswHttp.get(`${ADRESSER_BASE_URL}/sok`, ({ request }) => {
      urls.push(request.url);
      const q = new URL(request.url).searchParams.get('sok') ?? '';
      return HttpResponse.json(body(q) as Record<string, unknown>, { status });
    }),
  );
}

describe('adresse <tekst>', () => {
  it('gives the kommune, the coordinates and the kommune card', async () => {
    serve((q) => answer([address({}), address({ adressetekst: 'Testgata 1', kommunenummer: '1804', kommunenavn: 'BODØ', poststed: 'BODØ', postnummer: '8006', representasjonspunkt: null, gardsnummer: null })], q));
    const r = await handleCommand({ rm, lang: 'nb' }, 'adresse Testgata 1');
    expect(new URL(urls.at(-1)!).searchParams.toString()).toBe('sok=Testgata+1&fuzzy=true&treffPerSide=5&utkoordsys=4258');
    expect(r.kind).toBe('kommune');
    expect(r.title).toMatch(/^0301 Oslo/);
    const top = r.sections[0]!;
    expect(top).toMatchObject({ type: 'fields', title: 'Adresse: Testgata 1, 0367 OSLO' });
    const fields = top.type === 'fields' ? Object.fromEntries(top.fields.map((f) => [f.label, f.value])) : {};
    expect(fields.Kommune).toMatch(/^0301 Oslo/);
    expect(fields.Koordinater).toMatch(/^59,929\d+, 10,715\d+ \(EPSG:4258\) https:\/\/www\.openstreetmap\.org\//);
    expect(fields['Gårds-/bruksnummer']).toBe('215/42');
    // The card of `kommune 0301` follows, then the other matches and the credit.
    const card = await handleCommand({ rm, lang: 'nb' }, 'kommune 0301');
    expect(r.sections.slice(1, 1 + card.sections.length)).toEqual(card.sections);
    expect(r.sections.at(-2)).toEqual({ type: 'list', title: 'Andre treff (2 i alt)', items: ['Testgata 1, 8006 BODØ – 1804 Bodø'] });
    expect(r.sections.at(-1)).toMatchObject({ type: 'context', text: expect.stringContaining('© Kartverket') });
    expect(r.score).toEqual(card.score);
  });

  it('answers in English for `address`', async () => {
    serve((q) => answer([address({})], q));
    const r = await handleCommand({ rm, lang: 'nb' }, 'address Testgata 1');
    expect(r.lang).toBe('en');
    expect(r.sections[0]).toMatchObject({ type: 'fields', title: 'Address: Testgata 1, 0367 OSLO' });
  });

  it('says so when nothing matches, when the search fails, and when no text is given', async () => {
    serve((q) => answer([], q));
    expect((await handleCommand({ rm, lang: 'nb' }, 'adresse Finnesikke 999')).title).toBe('Fant ingen adresse som passer «Finnesikke 999».');
    serve(() => ({ type: 'error' }), 500);
    expect((await handleCommand({ rm, lang: 'nb' }, 'adresse Testgata 1')).title).toBe('Kartverkets adressesøk svarer ikke nå. Prøv igjen om litt.');
    expect((await handleCommand({ rm, lang: 'nb' }, 'adresse')).title).toBe('Hvilken adresse? Prøv «adresse Storgata 1, Bodø».');
  });

  it('an address outside the 357 kommuner gets the address without a card', async () => {
    serve((q) => answer([address({ kommunenummer: '2100', kommunenavn: 'SVALBARD', postnummer: '9170', poststed: 'LONGYEARBYEN' })], q));
    const r = await handleCommand({ rm, lang: 'nb' }, 'adresse Testgata 1 Longyearbyen');
    expect(r.title).toBe('Adresse: Testgata 1, 9170 LONGYEARBYEN');
    expect(r.sections[1]).toEqual({ type: 'text', text: 'Kommunenummer 2100 er ikke blant de 357 kommunene tomte scorer.' });
  });

  it('without an address search (no outbound HTTP) it says so; the reply is never cached', async () => {
    const bare = await ReadModel.load({ ...rm.deps, addressSearch: undefined });
    expect((await handleCommand({ rm: bare, lang: 'nb' }, 'adresse Testgata 1')).title).toBe('Adressesøk er ikke satt opp i denne tjenesten.');
    expect(isVolatileCommand('adresse Testgata 1')).toBe(true);
    expect(isVolatileCommand('kommune Oslo')).toBe(false);
  });
});
