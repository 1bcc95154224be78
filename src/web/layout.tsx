/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Lang } from '../domain/localized';
import { texts } from './texts';

/**
 * One small stylesheet for every page, inlined (no extra request, no build step): system fonts,
 * body text #1a1a1a on white (16:1), links #0b4f9c (7.8:1), a 3 px focus ring on everything
 * focusable, one column under 900 px and map beside table above it; the map's filters fold into
 * a closed <details> under 600 px (wider, where ::details-content is supported, the form is shown
 * without its summary; elsewhere the summary opens it); print drops navigation and keeps the
 * map's hatch and lightness order.
 */
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#fff}
a{color:#0b4f9c}
a:hover{color:#062f5e}
:focus-visible{outline:3px solid #d94801;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 1rem;border-bottom:1px solid #c8c8c8}
header.site .brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:#08306b;margin-right:auto}
header.site nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.site nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
header.site form{display:inline;margin:0}
main{padding:1rem;max-width:90rem;margin:0 auto}
h1{font-size:1.25rem;line-height:1.25;margin:.25rem 0 .75rem}
@media (min-width:600px){h1{font-size:1.5rem}}
h2{font-size:1.2rem;margin:1.25rem 0 .5rem}
.lead{margin-top:0;color:#3d3d3d}
details.filters-box{margin:.5rem 0 1rem}
details.filters-box>summary{cursor:pointer;font-weight:600;padding:.6rem .75rem;min-height:44px;max-width:max-content;border:1px solid #6b6b6b;border-radius:4px}
details.filters-box[open]>summary{margin-bottom:.5rem}
@media (min-width:600px){@supports selector(::details-content){details.filters-box>summary{display:none}details.filters-box::details-content{content-visibility:visible;display:block}}}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0 1rem}
form.filters label,form.search label{display:block;font-size:.875rem;font-weight:600}
select,input{font:inherit;max-width:100%;padding:.35rem .5rem;border:1px solid #6b6b6b;border-radius:4px;background:#fff;color:#1a1a1a;min-height:44px}
button,.button{font:inherit;padding:.35rem 1rem;min-height:44px;border:1px solid #08306b;border-radius:4px;background:#08306b;color:#fff;cursor:pointer}
button.link{background:none;border:none;color:#0b4f9c;text-decoration:underline;padding:0;min-height:0}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.5rem}
form.search input{width:min(22rem,100%)}
.hint{font-size:.875rem;color:#4a4a4a;margin:.1rem 0 0}
.home{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:900px){.home{grid-template-columns:minmax(0,5fr) minmax(0,6fr)}}
figure.map{margin:0;position:relative}
figure.map svg{width:100%;height:auto;max-height:80vh;display:block}
figure.map a:focus-visible path{stroke:#d94801;stroke-width:2.5px}
figure.map a:hover path{stroke:#1a1a1a;stroke-width:1.5px}
#maptip{min-height:1.5em;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0;font-size:.875rem}
.swatch{display:inline-block;width:1em;height:1em;vertical-align:-.15em;margin-right:.35em;border:1px solid #6b6b6b}
.swatch.hatch{background:repeating-linear-gradient(45deg,#f2f2f2 0 3px,#6b6b6b 3px 4px)}
.credit{font-size:.8125rem;color:#4a4a4a}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.4rem .5rem;border-bottom:1px solid #d6d6d6;text-align:left;vertical-align:top}
th{font-size:.875rem;background:#f5f5f5}
th[scope=row]{background:none;font-size:1rem;font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
.tier{white-space:nowrap}
.facts{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:.5rem 0 1rem;padding:0;list-style:none}
.facts li{min-width:8rem}
.facts .big{display:block;font-size:1.75rem;font-weight:700;line-height:1.2}
.missing{color:#6b3d00;font-style:italic}
.card{border:1px solid #c8c8c8;border-radius:6px;padding:1rem;max-width:40rem}
code,.cmd{font-family:ui-monospace,"DejaVu Sans Mono",monospace;background:#f0f0f0;padding:.1rem .3rem;border-radius:3px}
.split{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:900px){.split{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
svg.chart{width:100%;max-width:40rem;height:auto}
footer.site{padding:1rem;border-top:1px solid #c8c8c8;margin-top:2rem}
@media (max-width:599px){form.filters{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}form.filters select,form.filters input{width:100%}header.site{padding:.25rem 1rem}}
@media print{header.site nav,form,.skip,#maptip{display:none}a{color:#000;text-decoration:none}main{max-width:none}}
`;

/** Tooltip for focus and hover on the map: the same text as each kommune's accessible name. */
export const MAP_SCRIPT = `document.querySelectorAll('figure.map').forEach(function(f){var t=f.querySelector('#maptip');if(!t)return;function s(e){var a=e.target.closest&&e.target.closest('a[aria-label]');if(a)t.textContent=a.getAttribute('aria-label');}f.addEventListener('focusin',s);f.addEventListener('mouseover',s);});`;

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** The nav entry of this page. */
  section?: 'map' | 'lots' | 'models';
  /** The current path and query, for the language toggle. */
  here: string;
  /** Signed-in user's display, and the CSRF token of the sign-out form. */
  session?: { label: string; csrf: string } | null;
  children?: Child;
  /** Load /web.js (the map's focus and hover read-out). */
  mapScript?: boolean;
}

export function langHref(here: string, lang: Lang): string {
  const url = new URL(here, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export function Layout(p: LayoutProps) {
  const t = texts(p.lang);
  const nav: { id: LayoutProps['section']; href: string; label: string }[] = [
    { id: 'map', href: '/', label: t.navMap },
    { id: 'lots', href: '/tomter', label: t.navLots },
    { id: 'models', href: '/modeller', label: t.navModels },
  ];
  return (
    <html lang={p.lang === 'nb' ? 'nb' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} – tomte`}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="site">
          <a class="brand" href="/">
            tomte
          </a>
          <nav aria-label={p.lang === 'nb' ? 'Hovedmeny' : 'Main menu'}>
            <ul>
              {nav.map((n) => (
                <li>
                  <a href={n.href} aria-current={p.section === n.id ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
              <li>
                <a href={langHref(p.here, t.otherLangCode as Lang)} lang={t.otherLangCode} hreflang={t.otherLangCode}>
                  {t.otherLang}
                </a>
              </li>
              {p.session ? (
                <li>
                  <form method="post" action="/logg-ut">
                    <input type="hidden" name="csrf" value={p.session.csrf} />
                    <button class="link" type="submit">
                      {`${t.signOut} (${p.session.label})`}
                    </button>
                  </form>
                </li>
              ) : null}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {p.children}
        </main>
        <footer class="site">
          <p class="credit">{t.credit}</p>
        </footer>
        {p.mapScript ? <script src="/web.js" defer></script> : null}
      </body>
    </html>
  );
}
