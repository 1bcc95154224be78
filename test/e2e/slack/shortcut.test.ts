/**
 * The "Slå opp kommune" message shortcut through the real Hono app and Bolt: the kommuner a message
 * names (with the registry's resolver, as chat commands) come back to the user only, through
 * response_url: the card of the first, the others listed with buttons; none → a plain message.
 */
import { describe, expect, it } from 'vitest';
import { FORM, messageShortcutBody, slackRequest } from '../../support/slack';
import { buttons, eventually, headerText, makeHarness, settle, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();
const PUBLIC_URL = 'https://tomte.example.no';
const harness = () => makeHarness(() => runtime.get(), undefined, undefined, { publicUrl: PUBLIC_URL });

describe('message shortcut "Slå opp kommune"', () => {
  it('answers privately with the card of the first kommune named and lists the others', async () => {
    const { app } = harness();
    const res = await app.request('/slack/events', slackRequest(messageShortcutBody('Møte med Bodø i morgen, så Indre Østfold og <https://tomte.example.no/kommuner/0301|Oslo-kortet>. Vi dro i 2024.'), FORM));
    expect(res.status).toBe(200);
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.body.response_type).toBe('ephemeral');
    expect(post.body.replace_original).toBe(false);
    expect(headerText(post.body.blocks)).toBe('1804 Bodø');
    const text = JSON.stringify(post.body.blocks);
    expect(text).toContain('Meldingen nevner også');
    expect(text).toContain('3118 Indre Østfold');
    expect(text).toContain('0301 Oslo');
    // 2024 is a year here, not Berlevåg's pre-2024 number.
    expect(text).not.toMatch(/Berlevåg/);
    expect(buttons(post.body.blocks)).toEqual(
      expect.arrayContaining([
        { action_id: expect.stringMatching(/^tomte:cmd/), value: 'kommune 3118', text: 'Indre Østfold' },
        { action_id: expect.stringMatching(/^tomte:cmd/), value: 'kommune 0301', text: 'Oslo' },
        { action_id: 'tomte:share', value: 'kommune 1804', text: 'Del i kanalen' },
      ]),
    );
    expect(post.body.blocks!.length).toBeLessThanOrEqual(50);
    await settle();
    expect(rec.webApi).toEqual([]);
  });

  it('a message naming one kommune by number gets its card without a list', async () => {
    const { app } = harness();
    await app.request('/slack/events', slackRequest(messageShortcutBody('Hva med 5001?'), FORM));
    const post = await eventually(() => rec.responseUrl[0]);
    expect(headerText(post.body.blocks)).toMatch(/^5001 Trondheim/);
    expect(JSON.stringify(post.body.blocks)).not.toContain('Meldingen nevner også');
  });

  it('a message without a kommune gets a clear Norwegian answer', async () => {
    const { app } = harness();
    await app.request('/slack/events', slackRequest(messageShortcutBody('hei, vi tar en fika i morgen kl 10'), FORM));
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(post.body)).toContain('Fant ingen kommune i meldingen');
  });
});
