/**
 * The web pages in real headless Chromium (Debian's package, driven by playwright-core): sign-in
 * through a one-time link, the ranking filtered to Tier 1 in one fylke, search, a kommune opened
 * from the map with the keyboard alone, refused links, the redirect without a session, and axe-core
 * (WCAG 2.1 A/AA) with no serious or critical violation on any page, at 1280 and 375 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listKommuneScores } from '../../src/services/kommune-list';
import { startWebServer, type WebServer } from '../support/web-server';
import { axe, launchChromium, severe } from '../support/browser';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile; axe is injected as a script, so the page's CSP is bypassed here only. */
async function context(width = 1280): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
}

async function signedIn(width = 1280): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await context(width);
  const page = await ctx.newPage();
  await page.goto(await server.link());
  await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Logg inn' }).click()]);
  return { ctx, page };
}

describe('signing in', () => {
  it('without a session a page redirects to "ask tomte for a link"', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/kommuner/1804`);
    expect(new URL(page.url()).pathname).toBe('/be-om-lenke');
    expect(await page.locator('h1').textContent()).toBe('Logg inn via tomte');
    expect(await page.locator('main').textContent()).toContain('/tomte web');
    await ctx.close();
  });

  it('the link from the chat command `web` shows who it signs in; the button signs in, once; reused and expired links are refused with a clear page', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    const link = await server.chatLink();
    // A link-preview bot (or a second tab) opening the link first spends nothing.
    const bot = await ctx.newPage();
    expect((await bot.goto(link))!.status()).toBe(200);
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Logg inn i tomte som Kari Nordmann (Slack)');
    expect((await ctx.cookies()).find((c) => c.name === 'tomte_session')).toBeUndefined();
    expect(severe(await axe(page))).toEqual([]);
    // The button is reached and pressed with the keyboard (no script on the page).
    await page.locator('form[action="/logg-inn"] button').focus();
    await Promise.all([page.waitForURL(`${server.url}/`), page.keyboard.press('Enter')]);
    expect(await page.locator('header').textContent()).toContain('Logg ut (Kari Nordmann)');
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'tomte_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    // The form the bot's tab still shows, posted after the link was used: refused.
    const second = await Promise.all([bot.waitForResponse((r) => r.request().method() === 'POST'), bot.getByRole('button', { name: 'Logg inn' }).click()]);
    expect(second[0].status()).toBe(410);
    expect(await bot.locator('main').textContent()).toContain('allerede brukt');
    const other = await ctx.newPage();
    const again = await other.goto(link);
    expect(again!.status()).toBe(410);
    expect(await other.locator('h1').textContent()).toBe('Lenken kan ikke brukes');
    expect(await other.locator('main').textContent()).toContain('allerede brukt');
    const expired = await other.goto(await server.link({}, new Date(Date.now() - 11 * 60_000)));
    expect(expired!.status()).toBe(410);
    expect(await other.locator('main').textContent()).toContain('utløpt');
    expect(severe(await axe(other))).toEqual([]);
    await ctx.close();
  });

  it('the sign-in page in English through the toggle', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(await server.link());
    await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Sign in to tomte as Kari Nordmann (Slack)');
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.locator('header').textContent()).toContain('Sign out (Kari Nordmann)');
    await ctx.close();
  });
});

describe('the map and the ranking', () => {
  it('filters the ranking to Tier 1 in Nordland', async () => {
    const { ctx, page } = await signedIn();
    await page.selectOption('#f-tier', '1');
    await page.selectOption('#f-fylke', { label: 'Nordland' });
    await Promise.all([page.waitForURL(/tier=1/), page.getByRole('button', { name: 'Vis' }).click()]);
    const rows = page.locator('#ranking tbody tr');
    const expected = listKommuneScores(server.rm, { sort: 'score', descending: true, offset: 0, tier: 1, countyCode: '18' }).items;
    expect(expected.length).toBeGreaterThan(0);
    expect(await rows.count()).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      expect(cells[1]).toBe(server.rm.registry.byCode(expected[i]!.code)!.nameNorwegian);
      expect(cells[2]).toBe('Nordland');
      expect(cells[4]).toBe('Tier 1');
    }
    // The filter is kept in the form and the map zooms to the county.
    expect(await page.locator('#f-tier').inputValue()).toBe('1');
    expect(await page.locator('figure.map a[href="/kommuner/1804"]').count()).toBe(1);
    expect(await page.locator('figure.map a[href="/kommuner/0301"]').count()).toBe(0);
    await ctx.close();
  });

  it('at 375 px the filters are folded so the map starts on the first screen, and open with the keyboard', async () => {
    const { ctx, page } = await signedIn(375);
    await page.setViewportSize({ width: 375, height: 812 });
    const summary = page.locator('details.filters-box > summary');
    expect(await summary.isVisible()).toBe(true);
    expect(await page.locator('#f-tier').isVisible()).toBe(false);
    const mapTop = await page.locator('figure.map').evaluate((f) => f.getBoundingClientRect().top);
    // The map begins in the upper 60 % of the first screen (unfolded, the filters pushed it below the first screen).
    expect(mapTop).toBeLessThan(812 * 0.6);
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#f-tier').isVisible()).toBe(true);
    await page.selectOption('#f-tier', '1');
    await Promise.all([page.waitForURL(/tier=1/), page.getByRole('button', { name: 'Vis' }).click()]);
    // Folded again after the reload, saying one filter is in use.
    expect(await summary.textContent()).toBe('Filtre (1 i bruk)');
    expect(await page.locator('#f-tier').isVisible()).toBe(false);
    // At 1280 px the form is shown without the fold.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await summary.isVisible()).toBe(false);
    expect(await page.locator('#f-tier').isVisible()).toBe(true);
    await ctx.close();
  });

  it('search "bodo" lands on 1804 Bodø', async () => {
    const { ctx, page } = await signedIn();
    await page.getByLabel('Søk etter kommune').fill('bodo');
    await Promise.all([page.waitForURL(/\/kommuner\/1804$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Bodø (1804)');
    await ctx.close();
  });

  it('opens a kommune from the map with the keyboard alone, the read-out following focus', async () => {
    const { ctx, page } = await signedIn();
    let inMap = false;
    for (let i = 0; i < 60 && !inMap; i++) {
      await page.keyboard.press('Tab');
      inMap = await page.evaluate(() => document.activeElement?.closest('figure.map svg a') !== null && document.activeElement?.closest('figure.map svg a') !== undefined);
    }
    expect(inMap).toBe(true);
    // Three more kommuner along, to show the map is walked with the keyboard.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement!.closest('a')!;
      return { href: a.getAttribute('href')!, label: a.getAttribute('aria-label')!, title: a.querySelector('title')!.textContent! };
    });
    expect(focused.href).toMatch(/^\/kommuner\/\d{4}$/);
    // The read-out under the map says what the focused kommune's name, score and tier are, as its hover title does.
    expect(await page.locator('#maptip').textContent()).toBe(focused.label);
    expect(focused.title).toBe(focused.label);
    expect(focused.label).toMatch(/^[^:]+: \d+(,\d)? poeng, (Tier [123]|uten tier)$/);
    const code = focused.href.slice('/kommuner/'.length);
    await Promise.all([page.waitForURL(new RegExp(`/kommuner/${code}$`)), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe(`${server.rm.registry.byCode(code)!.nameNorwegian} (${code})`);
    await ctx.close();
  });
});

describe('accessibility (axe-core, WCAG 2.1 AA): no serious or critical violations', () => {
  for (const width of [1280, 375]) {
    it(`every page at ${width} px`, async () => {
      const { ctx, page } = await signedIn(width);
      for (const path of ['/', '/?tier=1&fylke=18&farge=score', '/kommuner/1804', '/kommuner/1804?modell=seed-2026', '/tomter', '/modeller', '/?q=trondhiem', '/?lang=en']) {
        await page.goto(`${server.url}${path}`);
        const v = severe(await axe(page));
        expect({ path, violations: v }).toEqual({ path, violations: [] });
        // No sideways scrolling of the page itself (wide tables scroll in their own region).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect({ path, overflow }).toEqual({ path, overflow: 0 });
      }
      await ctx.close();
    });
  }

  it('the sign-in page without a session', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/be-om-lenke`);
    expect(severe(await axe(page))).toEqual([]);
    await ctx.close();
  });
});
