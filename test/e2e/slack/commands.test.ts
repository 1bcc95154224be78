/**
 * /tomte, its buttons and the App Home tab through the real Hono app and Bolt, on the real
 * snapshot scored by seed-2026 (PGlite). Replies are read where Slack would read them: a slash
 * command's HTTP ack (the card, when it is ready within the ack budget), the response_url
 * (hooks.slack.com: slow answers and buttons) and the Web API (slack.com/api), both msw.
 */
import { describe, expect, it } from 'vitest';
import type { ReadModel } from '../../../src/services/read-model';
import { blockActionsBody, FORM, JSON_TYPE, appHomeOpenedBody, slackRequest, slashCommandBody, TEST_BOT_TOKEN, USER } from '../../support/slack';
import { ackMessage, buttons, eventually, headerText, makeHarness, settle, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();

async function slash(app: ReturnType<typeof makeHarness>['app'], text: string, responseUrl = `https://hooks.slack.com/commands/T0TOMTE01/9/${encodeURIComponent(text).slice(0, 20)}`) {
  const res = await app.request('/slack/events', slackRequest(slashCommandBody({ text, response_url: responseUrl }), FORM));
  return { res, responseUrl };
}

describe('/tomte', () => {
  it('kommune Bodø: the card comes back ephemerally in the ack, with Hvorfor? and Del i kanalen; nothing is posted to response_url', async () => {
    const { app } = makeHarness(() => runtime.get());
    const { res } = await slash(app, 'kommune Bodø');
    const post = { body: await ackMessage(res) };
    expect(post.body.response_type).toBe('ephemeral');
    expect(headerText(post.body.blocks)).toBe('1804 Bodø');
    expect(post.body.text).toMatch(/^1804 Bodø: /);
    expect(post.body.blocks!.length).toBeLessThanOrEqual(50);
    expect(buttons(post.body.blocks)).toEqual([
      { action_id: expect.stringMatching(/^tomte:cmd/), value: 'hvorfor 1804', text: 'Hvorfor?' },
      { action_id: 'tomte:share', value: 'kommune 1804', text: 'Del i kanalen' },
    ]);
    await settle();
    expect(rec.webApi).toEqual([]);
    expect(rec.responseUrl).toEqual([]);
  });

  it('an unknown kommune (trondhiem) answers "mente du …?" with buttons for the suggestions', async () => {
    const { app } = makeHarness(() => runtime.get());
    const post = { body: await ackMessage((await slash(app, 'kommune trondhiem')).res) };
    expect(post.body.response_type).toBe('ephemeral');
    const suggestions = buttons(post.body.blocks);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.every((b) => /^tomte:cmd/.test(b.action_id) && /^kommune \d{4}$/.test(b.value))).toBe(true);
    expect(suggestions.map((b) => b.value)).toContain('kommune 5001');
    expect(JSON.stringify(post.body.blocks)).toMatch(/Mente du/);
    // A question is not something to share.
    expect(suggestions.some((b) => b.action_id === 'tomte:share')).toBe(false);
  });

  it('topp 10 gets a Del i kanalen button that re-runs the same command', async () => {
    const { app } = makeHarness(() => runtime.get());
    const post = { body: await ackMessage((await slash(app, 'topp 10')).res) };
    expect(headerText(post.body.blocks)).toBe('Topp 10 kommuner');
    expect(buttons(post.body.blocks).find((b) => b.action_id === 'tomte:share')).toMatchObject({ value: 'topp 10', text: 'Del i kanalen' });
  });

  it('an English alias answers in English', async () => {
    const { app } = makeHarness(() => runtime.get());
    const post = { body: await ackMessage((await slash(app, 'municipality 1804')).res) };
    expect(buttons(post.body.blocks).map((b) => b.text)).toEqual(['Why?', 'Share in channel']);
  });

  it('an empty /tomte shows the help', async () => {
    const { app } = makeHarness(() => runtime.get());
    const post = { body: await ackMessage((await slash(app, '')).res) };
    expect(post.body.response_type).toBe('ephemeral');
    expect(post.body.blocks!.length).toBeGreaterThan(1);
  });

  it('a slow store: the HTTP ack comes back in under 3 s with "Jobber med det…", the card follows at response_url', async () => {
    const rm = runtime.get();
    // Lookups read the score history from the store: make that take 4 s.
    const slow = Object.create(rm, {
      history: {
        value: async (code: string, limit?: number) => {
          await new Promise((r) => setTimeout(r, 4000));
          return rm.history(code, limit);
        },
      },
    }) as ReadModel;
    const { app } = makeHarness(() => slow);
    const started = Date.now();
    const { res } = await slash(app, 'kommune Bodø');
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: 'Jobber med det…' });
    expect(rec.responseUrl).toHaveLength(0);
    const post = await eventually(() => rec.responseUrl[0], 6000);
    expect(post.at - started).toBeGreaterThanOrEqual(4000);
    expect(headerText(post.body.blocks)).toBe('1804 Bodø');
    expect(post.body.response_type).toBe('ephemeral');
  }, 10_000);
});

describe('buttons', () => {
  it('a tomte:cmd button runs its command and answers ephemerally without replacing the original', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:cmd:0', value: 'hvorfor 1804', label: 'Hvorfor?', response_url: 'https://hooks.slack.com/actions/T0TOMTE01/1/why' }), FORM));
    expect(res.status).toBe(200);
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.url).toBe('https://hooks.slack.com/actions/T0TOMTE01/1/why');
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerText(post.body.blocks)).toBe('1804 Bodø');
    expect(JSON.stringify(post.body.blocks)).toContain('Regel for regel');
  });

  it('a suggestion button from "mente du …?" shows that kommune', async () => {
    const { app } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:cmd:1', value: 'kommune 5001' }), FORM));
    const post = await eventually(() => rec.responseUrl[0]);
    expect(headerText(post.body.blocks)).toMatch(/^5001 Trondheim/);
  });

  it('Del i kanalen posts the same card in the channel, without a share button of its own', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:share', value: 'kommune 1804', label: 'Del i kanalen', response_url: 'https://hooks.slack.com/actions/T0TOMTE01/2/share' }), FORM));
    expect(res.status).toBe(200);
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.url).toBe('https://hooks.slack.com/actions/T0TOMTE01/2/share');
    expect(post.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(headerText(post.body.blocks)).toBe('1804 Bodø');
    expect(buttons(post.body.blocks).map((b) => b.value)).toEqual(['hvorfor 1804']);
    await settle();
    expect(rec.responseUrl).toHaveLength(1);
  });

  it('"Vis flere" replaces the message in place with the next page, whose share button carries that page', async () => {
    const { app } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:more', value: JSON.stringify({ command: 'topp 60', page: 2 }) }), FORM));
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(JSON.stringify(post.body.blocks)).toMatch(/Side 2 av 3/);
    const table = post.body.blocks!.find((b) => b.type === 'table') as { rows: { text?: string }[][] };
    expect(table.rows[1]![0]!.text).toBe('26');
    const share = buttons(post.body.blocks).find((b) => b.action_id === 'tomte:share');
    expect(JSON.parse(share!.value)).toEqual({ command: 'topp 60', page: 2 });
    expect(buttons(post.body.blocks).find((b) => b.action_id === 'tomte:more')?.value).toBe(JSON.stringify({ command: 'topp 60', page: 3 }));
  });

  it('Del i kanalen on page 2 shares page 2, saying who shared it', async () => {
    const { app } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:share', value: JSON.stringify({ command: 'topp 60', page: 2 }), response_url: 'https://hooks.slack.com/actions/T0TOMTE01/3/share' }), FORM));
    const post = await eventually(() => rec.responseUrl[0]);
    expect(post.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const json = JSON.stringify(post.body.blocks);
    expect(json).toMatch(/Side 2 av 3/);
    expect(json).toContain(`Delt av <@${USER.id}>`);
    const table = post.body.blocks!.find((b) => b.type === 'table') as { rows: { text?: string }[][] };
    expect(table.rows[1]![0]!.text).toBe('26');
  });

  it('an unsubscribe button asks for confirmation with Slack’s confirm dialog', async () => {
    const { app } = makeHarness(() => runtime.get());
    await slash(app, 'avslutt alle');
    await slash(app, 'abonner tier1');
    const { res } = await slash(app, 'abonnementer');
    const body = await ackMessage(res);
    const actions = body.blocks!.find((b) => b.type === 'actions') as { elements: { value: string; style?: string; confirm?: Record<string, { text: string }> }[] };
    const end = actions.elements.find((e) => e.value.startsWith('avslutt '));
    expect(end?.style).toBe('danger');
    expect(end?.confirm).toMatchObject({ title: { text: 'Avslutte abonnementet?' }, confirm: { text: 'Avslutt' }, deny: { text: 'Avbryt' } });
    await slash(app, 'avslutt alle');
  });
});

describe('App Home', () => {
  it('app_home_opened publishes the Home tab with empty states and the language choice', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(appHomeOpenedBody(), JSON_TYPE));
    expect(res.status).toBe(200);
    const call = await eventually(() => rec.webApi[0]);
    expect(call.method).toBe('views.publish');
    expect(call.authorization).toBe(`Bearer ${TEST_BOT_TOKEN}`);
    expect(call.args.user_id).toBe(USER.id);
    const view = call.args.view as { type: string; blocks: { type: string; accessory?: { action_id: string; initial_option: { value: string } } }[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Du følger ingen kommuner ennå');
    expect(text).toContain('Ingen kanalabonnementer ennå');
    const select = view.blocks.find((b) => b.accessory?.action_id === 'tomte:lang');
    expect(select?.accessory?.initial_option.value).toBe('nb');
  });

  it('the Messages tab does not publish anything', async () => {
    const { app } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(appHomeOpenedBody({ tab: 'messages' }), JSON_TYPE));
    await settle(300);
    expect(rec.webApi).toEqual([]);
  });

  it('choosing English re-publishes the Home tab in English and later replies are in English', async () => {
    const { app, slack } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:lang', value: '', home: true, selected: { value: 'en', text: 'English' } }), FORM));
    expect(res.status).toBe(200);
    const call = await eventually(() => rec.webApi[0]);
    expect(call.method).toBe('views.publish');
    expect(JSON.stringify(call.args.view)).toContain('Your watchlist');
    expect(slack.prefs.get('T0TOMTE01', USER.id)).toBe('en');

    const post = { body: await ackMessage((await slash(app, 'kommune 1804')).res) };
    expect(buttons(post.body.blocks).map((b) => b.text)).toEqual(['Why?', 'Share in channel']);
    // Another user still gets the default.
    expect(slack.prefs.get('T0TOMTE01', 'U0SOMEONE')).toBe('nb');
  });

  it('an unknown language value is ignored', async () => {
    const { app, slack } = makeHarness(() => runtime.get());
    await app.request('/slack/events', slackRequest(blockActionsBody({ action_id: 'tomte:lang', value: '', home: true, selected: { value: 'de', text: 'Deutsch' } }), FORM));
    await settle(300);
    expect(rec.webApi).toEqual([]);
    expect(slack.prefs.get('T0TOMTE01', USER.id)).toBe('nb');
  });
});

describe('outbound calls', () => {
  it('a lookup answers in the ack only: no Web API call, no response_url post, no bot membership needed', async () => {
    const { app } = makeHarness(() => runtime.get());
    await ackMessage((await slash(app, 'kilder')).res);
    await settle();
    expect(rec.all).toEqual([]);
  });
});
