/**
 * The "Nytt abonnement" card through the real Hono app and botbuilder's CloudAdapter, with Bot
 * Framework activities as Teams sends them: the button (Action.Execute) replaces the card with the
 * form, the kommune picker (Input.ChoiceSet with Data.Query) is answered from `application/search`
 * invokes, and "Opprett" stores the same subscription as the text command `abonner …`.
 */
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CARD_CONTENT_TYPE } from '../../../adapters/teams/cards';
import { listSubscriptions, type Subscription } from '../../../src/store/repos/alerts';
import { adaptiveCardProblems } from '../../support/platforms';
import { CHANNEL_CONVERSATION, executeActivity, messageActivity, searchActivity, teamsRequest, teamsTestApp, useTeamsRuntime } from '../../support/teams';

const { traffic, db, rm } = useTeamsRuntime();

const harness = (): Hono => teamsTestApp({ getRuntime: () => ({ readModel: rm(), db: db() }) });
const conversation = (n: number) => ({ ...CHANNEL_CONVERSATION, id: `19:f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0${String(n).padStart(2, '0')}@thread.tacv2` });

type Card = { body: Record<string, unknown>[]; actions?: { type: string; title: string; data: Record<string, unknown> }[] };

async function invoke(app: Hono, activity: unknown): Promise<{ statusCode: number; type: string; value: unknown }> {
  const res = await app.request('/api/messages', teamsRequest(activity));
  expect(res.status).toBe(200);
  return (await res.json()) as { statusCode: number; type: string; value: unknown };
}

/** The card a form action answered with (it replaces the card the button was on). */
async function cardOf(app: Hono, data: Record<string, unknown>, conv = CHANNEL_CONVERSATION): Promise<Card> {
  const body = await invoke(app, executeActivity(data, { conversation: conv }));
  expect(body).toMatchObject({ statusCode: 200, type: CARD_CONTENT_TYPE });
  const card = body.value as Card;
  expect(adaptiveCardProblems(card)).toEqual([]);
  return card;
}

const comparable = ({ id: _id, target: _t, targetName: _n, createdAt: _c, statusAt: _s, ...rest }: Subscription) => rest;
const rows = (target: string) => listSubscriptions(db(), 'teams', target);
const FORM = { tomte: 'form', command: 'abonner' };
const SUBMIT = { tomte: 'subscribe', command: 'abonner' };

describe('the subscription form card', () => {
  it('`abonner` answers with a Nytt abonnement button that opens the form in place, which parses with zero warnings', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('abonner', { conversation: CHANNEL_CONVERSATION })));
    const posted = (traffic.connector[0]!.body.attachments as { content: Card }[])[0]!.content;
    expect(posted.actions?.find((a) => a.title === 'Nytt abonnement')).toMatchObject({ type: 'Action.Execute', data: FORM });
    const form = await cardOf(app, FORM);
    const inputs = Object.fromEntries(form.body.filter((e) => e.type === 'Input.ChoiceSet').map((e) => [e.id, e]));
    expect((inputs.kind!.choices as { value: string }[]).map((c) => c.value)).toEqual(['tier1', 'kommune', 'tomter', 'digest']);
    expect(inputs.place).toMatchObject({ style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: 'kommuner' } });
    expect((inputs.place!.choices as { value: string }[]).map((c) => c.value)).toContain('f:18');
    expect(form.actions).toEqual([{ type: 'Action.Execute', verb: 'tomte', title: 'Opprett', data: SUBMIT }]);
  });

  it('the kommune picker answers application/search on normalised names', async () => {
    const app = harness();
    const body = await invoke(app, searchActivity('bodo', 'kommuner'));
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse' });
    const results = (body.value as { results: { title: string; value: string }[] }).results;
    expect(results[0]).toEqual({ title: 'Bodø (1804, Nordland)', value: 'k:1804' });
    expect(((await invoke(app, searchActivity('a', 'kommuner'))).value as { results: unknown[] }).results).toHaveLength(15);
    expect(((await invoke(app, searchActivity('bodo', 'andre'))).value as { results: unknown[] }).results).toEqual([]);
  });

  it('a submission creates the same subscription as the text command (kommune Bodø, Tier 1 in Nordland, lots in Nordland)', async () => {
    const app = harness();
    let n = 0;
    for (const [inputs, text] of [
      [{ kind: 'kommune', place: 'k:1804' }, 'abonner kommune Bodø'],
      [{ kind: 'tier1', place: 'f:18' }, 'abonner tier1 fylke Nordland'],
      [{ kind: 'tomter', place: 'f:18' }, 'abonner tomter fylke Nordland'],
    ] as const) {
      const [viaForm, viaText] = [conversation(++n), conversation(++n)];
      const card = await cardOf(app, { ...SUBMIT, ...inputs }, viaForm);
      expect((card.body[0] as { text: string }).text).toMatch(/^Abonnement #\d+ er opprettet$/);
      await app.request('/api/messages', teamsRequest(messageActivity(text, { conversation: viaText })));
      const [a, b] = [await rows(viaForm.id), await rows(viaText.id)];
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(comparable(a[0]!)).toEqual(comparable(b[0]!));
    }
  });

  it('a store that fails mid-submission answers with an error card, not a crash', async () => {
    const down = new Proxy({}, { get: () => () => { throw new Error('database down'); } });
    const broken = Object.create(rm(), { deps: { value: { ...rm().deps, db: down } } }) as ReturnType<typeof rm>;
    const app = teamsTestApp({ getRuntime: () => ({ readModel: broken, db: db() }) });
    const card = await cardOf(app, { ...SUBMIT, kind: 'kommune', place: 'k:1804' }, conversation(60));
    expect((card.body[0] as { text: string }).text).toBe('Beklager, noe gikk galt hos oss. Prøv igjen om litt.');
  });

  it('bad input shows the form again with the problem and the values kept, and stores nothing', async () => {
    const app = harness();
    const conv = conversation(50);
    const noKommune = await cardOf(app, { ...SUBMIT, kind: 'kommune' }, conv);
    expect(JSON.stringify(noKommune)).toContain('Velg en kommune.');
    expect(noKommune.body.find((e) => e.id === 'kind')).toMatchObject({ value: 'kommune' });
    const tampered = await cardOf(app, { ...SUBMIT, kind: 'kommune', place: 'k:0000' }, conv);
    expect(JSON.stringify(tampered)).toContain('Fant ikke den kommunen');
    const noKind = await cardOf(app, { ...SUBMIT, kind: { evil: true } }, conv);
    expect(JSON.stringify(noKind)).toContain('Velg hva du vil ha varsel om.');
    expect(await rows(conv.id)).toEqual([]);
  });
});
