/**
 * Who may do what, on both platforms, through the real Hono app (Bolt for Slack, botbuilder's
 * CloudAdapter for Teams) on the scored snapshot (PGlite): members look things up and subscribe;
 * only administrators add lot sources, run jobs and read the audit log; a subscription is ended by
 * its creator or an administrator; requests from another workspace or tenant are refused; every
 * change lands in the audit trail with who, where and what.
 */
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { teamsMount } from '../../adapters/teams/mount';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { latestAudit } from '../../src/services/audit';
import { lotSourceList } from '../../src/services/lots/queries';
import { listSubscriptions } from '../../src/store/repos/alerts';
import { listTeamsConversations } from '../../src/store/repos/teams-conversations';
import { server } from '../support/msw';
import { useScoredRuntime } from '../support/scored-runtime';
import { FORM, slackRequest, slashCommandBody, TEAM, USER } from '../support/slack';
import * as T from '../support/teams';
import { ackMessage, eventually, makeHarness, settle, useSlackMocks } from './slack/harness';

const rec = useSlackMocks();
const runtime = useScoredRuntime();
const deps = () => runtime.rm.deps;

const WORKSPACE_ADMIN = 'U0ADMIN01';
const OPS = 'U0OPS0001';
const OTHER = 'U0OTHER01';

/** users.info as Slack answers it: admins and owners flagged, everyone else a plain member. */
function usersInfo(calls: string[] = []) {
  server.use(
    http.post('https://slack.com/api/users.info', async ({ request }) => {
      const user = new URLSearchParams(await request.text()).get('user') ?? '';
      calls.push(user);
      return HttpResponse.json({ ok: true, user: { id: user, team_id: TEAM.id, name: user.toLowerCase(), deleted: false, is_admin: user === WORKSPACE_ADMIN, is_owner: false, is_primary_owner: false, is_bot: false } });
    }),
  );
  return calls;
}

const ackText = async (res: Response) => {
  const body = await ackMessage(res);
  return `${body.text ?? ''} ${JSON.stringify(body.blocks ?? [])}`;
};

describe('Slack', () => {
  const slash = (app: ReturnType<typeof makeHarness>['app'], text: string, user: string = USER.id, team?: string) =>
    app.request('/slack/events', slackRequest(slashCommandBody({ text, user_id: user, ...(team ? { team_id: team } : {}) }), FORM));

  it('a member cannot add a lot source and is told who can; nothing is stored', async () => {
    usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    const text = await ackText(await slash(app, 'tomtekilde legg til geojson https://kommune.example.no/tomter.geojson kommune Bodø'));
    expect(text).toContain('Bare administratorer kan legge til tomtekilder');
    expect(text).toContain('TOMTE_ADMINS');
    expect((await lotSourceList(deps())).some((s) => String(s.config.url).includes('kommune.example.no'))).toBe(false);
  });

  it('a workspace admin (users.info) can, once looked up; the change is in the audit trail', async () => {
    const calls = usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    const text = await ackText(await slash(app, 'tomtekilde legg til geojson https://tomter.bodo.example.no/liste.geojson kommune Bodø', WORKSPACE_ADMIN));
    expect(text).toMatch(/Tomtekilden geojson-1804-tomter-bodo-example-no er lagt til/);
    // A second admin command: answered from the cache, no second users.info.
    await slash(app, 'tomtekilder', WORKSPACE_ADMIN);
    expect(calls).toEqual([WORKSPACE_ADMIN]);
    const [entry] = (await latestAudit(deps(), 50)).filter((e) => e.action === 'lot-source.add');
    expect(entry).toMatchObject({ platform: 'slack', actor: WORKSPACE_ADMIN, workspace: TEAM.id, subject: 'geojson-1804-tomter-bodo-example-no', detail: { kind: 'geojson', host: 'tomter.bodo.example.no', kommune: '1804', cadence: 'daily' } });
  });

  it('TOMTE_ADMINS are administrators without asking Slack', async () => {
    const calls = usersInfo();
    const { app } = makeHarness(() => runtime.rm, { admins: new Set([OPS]) });
    const text = await ackText(await slash(app, 'logg', OPS));
    expect(text).toMatch(/Endringslogg/);
    expect(calls).toEqual([]);
  });

  it('members see which sources exist, not their addresses or errors', async () => {
    usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    const member = await ackText(await slash(app, 'tomtekilder'));
    const admin = await ackText(await slash(app, 'tomtekilder', WORKSPACE_ADMIN));
    expect(admin).toContain('https://tomter.bodo.example.no/liste.geojson');
    expect(member).not.toContain('tomter.bodo.example.no');
    expect(member).toMatch(/geojson/);
  });

  it('jobber, kjør and logg are for administrators', async () => {
    usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    expect(await ackText(await slash(app, 'jobber'))).toContain('Bare administratorer kan se jobbene');
    expect(await ackText(await slash(app, 'kjør refresh-lots'))).toContain('Bare administratorer kan starte jobber');
    expect(await ackText(await slash(app, 'logg'))).toContain('Bare administratorer kan se endringsloggen');
  });

  it("a member cannot end another user's subscription or set the channel's quiet hours; the creator and an admin can", async () => {
    usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    const created = await ackText(await slash(app, 'abonner kommune Narvik'));
    const id = /Abonnement #(\d+) er opprettet/.exec(created)?.[1];
    expect(id).toBeDefined();

    expect(await ackText(await slash(app, `avslutt ${id}`, OTHER))).toContain(`Abonnement #${id} ble laget av noen andre`);
    expect(await ackText(await slash(app, 'stille 22:00-07:00', OTHER))).toContain('Stille timer gjelder alle abonnementene her');
    expect(await ackText(await slash(app, 'demp Narvik', OTHER))).toContain('Demping gjelder alle abonnementene her');
    expect((await listSubscriptions(deps().db, 'slack', 'C0TOMTE01')).some((s) => String(s.id) === id)).toBe(true);

    // The creator may set quiet hours for a channel where every subscription is theirs…
    expect(await ackText(await slash(app, 'stille 22:00-07:00'))).toMatch(/Stille timer 22:00–07:00/);
    // …and an administrator may end anyone's.
    expect(await ackText(await slash(app, `avslutt ${id}`, WORKSPACE_ADMIN))).toMatch(/Avsluttet 1 abonnement/);

    const trail = await latestAudit(deps(), 50);
    expect(trail.find((e) => e.action === 'subscription.create' && e.subject === `#${id}`)).toMatchObject({ platform: 'slack', actor: USER.id, workspace: TEAM.id, place: 'C0TOMTE01', detail: { kind: 'kommune', filter: { kommuner: ['1806'] } } });
    expect(trail.find((e) => e.action === 'quiet.set')).toMatchObject({ actor: USER.id, place: 'C0TOMTE01', detail: { start: '22:00', end: '07:00' } });
    expect(trail.find((e) => e.action === 'subscription.end' && e.subject === `#${id}`)).toMatchObject({ actor: WORKSPACE_ADMIN, place: 'C0TOMTE01' });
  });

  it('a request from another workspace is refused with a clear message, and nothing happens', async () => {
    usersInfo();
    const { app } = makeHarness(() => runtime.rm);
    const before = (await latestAudit(deps(), 500)).length;
    const text = await ackText(await slash(app, 'abonner tier1', USER.id, 'T0FOREIGN'));
    expect(text).toContain('tomte er ikke satt opp for dette arbeidsområdet');
    expect((await latestAudit(deps(), 500)).length).toBe(before);
  });

  it('without TOMTE_SLACK_WORKSPACES the workspace is the bot token’s own, from auth.test', async () => {
    let calls = 0;
    server.use(http.post('https://slack.com/api/auth.test', () => (calls++, HttpResponse.json({ ok: true, url: 'https://boligsektor.slack.com/', team: 'Boligsektor', user: 'tomte', team_id: TEAM.id, user_id: 'U0TOMTEBOT', bot_id: 'B0TOMTE01', is_enterprise_install: false }))));
    const { app } = makeHarness(() => runtime.rm, { workspaces: [] });
    expect(await ackText(await slash(app, 'kommune 1804'))).toContain('1804 Bodø');
    expect(await ackText(await slash(app, 'kommune 1804', USER.id, 'T0FOREIGN'))).toContain('ikke satt opp for dette arbeidsområdet');
    expect(calls).toBe(1);
  });

  it('when auth.test fails, requests are refused (not served blind) and it is tried again later', async () => {
    server.use(http.post('https://slack.com/api/auth.test', () => HttpResponse.json({ ok: false, error: 'invalid_auth' })));
    const { app } = makeHarness(() => runtime.rm, { workspaces: [] });
    expect(await ackText(await slash(app, 'kommune 1804'))).toContain('kunne ikke bekrefte arbeidsområdet');
    await settle();
    expect(rec.responseUrl).toEqual([]);
  });
});

describe('Teams', () => {
  const traffic = T.newTraffic();
  const ADMIN_AAD = '0d4c6f3e-9a1b-4c2d-8e7f-1a2b3c4d5e6f';
  const OTHER_USER = { id: '29:1OtherUserXJKJMvc5GBtc2JwZq0oj8tHZmzrQgF', name: 'Ola Nordmann', aadObjectId: '7c8d9e0f-1a2b-4c3d-9e8f-0a1b2c3d4e5f' };
  const ADMIN_USER = { id: '29:1AdminUserXJKJMvc5GBtc2JwZq0oj8tHZmzrQgF', name: 'Admin', aadObjectId: ADMIN_AAD };
  beforeEach(() => {
    traffic.connector.length = 0;
    server.use(...T.teamsHandlers(traffic));
  });

  const app = () => {
    const { mount, teams } = teamsMount({
      appId: T.APP_ID,
      password: T.APP_PASSWORD,
      tenantId: T.TENANT_ID,
      logger: silentLogger,
      defaultLang: 'nb',
      access: { admins: new Set([ADMIN_AAD]), teamsTenants: [T.TENANT_ID] },
      getRuntime: () => ({ readModel: runtime.rm, db: runtime.db }),
    });
    if (!teams) throw new Error('teams not configured');
    return createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [mount] });
  };
  /** A channel message from `from`, as Teams sends it. */
  const say = async (text: string, from: typeof T.USER = T.USER, over: Record<string, unknown> = {}) => {
    const before = traffic.connector.length;
    const activity = { ...T.messageActivity(text, { conversation: T.CHANNEL_CONVERSATION }), from, ...over };
    const res = await app().request('/api/messages', T.teamsRequest(activity));
    expect(res.status).toBe(200);
    await eventually(() => traffic.connector.length > before);
    return JSON.stringify(traffic.connector.at(-1)!.body);
  };

  it('a member cannot add a lot source; an administrator (TOMTE_ADMINS) can, and it is audited', async () => {
    expect(await say('tomtekilde legg til geojson https://tomter.narvik.example.no/liste.geojson kommune Narvik')).toContain('Bare administratorer kan legge til tomtekilder');
    expect(await say('tomtekilde legg til geojson https://tomter.narvik.example.no/liste.geojson kommune Narvik', ADMIN_USER)).toContain('er lagt til');
    expect((await latestAudit(deps(), 50)).find((e) => e.action === 'lot-source.add' && e.platform === 'teams')).toMatchObject({ actor: ADMIN_AAD, workspace: T.TENANT_ID, detail: { host: 'tomter.narvik.example.no', kommune: '1806' } });
  });

  it("a member cannot end another user's subscription; the creator can", async () => {
    const created = await say('abonner kommune Alta');
    const id = /Abonnement #(\d+) er opprettet/.exec(created)?.[1];
    expect(id).toBeDefined();
    expect(await say(`avslutt ${id}`, OTHER_USER)).toContain(`Abonnement #${id} ble laget av noen andre`);
    expect(await say(`avslutt ${id}`)).toMatch(/Avsluttet 1 abonnement/);
    const trail = await latestAudit(deps(), 50);
    expect(trail.find((e) => e.action === 'subscription.create' && e.subject === `#${id}`)).toMatchObject({ platform: 'teams', actor: T.USER.aadObjectId, workspace: T.TENANT_ID, place: T.CHANNEL_CONVERSATION.id });
    expect(trail.find((e) => e.action === 'subscription.end' && e.subject === `#${id}`)).toMatchObject({ platform: 'teams', actor: T.USER.aadObjectId });
  });

  it('an activity from another tenant is refused with a clear message; nothing is stored', async () => {
    const foreign = '11111111-2222-4333-8444-555555555555';
    const conversation = { ...T.CHANNEL_CONVERSATION, id: '19:foreign@thread.tacv2', tenantId: foreign };
    const text = await say('abonner tier1', T.USER, { conversation, channelData: { tenant: { id: foreign } } });
    expect(text).toContain('tomte er ikke satt opp for denne organisasjonen');
    expect((await listTeamsConversations(runtime.db)).some((c) => c.conversationId === conversation.id)).toBe(false);
    expect(await listSubscriptions(runtime.db, 'teams', conversation.id)).toEqual([]);
  });
});
