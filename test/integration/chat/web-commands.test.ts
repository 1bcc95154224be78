// `web` and `kart` through the command table's handler: the sign-in link only to its asker, in
// private, when the deployment can make one; the map reply names what its picture shows.
import { describe, expect, it } from 'vitest';
import { handleCommand, routeCommand, type ChatContext } from '../../../src/chat/commands';
import type { SignInLinkMaker } from '../../../src/chat/web';
import { createSignInLink } from '../../../src/services/web-auth';
import { useScoredRuntime } from '../../support/scored-runtime';

const runtime = useScoredRuntime();
const SECRET = 'chat-web-secret-0123456789abcdefghijkl';
const made: Parameters<SignInLinkMaker>[0][] = [];
const signInLink: SignInLinkMaker = async (user) => {
  made.push(user);
  const link = await createSignInLink(SECRET, user, new Date());
  return { url: `https://tomte.example.no${link.path}`, expiresAt: link.expiresAt };
};
const asker = { user: { platform: 'slack' as const, userId: 'U0TEST01', workspace: 'T0TOMTE01', label: 'kari' }, privateAnswer: true };
const ctx = (extra: Partial<ChatContext> = {}): ChatContext => ({ rm: runtime.rm, lang: 'nb', ...extra });
const text = (r: Awaited<ReturnType<typeof handleCommand>>) => [r.title, ...r.sections.map((s) => ('text' in s ? s.text : ''))].join('\n');

describe('web', () => {
  it('answers the asker with a one-time link bound to them, never cached', async () => {
    made.length = 0;
    const r = await handleCommand(ctx({ webAsker: asker, signInLink }), 'web');
    expect(text(r)).toMatch(/https:\/\/tomte\.example\.no\/logg-inn\?t=[\w-]+\.[\w-]+/);
    expect(text(r)).toContain('10 minutter');
    expect(made).toEqual([asker.user]);
    expect(r.actions).toEqual([]);
    expect(routeCommand('web').entry.cacheable).toBe(false);
    // The platforms are asked not to preview the link (Slack: unfurl_links/unfurl_media false).
    expect(r.noLinkPreviews).toBe(true);
  });

  it('refuses in a shared conversation, in the CLI, and where the deployment cannot make links', async () => {
    expect(text(await handleCommand(ctx({ webAsker: { ...asker, privateAnswer: false }, signInLink }), 'web'))).toContain('personlig chat');
    expect(text(await handleCommand(ctx(), 'web'))).toContain('Slack eller Teams');
    expect(text(await handleCommand(ctx({ webAsker: asker }), 'web'))).toContain('TOMTE_WEB_SECRET');
  });
});

describe('kart', () => {
  it('the whole country by the default model, or one fylke by another model', async () => {
    const all = await handleCommand(ctx(), 'kart');
    expect(all.image).toEqual({ map: {}, alt: expect.stringContaining('hele landet'), filename: 'tomte-kart-norge-seed-2026.png' });
    expect(all.sections[0]).toEqual({ type: 'text', text: expect.stringMatching(/^Tier 1: \d+ · Tier 2: \d+ · Tier 3: \d+/) });
    const nordland = await handleCommand(ctx(), 'kart fylke Nordland');
    expect(nordland.image!.map).toEqual({ county: '18' });
    expect(nordland.title).toBe('Tier-kart: Nordland (seed-2026)');
    const en = await handleCommand(ctx(), 'map county Troms');
    expect(en.lang).toBe('en');
    expect(en.title).toBe('Tier map: Troms (seed-2026)');
  });

  it('an unknown fylke or model, or extra words, answer with what is wrong', async () => {
    expect((await handleCommand(ctx(), 'kart fylke Narnia')).title).toContain('Narnia');
    expect(text(await handleCommand(ctx(), 'kart modell xyz'))).toContain('xyz');
    expect(text(await handleCommand(ctx(), 'kart hei'))).toContain('Bruk: kart');
    expect((await handleCommand(ctx(), 'kart fylke Narnia')).image).toBeUndefined();
  });
});
