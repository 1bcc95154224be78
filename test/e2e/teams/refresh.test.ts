/**
 * Up-to-date cards (Universal Actions' `refresh`) through the real Hono app and botbuilder: the
 * kommune card and paged lists carry a refresh Action.Execute for the page on show, and the bot
 * answers the refresh invoke (trigger "automatic") with the card as it is now, in place.
 */
import { describe, expect, it } from 'vitest';
import { CARD_CONTENT_TYPE } from '../../../adapters/teams/cards';
import { adaptiveCardProblems } from '../../support/platforms';
import { executeActivity, messageActivity, teamsRequest, teamsTestApp, USER, useTeamsRuntime } from '../../support/teams';

const { traffic, db, rm } = useTeamsRuntime();
const harness = () => teamsTestApp({ getRuntime: () => ({ readModel: rm(), db: db() }) });

type Card = { body: { text?: string }[]; refresh?: { action: { type: string; verb: string; data: Record<string, unknown> }; userIds?: string[] } };

function posted(i = 0): Card {
  return (traffic.connector[i]!.body.attachments as { content: Card }[])[0]!.content;
}

describe('card refresh', () => {
  it('the kommune card carries a refresh for the asker; the refresh invoke returns the current card in place', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('kommune Bodø')));
    const card = posted();
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'tomte.refresh', title: 'Oppdater', data: { tomte: 'more', command: 'kommune Bodø', page: 1 } }, userIds: [USER.id] });
    expect(adaptiveCardProblems(card)).toEqual([]);

    const res = await app.request('/api/messages', teamsRequest(executeActivity(card.refresh!.action.data, {}, { verb: 'tomte.refresh', trigger: 'automatic' })));
    const body = (await res.json()) as { statusCode: number; type: string; value: Card };
    expect(body).toMatchObject({ statusCode: 200, type: CARD_CONTENT_TYPE });
    expect(body.value.body[0]!.text).toBe('1804 Bodø');
    expect(body.value.refresh?.action.data).toEqual(card.refresh!.action.data);
    // Nothing new is posted: the card is updated where it is.
    expect(traffic.connector).toHaveLength(1);
  });

  it('a paged list refreshes the page on show, not page 1', async () => {
    const app = harness();
    const res = await app.request('/api/messages', teamsRequest(executeActivity({ tomte: 'more', command: 'topp 60', page: 2 })));
    const page2 = ((await res.json()) as { value: Card }).value;
    expect(page2.refresh?.action.data).toEqual({ tomte: 'more', command: 'topp 60', page: 2 });
    const again = await app.request('/api/messages', teamsRequest(executeActivity(page2.refresh!.action.data, {}, { verb: 'tomte.refresh', trigger: 'automatic' })));
    expect(JSON.stringify(((await again.json()) as { value: Card }).value)).toMatch(/Side 2 av 3/);
  });

  it('answers that are neither a kommune card nor paged (help, errors) carry no refresh', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('hjelp')));
    await app.request('/api/messages', teamsRequest(messageActivity('kommune Narnia')));
    expect([posted(0).refresh, posted(1).refresh]).toEqual([undefined, undefined]);
  });
});
