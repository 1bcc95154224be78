/**
 * Acceptance (issue 18): every reply kind checked with the platforms' own tools. Block Kit is typed
 * with `@slack/types` (the renderer returns KnownBlock[]: the typecheck is the check) and kept
 * within Slack's limits; every Adaptive Card parses with Microsoft's `adaptivecards` package with
 * zero warnings; the App Home view and the help card too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import { backends, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';
import { MODELS } from '../../../src/domain/scoring/models';
import type { ReadModel } from '../../../src/services/read-model';
import { LIMITS, renderBlocks } from '../../../adapters/slack/blocks';
import { homeView } from '../../../adapters/slack/home';
import { resultModal, subscriptionModal } from '../../../adapters/slack/modal';
import { subscriptionFormCard } from '../../../adapters/teams/form';
import { BUDGET_BYTES, renderAdaptiveCard } from '../../../adapters/teams/cards';
import { adaptiveCardProblems } from '../../support/platforms';
import { replyCases, type ReplyCase } from '../../support/reply-kinds';

/** Slack's documented limits for what a message can hold. */
function slackProblems(blocks: KnownBlock[], text: string): string[] {
  const p: string[] = [];
  if (blocks.length > LIMITS.blocks) p.push(`${blocks.length} blocks`);
  if (blocks.filter((b) => b.type === 'table').length > 1) p.push('more than one table block');
  if (text.length === 0 || text.length > 3000) p.push(`fallback of ${text.length}`);
  if (/<(?![#@!]|https?:)/.test(text)) p.push('unescaped < in the fallback');
  for (const b of blocks) {
    if (b.type === 'header' && b.text.text.length > LIMITS.header) p.push('header too long');
    if (b.type === 'section') {
      if (b.text && b.text.text.length > LIMITS.sectionText) p.push('section text too long');
      if (b.fields && b.fields.length > LIMITS.fields) p.push('too many fields');
    }
    if (b.type === 'table') {
      if (b.rows.length > LIMITS.tableRows) p.push(`table of ${b.rows.length} rows`);
      if (b.rows.some((r) => r.length > LIMITS.tableCells)) p.push('table row too wide');
      if (new Set(b.rows.map((r) => r.length)).size !== 1) p.push('ragged table');
    }
    if (b.type === 'actions') {
      if (b.elements.length > LIMITS.actions) p.push('too many actions');
      for (const e of b.elements) if (e.type === 'button' && e.text.text.length > LIMITS.buttonText) p.push('button text too long');
    }
  }
  return p;
}

let t: TestDb;
let rm: ReadModel;
let cases: ReplyCase[];
beforeAll(async () => {
  t = await backends[0]!.open('all');
  rm = (await prepareRuntime(t.db, MODELS)).readModel;
  cases = [...(await replyCases(rm, 'nb')), ...(await replyCases(rm, 'en')).filter((c) => ['kommune Bodø', 'hjelp', 'alert tier1-enter', 'digest'].includes(c.name)).map((c) => ({ ...c, name: `${c.name} (en)` }))];
}, 120_000);
afterAll(() => t.close());

describe('every reply kind, judged by the platforms’ own tools', () => {
  it('covers the kinds the issue lists', () => {
    const names = cases.map((c) => c.name);
    for (const n of ['kommune Bodø', 'hvorfor Bodø', 'topp 357', 'topp 357 (last page)', 'tier 1', 'sammenlign Bodø, Tromsø, Oslo, Bergen, Alta', 'kilder', 'status', 'hjelp', 'kommune Bodo x', 'alert tier1-enter', 'alert tier1-exit', 'alert score-change', 'alert lot', 'alert plan', 'digest']) expect(names).toContain(n);
  });

  it('Slack: within the limits, one table block at most, an escaped fallback', () => {
    for (const c of cases) {
      const { text, blocks } = renderBlocks(c.reply, { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) });
      expect(slackProblems(blocks, text), c.name).toEqual([]);
    }
  });

  it('Teams: every card parses with the adaptivecards package with zero warnings, within the size budget', () => {
    for (const c of cases) {
      const m = renderAdaptiveCard(c.reply, { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) });
      expect(adaptiveCardProblems(m.attachment.content), c.name).toEqual([]);
      expect(new TextEncoder().encode(JSON.stringify(m)).length, c.name).toBeLessThanOrEqual(BUDGET_BYTES);
    }
  });

  it('Teams: the kommune card and paged lists carry a refresh Action.Execute for the page on show; alerts do not', () => {
    const refresh = (name: string) => {
      const c = cases.find((x) => x.name === name)!;
      return renderAdaptiveCard(c.reply, { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) }).attachment.content.refresh?.action;
    };
    expect(refresh('kommune Bodø')).toMatchObject({ type: 'Action.Execute', verb: 'tomte.refresh', data: { tomte: 'more', command: 'kommune Bodø', page: 1 } });
    expect(refresh('topp 357 (last page)')).toMatchObject({ data: { command: 'topp 357', page: 15 } });
    expect(refresh('alert tier1-enter')).toBeUndefined();
  });

  it('the App Home view is a typed HomeView within Slack’s 100 blocks', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, text: `Tier 1 i Nordland <${i}>`, place: i % 2 ? 'C123' : 'D123', paused: i === 3 ? 'kanalen er arkivert' : null }));
    const view: HomeView = homeView('nb', { watchlist: items.filter((x) => x.place.startsWith('D')), subscriptions: items.filter((x) => x.place.startsWith('C')) });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).not.toContain('<0>');
  });

  it('the subscription form: typed Slack modals within 100 blocks; Teams form cards with zero warnings, also showing problems', () => {
    for (const lang of ['nb', 'en'] as const) {
      const views: ModalView[] = [subscriptionModal(rm, lang, { channel: 'C123', origin: { home: false } }), resultModal(cases.find((c) => c.name === 'hjelp')!.reply)];
      for (const v of views) expect(v.blocks.length).toBeLessThanOrEqual(100);
      const cards = [subscriptionFormCard(rm, lang), subscriptionFormCard(rm, lang, { values: { kind: 'kommune', place: 'k:1804', model: 'seed-2026' }, errors: { place: 'x', model: 'y', kind: 'z' } })];
      for (const c of cards) expect(adaptiveCardProblems(c.attachment.content), lang).toEqual([]);
    }
  });

  it('the Slack fallback text is escaped like the blocks', () => {
    const { text } = renderBlocks({ kind: 'error', lang: 'nb', title: 'x', sections: [], actions: [], fallback: 'Fant ingen kommune som heter «<!channel> & <@U1>».' });
    expect(text).toBe('Fant ingen kommune som heter «&lt;!channel&gt; &amp; &lt;@U1&gt;».');
  });
});
