/**
 * The access rules and the audit trail through the platform-neutral handler (the adapters' part,
 * who the sender is, is tested in test/e2e/roles.test.ts): removing a lot source, mutes, the CLI's
 * operator, a surface that passes no actor, and the model choice at start.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/chat/commands';
import type { Actor } from '../../../src/domain/access';
import { latestAudit, recordModelChoice } from '../../../src/services/audit';
import { lotSourceList } from '../../../src/services/lots/queries';
import type { ChatPlace } from '../../../src/services/subscriptions';
import { useScoredRuntime } from '../../support/scored-runtime';

const runtime = useScoredRuntime();
const place = (user: string, target = 'C0ACCESS1'): ChatPlace => ({ platform: 'slack', target, targetName: 'tilgang', user });
const actor = (userId: string, admin: boolean): Actor => ({ platform: 'slack', userId, workspace: 'T0TOMTE01', isAdmin: async () => admin });
const say = async (text: string, who: Actor, where: ChatPlace | null = place(who.userId)) => {
  const reply = await handleCommand({ rm: runtime.rm, lang: 'nb', actor: who, ...(where ? { place: where } : {}) }, text);
  return `${reply.title} ${JSON.stringify(reply.sections)}`;
};

const ADMIN = actor('U0ADMIN01', true);
const KARI = actor('U0KARI001', false);
const OLA = actor('U0OLA0001', false);

describe('access rules in the chat handler', () => {
  beforeAll(async () => {
    expect(await say('tomtekilde legg til geojson https://tomter.alta.example.no/liste.geojson kommune Alta', ADMIN)).toMatch(/er lagt til/);
  });

  it('only an administrator removes a lot source; the removal is audited and the source is gone', async () => {
    expect(await say('tomtekilde fjern geojson-5601-tomter-alta-example-no', KARI)).toContain('Bare administratorer kan fjerne tomtekilder');
    expect(await say('tomtekilde fjern geojson-5601-tomter-alta-example-no', ADMIN)).toContain('Tomtekilden geojson-5601-tomter-alta-example-no er fjernet');
    expect(await say('tomtekilde fjern geojson-5601-tomter-alta-example-no', ADMIN)).toContain('Fant ingen tomtekilde');
    expect((await lotSourceList(runtime.rm.deps)).map((s) => s.id)).not.toContain('geojson-5601-tomter-alta-example-no');
    expect((await latestAudit(runtime.rm.deps, 50)).find((e) => e.action === 'lot-source.remove')).toMatchObject({ actor: 'U0ADMIN01', subject: 'geojson-5601-tomter-alta-example-no', detail: { kind: 'geojson', withdrawn: 0 } });
  });

  it('mutes: the creator of every subscription in a channel may mute; someone else may not; both are audited when done', async () => {
    const where = place(KARI.userId, 'C0MUTE001');
    expect(await say('abonner tier1', KARI, where)).toMatch(/Abonnement #\d+ er opprettet/);
    expect(await say('demp Bodø 7 dager', OLA, { ...where, user: OLA.userId })).toContain('Demping gjelder alle abonnementene her');
    expect(await say('demp Bodø 7 dager', KARI, where)).toMatch(/1804 Bodø er dempet her til/);
    expect(await say('opphev demping Bodø', KARI, where)).toMatch(/Varsler om 1804 Bodø igjen/);
    const trail = await latestAudit(runtime.rm.deps, 50);
    expect(trail.find((e) => e.action === 'mute.set')).toMatchObject({ actor: KARI.userId, place: 'C0MUTE001', subject: '1804', detail: { days: 7 } });
    expect(trail.find((e) => e.action === 'mute.clear')).toMatchObject({ actor: KARI.userId, place: 'C0MUTE001', subject: '1804' });
  });

  it('"avslutt alle" ends the sender\'s own and says which were left', async () => {
    const where = place(KARI.userId, 'C0SHARED1');
    await say('abonner kommune Bodø', KARI, where);
    await say('abonner kommune Narvik', OLA, { ...where, user: OLA.userId });
    const reply = await say('avslutt alle', KARI, where);
    expect(reply).toMatch(/Avsluttet 1 abonnement/);
    expect(reply).toMatch(/#\d+ er laget av andre og fortsetter/);
  });

  it('a surface that passes no actor gets an ordinary member: no admin command, no lot source', async () => {
    const reply = await handleCommand({ rm: runtime.rm, lang: 'nb', place: place('U0ANON001') }, 'logg');
    expect(reply.title).toBe('Bare administratorer kan se endringsloggen');
    const noPlace = await handleCommand({ rm: runtime.rm, lang: 'nb' }, 'tomtekilde legg til geojson https://x.example.no/a.geojson');
    expect(noPlace.kind).toBe('error');
  });

  it("the CLI's operator is an administrator: logg lists the changes with who and where", async () => {
    const operator: Actor = { platform: 'cli', userId: 'ops', workspace: null, isAdmin: async () => true };
    const reply = await handleCommand({ rm: runtime.rm, lang: 'nb', actor: operator }, 'logg');
    expect(reply.title).toMatch(/^Endringslogg \(siste \d+\)$/);
    const text = JSON.stringify(reply.sections);
    expect(text).toContain('slack:U0KARI001@T0TOMTE01');
    expect(text).toContain('lot-source.remove');
  });

  it('the model choice is recorded once per change of TOMTE_MODEL', async () => {
    expect(await recordModelChoice(runtime.rm.deps)).toBe(true);
    expect(await recordModelChoice(runtime.rm.deps)).toBe(false);
    expect((await latestAudit(runtime.rm.deps, 100)).filter((e) => e.action === 'model.choose')).toEqual([
      expect.objectContaining({ platform: 'system', actor: 'tomte', subject: 'seed-2026', detail: { version: runtime.rm.deps.model.version, previous: null } }),
    ]);
  });
});
