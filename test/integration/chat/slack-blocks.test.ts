import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';
import { MODELS } from '../../../src/domain/scoring/models';
import { handleCommand } from '../../../src/chat/commands';
import type { ReadModel } from '../../../src/services/read-model';
import { LIMITS, renderBlocks, type Block } from '../../../adapters/slack/blocks';

type Text = { type: string; text: string };

/** Every limit of chat-anchors §3.1 that a rendered message can break. */
function checkLimits(blocks: Block[]): string[] {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks`);
  for (const [i, b] of blocks.entries()) {
    if (b.type === 'header' && (b.text as Text).text.length > LIMITS.header) problems.push(`header ${i} too long`);
    if (b.type === 'section') {
      const t = b.text as Text | undefined;
      if (t && t.text.length > LIMITS.sectionText) problems.push(`section ${i}: ${t.text.length} chars`);
      const f = b.fields as Text[] | undefined;
      if (f && f.length > LIMITS.fields) problems.push(`section ${i}: ${f.length} fields`);
      if (f?.some((x) => x.text.length > LIMITS.fieldText)) problems.push(`section ${i}: field too long`);
    }
    if (b.type === 'actions') {
      const els = b.elements as { text: Text; value: string; action_id: string }[];
      if (els.length > LIMITS.actions) problems.push(`actions ${i}: ${els.length} elements`);
      for (const e of els) {
        if (e.text.text.length > LIMITS.buttonText) problems.push(`button text "${e.text.text}"`);
        if (e.value.length > LIMITS.buttonValue) problems.push('button value too long');
      }
      if (new Set(els.map((e) => e.action_id)).size !== els.length) problems.push('duplicate action_id');
    }
  }
  return problems;
}

const allText = (blocks: Block[]) => JSON.stringify(blocks);

describe('Block Kit rendering of the largest replies', () => {
  let t: TestDb;
  let rm: ReadModel;
  beforeAll(async () => {
    t = await backends[0]!.open('all');
    // Both models, praksis-2026 the default, as a deployment runs them.
    rm = (await prepareRuntime(t.db, MODELS)).readModel;
  });
  afterAll(() => t.close());

  it.each(['kommune Bodø', 'hvorfor Oslo', 'hvorfor Oslo modell seed-2026', 'kommune 5612', 'topp 357', 'tier 3', 'sammenlign Bodø, Tromsø, Oslo, Bergen, Alta', 'modeller', 'kilder', 'status', 'hjelp', 'kommune trondhiem', 'kommune Herøy', 'why Oslo'])(
    '%s stays within Slack limits and has a fallback text',
    async (command) => {
      const reply = await handleCommand({ rm, lang: 'nb' }, command);
      const { text, blocks } = renderBlocks(reply, { command });
      expect(checkLimits(blocks)).toEqual([]);
      expect(text.length).toBeGreaterThan(0);
      expect(blocks[0]).toMatchObject({ type: 'header' });
    },
  );

  it('topp 357 is paginated with a "vis flere" button, and the pages together list every kommune', async () => {
    const reply = await handleCommand({ rm, lang: 'nb' }, 'topp 357');
    const seen = new Set<string>();
    let page = 1;
    for (;;) {
      const { blocks } = renderBlocks(reply, { command: 'topp 357', page });
      expect(checkLimits(blocks)).toEqual([]);
      for (const m of allText(blocks).matchAll(/\b(\d{4}) [A-ZÆØÅÁ]/g)) seen.add(m[1]!);
      const actions = blocks.find((b) => b.type === 'actions')?.elements as { action_id: string; value: string }[] | undefined;
      const more = actions?.find((a) => a.action_id === 'tomte:more');
      if (!more) break;
      expect(JSON.parse(more.value)).toEqual({ command: 'topp 357', page: page + 1 });
      page++;
      expect(page).toBeLessThan(40);
    }
    expect(page).toBeGreaterThan(1);
    expect(seen.size).toBe(357);
  });

  it('the kommune card has the score visual, the tier, sources with periods and the share and why buttons', async () => {
    const { blocks } = renderBlocks(await handleCommand({ rm, lang: 'nb' }, 'kommune Bodø'), { command: 'kommune Bodø' });
    const json = allText(blocks);
    expect(json).toContain('1804 Bodø');
    expect(json).toContain('*79,7/100*');
    expect(json).toContain('SSB 07459');
    const buttons = blocks.find((b) => b.type === 'actions')?.elements as { action_id: string; value: string }[];
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['tomte:cmd:0', 'hvorfor 1804'],
      ['tomte:share', 'kommune 1804'],
    ]);
  });

  it('a ranking offers a compare button for its top five', async () => {
    const reply = await handleCommand({ rm, lang: 'nb' }, 'topp 10 fylke Nordland');
    const compare = reply.actions.find((a) => a.command.startsWith('sammenlign '));
    expect(compare?.label).toBe('Sammenlign topp 5');
    const codes = compare!.command.slice('sammenlign '.length).split(', ');
    expect(codes).toHaveLength(5);
    expect(codes.every((c) => c.startsWith('18'))).toBe(true);
    const compared = await handleCommand({ rm, lang: 'nb' }, compare!.command);
    expect(compared.kind).toBe('comparison');
  });

  it('"mente du" suggestions become buttons that run the suggested lookup', async () => {
    const { blocks } = renderBlocks(await handleCommand({ rm, lang: 'nb' }, 'kommune trondhiem'));
    const buttons = blocks.find((b) => b.type === 'actions')?.elements as { value: string }[];
    expect(buttons.map((b) => b.value)).toContain('kommune 5001');
  });

  it('escapes Slack control characters in user-visible text', () => {
    const { blocks } = renderBlocks({ kind: 'error', lang: 'nb', title: 'x', sections: [{ type: 'text', text: 'a <@U123> & <!channel>' }], actions: [], fallback: 'x' });
    expect(allText(blocks)).toContain('a &lt;@U123&gt; &amp; &lt;!channel&gt;');
  });
});
