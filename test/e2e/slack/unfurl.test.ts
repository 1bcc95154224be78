/**
 * Link unfurling: a `link_shared` event for a link to tomte's kommune page (`/kommuner/{nr}` on
 * TOMTE_PUBLIC_URL's host) is answered with chat.unfurl carrying the kommune card's blocks; other
 * links (another host, another path, an unknown number) get no call at all.
 */
import { describe, expect, it } from 'vitest';
import { JSON_TYPE, TEAM, TEST_BOT_TOKEN, API_APP_ID, CHANNEL, USER, nowSeconds, slackRequest } from '../../support/slack';
import { eventually, headerText, makeHarness, settle, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();
const PUBLIC_URL = 'https://tomte.example.no';

function linkSharedBody(urls: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: TEAM.id,
    api_app_id: API_APP_ID,
    event: {
      type: 'link_shared',
      channel: CHANNEL.id,
      is_bot_user_member: true,
      user: USER.id,
      message_ts: '1700000001.000200',
      unfurl_id: 'C0TOMTE01.1700000001.000200.abc',
      source: 'conversations_history',
      links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
      event_ts: `${nowSeconds()}.000300`,
      ...extra,
    },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: nowSeconds(),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: 'U0TOMTEBOT', is_bot: true, is_enterprise_install: false }],
  });
}

const harness = () => makeHarness(() => runtime.get(), undefined, undefined, { publicUrl: PUBLIC_URL });

describe('link_shared', () => {
  it('a link to /kommuner/1804 unfurls into the kommune card of Bodø through chat.unfurl', async () => {
    const { app } = harness();
    const url = `${PUBLIC_URL}/kommuner/1804`;
    const res = await app.request('/slack/events', slackRequest(linkSharedBody([url, 'https://example.com/kommuner/0301']), JSON_TYPE));
    expect(res.status).toBe(200);
    const call = await eventually(() => rec.webApi.find((c) => c.method === 'chat.unfurl'));
    expect(call.authorization).toBe(`Bearer ${TEST_BOT_TOKEN}`);
    expect(call.args.unfurl_id).toBe('C0TOMTE01.1700000001.000200.abc');
    expect(call.args.source).toBe('conversations_history');
    const unfurls = call.args.unfurls as Record<string, { blocks: Record<string, unknown>[] }>;
    expect(Object.keys(unfurls)).toEqual([url]);
    expect(headerText(unfurls[url]!.blocks)).toBe('1804 Bodø');
    // The card is the channel's: no "Del i kanalen" button.
    expect(JSON.stringify(unfurls[url]!.blocks)).not.toContain('tomte:share');
    expect(rec.webApi).toHaveLength(1);
  });

  it('without unfurl_id the message is named by channel and ts', async () => {
    const { app } = harness();
    const url = `${PUBLIC_URL}/kommuner/0301/`;
    await app.request('/slack/events', slackRequest(linkSharedBody([url], { unfurl_id: undefined, source: undefined }), JSON_TYPE));
    const call = await eventually(() => rec.webApi.find((c) => c.method === 'chat.unfurl'));
    expect(call.args).toMatchObject({ channel: CHANNEL.id, ts: '1700000001.000200' });
    expect(headerText((call.args.unfurls as Record<string, { blocks: Record<string, unknown>[] }>)[url]!.blocks)).toBe('0301 Oslo');
  });

  it('foreign links, other paths and unknown numbers are ignored silently', async () => {
    const { app } = harness();
    const res = await app.request(
      '/slack/events',
      slackRequest(linkSharedBody(['https://example.com/kommuner/1804', `${PUBLIC_URL}/kommuner/9999`, `${PUBLIC_URL}/tomter`, `${PUBLIC_URL}/kommuner/1804/historikk`]), JSON_TYPE),
    );
    expect(res.status).toBe(200);
    await settle(300);
    expect(rec.webApi).toEqual([]);
  });

  it('without TOMTE_PUBLIC_URL nothing is unfurled', async () => {
    const { app } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(linkSharedBody([`${PUBLIC_URL}/kommuner/1804`]), JSON_TYPE));
    await settle(300);
    expect(rec.webApi).toEqual([]);
  });
});
