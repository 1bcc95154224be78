/**
 * Fuzzing Slack's request signature (issue 9): a slash command, a button click and an Events API
 * callback, each signed the way Slack signs (`v0:<timestamp>:<raw body>`, HMAC-SHA256 with the
 * signing secret) and accepted, then mutated at random — bytes of the body flipped, inserted or
 * deleted, Unicode and percent-encoding rewritten to decode to the same text, the timestamp moved,
 * malformed or re-signed outside the 5-minute window, the signature edited, re-versioned,
 * duplicated or made with another secret or for another body, headers dropped, the content-type
 * swapped. Every request whose body, timestamp or signature differs from the genuine one gets 401,
 * and nothing reaches Bolt, Slack (msw sees no call) or the database. Bounded here;
 * `TOMTE_FUZZ_RUNS` scales it (test/support/fuzz.ts: 2,000 requests by default, 100000 → 100,000).
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_S } from '../../adapters/slack/receiver';
import { listSubscriptions } from '../../src/store/repos/alerts';
import { blockActionsBody, FORM, JSON_TYPE, appHomeOpenedBody, slashCommandBody, signSlackRequest, TEST_SIGNING_SECRET, USER } from '../support/slack';
import { eventually, makeHarness, settle, useReadModel, useSlackMocks, type Harness } from '../e2e/slack/harness';
import { fuzzRuns } from '../support/fuzz';

const RUNS = fuzzRuns(2000);

const rec = useSlackMocks();
const runtime = useReadModel();

/** The receiver's clock is fixed, so every run (and its shrinking) sees the same window. */
const NOW_S = 1_767_225_600;
const harness = (): Harness => makeHarness(() => runtime.get(), { receiver: { now: () => NOW_S * 1000 } });

type Kind = 'command' | 'action' | 'event';

interface Genuine {
  kind: Kind;
  body: string;
  contentType: string;
  timestamp: string;
  signature: string;
}

/** What goes on the wire: raw body bytes and header pairs (a name may repeat). */
interface Wire {
  body: Uint8Array<ArrayBuffer>;
  headers: [string, string][];
}

/** Deterministic bodies (fixed ids) per channel: the control runs in another channel than the fuzzer. */
function genuine(kind: Kind, channel: string, timestamp = NOW_S): Genuine {
  const body =
    kind === 'command'
      ? // Handled, this stores a subscription for the channel and posts to the response_url.
        slashCommandBody({ text: 'abonner tier1 fylke Nordland', channel_id: channel, response_url: `https://hooks.slack.com/commands/T0TOMTE01/1/${channel}`, trigger_id: `1.2.${channel}` })
      : kind === 'action'
        ? blockActionsBody({ action_id: 'tomte:cmd:0', value: 'hvorfor 1804', label: 'Hvorfor står Bodø på topp?', response_url: `https://hooks.slack.com/actions/T0TOMTE01/1/${channel}` })
        : appHomeOpenedBody({ event_id: `Ev0${channel}`, user_id: USER.id });
  const contentType = kind === 'event' ? JSON_TYPE : FORM;
  const sig = signSlackRequest(body, TEST_SIGNING_SECRET, timestamp);
  return { kind, body, contentType, timestamp: sig['x-slack-request-timestamp'], signature: sig['x-slack-signature'] };
}

function wireOf(g: Genuine): Wire {
  return {
    body: new TextEncoder().encode(g.body),
    headers: [
      ['content-type', g.contentType],
      ['x-slack-request-timestamp', g.timestamp],
      ['x-slack-signature', g.signature],
    ],
  };
}

const KINDS: Kind[] = ['command', 'action', 'event'];
/** Genuine requests for another channel: their bodies and signatures are swapped into the fuzzed ones. */
const OTHERS = new Map(KINDS.map((k) => [k, genuine(k, 'C0OTHER01')]));

const send = (h: Harness, w: Wire) => h.app.request('/slack/events', { method: 'POST', body: w.body, headers: w.headers });

// ---------------------------------------------------------------------------------------------
// Mutations: each is a label (for the counterexample) and a change of the wire request.

interface Mutation {
  label: string;
  apply(w: Wire, g: Genuine): Wire;
  [fc.toStringMethod](): string;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);
const setHeader = (w: Wire, name: string, value: string | null): Wire => ({
  ...w,
  headers: [...w.headers.filter(([k]) => k !== name), ...(value === null ? [] : ([[name, value]] as [string, string][]))],
});
const withBody = (w: Wire, body: string | Uint8Array<ArrayBuffer>): Wire => ({ ...w, body: typeof body === 'string' ? bytes(body) : body });
const hmac = (secret: string, ts: string, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

/** Printable Latin-1 (what a header value may hold), with the characters that matter in signatures. */
const headerChar = fc.oneof(fc.constantFrom('=', ',', ' ', '0', 'f', 'F', 'v', '-', '+', '.', ':', '\t'), fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)));
const headerString = (maxLength: number) => fc.string({ unit: headerChar, minLength: 1, maxLength });
const ratio = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const at = (r: number, length: number) => Math.floor(r * length);

/** Printed by its label in a counterexample. */
const m = (label: string, apply: Mutation['apply']): Mutation => ({ label, apply, [fc.toStringMethod]: () => label });

/** Percent-encoding and Unicode rewrites that decode to the same text (form bodies and payload JSON). */
function sameTextRewrites(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    ratio.map((r) =>
      m(`lower-case the hex of a %XX escape (#${r.toFixed(3)})`, (w) => {
        const s = text(w.body);
        const escapes = [...s.matchAll(/%[0-9A-F]{2}/g)].filter((x) => /[A-F]/.test(x[0]));
        const e = escapes[at(r, escapes.length)];
        return e ? withBody(w, s.slice(0, e.index) + e[0].toLowerCase() + s.slice(e.index + 3)) : w;
      }),
    ),
    ratio.map((r) =>
      m(`percent-encode an unreserved character (#${r.toFixed(3)})`, (w) => {
        const s = text(w.body);
        const spots = [...s.matchAll(/[A-Za-z0-9]/g)];
        const c = spots[at(r, spots.length)];
        return c ? withBody(w, s.slice(0, c.index) + `%${c[0].charCodeAt(0).toString(16).toUpperCase()}` + s.slice(c.index + 1)) : w;
      }),
    ),
    fc.constant(m('%20 → +', (w) => withBody(w, text(w.body).replaceAll('%20', '+')))),
    fc.constant(m('re-encode the form with URLSearchParams', (w) => withBody(w, new URLSearchParams(text(w.body)).toString()))),
    fc.constant(
      m('NFD-normalise the decoded form values and re-encode', (w) => {
        const params = new URLSearchParams(text(w.body));
        const out = new URLSearchParams();
        for (const [k, v] of params) out.append(k, v.normalize('NFD'));
        return withBody(w, out.toString());
      }),
    ),
    fc.constant(
      m('JSON re-serialised with whitespace (inside payload= or as the body)', (w, g) => {
        const s = text(w.body);
        const spaced = (j: string) => JSON.stringify(JSON.parse(j), null, 1);
        try {
          if (g.contentType === JSON_TYPE) return withBody(w, spaced(s));
          const params = new URLSearchParams(s);
          const payload = params.get('payload');
          if (payload === null) return w;
          params.set('payload', spaced(payload));
          return withBody(w, params.toString());
        } catch {
          // An earlier mutation left no JSON to re-serialise.
          return w;
        }
      }),
    ),
    fc.constant(m('escape "a" as \\u0061 in JSON', (w) => withBody(w, text(w.body).replace(/"(\w*?)a/, '"$1\\u0061')))),
    fc.constant(m('trailing newline', (w) => withBody(w, `${text(w.body)}\n`))),
    fc.constant(m('trailing &', (w) => withBody(w, `${text(w.body)}&`))),
    fc.constant(m('UTF-8 byte-order mark in front', (w) => withBody(w, `\uFEFF${text(w.body)}`))),
  );
}

const bodyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(ratio, fc.integer({ min: 0, max: 7 })).map(([r, bit]) =>
    m(`flip bit ${bit} of byte #${r.toFixed(3)}`, (w) => {
      const b = Uint8Array.from(w.body);
      if (b.length > 0) b[at(r, b.length)]! ^= 1 << bit;
      return withBody(w, b);
    }),
  ),
  fc.tuple(ratio, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([r, ins]) =>
    m(`insert bytes [${[...ins].join(',')}] at #${r.toFixed(3)}`, (w) => {
      const i = at(r, w.body.length + 1);
      return withBody(w, Uint8Array.from([...w.body.slice(0, i), ...ins, ...w.body.slice(i)]));
    }),
  ),
  fc.tuple(ratio, fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.constantFrom('&text=topp', '&ssl=1', '%00', '\u0000', 'ø', '\u202e'))).map(([r, s]) =>
    m(`insert text ${JSON.stringify(s)} at #${r.toFixed(3)}`, (w) => {
      const t = text(w.body);
      const i = at(r, t.length + 1);
      return withBody(w, t.slice(0, i) + s + t.slice(i));
    }),
  ),
  fc.tuple(ratio, fc.integer({ min: 1, max: 12 })).map(([r, n]) =>
    m(`delete ${n} bytes at #${r.toFixed(3)}`, (w) => {
      const i = at(r, w.body.length);
      return withBody(w, Uint8Array.from([...w.body.slice(0, i), ...w.body.slice(i + n)]));
    }),
  ),
  fc.tuple(ratio, fc.integer({ min: 1, max: 3 })).map(([r, n]) =>
    m(`truncate the body to ${r.toFixed(3)} of its length`, (w) => withBody(w, w.body.slice(0, Math.max(0, at(r, w.body.length) - n)))),
  ),
  fc.constant(m('empty body', (w) => withBody(w, ''))),
  fc.constantFrom<Kind>('command', 'action', 'event').map((other) => m(`the body of another genuine ${other} under the old signature`, (w) => withBody(w, OTHERS.get(other)!.body))),
  sameTextRewrites(),
);

const TS = 'x-slack-request-timestamp';
const SIG = 'x-slack-signature';

const timestampMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(-1, 1).map((d) => m(`timestamp ${d > 0 ? '+' : ''}${d} s, old signature`, (w, g) => setHeader(w, TS, String(Number(g.timestamp) + d)))),
  fc.integer({ min: -MAX_CLOCK_SKEW_S, max: MAX_CLOCK_SKEW_S }).filter((d) => d !== 0).map((d) => m(`timestamp ${d} s (inside the window), old signature`, (w, g) => setHeader(w, TS, String(Number(g.timestamp) + d)))),
  // Genuinely signed, but outside the window: a replay of an old request, or one from the future.
  fc.oneof(fc.integer({ min: MAX_CLOCK_SKEW_S + 1, max: 10_000_000 }), fc.integer({ min: -NOW_S, max: -MAX_CLOCK_SKEW_S - 1 })).map((d) =>
    m(`re-signed with the real secret at ${d > 0 ? '+' : ''}${d} s (outside the window)`, (w, g) => {
      const ts = String(Number(g.timestamp) + d);
      return setHeader(setHeader(w, TS, ts), SIG, hmac(TEST_SIGNING_SECRET, ts, text(w.body)));
    }),
  ),
  fc
    .constantFrom(
      (t: string) => `0${t}`,
      (t: string) => `+${t}`,
      (t: string) => `-${t}`,
      (t: string) => `${t}.0`,
      (t: string) => `${t}000`,
      (t: string) => `${t.slice(0, 5)} ${t.slice(5)}`,
      (t: string) => `${t}, ${t}`,
      (t: string) => `0x${Number(t).toString(16)}`,
      (t: string) => `${Number(t) / 1e9}e9`,
      () => '',
      () => '0',
      () => '-1',
      () => 'NaN',
      () => 'Infinity',
      () => 'now',
      () => '9'.repeat(12),
      () => '9'.repeat(40),
    )
    .map((f) => m(`timestamp ${JSON.stringify(f('1767225600'))}-shaped, old signature`, (w, g) => setHeader(w, TS, f(g.timestamp)))),
  fc.tuple(headerString(16), fc.boolean()).map(([s, resign]) =>
    m(`timestamp ${JSON.stringify(s)}${resign ? ', re-signed with the real secret' : ''}`, (w) => {
      const v = setHeader(w, TS, s);
      return resign ? setHeader(v, SIG, hmac(TEST_SIGNING_SECRET, s, text(w.body))) : v;
    }),
  ),
  fc.constant(m('no timestamp header', (w) => setHeader(w, TS, null))),
  fc.constant(m('timestamp header twice', (w, g) => ({ ...w, headers: [...w.headers, [TS, g.timestamp]] }))),
);

const HEX = '0123456789abcdef';

const signatureMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(ratio, fc.integer({ min: 1, max: 15 })).map(([r, d]) =>
    m(`hex digit #${r.toFixed(3)} shifted by ${d}`, (w, g) => {
      const hex = g.signature.slice(3);
      const i = at(r, hex.length);
      return setHeader(w, SIG, `v0=${hex.slice(0, i)}${HEX[(HEX.indexOf(hex[i]!) + d) % 16]}${hex.slice(i + 1)}`);
    }),
  ),
  fc.constant(m('signature in upper case', (w, g) => setHeader(w, SIG, `v0=${g.signature.slice(3).toUpperCase()}`))),
  fc.constant(m('version in upper case (V0=)', (w, g) => setHeader(w, SIG, `V0=${g.signature.slice(3)}`))),
  ratio.map((r) =>
    m(`one letter of the signature in upper case (#${r.toFixed(3)})`, (w, g) => {
      const spots = [...g.signature.matchAll(/[a-f]/g)].filter((x) => x.index >= 3);
      const s = spots[at(r, spots.length)];
      return s ? setHeader(w, SIG, g.signature.slice(0, s.index) + s[0].toUpperCase() + g.signature.slice(s.index + 1)) : w;
    }),
  ),
  fc.integer({ min: 0, max: 66 }).map((n) => m(`signature truncated to ${n} characters`, (w, g) => setHeader(w, SIG, g.signature.slice(0, n)))),
  headerString(12).map((s) => m(`signature extended by ${JSON.stringify(s)}`, (w, g) => setHeader(w, SIG, g.signature + s))),
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 1, maxLength: 8 }).map((s) => m(`signature extended by hex ${s}`, (w, g) => setHeader(w, SIG, g.signature + s))),
  headerString(6).map((s) => m(`signature extended by "=${s}"`, (w, g) => setHeader(w, SIG, `${g.signature}=${s}`))),
  fc.constantFrom('v1=', 'v00=', 'v=', '=', 'v0:', 'v0 =', 'v0==', 'sha256=', '').map((p) => m(`version prefix ${JSON.stringify(p)} instead of "v0="`, (w, g) => setHeader(w, SIG, p + g.signature.slice(3)))),
  fc.constantFrom('v0=v0=', 'v1=,v0=', 'v0=0').map((p) => m(`extra prefix ${JSON.stringify(p)}`, (w, g) => setHeader(w, SIG, p + g.signature.slice(3)))),
  fc.constant(m('signature header twice', (w, g) => ({ ...w, headers: [...w.headers, [SIG, g.signature]] }))),
  fc.constant(m('signature header twice, second one garbage', (w) => ({ ...w, headers: [...w.headers, [SIG, 'v0=00']] }))),
  fc.constant(m('empty signature', (w) => setHeader(w, SIG, ''))),
  fc.constant(m('no signature header', (w) => setHeader(w, SIG, null))),
  fc.constant(m('no signature and no timestamp header', (w) => setHeader(setHeader(w, SIG, null), TS, null))),
  fc.constantFrom('', 'x', 'not-the-signing-secret-000000000', TEST_SIGNING_SECRET.toUpperCase(), `${TEST_SIGNING_SECRET} `, TEST_SIGNING_SECRET.slice(0, -1)).map((secret) =>
    m(`signed with another secret ${JSON.stringify(secret)}`, (w, g) => setHeader(w, SIG, hmac(secret, g.timestamp, text(w.body)))),
  ),
  fc.constantFrom<Kind>('command', 'action', 'event').map((other) => m(`the signature of another genuine ${other}`, (w) => setHeader(w, SIG, OTHERS.get(other)!.signature))),
  fc.constant(m('the hex of the HMAC over the body alone', (w) => setHeader(w, SIG, `v0=${createHmac('sha256', TEST_SIGNING_SECRET).update(text(w.body)).digest('hex')}`))),
  fc.constant(m('base64 instead of hex', (w, g) => setHeader(w, SIG, `v0=${Buffer.from(g.signature.slice(3), 'hex').toString('base64')}`))),
  headerString(70).map((s) => m(`signature ${JSON.stringify(s)}`, (w) => setHeader(w, SIG, s))),
);

/** Changes outside what Slack signs: they only count together with one of the others. */
const neutralMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(FORM, JSON_TYPE, `${FORM}; charset=utf-8`, 'text/plain', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', '').map((ct) => m(`content-type ${JSON.stringify(ct)}`, (w) => setHeader(w, 'content-type', ct))),
  fc.constant(m('no content-type', (w) => setHeader(w, 'content-type', null))),
  fc.constant(m('x-slack-retry-num: 1', (w) => setHeader(w, 'x-slack-retry-num', '1'))),
);

const mutations = fc.array(fc.oneof({ weight: 3, arbitrary: bodyMutation }, { weight: 3, arbitrary: timestampMutation }, { weight: 3, arbitrary: signatureMutation }, { weight: 1, arbitrary: neutralMutation }), { minLength: 1, maxLength: 3 });

/** What the receiver reads: the body as UTF-8 text and the two signed headers as a Request normalises them. */
function signedParts(w: Wire): [string, string | null, string | null] {
  const h = new Headers(w.headers);
  return [text(w.body), h.get(TS), h.get(SIG)];
}

/** Slack's unsigned certificate probe (a form body with ssl_check=1) is answered 200 without running anything. */
function isSslCheck(w: Wire): boolean {
  const ct = (new Headers(w.headers).get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return ct === FORM && new URLSearchParams(text(w.body)).get('ssl_check') === '1';
}

/** Counts the events that reach Bolt (a global middleware runs before any listener). */
function observed(h: Harness): { readonly reached: number; reset(): void } {
  let reached = 0;
  h.slack.app.use(async ({ next }) => {
    reached++;
    await next();
  });
  return {
    get reached() {
      return reached;
    },
    reset() {
      reached = 0;
    },
  };
}

describe('Slack signature fuzz', () => {
  it.each(KINDS)('(control) the genuine %s is accepted and handled', async (kind) => {
    const h = harness();
    const seen = observed(h);
    const g = genuine(kind, 'C0FUZZOK1');
    const res = await send(h, wireOf(g));
    expect(res.status).toBe(200);
    expect(seen.reached).toBe(1);
    if (kind === 'event') {
      await eventually(() => rec.webApi.find((c) => c.method === 'views.publish'));
    } else if (kind === 'command') {
      // A slash command's answer comes back in the ack.
      expect(JSON.stringify(await res.json())).toMatch(/Nordland/);
    } else {
      const post = await eventually(() => rec.responseUrl[0]);
      expect(post.url).toMatch(/C0FUZZOK1$/);
    }
    if (kind === 'command') expect(await listSubscriptions(runtime.get().deps.db, 'slack', 'C0FUZZOK1')).toHaveLength(1);
  });

  it(`every request that differs in body, timestamp or signature gets 401 and runs nothing (${RUNS} requests)`, async () => {
    const h = harness();
    const seen = observed(h);
    const bases = new Map(KINDS.map((k) => [k, genuine(k, 'C0FUZZ001')]));
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), mutations, async (kind, ms) => {
        const g = bases.get(kind)!;
        const original = wireOf(g);
        const w = ms.reduce((acc, mu) => mu.apply(acc, g), original);
        // A mutation that leaves the signed parts as the receiver reads them unchanged (a
        // content-type swap alone, a rewrite that found nothing to rewrite, two edits that cancel
        // out) is the genuine request, not a mutated one.
        const [body, ts, sig] = signedParts(w);
        const [body0, ts0, sig0] = signedParts(original);
        fc.pre(body !== body0 || ts !== ts0 || sig !== sig0);
        // Nor is a combination that yields another genuinely signed request (the body of another
        // genuine request together with that request's signature): only the secret makes those.
        fc.pre(!(ts !== null && sig === hmac(TEST_SIGNING_SECRET, ts, body) && Math.abs(Number(ts) - NOW_S) <= MAX_CLOCK_SKEW_S));
        sent++;
        // Per request, so a counterexample is the request that ran something, not any later one.
        seen.reset();
        rec.reset();
        const res = await send(h, w);
        if (isSslCheck(w)) {
          expect(res.status).toBe(200);
          expect(await res.text()).toBe('');
        } else {
          expect(res.status).toBe(401);
          expect(await res.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
        }
        expect(seen.reached).toBe(0);
        expect(rec.all).toEqual([]);
        expect(h.slack.receiver.pending).toBe(0);
      }),
      { numRuns: RUNS },
    );
    // Nothing started in the background either, and no command wrote to the database.
    await settle();
    expect(sent).toBeGreaterThan(RUNS * 0.9);
    expect(seen.reached).toBe(0);
    expect(rec.all).toEqual([]);
    expect(await listSubscriptions(runtime.get().deps.db, 'slack', 'C0FUZZ001')).toEqual([]);
    // The same harness still takes the genuine requests: the 401s were not a broken set-up.
    for (const g of bases.values()) expect((await send(h, wireOf(g))).status).toBe(200);
    // The command answers in its ack, the button at its response_url, the event through the Web API.
    await eventually(() => rec.responseUrl.length === 1 && rec.webApi.length === 1);
    expect(await listSubscriptions(runtime.get().deps.db, 'slack', 'C0FUZZ001')).toHaveLength(1);
  }, Math.max(60_000, RUNS * 5));
});
