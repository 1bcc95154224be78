/**
 * The web pages over HTTP (no browser; test/browser/ drives Chromium): what each page shows comes
 * from the same read model as chat and the API, sign-in through a one-time link (GET shows a
 * button and spends nothing, POST spends it; signature, expiry, single use, cookie attributes, idle
 * expiry), the gate with and without TOMTE_WEB_PUBLIC, CSRF on sign-out, and hostile input
 * answered with a page, never a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fmt } from '../../src/domain/format';
import { createSignInLink, SESSION_IDLE_MS } from '../../src/services/web-auth';
import { listKommuneScores } from '../../src/services/kommune-list';
import { tierMapSvg } from '../../src/web/map/tier-map';
import { startWebServer, type WebServer } from '../support/web-server';

let s: WebServer;
let pub: WebServer;

beforeAll(async () => {
  [s, pub] = await Promise.all([startWebServer(), startWebServer({ publicPages: true })]);
});
afterAll(async () => {
  await Promise.all([s?.close(), pub?.close()]);
});

const get = (srv: WebServer, path: string, cookie?: string) => fetch(`${srv.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** The token of a sign-in URL. */
const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;

/** What the sign-in page's button does: POST /logg-inn with the link's token. */
const redeem = (srv: WebServer, token: string, opts: { next?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${srv.url}/logg-inn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    body: new URLSearchParams({ t: token, ...(opts.next ? { neste: opts.next } : {}) }).toString(),
  });

async function signIn(srv: WebServer): Promise<string> {
  const res = await redeem(srv, tokenOf(await srv.link()));
  expect(res.status).toBe(303);
  const set = res.headers.get('set-cookie')!;
  return set.split(';')[0]!;
}

describe('sign-in', () => {
  it('a page without a session redirects to the "ask tomte for a link" page', async () => {
    const res = await get(s, '/kommuner/1804');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/be-om-lenke?neste=%2Fkommuner%2F1804');
    const ask = await (await get(s, res.headers.get('location')!)).text();
    expect(ask).toContain('/tomte web');
  });

  it('opening a link (GET) names the user and shows a POST button, and uses nothing up', async () => {
    const link = await s.link();
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('Logg inn i tomte som Kari Nordmann (Slack)');
    expect(html).toMatch(/<form method="post" action="\/logg-inn"[^>]*>/);
    expect(html).toContain(`name="t" value="${tokenOf(link)}"`);
    expect(html).toMatch(/<button type="submit">Logg inn<\/button>/);
    const en = await (await fetch(`${link}&lang=en`, { redirect: 'manual' })).text();
    expect(en).toContain('Sign in to tomte as Kari Nordmann (Slack)');
    expect(en).toMatch(/<button type="submit">Sign in<\/button>/);
  });

  it('a link fetched twice by preview bots still signs in with the POST; a second POST is refused', async () => {
    const link = await s.link();
    for (let i = 0; i < 2; i++) expect((await fetch(link, { redirect: 'manual' })).status).toBe(200);
    const first = await redeem(s, tokenOf(link), { next: '/modeller' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/modeller');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tomte_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain(`Max-Age=${SESSION_IDLE_MS / 1000}`);
    // Served over plain http in the test: Secure would stop the browser from sending it back.
    expect(cookie).not.toContain('Secure');
    const page = await get(s, '/', cookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Kari Nordmann');
    const again = await redeem(s, tokenOf(link));
    expect(again.status).toBe(410);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('allerede brukt');
    // Once used, opening it shows the same clear page.
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).toBe(410);
    expect(await opened.text()).toContain('allerede brukt');
  });

  it('the POST goes only to a local next path, and a cross-site POST is refused without using the link up', async () => {
    const evil = await redeem(s, tokenOf(await s.link()), { next: '//evil.example/x' });
    expect(evil.status).toBe(303);
    expect(evil.headers.get('location')).toBe('/');
    const link = await s.link();
    const cross = await redeem(s, tokenOf(link), { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    expect(cross.headers.get('set-cookie')).toBeNull();
    expect((await redeem(s, tokenOf(link), { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(303);
  });

  it('Secure is set when the request came over HTTPS (a proxy saying so)', async () => {
    const res = await redeem(s, tokenOf(await s.link()), { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('an expired link (older than 10 minutes) and a forged one are refused with a clear page, on GET and POST', async () => {
    const old = await s.link({}, new Date(Date.now() - 11 * 60_000));
    for (const expired of [await fetch(old, { redirect: 'manual' }), await redeem(s, tokenOf(old))]) {
      expect(expired.status).toBe(410);
      expect(expired.headers.get('set-cookie')).toBeNull();
      expect(await expired.text()).toContain('utløpt');
    }
    const made = await createSignInLink('another-secret-0123456789abcdefghijkl', { platform: 'slack', userId: 'U1', workspace: null, label: 'x' }, new Date());
    for (const forged of [await fetch(`${s.url}${made.path}`, { redirect: 'manual' }), await redeem(s, made.token)]) {
      expect(forged.status).toBe(400);
      expect(forged.headers.get('set-cookie')).toBeNull();
      expect(await forged.text()).toContain('ugyldig');
    }
    for (const t of ['', 'abc', 'a.b.c', '%00', 'x'.repeat(5000), `${made.token.split('.')[0]}.AAAA`]) {
      const r = await fetch(`${s.url}/logg-inn?t=${encodeURIComponent(t)}`, { redirect: 'manual' });
      expect(r.status).toBe(400);
      expect((await redeem(s, t)).status).toBe(400);
    }
  });

  it('a link is bound to its user: the session is that user', async () => {
    const link = await s.link({ platform: 'teams', userId: '00000000-0000-4000-8000-00000000abcd', workspace: null, label: 'Ola Teams' });
    expect(await (await fetch(link)).text()).toContain('Logg inn i tomte som Ola Teams (Teams)');
    const res = await redeem(s, tokenOf(link));
    const page = await (await get(s, '/modeller', res.headers.get('set-cookie')!.split(';')[0])).text();
    expect(page).toContain('Ola Teams');
  });

  it('a session idle for 8 hours is over', async () => {
    const cookie = await signIn(s);
    const realNow = s.deps.now;
    try {
      s.deps.now = () => new Date(Date.now() + SESSION_IDLE_MS + 60_000);
      // The read model's deps are the server's: the clock moves for the pages too.
      const res = await get(s, '/', cookie);
      expect(res.status).toBe(303);
    } finally {
      s.deps.now = realNow;
    }
  });

  it('sign-out needs the CSRF token of the session', async () => {
    const cookie = await signIn(s);
    const page = await (await get(s, '/', cookie)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const bad = await fetch(`${s.url}/logg-ut`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=wrong' });
    expect(bad.status).toBe(403);
    expect((await get(s, '/', cookie)).status).toBe(200);
    const ok = await fetch(`${s.url}/logg-ut`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrf)}` });
    expect(ok.status).toBe(303);
    expect((await get(s, '/', cookie)).status).toBe(303);
  });

  it('TOMTE_WEB_PUBLIC opens the map, ranking, profiles and models but keeps lots behind sign-in', async () => {
    for (const path of ['/', '/kommuner/1804', '/modeller']) expect((await get(pub, path)).status).toBe(200);
    expect((await get(pub, '/tomter')).status).toBe(303);
    const profile = await (await get(pub, '/kommuner/1804')).text();
    expect(profile).not.toContain('Boligtomt');
    expect(profile).toContain('href="/be-om-lenke"');
  });

  it('signs the user in the audit log', async () => {
    await signIn(s);
    const { latestAudit } = await import('../../src/services/audit');
    const rows = await latestAudit(s.deps, 5);
    expect(rows.some((r) => r.action === 'web.sign-in' && r.actor === 'U0TEST01')).toBe(true);
  });
});

describe('pages', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn(s);
  });

  it('/ shows the map of 357 kommuner and the ranking in the read model order, with security headers', async () => {
    const res = await get(s, '/', cookie);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html.match(/<a href="\/kommuner\/\d{4}" aria-label=/g)).toHaveLength(357);
    expect(html).toContain('© Kartverket');
    const top = listKommuneScores(s.rm, { sort: 'score', descending: true, offset: 0, limit: 3 }).items;
    const rows = [...html.matchAll(/<tr data-code="(\d{4})">/g)].map((m) => m[1]);
    expect(rows).toHaveLength(357);
    expect(rows.slice(0, 3)).toEqual(top.map((i) => i.code));
    expect(html).toContain(fmt(top[0]!.total, 'nb', 1));
  });

  it('filters: Tier 1 in Nordland lists exactly the read model\'s Tier 1 kommuner of county 18', async () => {
    const html = await (await get(s, '/?tier=1&fylke=18', cookie)).text();
    const rows = [...html.matchAll(/<tr data-code="(\d{4})">/g)].map((m) => m[1]);
    const expected = listKommuneScores(s.rm, { sort: 'score', descending: true, offset: 0, tier: 1, countyCode: '18' }).items.map((i) => i.code);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
  });

  it('search uses chat\'s name matching: bodo, a Sami name, an old number, a typo', async () => {
    const bodo = await get(s, '/?q=bodo', cookie);
    expect(bodo.status).toBe(303);
    expect(bodo.headers.get('location')).toBe('/kommuner/1804');
    expect((await get(s, '/?q=Guovdageaidnu', cookie)).headers.get('location')).toBe('/kommuner/5612');
    expect((await get(s, '/?q=1001', cookie)).headers.get('location')).toBe('/kommuner/4204?fra=1001');
    const typo = await get(s, '/?q=trondhiem', cookie);
    expect(typo.status).toBe(404);
    expect(await typo.text()).toContain('href="/kommuner/5001"');
    const twins = await (await get(s, '/?q=Her%C3%B8y', cookie)).text();
    expect(twins).toContain('kan være flere kommuner');
  });

  it('/kommuner/1804 shows the score, both models, indicators with statbank links, history, lots and the chat command', async () => {
    const html = await (await get(s, '/kommuner/1804', cookie)).text();
    const score = s.rm.scores.get('1804')!;
    expect(html).toContain('<h1>Bodø (1804)</h1>');
    expect(html).toContain(fmt(score.total, 'nb', 1));
    for (const v of s.rm.all()) expect(html).toContain(`?modell=${v.model.id}`);
    expect(html).toContain('href="https://www.ssb.no/statbank/table/07459"');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('Boligtomt 1');
    expect(html).toContain('Detaljregulering Hunstad sør');
    expect(html).toContain('/tomte kommune Bodø');
  });

  it('an old number redirects to the 2024 kommune; an unknown or hostile one is a 404 page', async () => {
    const old = await get(s, '/kommuner/1001', cookie);
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe('/kommuner/4204?fra=1001');
    for (const nr of ['9999', 'abc', '%3Cscript%3E', '1'.repeat(300)]) {
      const r = await get(s, `/kommuner/${nr}`, cookie);
      expect(r.status).toBe(404);
      const text = await r.text();
      expect(text).toContain('Fant ikke kommunen');
      expect(text).not.toContain('<script>');
    }
  });

  it('/tomter filters like "abonner tomter"; /modeller shows both models and the validation table', async () => {
    const all = await (await get(s, '/tomter', cookie)).text();
    expect(all).toContain('Tomter (3)');
    const none = await (await get(s, '/tomter?fylke=03', cookie)).text();
    expect(none).toContain('Tomter (0)');
    const big = await (await get(s, '/tomter?min=100000', cookie)).text();
    expect(big).toContain('Tomter (0)');
    const except = await (await get(s, '/tomter?kommuner=Bod%C3%B8&unntatt=bodo', cookie)).text();
    expect(except).toContain('Tomter (0)');
    const unknown = await (await get(s, '/tomter?kommuner=Atlantis', cookie)).text();
    expect(unknown).toContain('Kjenner ikke igjen: Atlantis');
    const models = await (await get(s, '/modeller', cookie)).text();
    for (const v of s.rm.all()) expect(models).toContain(v.model.id);
    expect(models).toContain('ROC AUC');
  });

  it('English on request, remembered by a cookie', async () => {
    const res = await get(s, '/?lang=en', cookie);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Find a kommune');
    const lang = res.headers.get('set-cookie')!.split(';')[0]!;
    const next = await (await get(s, '/modeller', `${cookie}; ${lang}`)).text();
    expect(next).toContain('The models');
  });

  it('the map SVG for all 357 kommuner stays under 400 KB', () => {
    const svg = tierMapSvg({ rm: s.rm, lang: 'nb', title: 'x', links: true });
    expect(new TextEncoder().encode(svg).length).toBeLessThan(400 * 1024);
  });
});
