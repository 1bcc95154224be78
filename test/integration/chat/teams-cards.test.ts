import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';
import { MODELS } from '../../../src/domain/scoring/models';
import { handleCommand } from '../../../src/chat/commands';
import type { Reply } from '../../../src/chat/reply';
import type { ReadModel } from '../../../src/services/read-model';
import {
  BUDGET_BYTES,
  CARD_CONTENT_TYPE,
  LIMITS,
  ROWS_PER_PAGE,
  renderAdaptiveCard,
  type AdaptiveCard,
  type CardAction,
  type SubmitAction,
  type TeamsMessage,
} from '../../../adapters/teams/cards';
import { adaptiveCardProblems } from '../../support/platforms';

/** Teams renders bot cards up to 1.5 (chat-anchors §3.2). */
const TEAMS_MAX_VERSION = '1.5';

/** The element and action types this renderer may emit, with the schema version that introduced each. */
const INTRODUCED: Record<string, string> = {
  AdaptiveCard: '1.0',
  TextBlock: '1.0',
  FactSet: '1.0',
  ActionSet: '1.2',
  Table: '1.5',
  TableRow: '1.5',
  TableCell: '1.5',
  Image: '1.0',
  'Action.Submit': '1.0',
  'Action.Execute': '1.4',
  'Action.ShowCard': '1.0',
};

function versionLe(a: string, b: string): boolean {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am < bm || (am === bm && an <= bn);
}

type Node = Record<string, unknown>;

/** Every object in the card that has a `type`, depth first. */
function typed(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) typed(v, out);
  else if (value && typeof value === 'object') {
    const node = value as Node;
    if (typeof node.type === 'string') out.push(node);
    for (const v of Object.values(node)) typed(v, out);
  }
  return out;
}

const ofType = <T = Node>(card: AdaptiveCard, type: string) => typed(card).filter((n) => n.type === type) as T[];
const texts = (card: AdaptiveCard) => ofType<{ text: string }>(card, 'TextBlock').map((b) => b.text);
const dataOf = (a: CardAction) => (a.type === 'Action.Execute' ? a.data : null);
const sizeOf = (m: TeamsMessage) => new TextEncoder().encode(JSON.stringify(m)).length;
const moreAction = (card: AdaptiveCard) =>
  ofType<{ actions: SubmitAction[] }>(card, 'ActionSet')
    .flatMap((s) => s.actions)
    .find((a) => a.data.tomte === 'more');

/** Everything chat-anchors §3.2 and the renderer's contract say about one message. */
function checkCard(m: TeamsMessage): string[] {
  const problems: string[] = [];
  const card = m.attachment.content;
  if (m.attachment.contentType !== CARD_CONTENT_TYPE) problems.push(`content type ${m.attachment.contentType}`);
  if (card.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') problems.push(`$schema ${card.$schema}`);
  if (!versionLe(card.version, TEAMS_MAX_VERSION)) problems.push(`version ${card.version}`);
  for (const n of typed(card)) {
    const since = INTRODUCED[n.type as string];
    if (!since) problems.push(`type ${String(n.type)} not in the whitelist`);
    else if (!versionLe(since, card.version)) problems.push(`${String(n.type)} needs ${since}`);
    if (n.type === 'TextBlock' && (typeof n.text !== 'string' || (n.text.trim() === '' && n.text !== '\u00A0'))) problems.push('empty TextBlock');
    if (n.type === 'TextBlock' && n.wrap !== true) problems.push('TextBlock without wrap');
    if (n.type === 'Table') {
      if (n.firstRowAsHeaders !== true) problems.push('table without header row');
      if ((n.rows as unknown[]).length > ROWS_PER_PAGE + 1) problems.push(`table with ${(n.rows as unknown[]).length} rows`);
    }
    if (n.type === 'Action.Execute') {
      const d = n.data as { tomte?: string; command?: string };
      if (!['cmd', 'share', 'more'].includes(d.tomte ?? '') || !d.command) problems.push(`submit data ${JSON.stringify(d)}`);
      if ('style' in n) problems.push('action style (not supported in Teams)');
    }
  }
  if ((card.actions ?? []).length > LIMITS.actions) problems.push(`${(card.actions ?? []).length} actions`);
  const size = sizeOf(m);
  if (size > BUDGET_BYTES) problems.push(`${size} bytes`);
  if (m.text.trim().length === 0) problems.push('empty fallback text');
  return problems;
}

describe('Adaptive Card rendering for Teams', () => {
  let t: TestDb;
  let rm: ReadModel;
  const reply = (command: string) => handleCommand({ rm, lang: 'nb' }, command);
  beforeAll(async () => {
    t = await backends[0]!.open('all');
    // Both models, praksis-2026 the default, as a deployment runs them.
    rm = (await prepareRuntime(t.db, MODELS)).readModel;
  });
  afterAll(() => t.close());

  it.each(['kommune Bodø', 'hvorfor Oslo', 'hvorfor Oslo modell seed-2026', 'topp 357', 'sammenlign Bodø, Tromsø, Oslo, Bergen, Alta', 'modeller', 'kilder', 'hjelp', 'kommune trondhiem'])(
    '%s is a 1.5 card of whitelisted types within the size budget, with a fallback text',
    async (command) => {
      const r = await reply(command);
      const m = renderAdaptiveCard(r, { command });
      expect(checkCard(m)).toEqual([]);
      // Microsoft's own parser: not a single warning (an invalid `lang` is silently dropped, for one).
      expect(adaptiveCardProblems(m.attachment.content)).toEqual([]);
      expect(m.text).toBe(r.fallback);
      expect(m.attachment.content.version).toBe('1.5');
      expect(m.attachment.content.body[0]).toMatchObject({ type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true });
      expect(texts(m.attachment.content)).not.toContain('Svaret er forkortet.');
    },
  );

  it('topp 357 pages at 25 rows with a "Vis flere" submit, and the pages together reach all 357 kommuner', async () => {
    const r = await reply('topp 357');
    const seen = new Set<string>();
    let page = 1;
    for (;;) {
      const m = renderAdaptiveCard(r, { command: 'topp 357', page });
      expect(checkCard(m)).toEqual([]);
      const [table] = ofType<{ rows: { cells: { items: { text: string }[] }[] }[] }>(m.attachment.content, 'Table');
      const rows = table!.rows.slice(1);
      expect(rows.length).toBeLessThanOrEqual(ROWS_PER_PAGE);
      for (const row of rows) {
        const code = /^(\d{4}) /.exec(row.cells[1]!.items[0]!.text)?.[1];
        expect(code).toBeDefined();
        seen.add(code!);
      }
      const more = moreAction(m.attachment.content);
      if (!more) break;
      expect(more.title).toBe('Vis flere');
      expect(more.data).toEqual({ tomte: 'more', command: 'topp 357', page: page + 1 });
      page++;
      expect(page).toBeLessThan(40);
    }
    expect(page).toBe(Math.ceil(357 / ROWS_PER_PAGE));
    expect(seen.size).toBe(357);
    // The ranking's own buttons stay at the bottom: four kommuner and "compare top 5".
    const last = renderAdaptiveCard(r, { command: 'topp 357', page: 1 }).attachment.content;
    expect(last.actions?.map(dataOf)).toHaveLength(5);
    expect(texts(last)).toContain('Side 1 av 15');
  });

  it('without the command there is no "more" button to build, and an out-of-range page shows the last one', async () => {
    const r = await reply('topp 357');
    expect(moreAction(renderAdaptiveCard(r).attachment.content)).toBeUndefined();
    const m = renderAdaptiveCard(r, { command: 'topp 357', page: 99 });
    expect(texts(m.attachment.content)).toContain('Side 15 av 15');
    expect(moreAction(m.attachment.content)).toBeUndefined();
  });

  it('the kommune card: headline once, three reasons, key figures as a table laid out for a phone, categories, sources, links, the why and share submits', async () => {
    const r = await reply('kommune Bodø');
    const card = renderAdaptiveCard(r, { command: 'kommune Bodø' }).attachment.content;
    const json = JSON.stringify(card);
    expect(json).toContain('1804 Bodø');
    expect(texts(card)).toContain('79,7/100 · Tier 1');
    expect(texts(card)).toContain('▰▰▰▰▰▰▰▰▱▱');
    expect(json).toContain('SSB 07459');
    // The score appears once: in the headline, not again in facts or the subtitle.
    expect(JSON.stringify(card.body).match(/79,7\/100/g)).toHaveLength(1);
    expect(texts(card)).toContain('Utvikling: ingen tidligere beregning å sammenligne med · Datadekning 100 %');
    const reasons = texts(card).find((x) => x.startsWith('- ▲'));
    expect(reasons?.split('\n')).toHaveLength(3);
    expect(ofType(card, 'FactSet')[0]).toMatchObject({ facts: expect.arrayContaining([{ title: 'Etterspørsel og behov', value: '29,7/40 · 100 % med data' }]) });
    const tables = ofType<{ columns: { width: number }[]; firstRowAsHeaders: boolean }>(card, 'Table');
    expect(tables).toHaveLength(1);
    // Laid out for a phone: the numbers' columns get what "689 600" and "5 627 400" need, the labels the rest.
    expect(tables[0]!.columns.map((c) => c.width)).toEqual([108, 70, 86]);
    expect(json).toContain('"48\u00a0106"');
    expect(json).toContain('Kvadratmeterpris brukte boliger (kr/m², 2024)');
    expect(texts(card)).toContain('[SSB kommunefakta](https://www.ssb.no/kommunefakta/bodo) · [SSB 07459](https://www.ssb.no/statbank/table/07459) · [SSB 06944](https://www.ssb.no/statbank/table/06944) · [SSB 13563](https://www.ssb.no/statbank/table/13563) · [SSB 06035](https://www.ssb.no/statbank/table/06035)');
    const small = ofType<{ text: string; size?: string; isSubtle?: boolean }>(card, 'TextBlock').filter((b) => b.size === 'Small');
    expect(small.some((b) => b.isSubtle && b.text.includes('SSB 07459'))).toBe(true);
    expect(card.actions?.map((a) => [a.type, dataOf(a)])).toEqual([
      ['Action.Execute', { tomte: 'cmd', command: 'hvorfor 1804' }],
      ['Action.Execute', { tomte: 'share', command: 'kommune 1804' }],
    ]);
  });

  it('"mente du" suggestions become submits that run the suggested lookup', async () => {
    const card = renderAdaptiveCard(await reply('kommune trondhiem')).attachment.content;
    expect(card.actions?.map(dataOf)).toContainEqual({ tomte: 'cmd', command: 'kommune 5001' });
    expect(texts(card).some((x) => x.startsWith('- 5001 Trondheim'))).toBe(true);
  });

  it('the lang tag is one the parser keeps (nb, en), and the parser check can fail', async () => {
    const m = renderAdaptiveCard(await reply('kommune Bodø'));
    expect(m.attachment.content.lang).toBe('nb');
    expect(adaptiveCardProblems({ ...m.attachment.content, lang: 'nb-NO' })).toEqual(['parse: Invalid value "nb-NO" for property "lang".']);
  });

  it('colours the score by tier', () => {
    const base: Reply = { kind: 'kommune', lang: 'en', title: 'x', sections: [], actions: [], fallback: 'x' };
    const colour = (tier: 1 | 2 | 3 | null) =>
      ofType<{ text: string; color?: string }>(renderAdaptiveCard({ ...base, score: { total: 55, maxPossible: 100, tier, coverage: 1 } }).attachment.content, 'TextBlock').find((b) =>
        b.text.startsWith('55/100'),
      )?.color;
    expect([colour(1), colour(2), colour(3), colour(null)]).toEqual(['Good', 'Warning', 'Default', 'Default']);
  });

  it("never turns a user's input into a Markdown link, date function or list", async () => {
    const r = await reply('kommune [klikk](https://evil.example)');
    const card = renderAdaptiveCard(r).attachment.content;
    expect(texts(card).join('\n')).not.toMatch(/\]\s*\(/);
    expect(texts(card)[0]).toContain('klikk');
    const crafted = renderAdaptiveCard({
      kind: 'error',
      lang: 'nb',
      title: '[a][r] {{DATE(2017-02-14T06:08:39Z)}}',
      sections: [
        { type: 'text', text: '- not a list\n1. not numbered\n[r]: https://evil.example' },
        { type: 'list', items: ['# not a heading', 'ok'] },
        { type: 'fields', fields: [{ label: '[l](https://evil.example)', value: '' }] },
      ],
      actions: [],
      fallback: 'x',
    }).attachment.content;
    const all = JSON.stringify(crafted.body);
    expect(all).not.toMatch(/\]\s*[([:]/);
    expect(all).not.toContain('{{');
    const lines = texts(crafted).flatMap((x) => x.split('\n'));
    expect(lines.filter((l) => /^\s*([-+*>#]|\d+[.)])/.test(l))).toEqual(['- \u200B# not a heading', '- ok']);
    expect(ofType<{ facts: { value: string }[] }>(crafted, 'FactSet')[0]!.facts[0]!.value).toBe('\u00A0');
  });

  it('cuts a reply that would pass the size budget and says so', () => {
    const long = 'æøå '.repeat(400);
    const huge: Reply = {
      kind: 'sources',
      lang: 'nb',
      title: 'Stor',
      sections: [
        { type: 'list', title: 'Mange', items: Array.from({ length: 200 }, (_, i) => `${i} ${long}`) },
        { type: 'table', columns: [{ label: 'A' }, { label: 'B' }], rows: Array.from({ length: 10 }, (_, i) => [String(i), long]) },
      ],
      actions: [{ kind: 'command', label: 'Hjelp', command: 'hjelp' }],
      fallback: 'Stor',
    };
    const m = renderAdaptiveCard(huge);
    expect(checkCard(m)).toEqual([]);
    expect(sizeOf(m)).toBeGreaterThan(BUDGET_BYTES * 0.9);
    const card = m.attachment.content;
    expect(texts(card).at(-1)).toBe('Svaret er forkortet.');
    expect(card.actions?.map(dataOf)).toEqual([{ tomte: 'cmd', command: 'hjelp' }]);
  });

  it('pages a table of large cells by size as well, so every page fits', () => {
    const cell = 'x'.repeat(3_000);
    const r: Reply = { kind: 'ranking', lang: 'en', title: 'Wide', sections: [{ type: 'table', columns: [{ label: 'A' }], rows: Array.from({ length: 30 }, (_, i) => [`${i} ${cell}`]) }], actions: [], fallback: 'Wide' };
    let page = 1;
    let rows = 0;
    for (;;) {
      const card = renderAdaptiveCard(r, { command: 'wide', page }).attachment.content;
      expect(checkCard(renderAdaptiveCard(r, { command: 'wide', page }))).toEqual([]);
      expect(texts(card)).not.toContain('The reply was shortened.');
      rows += (ofType<{ rows: unknown[] }>(card, 'Table')[0]!.rows.length - 1);
      const more = moreAction(card);
      if (!more) break;
      expect(more.title).toBe('Show more');
      page = more.data.tomte === 'more' ? more.data.page : NaN;
    }
    expect(page).toBeGreaterThan(2);
    expect(rows).toBe(30);
  });

  it('keeps five actions (the parser\'s limit) and puts the rest behind "Flere …"', () => {
    const r: Reply = {
      kind: 'choice',
      lang: 'nb',
      title: 'Velg',
      sections: [],
      actions: Array.from({ length: 8 }, (_, i) => ({ kind: 'command' as const, label: `K${i}`, command: `kommune ${i}` })),
      fallback: 'Velg',
    };
    const card = renderAdaptiveCard(r).attachment.content;
    const actions = card.actions!;
    expect(actions.map((a) => a.title)).toEqual(['K0', 'K1', 'K2', 'K3', 'Flere …']);
    const more = actions[4]!;
    expect(more.type === 'Action.ShowCard' ? more.card.actions.map((a) => a.title) : []).toEqual(['K4', 'K5', 'K6', 'K7']);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });
});
