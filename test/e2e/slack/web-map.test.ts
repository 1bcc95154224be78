/**
 * `/tomte web` and `/tomte kart …` through the real receiver and Bolt: the sign-in link comes back
 * ephemerally in the ack (only the asker sees it) and opens a session on the pages; the map's PNG
 * is shared in the channel with Bolt's files.uploadV2 (getUploadURLExternal, the bytes, then
 * completeUploadExternal), at the HTTP level via msw.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderMapPng } from '../../../adapters/node/map-png';
import type { SignInLinkMaker } from '../../../src/chat/web';
import { silentLogger } from '../../../src/lib/logger';
import { createSignInLink } from '../../../src/services/web-auth';
import { createWebApp } from '../../../src/web/app';
import { mapSpecSvg } from '../../../src/web/map/spec-map';
import { server } from '../../support/msw';
import { CHANNEL, FORM, slackRequest, slashCommandBody, USER } from '../../support/slack';
import { ackMessage, eventually, makeHarness, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();
const SECRET = 'slack-web-secret-0123456789abcdefghijkl';
const UPLOAD_URL = 'https://files.slack.com/upload/v1/CwABAAAAXgsAAgAAAAwAAw';

const signInLink: SignInLinkMaker = async (user) => {
  const made = await createSignInLink(SECRET, user, runtime.get().deps.now());
  return { url: `https://tomte.example.no${made.path}`, expiresAt: made.expiresAt };
};

function harness() {
  return makeHarness(() => runtime.get(), undefined, silentLogger, { signInLink, mapPng: (spec, lang) => renderMapPng(mapSpecSvg(runtime.get(), spec, lang)) });
}

async function slash(text: string) {
  const { app } = harness();
  const res = await app.request('/slack/events', slackRequest(slashCommandBody({ text, channel_id: CHANNEL.id, response_url: `https://hooks.slack.com/commands/T0TOMTE01/1/${Math.random().toString(36).slice(2)}` }), FORM));
  return (await ackMessage(res)) as { text?: string; response_type?: string; blocks?: unknown[] };
}

describe('/tomte web', () => {
  it('answers only the asker with a link that signs them in on the pages', async () => {
    const ack = await slash('web');
    expect(ack.response_type).toBe('ephemeral');
    // Slack is asked not to unfurl the one-time link.
    expect(ack).toMatchObject({ unfurl_links: false, unfurl_media: false });
    const url = /https:\/\/tomte\.example\.no(\/logg-inn\?t=[\w.-]+)/.exec(JSON.stringify(ack.blocks))![1]!;
    expect(JSON.stringify(ack.blocks)).not.toContain('Del i kanalen');
    const web = createWebApp({ getReadModel: () => runtime.get(), defaultLang: 'nb', publicPages: false, secret: SECRET, logger: silentLogger });
    // Opening the link (as a preview bot would) shows a button and spends nothing; its POST signs in.
    const opened = await web.request(url);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('set-cookie')).toBeNull();
    expect(await opened.text()).toContain(`Logg inn i tomte som ${USER.name} (Slack)`);
    const t = new URL(url, 'http://x').searchParams.get('t')!;
    const res = await web.request('/logg-inn', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t }).toString() });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const page = await web.request('/', { headers: { cookie } });
    expect(page.status).toBe(200);
    // Bound to the asker: the page says who is signed in.
    expect(await page.text()).toContain(`Logg ut (${USER.name})`);
  });
});

describe('/tomte kart', () => {
  it('answers with the tier counts and shares the PNG in the channel through files.uploadV2', async () => {
    const uploads: Uint8Array[] = [];
    server.use(
      http.post('https://slack.com/api/files.getUploadURLExternal', async ({ request }) => {
        rec.webApi.push({ method: 'files.getUploadURLExternal', authorization: request.headers.get('authorization'), args: Object.fromEntries(new URLSearchParams(await request.text())), at: Date.now() });
        return HttpResponse.json({ ok: true, upload_url: UPLOAD_URL, file_id: 'F0MAP0002' });
      }),
      http.post(UPLOAD_URL, async ({ request }) => {
        uploads.push(new Uint8Array(await request.arrayBuffer()));
        return new HttpResponse('OK - 1234', { status: 200 });
      }),
    );
    const ack = await slash('kart fylke Nordland');
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain('Tier-kart: Nordland');
    const done = await eventually(() => rec.webApi.find((c) => c.method === 'files.completeUploadExternal'));
    expect(done.args.channel_id).toBe(CHANNEL.id);
    const files = (typeof done.args.files === 'string' ? JSON.parse(done.args.files) : done.args.files) as { id: string; title: string }[];
    expect(files).toEqual([{ id: 'F0MAP0002', title: expect.stringContaining('Nordland') }]);
    const ticket = rec.webApi.find((c) => c.method === 'files.getUploadURLExternal')!;
    expect(ticket.args.filename).toBe('tomte-kart-18-seed-2026.png');
    expect(uploads).toHaveLength(1);
    // The WebClient posts the file as multipart form data: the PNG, of the announced length, is in it.
    const body = Buffer.from(uploads[0]!);
    const at = body.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(at).toBeGreaterThanOrEqual(0);
    const length = Number(ticket.args.length);
    expect(body.subarray(at + length - 12, at + length).includes(Buffer.from('IEND'))).toBe(true);
  });
});
