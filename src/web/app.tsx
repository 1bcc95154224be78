/** @jsxImportSource hono/jsx */
/**
 * The web face (issue 19): server-rendered pages over the same read model and services as chat
 * and the REST API. Every page works without JavaScript (filters and search are GET forms); one
 * small script adds the map's focus/hover read-out. Pages need a session made through a one-time
 * link from chat (`web`); with `publicPages` the map, ranking, kommune profiles (without lots) and
 * models are open, and lots stay behind sign-in. Runtime-neutral: mounted by adapters/node and
 * adapters/workers through createApp's mounts.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Lang } from '../domain/localized';
import type { Logger } from '../lib/logger';
import type { ReadModel } from '../services/read-model';
import { lookupKommune } from '../services/queries';
import { knownCasesReport } from '../services/models';
import { lotCentroidOrNull, searchLots, searchPlans } from '../services/lots/queries';
import { checkSignInLink, csrfMatches, endSession, redeemSignInLink, sessionFor, SESSION_IDLE_MS, verifyMapQuery, type WebSession } from '../services/web-auth';
import { mapSpecSvg } from './map/spec-map';
import { HomeContent, homeKey, HomePage, parseHomeQuery, type SearchOutcome } from './pages/home';
import { KommunePage, type KommuneLots } from './pages/kommune';
import { LotsPage, parseLotsQuery, selectKommuner } from './pages/lots';
import { ModelsPage } from './pages/models';
import { MessagePage, SignInPage } from './pages/message';
import { MAP_SCRIPT } from './layout';

type Env = { Variables: { lang: Lang; session: WebSession | null; rm: ReadModel } };
import { texts } from './texts';
import { PAGE_PATHS } from './paths';

export interface WebDeps {
  getReadModel(): ReadModel | null;
  defaultLang: Lang;
  /** TOMTE_WEB_PUBLIC: the read-only map, ranking, profiles and models without sign-in. */
  publicPages: boolean;
  /** TOMTE_WEB_SECRET; unset: nobody can sign in (links cannot be made or checked). */
  secret: string | undefined;
  /** SVG to PNG (Node: resvg); absent on the Worker, where /kart.png answers 501 and /kart.svg serves. */
  renderPng?: (svg: string) => Uint8Array;
  logger: Logger;
}

export const SESSION_COOKIE = 'tomte_session';
const LANG_COOKIE = 'tomte_lang';
const MAX_PLANS = 200;
const MAX_LOTS = 500;
/**
 * The map-and-ranking content per read model, query and language: the same for every user and
 * fixed until the next score run (a new read model), so it is rendered once (bench/web.bench.ts).
 */
const homeCache = new WeakMap<ReadModel, Map<string, string>>();
const HOME_CACHE_MAX = 500;

/** Pages only: the API has its own policy. The one script is served from /web.js. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

function here(c: Context): string {
  const u = new URL(c.req.url);
  u.searchParams.delete('lang');
  return `${u.pathname}${u.search}`;
}

/** Only a local path may be a "next" target (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/logg-inn') ? next : '/';
}

export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono<Env>();

  app.get('/web.js', (c) => c.body(MAP_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }));

  // Language, read model, session, headers: for every page below (only these paths: the app is mounted at / beside the API).
  const pageMiddleware = async (c: Context<Env>, next: () => Promise<void>) => {
    const asked = c.req.query('lang');
    let lang: Lang = deps.defaultLang;
    if (asked === 'nb' || asked === 'en') {
      lang = asked;
      setCookie(c, LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86400, sameSite: 'Lax', httpOnly: true, secure: isHttps(c) });
    } else {
      const saved = getCookie(c, LANG_COOKIE);
      if (saved === 'nb' || saved === 'en') lang = saved;
    }
    c.set('lang', lang);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    const rm = deps.getReadModel();
    if (!rm) return c.html(<MessagePage lang={lang} here={here(c)} title="tomte" text={texts(lang).notReady} />, 503, { 'retry-after': '5' });
    c.set('rm', rm);
    c.set('session', deps.secret ? await sessionFor(rm.deps, getCookie(c, SESSION_COOKIE)) : null);
    await next();
    c.header('cache-control', 'private, no-store');
  };
  for (const path of PAGE_PATHS) app.use(path, pageMiddleware);

  /** Pages that need a session (all of them unless publicPages opens the read-only ones). */
  const gate = (open: boolean) => async (c: Context<Env>, next: () => Promise<void>) => {
    if (c.get('session') || (open && deps.publicPages)) return next();
    return c.redirect(`/be-om-lenke?neste=${encodeURIComponent(here(c))}`, 303);
  };

  const layoutSession = (c: Context<Env>) => {
    const s = c.get('session');
    return s ? { label: s.label, csrf: s.csrf } : null;
  };

  app.get('/', gate(true), async (c) => {
    const rm = c.get('rm');
    const lang = c.get('lang');
    const query = parseHomeQuery(rm, c.req.query());
    let search: SearchOutcome | undefined;
    if (query.q) {
      const found = await lookupKommune(query.model, query.q);
      if (found.kind === 'found') {
        const qs = new URLSearchParams();
        if (!query.model.isDefault) qs.set('modell', query.model.model.id);
        if (found.resolution.matchedBy === 'old-code' || found.resolution.matchedBy === 'old-name') qs.set('fra', query.q);
        return c.redirect(`/kommuner/${found.kommune.code}${qs.size > 0 ? `?${qs}` : ''}`, 303);
      }
      search = { input: query.q, kind: found.kind, kommuner: found.kind === 'ambiguous' ? found.candidates : found.suggestions };
    }
    const key = homeKey(query, lang, search);
    let pages = homeCache.get(rm);
    if (!pages) homeCache.set(rm, (pages = new Map()));
    let content = pages.get(key);
    if (content === undefined) {
      content = String(await (<HomeContent lang={lang} query={query} {...(search ? { search } : {})} />).toString());
      if (pages.size >= HOME_CACHE_MAX) pages.clear();
      // A search that found nothing is the user's own text: not kept.
      if (!search) pages.set(key, content);
    }
    return c.html(<HomePage lang={lang} here={here(c)} session={layoutSession(c)} content={content} />, search?.kind === 'not-found' ? 404 : 200);
  });

  app.get('/kommuner/:nr', gate(true), async (c) => {
    const base = c.get('rm');
    const lang = c.get('lang');
    const t = texts(lang);
    const rm = (c.req.query('modell') && base.forModel(c.req.query('modell')!)) || base.primary;
    const nr = c.req.param('nr') ?? '';
    const found = /^\d{3,4}$/.test(nr) ? rm.registry.resolve(nr) : null;
    if (!found || found.kind !== 'found') {
      return c.html(<MessagePage lang={lang} here={here(c)} title={t.notFoundKommune} text={lang === 'nb' ? `Ingen kommune har nummeret «${nr.slice(0, 20)}».` : `No kommune has the number “${nr.slice(0, 20)}”.`} />, 404);
    }
    // An old number: the page of the 2024 kommune, at its own address.
    if (found.kommune.code !== nr) return c.redirect(`/kommuner/${found.kommune.code}?fra=${encodeURIComponent(nr)}${rm.isDefault ? '' : `&modell=${rm.model.id}`}`, 301);
    const kommune = found.kommune;
    const score = rm.scores.get(kommune.code) ?? null;
    const history = score ? await rm.history(kommune.code, 20) : [];
    let lots: KommuneLots | null = null;
    if (c.get('session') && rm.lotCounts === null) {
      // No lot source is set up (plans come from one too): nothing to ask the database.
      lots = { configured: false, lots: [], plans: [] };
    } else if (c.get('session')) {
      const [open, plans] = await Promise.all([searchLots(rm.deps, { kommuneCodes: [kommune.code], limit: MAX_LOTS }), searchPlans(rm.deps, { kommuneCodes: [kommune.code], limit: MAX_PLANS })]);
      lots = { configured: rm.lotCounts !== null, lots: open.items, plans: plans.items.map((p) => ({ ...p, centroid: lotCentroidOrNull(p.geometry) })) };
    }
    const from = c.req.query('fra')?.slice(0, 40);
    const note = from ? (lang === 'nb' ? `funnet fra «${from}»` : `found from “${from}”`) : undefined;
    return c.html(<KommunePage lang={lang} here={here(c)} session={layoutSession(c)} data={{ rm, kommune, score, history, lots, ...(note ? { note } : {}) }} />);
  });

  app.get('/tomter', gate(false), async (c) => {
    const base = c.get('rm');
    const rm = base.primary;
    const lang = c.get('lang');
    const query = parseLotsQuery(rm, c.req.query(), c.req.queries('tier') ?? []);
    const { codes, unknown } = selectKommuner(rm, query);
    const [lots, plans] = await Promise.all([
      searchLots(rm.deps, { ...(codes ? { kommuneCodes: codes } : {}), ...(query.minAreal !== undefined ? { minAreaM2: query.minAreal } : {}), limit: MAX_LOTS }),
      searchPlans(rm.deps, { ...(codes ? { kommuneCodes: codes } : {}), limit: MAX_PLANS }),
    ]);
    const data = { rm, query, unknown, configured: rm.lotCounts !== null, lots, plans: { total: plans.total, items: plans.items.map((p) => ({ ...p, centroid: lotCentroidOrNull(p.geometry) })) }, ...(codes ? { codes } : {}) };
    return c.html(<LotsPage lang={lang} here={here(c)} session={layoutSession(c)} data={data} />);
  });

  app.get('/modeller', gate(true), (c) => {
    const rm = c.get('rm');
    return c.html(<ModelsPage lang={c.get('lang')} here={here(c)} session={layoutSession(c)} rm={rm.primary} validation={knownCasesReport(rm)} />);
  });

  // Map pictures at signed, expiring URLs (chat replies, Teams cards, digests): the signature is the permission.
  const mapPicture = (format: 'png' | 'svg') => async (c: Context) => {
    const rm = deps.getReadModel();
    if (!rm) return c.text('starting', 503, { 'retry-after': '5' });
    const spec = deps.secret ? await verifyMapQuery(deps.secret, { k: c.req.query('k'), e: c.req.query('e'), s: c.req.query('s') }, rm.deps.now()) : null;
    if (!spec) return c.text('This map link is not valid or has expired. / Kartlenken er ugyldig eller utløpt.', 403);
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : deps.defaultLang;
    const svg = mapSpecSvg(rm, spec, lang);
    const headers = { 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' };
    if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
    if (!deps.renderPng) return c.text('PNG maps are drawn on the Node service only; use /kart.svg with the same query.', 501);
    return c.body(deps.renderPng(svg) as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': 'image/png' });
  };
  app.get('/kart.png', mapPicture('png'));
  app.get('/kart.svg', mapPicture('svg'));

  // Sign-in: the one-time link from chat. GET only checks the link and shows a button; the POST of
  // that form uses it up. Link-preview bots (Slack, Teams), mail scanners and prefetchers fetch the
  // URL with GET and so no longer spend the link before the user's own click.
  const refuseLink = (c: Context<Env>, reason: 'invalid' | 'expired' | 'used' | 'cross-site') => {
    const lang = c.get('lang');
    const t = texts(lang);
    deps.logger.info('web sign-in refused', { reason });
    const [text, status] = reason === 'expired' ? [t.linkExpired, 410] as const : reason === 'used' ? [t.linkUsed, 410] as const : reason === 'cross-site' ? [t.crossSiteRefused, 403] as const : [t.linkInvalid, 400] as const;
    return c.html(<MessagePage lang={lang} here="/be-om-lenke" title={t.linkRefused} text={text} />, deps.secret ? status : 403);
  };

  app.get('/logg-inn', async (c) => {
    if (!deps.secret) return refuseLink(c, 'invalid');
    const token = c.req.query('t') ?? '';
    const r = await checkSignInLink(c.get('rm').deps, deps.secret, token);
    if (!r.ok) return refuseLink(c, r.reason);
    const next = c.req.query('neste');
    // Only the link's own person and platform are named: the page shows nothing else of tomte.
    return c.html(<SignInPage lang={c.get('lang')} here={here(c)} label={r.user.label} platform={r.user.platform} token={token} next={next ? safeNext(next) : undefined} />, 200, { 'x-robots-tag': 'noindex' });
  });

  app.post('/logg-inn', async (c) => {
    if (!deps.secret) return refuseLink(c, 'invalid');
    // Login CSRF: another site must not post its own valid link and sign the browser in as someone else.
    if (c.req.header('sec-fetch-site') === 'cross-site') return refuseLink(c, 'cross-site');
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.t === 'string' ? form.t : '';
    const r = await redeemSignInLink(c.get('rm').deps, deps.secret, token);
    if (!r.ok) return refuseLink(c, r.reason);
    deps.logger.info('web sign-in', { platform: r.session.platform });
    setCookie(c, SESSION_COOKIE, r.cookie, { path: '/', httpOnly: true, secure: isHttps(c), sameSite: 'Lax', maxAge: SESSION_IDLE_MS / 1000 });
    return c.redirect(safeNext(typeof form.neste === 'string' ? form.neste : undefined), 303);
  });

  app.get('/be-om-lenke', (c) => {
    const lang = c.get('lang');
    const t = texts(lang);
    if (c.req.query('ut') === '1') return c.html(<MessagePage lang={lang} here={here(c)} title={t.signedOut} text={t.loginNeededText} />);
    return c.html(<MessagePage lang={lang} here={here(c)} title={t.loginNeeded} text={t.loginNeededText} session={layoutSession(c)} />);
  });

  app.post('/logg-ut', async (c) => {
    const lang = c.get('lang');
    const session = c.get('session');
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (!session || !csrfMatches(session, form.csrf)) {
      return c.html(<MessagePage lang={lang} here="/" title={texts(lang).linkRefused} text={texts(lang).csrfRefused} />, 403);
    }
    await endSession(c.get('rm').deps, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.redirect('/be-om-lenke?ut=1', 303);
  });

  return app as unknown as Hono;
}
