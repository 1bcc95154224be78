/**
 * Link unfurling in Teams through the real Hono app and the Bot Framework's JWT validation: a
 * `composeExtension/queryLink` invoke for a link to tomte's kommune page (`/kommuner/{nr}` on
 * TOMTE_PUBLIC_URL's host) is answered with the kommune card as an Adaptive Card in a
 * compose-extension result; any other link gets an empty answer.
 */
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CARD_CONTENT_TYPE } from '../../../adapters/teams/cards';
import { adaptiveCardProblems } from '../../support/platforms';
import { queryLinkActivity, submitActionActivity, teamsRequest, teamsTestApp, useTeamsRuntime } from '../../support/teams';

const { traffic, db, rm } = useTeamsRuntime();
const PUBLIC_URL = 'https://tomte.example.no';

function harness(publicUrl: string | null = PUBLIC_URL): Hono {
  return teamsTestApp({ getRuntime: () => ({ readModel: rm(), db: db() }), ...(publicUrl ? { web: { publicUrl } } : {}) });
}

type Result = { composeExtension: { type: string; attachmentLayout: string; attachments: { contentType: string; content: { body: { text?: string }[]; actions?: { data?: unknown }[] }; preview?: { contentType: string; content: { title: string } } }[] } };

describe('composeExtension/queryLink', () => {
  it('a link to /kommuner/1804 unfurls into the kommune card of Bodø', async () => {
    const res = await harness().request('/api/messages', teamsRequest(queryLinkActivity(`${PUBLIC_URL}/kommuner/1804`)));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Result;
    expect(body.composeExtension.type).toBe('result');
    expect(body.composeExtension.attachmentLayout).toBe('list');
    expect(body.composeExtension.attachments).toHaveLength(1);
    const [att] = body.composeExtension.attachments;
    expect(att!.contentType).toBe(CARD_CONTENT_TYPE);
    expect(att!.content.body[0]!.text).toBe('1804 Bodø');
    expect(adaptiveCardProblems(att!.content)).toEqual([]);
    expect(JSON.stringify(att!.content)).not.toContain('"share"');
    expect(att!.preview).toMatchObject({ contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: '1804 Bodø' } });
    // The answer rides in the invoke response: nothing is posted to the conversation.
    expect(traffic.connector).toHaveLength(0);
  });

  it('a foreign link, another path or an unknown number returns nothing', async () => {
    const app = harness();
    for (const url of ['https://example.com/kommuner/1804', `${PUBLIC_URL}/tomter`, `${PUBLIC_URL}/kommuner/9999`]) {
      const res = await app.request('/api/messages', teamsRequest(queryLinkActivity(url)));
      expect(res.status, url).toBe(200);
      expect(await res.text(), url).toBe('');
    }
    expect(traffic.connector).toHaveLength(0);
  });

  it('without TOMTE_PUBLIC_URL no link unfurls', async () => {
    const res = await harness(null).request('/api/messages', teamsRequest(queryLinkActivity(`${PUBLIC_URL}/kommuner/1804`)));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('composeExtension/submitAction "Slå opp kommune"', () => {
  it('answers with the card of the first kommune the message names and lists the others', async () => {
    const res = await harness().request('/api/messages', teamsRequest(submitActionActivity('<p>Møte med Bodø, se <a href="https://tomte.example.no/kommuner/0301">kortet</a> og Indre Østfold</p>')));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Result;
    expect(body.composeExtension.type).toBe('result');
    const [att] = body.composeExtension.attachments;
    expect(att!.contentType).toBe(CARD_CONTENT_TYPE);
    expect(att!.content.body[0]!.text).toBe('1804 Bodø');
    expect(adaptiveCardProblems(att!.content)).toEqual([]);
    const json = JSON.stringify(att!.content);
    expect(json).toContain('Meldingen nevner også');
    expect(json.indexOf('0301 Oslo')).toBeLessThan(json.indexOf('3118 Indre Østfold'));
    expect(traffic.connector).toHaveLength(0);
  });

  it('the dialog field, when filled, is looked up instead of the message', async () => {
    const res = await harness().request('/api/messages', teamsRequest(submitActionActivity('<p>Bodø</p>', 'Tromsø')));
    const body = (await res.json()) as Result;
    expect(body.composeExtension.attachments[0]!.content.body[0]!.text).toMatch(/^5501 Tromsø/);
  });

  it('a message without a kommune gets a clear Norwegian message', async () => {
    const res = await harness().request('/api/messages', teamsRequest(submitActionActivity('<p>hei, lunsj kl 12?</p>')));
    expect(await res.json()).toEqual({ composeExtension: { type: 'message', text: expect.stringContaining('Fant ingen kommune i meldingen') } });
  });
});
