// `npm run web:screenshots`: the pages in Debian's Chromium at 1280 and 375 px wide, written to
// docs/screenshots/ for the README. The data is the bundled snapshot scored by every model, with
// three lots and one plan initiative in Bodø (test/support/web-server.ts), signed in.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser';
import { startWebServer } from './web-server';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PAGES = [
  { path: '/', name: 'kart' },
  { path: '/kommuner/1804', name: 'kommune-1804' },
  { path: '/tomter', name: 'tomter' },
];

const server = await startWebServer({ template: false });
const browser = await launchChromium();
try {
  mkdirSync(OUT, { recursive: true });
  for (const width of [1280, 375]) {
    const ctx = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(await server.link());
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Logg inn' }).click()]);
    for (const p of PAGES) {
      await page.goto(`${server.url}${p.path}`);
      const file = `${OUT}${p.name}-${width}.png`;
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.close();
}
