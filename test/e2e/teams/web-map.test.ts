/**
 * `web` and `kart` in Teams through the real route and Bot Framework bridge: the sign-in link only
 * in a personal chat (Teams has no private replies in channels), and the map in the card from a
 * signed, expiring URL that the web app answers with the PNG. Cards parse with Microsoft's
 * adaptivecards package without warnings.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderMapPng } from '../../../adapters/node/map-png';
import type { SignInLinkMaker } from '../../../src/chat/web';
import type { MapSpec } from '../../../src/domain/map-spec';
import { silentLogger } from '../../../src/lib/logger';
import type { ReadModel } from '../../../src/services/read-model';
import { createSignInLink, signMapSpec } from '../../../src/services/web-auth';
import { createWebApp } from '../../../src/web/app';
import { backends, type TestDb } from '../../support/db';
import { server, useMsw } from '../../support/msw';
import { adaptiveCardProblems } from '../../support/platforms';
import { prepareRuntime } from '../../support/runtime';
import { CHANNEL_CONVERSATION, messageActivity, newTraffic, teamsHandlers, teamsRequest, teamsTestApp, USER } from '../../support/teams';

useMsw();
const traffic = newTraffic();
const SECRET = 'teams-web-secret-0123456789abcdefghijkl';
const PUBLIC = 'https://tomte.example.no';
let t: TestDb;
let rm: ReadModel;

beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open('seed');
  rm = (await prepareRuntime(t.db)).readModel;
});
afterAll(async () => t?.close());
beforeEach(() => {
  traffic.connector.length = 0;
  server.use(...teamsHandlers(traffic));
});

const signInLink: SignInLinkMaker = async (user) => {
  const made = await createSignInLink(SECRET, user, rm.deps.now());
  return { url: `${PUBLIC}${made.path}`, expiresAt: made.expiresAt };
};
const mapUrl = async (spec: MapSpec) => `${PUBLIC}/kart.png?${await signMapSpec(SECRET, spec, new Date(rm.deps.now().getTime() + 3600_000))}`;

function harness(): Hono {
  return teamsTestApp({ getRuntime: () => ({ readModel: rm, db: t.db }), web: { signInLink, mapUrl } });
}

type Card = { body: { type: string; text?: string; url?: string; altText?: string }[] };
const sentCard = (): Card => ((traffic.connector.at(-1)!.body.attachments as { content: Card }[])[0]!.content);
const cardText = (c: Card) => c.body.map((b) => b.text ?? '').join('\n');

describe('web in Teams', () => {
  it('in a personal chat: a link that signs this user in', async () => {
    const res = await harness().request('/api/messages', teamsRequest(messageActivity('web')));
    expect(res.status).toBe(200);
    const card = sentCard();
    expect(adaptiveCardProblems(card)).toEqual([]);
    const path = /https:\/\/tomte\.example\.no(\/logg-inn\?t=[\w.-]+)/.exec(cardText(card))![1]!;
    const web = createWebApp({ getReadModel: () => rm, defaultLang: 'nb', publicPages: false, secret: SECRET, logger: silentLogger });
    // Opening the link (as a preview bot would) shows a button and spends nothing; its POST signs in.
    const opened = await web.request(path);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('set-cookie')).toBeNull();
    expect(await opened.text()).toContain(`Logg inn i tomte som ${USER.name} (Teams)`);
    const t = new URL(path, 'http://x').searchParams.get('t')!;
    const signed = await web.request('/logg-inn', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t }).toString() });
    expect(signed.status).toBe(303);
    const cookie = signed.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await web.request('/modeller', { headers: { cookie } })).text()).toContain(`Logg ut (${USER.name})`);
  });

  it('in a channel: no link (everyone would see it), but where to ask instead', async () => {
    await harness().request('/api/messages', teamsRequest(messageActivity('web', { conversation: CHANNEL_CONVERSATION })));
    const text = cardText(sentCard());
    expect(text).not.toContain('/logg-inn');
    expect(text).toContain('personlig chat');
  });
});

describe('kart in Teams', () => {
  it('the card shows the map from a signed URL, and the URL answers the PNG', async () => {
    await harness().request('/api/messages', teamsRequest(messageActivity('kart fylke Nordland')));
    const card = sentCard();
    expect(adaptiveCardProblems(card)).toEqual([]);
    const image = card.body.find((b) => b.type === 'Image')!;
    expect(image.url).toMatch(/^https:\/\/tomte\.example\.no\/kart\.png\?k=/);
    expect(image.altText).toContain('Nordland');
    const web = createWebApp({ getReadModel: () => rm, defaultLang: 'nb', publicPages: false, secret: SECRET, logger: silentLogger, renderPng: (svg) => renderMapPng(svg) });
    const res = await web.request(image.url!.slice(PUBLIC.length));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });
});
