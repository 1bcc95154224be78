/**
 * Sign-in to the web pages through chat (issue 19). `web` in Slack or Teams calls
 * `createSignInLink`: a token naming the platform user, valid 10 minutes, signed with HMAC-SHA256
 * under TOMTE_WEB_SECRET. Opening it (GET) only checks it (`checkSignInLink`), so link-preview bots
 * cannot spend it; the page's button (POST) calls `redeemSignInLink`: the signature and expiry are
 * checked, its id is stored so it works once, and a session is made. The cookie holds 32 random
 * bytes; the database holds only their SHA-256, the user, a CSRF token and the time of the last
 * request (a session idle for 8 hours is over). Web Crypto only: runs on Node and Workers.
 */
import { sha256Text } from '../lib/hash';
import { fixedTimeEqual } from '../lib/constant-time';
import { deleteWebSession, getWebSession, insertWebSession, isLinkUsed, markLinkUsed, pruneWeb, touchWebSession } from '../store/repos/web';
import { recordAudit } from './audit';
import type { ServiceDeps } from './deps';
import { parseMapSpec, type MapSpec } from '../domain/map-spec';

export const LINK_TTL_MS = 10 * 60_000;
export const SESSION_IDLE_MS = 8 * 3600_000;
/** A session's last-seen time is written at most this often (not on every page view). */
const TOUCH_EVERY_MS = 60_000;
const MAX_TOKEN_LENGTH = 2048;

export interface WebUser {
  platform: 'slack' | 'teams';
  userId: string;
  /** Slack team id or Teams tenant id. */
  workspace: string | null;
  /** Shown as "signed in as"; the user id when the platform gave no name. */
  label: string;
}

export interface WebSession extends WebUser {
  csrf: string;
  lastSeenAt: Date;
}

export type RedeemResult = { ok: true; cookie: string; session: WebSession } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function randomToken(bytes = 32): string {
  return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function hmac(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(data)));
}

interface LinkPayload {
  v: 1;
  p: 'slack' | 'teams';
  u: string;
  w: string | null;
  l: string;
  /** Expiry, ms since the epoch. */
  e: number;
  j: string;
}

/** A one-time sign-in token for the user, valid LINK_TTL_MS from `now`. */
export async function createSignInLink(secret: string, user: WebUser, now: Date): Promise<{ token: string; path: string; expiresAt: Date }> {
  const payload: LinkPayload = { v: 1, p: user.platform, u: user.userId, w: user.workspace, l: user.label.slice(0, 80), e: now.getTime() + LINK_TTL_MS, j: randomToken(16) };
  const body = b64url(enc.encode(JSON.stringify(payload)));
  const token = `${body}.${b64url(await hmac(secret, body))}`;
  return { token, path: `/logg-inn?t=${token}`, expiresAt: new Date(payload.e) };
}

function parsePayload(body: string): LinkPayload | null {
  const bytes = fromB64url(body);
  if (!bytes) return null;
  try {
    const p = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LinkPayload>;
    if (p.v !== 1 || (p.p !== 'slack' && p.p !== 'teams') || typeof p.u !== 'string' || p.u === '' || typeof p.l !== 'string' || typeof p.e !== 'number' || typeof p.j !== 'string' || (p.w !== null && typeof p.w !== 'string')) return null;
    return p as LinkPayload;
  } catch {
    return null;
  }
}

export type CheckResult = { ok: true; user: WebUser; linkId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/**
 * Checks a link's signature, expiry and whether it was used, without using it up: what
 * `GET /logg-inn` does, so a link-preview bot or mail scanner fetching the URL does not spend it.
 */
export async function checkSignInLink(deps: ServiceDeps, secret: string, token: string): Promise<CheckResult> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' };
  const [body, sig, ...rest] = token.split('.');
  if (!body || !sig || rest.length > 0) return { ok: false, reason: 'invalid' };
  const given = fromB64url(sig);
  if (!given || !fixedTimeEqual(await hmac(secret, body), given)) return { ok: false, reason: 'invalid' };
  const p = parsePayload(body);
  if (!p) return { ok: false, reason: 'invalid' };
  if (deps.now().getTime() > p.e) return { ok: false, reason: 'expired' };
  if (await isLinkUsed(deps.db, p.j)) return { ok: false, reason: 'used' };
  return { ok: true, user: { platform: p.p, userId: p.u, workspace: p.w, label: p.l || p.u }, linkId: p.j };
}

/** Checks a link as checkSignInLink and uses it up (single use, atomically); on success makes a session. */
export async function redeemSignInLink(deps: ServiceDeps, secret: string, token: string): Promise<RedeemResult> {
  const checked = await checkSignInLink(deps, secret, token);
  if (!checked.ok) return checked;
  const now = deps.now();
  if (!(await markLinkUsed(deps.db, checked.linkId, now))) return { ok: false, reason: 'used' };
  const u = checked.user;
  const cookie = randomToken(32);
  const session: WebSession = { ...u, csrf: randomToken(24), lastSeenAt: now };
  await insertWebSession(deps.db, { idHash: await sha256Text(cookie), platform: session.platform, userId: session.userId, workspace: session.workspace, label: session.label, csrf: session.csrf, createdAt: now, lastSeenAt: now });
  await recordAudit(deps.db, now, { platform: u.platform, actor: u.userId, workspace: u.workspace }, { action: 'web.sign-in', detail: { idle_expiry_hours: SESSION_IDLE_MS / 3600_000 } });
  // Sweep sessions idle past their expiry and link ids past their validity (both indexed; sign-ins are rare).
  await pruneWeb(deps.db, new Date(now.getTime() - SESSION_IDLE_MS), new Date(now.getTime() - 2 * LINK_TTL_MS));
  return { ok: true, cookie, session };
}

const COOKIE_FORM = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions read in the last SESSION_CACHE_MS, per database, so a page view does not cost a query
 * (PGlite answers one at a time). Sign-out removes the entry here; another instance may still
 * accept a signed-out cookie for up to SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 30_000;
const SESSION_CACHE_MAX = 10_000;
const sessionCache = new WeakMap<object, Map<string, { session: WebSession; readAt: number }>>();

function cacheOf(deps: ServiceDeps): Map<string, { session: WebSession; readAt: number }> {
  let c = sessionCache.get(deps.db);
  if (!c) sessionCache.set(deps.db, (c = new Map()));
  return c;
}

/** The session a cookie opens, or null (unknown, malformed or idle for SESSION_IDLE_MS); refreshes its idle clock. */
export async function sessionFor(deps: ServiceDeps, cookie: string | undefined): Promise<WebSession | null> {
  if (!cookie || !COOKIE_FORM.test(cookie)) return null;
  const idHash = await sha256Text(cookie);
  const now = deps.now();
  const cache = cacheOf(deps);
  const hit = cache.get(idHash);
  if (hit && now.getTime() - hit.readAt < SESSION_CACHE_MS && now.getTime() - hit.session.lastSeenAt.getTime() <= TOUCH_EVERY_MS) return hit.session;
  const row = await getWebSession(deps.db, idHash);
  if (!row) {
    cache.delete(idHash);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) {
    await deleteWebSession(deps.db, idHash);
    return null;
  }
  let lastSeenAt = row.lastSeenAt;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await touchWebSession(deps.db, idHash, now);
    lastSeenAt = now;
  }
  const session: WebSession = { platform: row.platform as WebUser['platform'], userId: row.userId, workspace: row.workspace, label: row.label, csrf: row.csrf, lastSeenAt };
  if (cache.size >= SESSION_CACHE_MAX) cache.clear();
  cache.set(idHash, { session, readAt: now.getTime() });
  return session;
}

export async function endSession(deps: ServiceDeps, cookie: string | undefined): Promise<void> {
  if (!cookie || !COOKIE_FORM.test(cookie)) return;
  const idHash = await sha256Text(cookie);
  cacheOf(deps).delete(idHash);
  await deleteWebSession(deps.db, idHash);
}

/** A form's CSRF token against the session's, in constant time. */
export function csrfMatches(session: WebSession, given: unknown): boolean {
  return typeof given === 'string' && fixedTimeEqual(enc.encode(session.csrf), enc.encode(given));
}

/** How long a map picture's signed URL works: long enough for a digest read a few weeks later. */
export const MAP_URL_TTL_MS = 30 * 24 * 3600_000;

/**
 * The query of a signed, expiring map picture URL (`/kart.png?…`): the spec as base64url JSON, the
 * expiry in ms and an HMAC over both (prefixed, so it can never pass for a sign-in link).
 */
export async function signMapSpec(secret: string, spec: MapSpec, expiresAt: Date): Promise<string> {
  const k = b64url(enc.encode(JSON.stringify(spec)));
  const e = String(expiresAt.getTime());
  return `k=${k}&e=${e}&s=${b64url(await hmac(secret, `map:${k}.${e}`))}`;
}

/** The spec of a signed map URL's query, or null (bad signature, expired, malformed). */
export async function verifyMapQuery(secret: string, q: { k?: string; e?: string; s?: string }, now: Date): Promise<MapSpec | null> {
  const { k, e, s } = q;
  if (!k || !e || !s || k.length > 8192 || !/^\d{1,15}$/.test(e)) return null;
  const given = fromB64url(s);
  if (!given || !fixedTimeEqual(await hmac(secret, `map:${k}.${e}`), given)) return null;
  if (now.getTime() > Number(e)) return null;
  const bytes = fromB64url(k);
  if (!bytes) return null;
  try {
    return parseMapSpec(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
}
