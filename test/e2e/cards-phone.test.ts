/**
 * Acceptance (issue 18): at phone width no table cell holding a number wraps. Every reply with a
 * table is rendered as Teams renders it (Microsoft's adaptivecards renderer) at 360 px and as our
 * Block Kit approximation at 375 px, in Debian's headless chromium (playwright-core, no download),
 * and the browser's own line boxes are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { KnownBlock } from '@slack/types';
import { renderBlocks } from '../../adapters/slack/blocks';
import { renderAdaptiveCard } from '../../adapters/teams/cards';
import { MODELS } from '../../src/domain/scoring/models';
import type { ReadModel } from '../../src/services/read-model';
import { launchChromium, slackHtml, teamsHtml, WRAPPED_NUMBERS_SCRIPT } from '../support/card-html';
import { backends, type TestDb } from '../support/db';
import { replyCases, type ReplyCase } from '../support/reply-kinds';
import { prepareRuntime } from '../support/runtime';

let t: TestDb;
let rm: ReadModel;
let browser: Browser;
let page: Page;
let cases: ReplyCase[];

beforeAll(async () => {
  t = await backends[0]!.open('all');
  rm = (await prepareRuntime(t.db, MODELS)).readModel;
  cases = (await replyCases(rm, 'nb')).filter((c) => c.reply.sections.some((s) => s.type === 'table'));
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function wrappedNumbers(html: string, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: 700 });
  await page.setContent(html, { waitUntil: 'load' });
  return (await page.evaluate(WRAPPED_NUMBERS_SCRIPT)) as string[];
}

describe('numbers at phone width', () => {
  it('the replies with tables include the kommune card, rankings, the comparison, status and an alert', () => {
    const names = cases.map((c) => c.name);
    for (const n of ['kommune Bodø', 'topp 357', 'tier 1', 'sammenlign Bodø, Tromsø, Oslo, Bergen, Alta', 'status', 'alert tier1-enter']) expect(names).toContain(n);
  });

  it('Teams (adaptivecards renderer, 360 px): no numeric cell is laid out on two lines', async () => {
    for (const c of cases) {
      const card = renderAdaptiveCard(c.reply, { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) }).attachment.content;
      expect(await wrappedNumbers(teamsHtml(card, 360), 360), c.name).toEqual([]);
    }
  }, 120_000);

  it('Slack (Block Kit approximation, 375 px): no numeric cell is laid out on two lines', async () => {
    for (const c of cases) {
      const { blocks } = renderBlocks(c.reply, { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) });
      expect(await wrappedNumbers(slackHtml(blocks, 375), 375), c.name).toEqual([]);
    }
  }, 120_000);

  it('the check sees a wrapped number when there is one (a wrapping column too narrow for it)', async () => {
    const blocks: KnownBlock[] = [{ type: 'table', column_settings: [{ is_wrapped: true }], rows: [[{ type: 'raw_text', text: 'Tall' }], [{ type: 'raw_text', text: '1 234 567 890 123 456' }]] }];
    expect(await wrappedNumbers(slackHtml(blocks, 120), 120)).toEqual(['1 234 567 890 123 456']);
  });
});
