/**
 * Fuzzing the Bot Framework JWT on /api/messages (issue 9): a message activity with a valid RS256
 * token from the test connector key (its OpenID metadata and JWKS served by msw at the real
 * login.botframework.com addresses) is accepted; then the token is mutated — characters of the
 * header, payload or signature segment flipped, inserted or deleted, claims (aud, iss, exp, nbf,
 * serviceurl) re-encoded without re-signing or re-signed with wrong values, `alg` set to none or
 * HS256 (also signed with the public key as the secret), segments dropped or added, base64url
 * padding and charset changed, the kid swapped, the Authorization scheme and whitespace changed —
 * or the activity's serviceUrl no longer matches the claim. Every such request gets 401 and nothing
 * is sent to the connector or stored. Each request runs botbuilder's JWT validation, so the run
 * count is 200 by default, a tenth of the Slack fuzzer's; `TOMTE_FUZZ_RUNS` scales it (test/support/fuzz.ts).
 */
import { createHmac, createPublicKey, createSign } from 'node:crypto';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamsMount } from '../../adapters/teams/mount';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { listSubscriptions } from '../../src/store/repos/alerts';
import { getTeamsConversation } from '../../src/store/repos/teams-conversations';
import { server, useMsw } from '../support/msw';
import { useScoredRuntime } from '../support/scored-runtime';
import {
  APP_ID,
  APP_PASSWORD,
  CHANNEL_CONVERSATION,
  CONNECTOR_KEY,
  connectorToken,
  JWKS_URL,
  messageActivity,
  newTraffic,
  OPENID_URL,
  ROGUE_KEY,
  SERVICE_URL,
  teamsHandlers,
  TENANT_ID,
} from '../support/teams';
import { fuzzRuns } from '../support/fuzz';

const RUNS = fuzzRuns(200);

useMsw();
const runtime = useScoredRuntime();
const traffic = newTraffic();
/** Every outbound request except the OpenID metadata and key fetches of the validation itself. */
const outbound: string[] = [];
beforeAll(() => {
  server.events.on('request:start', ({ request }) => {
    if (request.url !== OPENID_URL && request.url !== JWKS_URL) outbound.push(`${request.method} ${request.url}`);
  });
});
beforeEach(() => {
  traffic.connector.length = 0;
  outbound.length = 0;
  server.use(...teamsHandlers(traffic));
});

function harness(): Hono {
  const { mount, teams } = teamsMount({ appId: APP_ID, password: APP_PASSWORD, tenantId: TENANT_ID, logger: silentLogger, defaultLang: 'nb', getRuntime: () => ({ readModel: runtime.rm, db: runtime.db }) });
  if (!teams) throw new Error('teams not configured');
  return createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [mount] });
}

/** Handled, this replies through the connector and stores the conversation and a subscription. */
const activityIn = (conversationId: string) => messageActivity('abonner tier1 fylke Nordland', { conversation: { ...CHANNEL_CONVERSATION, id: conversationId }, id: '1732440999001' });

interface Wire {
  authorization: string[];
  activity: ReturnType<typeof activityIn>;
}

const post = (app: Hono, w: Wire) =>
  app.request('/api/messages', {
    method: 'POST',
    body: JSON.stringify(w.activity),
    headers: [['content-type', 'application/json; charset=utf-8'], ...w.authorization.map((a): [string, string] => ['authorization', a])],
  });

// ---------------------------------------------------------------------------------------------
// Tokens and mutations.

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const json = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;
const rs256 = (input: string, key = CONNECTOR_KEY.privateKey) => createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
const PUBLIC_PEM = createPublicKey(CONNECTOR_KEY.privateKey).export({ format: 'pem', type: 'spki' }).toString();

interface Mutation {
  label: string;
  apply(w: Wire, token: string): Wire;
  [fc.toStringMethod](): string;
}

/** Printed by its label in a counterexample. */
const m = (label: string, apply: Mutation['apply']): Mutation => ({ label, apply, [fc.toStringMethod]: () => label });
/** A mutation of the token alone, sent as `Bearer <token>`. */
const tm = (label: string, f: (token: string) => string): Mutation => m(label, (w, token) => ({ ...w, authorization: [`Bearer ${f(token)}`] }));
const segments = (token: string) => token.split('.') as [string, string, string];

const ratio = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const at = (r: number, length: number) => Math.floor(r * length);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const segment = fc.constantFrom(0, 1, 2);
const SEGMENT = ['header', 'payload', 'signature'];
const printable = fc.oneof(fc.constantFrom(...B64URL), fc.constantFrom('.', '=', '+', '/', ' ', '%', '\t'), fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)));

function onSegment(i: number, f: (s: string) => string): (token: string) => string {
  return (token) => {
    const parts = segments(token);
    parts[i] = f(parts[i]!);
    return parts.join('.');
  };
}

const characterEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(segment, ratio, printable).map(([i, r, c]) =>
    tm(`${SEGMENT[i]} character #${r.toFixed(3)} → ${JSON.stringify(c)}`, onSegment(i, (s) => s.slice(0, at(r, s.length)) + c + s.slice(at(r, s.length) + 1))),
  ),
  fc.tuple(segment, ratio, fc.string({ unit: printable, minLength: 1, maxLength: 4 })).map(([i, r, c]) =>
    tm(`${JSON.stringify(c)} inserted in the ${SEGMENT[i]} at #${r.toFixed(3)}`, onSegment(i, (s) => s.slice(0, at(r, s.length + 1)) + c + s.slice(at(r, s.length + 1)))),
  ),
  fc.tuple(segment, ratio, fc.integer({ min: 1, max: 8 })).map(([i, r, n]) =>
    tm(`${n} characters deleted from the ${SEGMENT[i]} at #${r.toFixed(3)}`, onSegment(i, (s) => s.slice(0, at(r, s.length)) + s.slice(at(r, s.length) + n))),
  ),
  fc.tuple(segment, ratio).map(([i, r]) => tm(`${SEGMENT[i]} truncated to ${r.toFixed(3)} of its length`, onSegment(i, (s) => s.slice(0, at(r, s.length))))),
);

const now = () => Math.floor(Date.now() / 1000);

type ClaimChange = [string, (p: Record<string, unknown>) => Record<string, unknown>];

/** Claim changes that make the token invalid whatever the activity (so re-signing them makes no genuine token). */
const badClaims = fc.constantFrom<ClaimChange>(
  ['aud another app', (p) => ({ ...p, aud: '00000000-0000-0000-0000-000000000000' })],
  ['aud in upper case', (p) => ({ ...p, aud: APP_ID.toUpperCase() })],
  ['aud missing', ({ aud: _, ...p }) => p],
  ['iss another issuer', (p) => ({ ...p, iss: 'https://sts.example.com/' })],
  ['iss with a trailing slash', (p) => ({ ...p, iss: 'https://api.botframework.com/' })],
  ['iss missing', ({ iss: _, ...p }) => p],
  ['exp 10 minutes ago', (p) => ({ ...p, exp: now() - 600 })],
  ['exp as a string in the past', (p) => ({ ...p, exp: String(now() - 600) })],
  ['nbf in 10 minutes', (p) => ({ ...p, nbf: now() + 600 })],
  ['serviceurl missing', ({ serviceurl: _, ...p }) => p],
);

/**
 * Another serviceurl: invalid for this activity. Not re-signed: with the activity's serviceUrl
 * mutated to match, a re-signed one would be a genuine token for that other serviceUrl.
 */
const otherServiceUrls = fc.constantFrom<ClaimChange>(
  ['serviceurl of another connector', (p) => ({ ...p, serviceurl: 'https://evil.example.com/' })],
  ['serviceurl without the trailing slash', (p) => ({ ...p, serviceurl: SERVICE_URL.slice(0, -1) })],
);

/** Claim changes that leave a re-signed token valid: without re-signing they must still fail. */
const harmlessClaims = fc.constantFrom<ClaimChange>(
  ['exp one second later', (p) => ({ ...p, exp: (p.exp as number) + 1 })],
  ['an extra claim', (p) => ({ ...p, role: 'admin' })],
  ['the same claims in another order', (p) => Object.fromEntries(Object.entries(p).reverse())],
);

const claimEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc.oneof(badClaims, otherServiceUrls, harmlessClaims).map(([what, f]) => tm(`payload re-encoded with ${what}, old signature`, onSegment(1, (s) => b64url(JSON.stringify(f(json(s))))))),
  badClaims.map(([what, f]) =>
    tm(`payload with ${what}, re-signed with the connector key`, (token) => {
      const [h, p] = segments(token);
      const input = `${h}.${b64url(JSON.stringify(f(json(p))))}`;
      return `${input}.${rs256(input)}`;
    }),
  ),
  fc.constant(tm('payload re-encoded with whitespace, old signature', onSegment(1, (s) => b64url(JSON.stringify(json(s), null, 1))))),
);

const headerWith = (token: string, change: Record<string, unknown>, drop: string[] = []) => {
  const h = { ...json(segments(token)[0]), ...change };
  for (const k of drop) delete h[k];
  return b64url(JSON.stringify(h));
};

const algorithmEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom('none', 'None', 'NONE', '').map((alg) =>
    tm(`alg ${JSON.stringify(alg)}, no signature`, (token) => {
      const [, p] = segments(token);
      return `${headerWith(token, { alg })}.${p}.`;
    }),
  ),
  fc.constantFrom('none', 'HS256', 'RS384', 'RS512', 'PS256', 'ES256').map((alg) =>
    tm(`alg ${alg}, old signature`, (token) => {
      const [, p, s] = segments(token);
      return `${headerWith(token, { alg })}.${p}.${s}`;
    }),
  ),
  fc
    .constantFrom<[string, string | Buffer]>(['the public key PEM', PUBLIC_PEM], ['the JWK modulus n', CONNECTOR_KEY.jwk.n], ['the app password', APP_PASSWORD], ['an empty secret', ''])
    .map(([what, secret]) =>
      tm(`HS256 signed with ${what}`, (token) => {
        const [, p] = segments(token);
        const input = `${headerWith(token, { alg: 'HS256' })}.${p}`;
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      }),
    ),
  fc.constant(
    tm('signed with a key nobody published, under the real kid', (token) => {
      const [h, p] = segments(token);
      return `${h}.${p}.${rs256(`${h}.${p}`, ROGUE_KEY.privateKey)}`;
    }),
  ),
  fc.constant(
    tm('the rogue key embedded as a jwk header and signed with it', (token) => {
      const [, p] = segments(token);
      const input = `${headerWith(token, { jwk: { kty: 'RSA', ...ROGUE_KEY.jwk }, kid: 'rogue' })}.${p}`;
      return `${input}.${rs256(input, ROGUE_KEY.privateKey)}`;
    }),
  ),
);

const kidEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<[string, Record<string, unknown>, string[]]>(
    ['kid unknown', { kid: 'unknown-kid' }, []],
    ['kid in upper case', { kid: CONNECTOR_KEY.kid.toUpperCase() }, []],
    ['kid empty', { kid: '' }, []],
    ['kid a number', { kid: 1 }, []],
    ['kid an array', { kid: [CONNECTOR_KEY.kid] }, []],
    ['kid missing', {}, ['kid']],
    ['x5t changed', { x5t: 'other' }, []],
    ['typ changed', { typ: 'JWS' }, []],
  ).map(([what, change, drop]) =>
    m(`${what}, old signature`, (w, token) => {
      const [, p, s] = segments(token);
      return { ...w, authorization: [`Bearer ${headerWith(token, change, drop)}.${p}.${s}`] };
    }),
  ),
  fc.constant(
    tm('kid unknown, re-signed with the connector key', (token) => {
      const [, p] = segments(token);
      const input = `${headerWith(token, { kid: 'unknown-kid', x5t: 'unknown-kid' })}.${p}`;
      return `${input}.${rs256(input)}`;
    }),
  ),
);

const structureEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .constantFrom<[string, (h: string, p: string, s: string) => string]>(
      ['header.payload', (h, p) => `${h}.${p}`],
      ['header.payload.', (h, p) => `${h}.${p}.`],
      ['header', (h) => h],
      ['payload', (_h, p) => p],
      ['.payload.signature', (_h, p, s) => `.${p}.${s}`],
      ['header..signature', (h, _p, s) => `${h}..${s}`],
      ['payload.signature', (_h, p, s) => `${p}.${s}`],
      ['header.payload.signature.signature', (h, p, s) => `${h}.${p}.${s}.${s}`],
      ['header.payload.signature.', (h, p, s) => `${h}.${p}.${s}.`],
      ['header.header.payload.signature', (h, p, s) => `${h}.${h}.${p}.${s}`],
      ['..', () => '..'],
    )
    .map(([shape, f]) => tm(`segments as ${shape}`, (token) => f(...segments(token)))),
  fc.tuple(segment, fc.constantFrom('=', '==', '===')).map(([i, pad]) => tm(`${SEGMENT[i]} padded with ${pad}`, onSegment(i, (s) => s + pad))),
  segment.map((i) => tm(`${SEGMENT[i]} in standard base64 (+/ and padding)`, onSegment(i, (s) => Buffer.from(s, 'base64url').toString('base64')))),
  fc.tuple(segment, fc.integer({ min: 1, max: 63 })).map(([i, d]) =>
    tm(`last character of the ${SEGMENT[i]} shifted by ${d}`, onSegment(i, (s) => s.slice(0, -1) + B64URL[(B64URL.indexOf(s.at(-1)!) + d) % 64]!)),
  ),
);

const schemeEdits: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .constantFrom<[string, (t: string) => string[]]>(
      ['lower-case bearer', (t) => [`bearer ${t}`]],
      ['upper-case BEARER', (t) => [`BEARER ${t}`]],
      ['two spaces after Bearer', (t) => [`Bearer  ${t}`]],
      ['a tab after Bearer', (t) => [`Bearer\t${t}`]],
      ['a no-break space after Bearer', (t) => [`Bearer\u00a0${t}`]],
      ['no space after Bearer', (t) => [`Bearer${t}`]],
      ['no scheme', (t) => [t]],
      ['Token scheme', (t) => [`Token ${t}`]],
      ['JWT scheme', (t) => [`JWT ${t}`]],
      ['Basic scheme with the token', (t) => [`Basic ${t}`]],
      ['Bearer twice', (t) => [`Bearer Bearer ${t}`]],
      ['a second word after the token', (t) => [`Bearer ${t} x`]],
      ['a comma after the token', (t) => [`Bearer ${t},`]],
      ['the header twice', (t) => [`Bearer ${t}`, `Bearer ${t}`]],
      ['only "Bearer"', () => ['Bearer']],
      ['"Bearer " and nothing', () => ['Bearer ']],
      ['empty header', () => ['']],
      ['no header', () => []],
    )
    .map(([what, f]) => m(`Authorization: ${what}`, (w, token) => ({ ...w, authorization: f(token) }))),
);

const serviceUrlEdits: fc.Arbitrary<Mutation> = fc
  .constantFrom(
    'https://smba.trafficmanager.net/amer/',
    'https://SMBA.trafficmanager.net/emea/',
    'https://smba.trafficmanager.net/emea',
    'https://smba.trafficmanager.net/emea//',
    'https://smba.trafficmanager.net:443/emea/',
    'https://smba.trafficmanager.net/emea/?x=1',
    'https://smba.trafficmanager.net/emea/#',
    'https://smba.trafficmanager.net/EMEA/',
    'https://evil.example.com/',
    'https://smba.trafficmanager.net.evil.example.com/emea/',
    'http://localhost:3978/',
  )
  .map((url) => m(`activity serviceUrl ${url} (the claim says ${SERVICE_URL})`, (w) => ({ ...w, activity: { ...w.activity, serviceUrl: url } })));

const mutation = fc.oneof(characterEdits, claimEdits, algorithmEdits, kidEdits, structureEdits, schemeEdits, serviceUrlEdits);

/** The Authorization header as the route reads it (Headers trim and join repeated values). */
const authorizationOf = (w: Wire) => new Headers(w.authorization.map((a): [string, string] => ['authorization', a])).get('authorization');

/**
 * An RS256 signature is 256 bytes: 342 base64url characters, the last of which carries 2 bits of
 * the signature and 4 padding bits that decoders ignore. A token that differs only there has the
 * same header, payload and signature bytes — an equivalent encoding of the genuine token, not a
 * forgery — and is accepted by jsonwebtoken (the same holds for any JWT library that decodes
 * base64url leniently).
 */
function sameSignatureBytes(token: string, original: string): boolean {
  const [h, p, s] = token.split('.');
  const [h0, p0, s0] = segments(original);
  return h === h0 && p === p0 && s !== undefined && token.split('.').length === 3 && /^[A-Za-z0-9_-]+$/.test(s) && s.length === s0.length && Buffer.from(s, 'base64url').equals(Buffer.from(s0, 'base64url'));
}

describe('Teams JWT fuzz', () => {
  it('(control) the genuine token and activity are accepted and handled', async () => {
    const app = harness();
    const conversation = '19:fuzzcontrol00000000000000000@thread.tacv2';
    const res = await post(app, { authorization: [`Bearer ${connectorToken()}`], activity: activityIn(conversation) });
    expect(res.status).toBe(200);
    expect(traffic.connector).toHaveLength(1);
    expect(await getTeamsConversation(runtime.db, conversation)).not.toBeNull();
    expect(await listSubscriptions(runtime.db, 'teams', conversation)).toHaveLength(1);
  });

  it(`every mutated token, header or serviceUrl gets 401 and nothing is sent or stored (${RUNS} requests)`, async () => {
    const app = harness();
    const token = connectorToken();
    const genuineConversation = '19:fuzzgenuine0000000000000000@thread.tacv2';
    const genuine: Wire = { authorization: [`Bearer ${token}`], activity: activityIn(genuineConversation) };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (ms) => {
        // A conversation of its own per request, so a counterexample is the request that was
        // accepted (not any later one that finds its traces), and the dedupe never answers instead.
        const conversation = `19:fuzz${++n}@thread.tacv2`;
        const original: Wire = { ...genuine, activity: activityIn(conversation) };
        const w = ms.reduce((acc, mu) => mu.apply(acc, token), original);
        const authorization = authorizationOf(w);
        // Unchanged as the route reads it (e.g. two edits that cancel out) is not a mutation.
        fc.pre(authorization !== authorizationOf(original) || w.activity.serviceUrl !== original.activity.serviceUrl);
        fc.pre(!(w.activity.serviceUrl === original.activity.serviceUrl && authorization?.startsWith('Bearer ') && sameSignatureBytes(authorization.slice(7), token)));
        traffic.connector.length = 0;
        outbound.length = 0;
        const res = await post(app, w);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
        expect(traffic.connector).toEqual([]);
        expect(outbound).toEqual([]);
        expect(await getTeamsConversation(runtime.db, conversation)).toBeNull();
        expect(await listSubscriptions(runtime.db, 'teams', conversation)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The same app still takes the genuine request: the 401s were not a broken set-up.
    expect((await post(app, genuine)).status).toBe(200);
    expect(traffic.connector).toHaveLength(1);
    expect(await listSubscriptions(runtime.db, 'teams', genuineConversation)).toHaveLength(1);
  }, Math.max(60_000, RUNS * 50));
});
