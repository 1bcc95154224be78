// `npm run cards:screenshots`: renders every reply kind as Slack (an HTML approximation of Block
// Kit, at 800 and 375 px) and Teams (Microsoft's adaptivecards renderer, at 780 and 360 px) in
// Debian's headless chromium through playwright-core, and writes the PNGs to docs/cards/. It also
// says whether any table cell holding a number wraps at those widths. Data: the bundled snapshot,
// loaded and scored into a fresh embedded database.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { KnownBlock } from '@slack/types';
import { fileURLToPath } from 'node:url';
import { renderBlocks } from '../../adapters/slack/blocks';
import { homeView } from '../../adapters/slack/home';
import { renderAdaptiveCard } from '../../adapters/teams/cards';
import { MODELS } from '../../src/domain/scoring/models';
import { launchChromium, slackHtml, teamsHtml, WRAPPED_NUMBERS_SCRIPT } from '../support/card-html';
import { backends } from '../support/db';
import { replyCases } from '../support/reply-kinds';
import { prepareRuntime } from '../support/runtime';

const OUT = fileURLToPath(new URL('../../docs/cards/', import.meta.url));
const slug = (s: string) => s.toLowerCase().replace(/[æ]/g, 'ae').replace(/[ø]/g, 'o').replace(/[å]/g, 'a').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

async function main(): Promise<void> {
  const t = await backends.find((b) => b.name === 'pglite')!.open('empty');
  const browser = await launchChromium();
  try {
    const rm = (await prepareRuntime(t.db, MODELS)).readModel;
    const cases = (await replyCases(rm, 'nb')).filter((c) => !['hvorfor Oslo modell seed-2026', 'kommune trondhiem', 'paused notice'].includes(c.name));
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const index: string[] = ['# Rendered replies', '', 'Written by `npm run cards:screenshots` (test/screenshots/cards.ts): Slack as an HTML approximation of Block Kit at 800 and 375 px, Teams through Microsoft\'s `adaptivecards` renderer at 780 and 360 px, in headless Chromium. Data: the bundled snapshot.', '', '| reply | Slack 800 | Slack 375 | Teams 780 | Teams 360 |', '|---|---|---|---|---|'];
    const wrapped: string[] = [];
    const shoot = async (html: string, width: number, file: string) => {
      await page.setViewportSize({ width, height: 600 });
      await page.setContent(html, { waitUntil: 'load' });
      const bad = (await page.evaluate(WRAPPED_NUMBERS_SCRIPT)) as string[];
      if (bad.length > 0) wrapped.push(`${file}: ${bad.join(', ')}`);
      await page.screenshot({ path: `${OUT}${file}`, fullPage: true });
      return file;
    };
    for (const c of cases) {
      const opts = { ...(c.command ? { command: c.command } : {}), ...(c.page ? { page: c.page } : {}) };
      const { blocks } = renderBlocks(c.reply, opts);
      const card = renderAdaptiveCard({ ...c.reply, actions: c.reply.actions.filter((a) => a.kind !== 'share') }, opts).attachment.content;
      const name = slug(c.name);
      const files = [
        await shoot(slackHtml(blocks, 800), 800, `slack-${name}-800.png`),
        await shoot(slackHtml(blocks, 375), 375, `slack-${name}-375.png`),
        await shoot(teamsHtml(card, 780), 780, `teams-${name}-780.png`),
        await shoot(teamsHtml(card, 360), 360, `teams-${name}-360.png`),
      ];
      index.push(`| ${c.name} | ${files.map((f) => `[png](${f})`).join(' | ')} |`);
    }
    const home = homeView('nb', { watchlist: [{ id: 7, text: 'Hver endring i poeng eller tier for 1804 Bodø', place: 'D0TOMTE01', paused: null }], subscriptions: [{ id: 3, text: 'Varsel når en kommune i Nordland går inn i eller ut av Tier 1', place: 'C0ALERTS1', paused: 'kanalen er arkivert' }] });
    const homeFiles = [await shoot(slackHtml(home.blocks as KnownBlock[], 800), 800, 'slack-app-home-800.png'), await shoot(slackHtml(home.blocks as KnownBlock[], 375), 375, 'slack-app-home-375.png')];
    index.push(`| App Home | ${homeFiles.map((f) => `[png](${f})`).join(' | ')} | – | – |`);
    index.push('', wrapped.length === 0 ? 'No table cell holding a number wraps at these widths.' : `Numbers that wrap:\n${wrapped.map((w) => `- ${w}`).join('\n')}`, '');
    writeFileSync(`${OUT}README.md`, index.join('\n'));
    console.log(`wrote ${cases.length * 4 + 2} screenshots to docs/cards/; numbers wrapping: ${wrapped.length === 0 ? 'none' : wrapped.join('; ')}`);
  } finally {
    await browser.close();
    await t.close();
  }
}

await main();
