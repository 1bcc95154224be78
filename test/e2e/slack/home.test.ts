/**
 * The App Home tab's buttons through the real Hono app and Bolt: each subscription can be paused,
 * resumed and ended (ending asks first), "Nytt abonnement" opens the modal, and every click
 * publishes the tab again (views.publish) with what happened. Stored state is read from PGlite.
 */
import type { HomeView, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { getSubscription, listSubscriptions } from '../../../src/store/repos/alerts';
import { appHomeOpenedBody, blockActionsBody, FORM, JSON_TYPE, slackRequest, slashCommandBody, USER, viewSubmissionBody } from '../../support/slack';
import { ackMessage, eventually, makeHarness, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();

type App = ReturnType<typeof makeHarness>['app'];
type Button = { type: string; action_id: string; value: string; text: { text: string }; confirm?: { title: { text: string }; confirm: { text: string } } };

const db = () => runtime.get().deps.db;

async function subscribe(app: App, text: string, channel: string, user = USER.id): Promise<number> {
  await ackMessage(await app.request('/slack/events', slackRequest(slashCommandBody({ text, channel_id: channel, user_id: user }), FORM)));
  return (await listSubscriptions(db(), 'slack', channel)).at(-1)!.id;
}

/** The Home tab published after `body` (a click or app_home_opened). */
async function published(app: App, body: string, contentType = FORM): Promise<HomeView> {
  rec.reset();
  expect((await app.request('/slack/events', slackRequest(body, contentType))).status).toBe(200);
  const call = await eventually(() => rec.webApi.find((c) => c.method === 'views.publish'));
  expect(call.args.user_id).toBe(USER.id);
  return call.args.view as HomeView;
}

function homeButtons(view: HomeView): Button[] {
  return view.blocks.filter((b) => b.type === 'actions').flatMap((b) => (b as { elements: Button[] }).elements);
}

const click = (action_id: string, value: string) => blockActionsBody({ action_id, value, home: true });

describe('App Home buttons', () => {
  it('lists each subscription with pause and end (end asks first), and a Nytt abonnement button', async () => {
    const { app } = makeHarness(() => runtime.get());
    const id = await subscribe(app, 'abonner kommune Bodø', 'C0HOME001');
    const view = await published(app, appHomeOpenedBody(), JSON_TYPE);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const mine = homeButtons(view).filter((b) => b.value === String(id));
    expect(mine.map((b) => [b.action_id, b.text.text])).toEqual([
      ['tomte:sub:pause', 'Sett på pause'],
      ['tomte:sub:end', 'Avslutt'],
    ]);
    expect(mine[1]!.confirm).toMatchObject({ title: { text: 'Avslutte abonnementet?' }, confirm: { text: 'Avslutt' } });
    expect(homeButtons(view).find((b) => b.action_id === 'tomte:form')).toMatchObject({ text: { text: 'Nytt abonnement' } });
  });

  it('pause, resume and end change the stored subscription and publish the tab again', async () => {
    const { app } = makeHarness(() => runtime.get());
    const id = await subscribe(app, 'abonner tier1', 'C0HOME002');

    let view = await published(app, click('tomte:sub:pause', String(id)));
    expect(await getSubscription(db(), id)).toMatchObject({ status: 'paused', statusReason: 'paused_by_user' });
    expect(JSON.stringify(view.blocks)).toContain(`Abonnement #${id} er satt på pause.`);
    expect(JSON.stringify(view.blocks)).toContain('På pause: satt på pause for hånd');
    expect(homeButtons(view).filter((b) => b.value === String(id)).map((b) => b.action_id)).toEqual(['tomte:sub:resume', 'tomte:sub:end']);

    view = await published(app, click('tomte:sub:resume', String(id)));
    expect(await getSubscription(db(), id)).toMatchObject({ status: 'active', statusReason: null });
    expect(JSON.stringify(view.blocks)).toContain(`Abonnement #${id} varsler igjen.`);

    view = await published(app, click('tomte:sub:end', String(id)));
    expect((await getSubscription(db(), id))!.status).toBe('cancelled');
    expect(JSON.stringify(view.blocks)).toContain(`Abonnement #${id} er avsluttet.`);
    expect(homeButtons(view).some((b) => b.value === String(id))).toBe(false);
  });

  it('a tampered value (someone else’s subscription, a missing one, not a number) changes nothing and says why', async () => {
    const { app } = makeHarness(() => runtime.get());
    const others = await subscribe(app, 'abonner digest', 'C0HOME003', 'U0SOMEONE');
    for (const [value, said] of [
      [String(others), `Abonnement #${others} ble laget av noen andre`],
      ['999999', 'Fant ikke det abonnementet'],
      ['1; drop table', 'Fant ikke det abonnementet'],
    ] as const) {
      const view = await published(app, click('tomte:sub:end', value));
      expect(JSON.stringify(view.blocks)).toContain(said);
    }
    expect((await getSubscription(db(), others))!.status).toBe('active');
  });

  it('Nytt abonnement on the tab opens the modal; after the submission the tab is published with the new subscription', async () => {
    const { app } = makeHarness(() => runtime.get());
    rec.reset();
    await app.request('/slack/events', slackRequest(click('tomte:form', 'abonner'), FORM));
    const open = await eventually(() => rec.webApi.find((c) => c.method === 'views.open'));
    const modal = open.args.view as ModalView;
    expect(JSON.parse(modal.private_metadata!)).toEqual({ home: true });
    const view = await published(
      app,
      viewSubmissionBody(modal as unknown as Record<string, unknown>, { kind: { option: { value: 'kommune', text: 'x' } }, place: { option: { value: 'k:3401', text: 'Kongsvinger' } }, channel: { conversation: 'C0HOME004' } }),
    );
    const id = (await listSubscriptions(db(), 'slack', 'C0HOME004'))[0]!.id;
    expect(homeButtons(view).some((b) => b.value === String(id))).toBe(true);
  });
});
