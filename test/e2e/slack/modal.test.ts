/**
 * The "Nytt abonnement" modal through the real Hono app and Bolt, with signed requests in Slack's
 * shapes: the button opens views.open, the kommune/fylke picker is answered from block_suggestion,
 * and view_submission stores the same subscription as the text command `/tomte abonner …`.
 */
import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { listSubscriptions, type Subscription } from '../../../src/store/repos/alerts';
import { blockActionsBody, blockSuggestionBody, CHANNEL, FORM, slackRequest, slashCommandBody, viewSubmissionBody, type ModalChoices } from '../../support/slack';
import { ackMessage, buttons, DM_CHANNEL, eventually, makeHarness, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();

type App = ReturnType<typeof makeHarness>['app'];
const post = (app: App, body: string) => app.request('/slack/events', slackRequest(body, FORM));

/** Clicks "Nytt abonnement" on the answer to `text` in `channel` and returns the modal Slack was asked to open. */
async function openModal(app: App, text: string, channel = CHANNEL.id): Promise<ModalView> {
  const answer = await ackMessage(await post(app, slashCommandBody({ text, channel_id: channel })));
  const button = buttons(answer.blocks).find((b) => b.action_id === 'tomte:form');
  expect(button, `«${text}» has a Nytt abonnement button`).toMatchObject({ text: 'Nytt abonnement' });
  rec.reset();
  const res = await post(app, blockActionsBody({ action_id: button!.action_id, value: button!.value }));
  expect(res.status).toBe(200);
  const open = await eventually(() => rec.webApi.find((c) => c.method === 'views.open'));
  expect(open.args.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
  return open.args.view as ModalView;
}

async function submit(app: App, view: ModalView, choices: ModalChoices, team?: { id: string; domain: string }) {
  const res = await post(app, viewSubmissionBody(view as unknown as Record<string, unknown>, choices, team ? { team } : {}));
  expect(res.status).toBe(200);
  return (await res.json()) as { response_action: string; errors?: Record<string, string>; view?: ModalView };
}

/** A stored subscription without what differs by place and time. */
const comparable = ({ id: _id, target: _t, targetName: _n, createdAt: _c, statusAt: _s, ...rest }: Subscription) => rest;
const rows = (target: string) => listSubscriptions(runtime.get().deps.db, 'slack', target);
const option = (value: string, text = value) => ({ option: { value, text } });

describe('the subscription modal', () => {
  it('opens from the bare `abonner` answer with kind, an external_select picker and the channel preselected', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonner');
    expect(view).toMatchObject({ type: 'modal', callback_id: 'tomte_subscribe', title: { text: 'Nytt abonnement' }, submit: { text: 'Opprett' } });
    type Element = { type: string; initial_conversation?: string; options?: { value: string }[] };
    const elements: Record<string, Element> = Object.fromEntries(view.blocks.map((b) => [b.block_id, (b as { element: Element }).element]));
    expect(elements.kind!.options!.map((o) => o.value)).toEqual(['tier1', 'kommune', 'tomter', 'digest']);
    expect(elements.place).toMatchObject({ type: 'external_select', min_query_length: 1 });
    expect(elements.channel).toMatchObject({ type: 'conversations_select', initial_conversation: CHANNEL.id });
  });

  it('opens from the empty `abonnementer` answer too', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonnementer', 'C0EMPTY01');
    expect(view.callback_id).toBe('tomte_subscribe');
  });

  it('the picker answers block_suggestion from the kommune list on normalised names, within Slack’s option limits', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonner');
    const suggest = async (q: string) => ((await (await post(app, blockSuggestionBody(view as unknown as Record<string, unknown>, 'place', q))).json()) as { options: { text: { type: string; text: string }; value: string }[] }).options;
    const bodo = await suggest('bodo');
    expect(bodo[0]).toEqual({ text: { type: 'plain_text', text: 'Bodø (1804, Nordland)' }, value: 'k:1804' });
    expect((await suggest('nordl')).map((o) => o.value)).toContain('f:18');
    expect((await suggest('1804')).map((o) => o.value)).toEqual(['k:1804']);
    const many = await suggest('a');
    expect(many).toHaveLength(100);
    expect(many.every((o) => o.text.text.length <= 75 && o.value.length <= 150)).toBe(true);
    expect(await suggest('xqzv')).toEqual([]);
  });

  it('a submission creates the same subscription as the text command (kommune Bodø, Tier 1 in Nordland)', async () => {
    const { app } = makeHarness(() => runtime.get());
    for (const [choices, text, modalChannel, textChannel] of [
      [{ kind: option('kommune'), place: option('k:1804') }, 'abonner kommune Bodø', 'C0MODAL01', 'C0TEXT001'],
      [{ kind: option('tier1'), place: option('f:18') }, 'abonner tier1 fylke Nordland', 'C0MODAL02', 'C0TEXT002'],
    ] as const) {
      const view = await openModal(app, 'abonner', modalChannel);
      const answer = await submit(app, view, { ...choices, channel: { conversation: modalChannel } });
      expect(answer.response_action).toBe('update');
      expect(JSON.stringify(answer.view)).toMatch(/Abonnement #\d+ er opprettet/);
      await ackMessage(await post(app, slashCommandBody({ text, channel_id: textChannel })));
      const [fromModal, fromText] = [await rows(modalChannel), await rows(textChannel)];
      expect(fromModal).toHaveLength(1);
      expect(fromText).toHaveLength(1);
      expect(comparable(fromModal[0]!)).toEqual(comparable(fromText[0]!));
      // And the text command in the modal's channel finds that very row.
      const again = await ackMessage(await post(app, slashCommandBody({ text, channel_id: modalChannel })));
      expect(JSON.stringify(again.blocks)).toContain(`finnes allerede (#${fromModal[0]!.id})`);
    }
  });

  it('without a channel, the subscription goes on the user’s watchlist (their DM with tomte)', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonner');
    const answer = await submit(app, view, { kind: option('kommune'), place: option('k:5001') });
    expect(answer.response_action).toBe('update');
    expect(rec.webApi.find((c) => c.method === 'conversations.open')?.args.users).toBe('U0BIZDEV1');
    expect((await rows(DM_CHANNEL)).map((s) => s.filter)).toEqual([{ kommuner: ['5001'] }]);
  });

  it('bad input comes back as field errors and stores nothing: no kommune, a tampered value, a kommune for Tier 1, an unknown model', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonner', 'C0BAD0001');
    const cases: [ModalChoices, Record<string, RegExp>][] = [
      [{ kind: option('kommune') }, { place: /Velg en kommune/ }],
      [{ kind: option('kommune'), place: option('k:9999') }, { place: /Fant ikke/ }],
      [{ kind: option('tier1'), place: option('k:1804') }, { place: /fylke/ }],
      [{ kind: option('nonsense') }, { kind: /Velg hva/ }],
      [{ kind: option('digest'), model: option('no-such-model') }, { model: /Ukjent poengmodell/ }],
    ];
    for (const [choices, expected] of cases) {
      const answer = await submit(app, view, { ...choices, channel: { conversation: 'C0BAD0001' } });
      expect(answer.response_action).toBe('errors');
      expect(Object.keys(answer.errors!)).toEqual(Object.keys(expected));
      for (const [k, re] of Object.entries(expected)) expect(answer.errors![k]).toMatch(re);
    }
    expect(await rows('C0BAD0001')).toEqual([]);
  });

  it('a submission from another workspace is refused in the modal and stores nothing', async () => {
    const { app } = makeHarness(() => runtime.get());
    const view = await openModal(app, 'abonner');
    const answer = await submit(app, view, { kind: option('kommune'), place: option('k:1804'), channel: { conversation: 'C0FOREIGN' } }, { id: 'T0OTHER01', domain: 'andre' });
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view)).toMatch(/ikke satt opp for dette arbeidsområdet/);
    expect(await rows('C0FOREIGN')).toEqual([]);
    const res = await post(app, blockSuggestionBody(view as unknown as Record<string, unknown>, 'place', 'bodo', { team: { id: 'T0OTHER01', domain: 'andre' } }));
    expect(await res.json()).toEqual({ options: [] });
  });
});
