/**
 * The weekly digest carries a map of the week (tier changes outlined, new lots marked) on both
 * platforms, through the real alert sender and notifiers at the HTTP level (msw):
 * - Slack: chat.postMessage, then the PNG shared the way files.uploadV2 does it
 *   (files.getUploadURLExternal → bytes to the upload URL → files.completeUploadExternal);
 * - Teams: the card shows the map from a signed, expiring https URL, and that URL, served by the
 *   web app, answers the PNG (a tampered or expired one does not);
 * - without a PNG renderer (the Worker) the Slack message links the map instead.
 */
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertSender } from '../../adapters/alerts/sender';
import { renderMapPng } from '../../adapters/node/map-png';
import { createSlackNotifier } from '../../adapters/slack/notifier';
import { createTeamsNotifier } from '../../adapters/teams/notifier';
import { digestReply } from '../../src/chat/alerts';
import type { MapSpec } from '../../src/domain/map-spec';
import { MODELS } from '../../src/domain/scoring/models';
import { silentLogger } from '../../src/lib/logger';
import { buildDigest } from '../../src/services/alerts/digest';
import { ingestLots } from '../../src/services/lots/ingest';
import { ReadModel } from '../../src/services/read-model';
import { signMapSpec } from '../../src/services/web-auth';
import { parseGeoJsonLots } from '../../src/sources/lots/geojson';
import { listBoundaries } from '../../src/store/repos/boundaries';
import { upsertLotSource } from '../../src/store/repos/lots';
import { upsertTeamsConversation } from '../../src/store/repos/teams-conversations';
import { createWebApp } from '../../src/web/app';
import { mapSpecSvg } from '../../src/web/map/spec-map';
import { backends, type TestDb } from '../support/db';
import { adaptiveCardProblems } from '../support/platforms';
import { inside, lotFeature, square } from '../support/lots';
import { server, useMsw } from '../support/msw';
import { FIXED_NOW, testDeps } from '../support/runtime';
import { BOT, newTraffic, SERVICE_URL, teamsHandlers, TENANT_ID } from '../support/teams';

useMsw();
const SECRET = 'digest-map-secret-0123456789abcdefghij';
const PUBLIC = 'https://tomte.example.no';
const SLACK_API = 'https://slack.com/api';
const UPLOAD_URL = 'https://files.slack.com/upload/v1/CwABAAAAXgsAAgAAAA';

let t: TestDb;
let rm: ReadModel;
const traffic = newTraffic();
const slackCalls: { method: string; params: URLSearchParams | Record<string, unknown>; bytes?: Uint8Array }[] = [];

beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open('all');
  const deps = testDeps(t.db, MODELS);
  const boundaries = await listBoundaries(t.db);
  await upsertLotSource(t.db, { id: 'geojson-bodo', kind: 'geojson', config: { url: 'https://kart.bodo.kommune.no/tomter.geojson' }, cadence: 'daily', createdBy: 'test', createdAt: deps.now() });
  const [first, second] = inside(boundaries, '1804', 2, 60);
  const feed = (spots: [number, number][]) => parseGeoJsonLots({ type: 'FeatureCollection', features: spots.map(([lon, lat], i) => lotFeature(`1804-9/${i + 1}`, `Tomt ${i + 1}`, square(lon, lat, 60))) }, { sourceId: 'geojson-bodo' });
  await ingestLots(deps, 'geojson-bodo', feed([first!]), boundaries, { baseline: true });
  // The second lot is new after the baseline: an alert event of the week.
  await ingestLots(deps, 'geojson-bodo', feed([first!, second!]), boundaries);
  rm = await ReadModel.load(deps);
});
afterAll(async () => t?.close());

beforeEach(() => {
  slackCalls.length = 0;
  traffic.connector.length = 0;
  server.use(
    ...teamsHandlers(traffic),
    http.post(`${SLACK_API}/chat.postMessage`, async ({ request }) => {
      slackCalls.push({ method: 'chat.postMessage', params: (await request.json()) as Record<string, unknown> });
      return HttpResponse.json({ ok: true, channel: 'C0ALERTS1', ts: '1764918000.000100' });
    }),
    http.post(`${SLACK_API}/files.getUploadURLExternal`, async ({ request }) => {
      slackCalls.push({ method: 'files.getUploadURLExternal', params: new URLSearchParams(await request.text()) });
      return HttpResponse.json({ ok: true, upload_url: UPLOAD_URL, file_id: 'F0MAP0001' });
    }),
    http.post(UPLOAD_URL, async ({ request }) => {
      slackCalls.push({ method: 'upload', params: {}, bytes: new Uint8Array(await request.arrayBuffer()) });
      return new HttpResponse('OK - 12345', { status: 200 });
    }),
    http.post(`${SLACK_API}/files.completeUploadExternal`, async ({ request }) => {
      slackCalls.push({ method: 'files.completeUploadExternal', params: new URLSearchParams(await request.text()) });
      return HttpResponse.json({ ok: true, files: [{ id: 'F0MAP0001', title: 'x' }] });
    }),
  );
});

async function digest() {
  const deps = testDeps(t.db, MODELS);
  // The lots arrived at the test clock's now; the digest covers the week up to an hour later.
  const now = new Date(new Date(FIXED_NOW).getTime() + 3600_000);
  const payload = await buildDigest(deps, {}, new Date(now.getTime() - 7 * 86400_000), now);
  return digestReply(payload, 7, 'nb');
}

const mapUrl = async (spec: MapSpec) => `${PUBLIC}/kart.png?${await signMapSpec(SECRET, spec, new Date(Date.now() + 3600_000))}`;

function sender(withPng: boolean) {
  return createAlertSender({
    slack: createSlackNotifier({ token: 'xoxb-test-token', perChannelIntervalMs: 0 }),
    teams: createTeamsNotifier({ token: async () => 'connector-token', sleep: async () => {} }),
    db: () => t.db,
    logger: silentLogger,
    now: () => new Date(),
    ...(withPng ? { mapPng: (spec: MapSpec, lang: 'nb' | 'en') => renderMapPng(mapSpecSvg(rm, spec, lang)) } : {}),
    mapUrl,
  });
}

describe('the digest map', () => {
  it('the digest names the week\'s new lot and its map marks it', async () => {
    const reply = await digest();
    expect(reply.image).toBeDefined();
    expect(reply.image!.map.points).toHaveLength(1);
    expect(reply.image!.map.model).toBe('praksis-2026');
  });

  it('Slack: the message, then the PNG shared to the same channel through files.uploadV2\'s three calls', async () => {
    const r = await sender(true).send('slack', 'C0ALERTS1', await digest(), 'digest:7:slot');
    expect(r.ok).toBe(true);
    expect(slackCalls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const png = slackCalls[2]!.bytes!;
    expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((slackCalls[1]!.params as URLSearchParams).get('length')).toBe(String(png.length));
    expect((slackCalls[1]!.params as URLSearchParams).get('filename')).toMatch(/^tomte-uke-\d{4}-\d{2}-\d{2}\.png$/);
    const done = slackCalls[3]!.params as URLSearchParams;
    expect(done.get('channel_id')).toBe('C0ALERTS1');
    expect(JSON.parse(done.get('files')!)).toEqual([{ id: 'F0MAP0001', title: expect.stringContaining('Kart') }]);
  });

  it('Slack without a PNG renderer (the Worker): no upload, the message links the map', async () => {
    const r = await sender(false).send('slack', 'C0ALERTS1', await digest(), 'digest:7:slot2');
    expect(r.ok).toBe(true);
    expect(slackCalls.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(JSON.stringify(slackCalls[0]!.params)).toContain(`${PUBLIC}/kart.png?k=`);
  });

  it('Teams: the card shows the map from a signed URL, which the web app answers with the PNG', async () => {
    const conversationId = '19:digestmap@thread.tacv2';
    await upsertTeamsConversation(t.db, { conversationId, serviceUrl: SERVICE_URL, tenantId: TENANT_ID, botId: BOT.id, botName: BOT.name, conversationType: 'channel', teamId: null, name: 'tomter', lastUserId: null, at: new Date() });
    const r = await sender(true).send('teams', conversationId, await digest(), 'digest:7:slot');
    expect(r.ok).toBe(true);
    const activity = traffic.connector.at(-1)!.body as { attachments: { content: { body: { type: string; url?: string; altText?: string }[] } }[] };
    expect(adaptiveCardProblems(activity.attachments[0]!.content)).toEqual([]);
    const image = activity.attachments[0]!.content.body.find((e) => e.type === 'Image')!;
    expect(image.url).toMatch(/^https:\/\/tomte\.example\.no\/kart\.png\?k=[\w-]+&e=\d+&s=[\w-]+$/);
    expect(image.altText).toContain('Kart');
    const web = createWebApp({ getReadModel: () => rm, defaultLang: 'nb', publicPages: false, secret: SECRET, logger: silentLogger, renderPng: (svg) => renderMapPng(svg) });
    const path = image.url!.slice(PUBLIC.length);
    const res = await web.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // Anything else is refused: a changed spec, a changed expiry, an expired link, no signature.
    const tampered = path.replace(/k=([\w-])/, (_m, c: string) => `k=${c === 'A' ? 'B' : 'A'}`);
    expect((await web.request(tampered)).status).toBe(403);
    expect((await web.request(path.replace(/e=\d+/, 'e=99999999999999'))).status).toBe(403);
    // The web app checks expiry on the service clock (the test clock here).
    const expired = `/kart.png?${await signMapSpec(SECRET, {}, new Date(new Date(FIXED_NOW).getTime() - 1000))}`;
    expect((await web.request(expired)).status).toBe(403);
    expect((await web.request('/kart.png')).status).toBe(403);
    // The SVG of the same link (what the Worker serves).
    const svg = await web.request(path.replace('/kart.png', '/kart.svg'));
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await svg.text()).toContain('© Kartverket · Kilde: SSB');
  });
});
