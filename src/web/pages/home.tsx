/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Lang } from '../../domain/localized';
import type { Kommune } from '../../domain/kommune/types';
import { fmt, fmtPct } from '../../domain/format';
import type { ReadModel } from '../../services/read-model';
import { listKommuneScores, type KommuneListQuery } from '../../services/kommune-list';
import { colourOptions, legendItems, parseColourBy, tierMapSvg, type ColourBy } from '../map/tier-map';
import { Layout, type LayoutProps } from '../layout';
import { texts } from '../texts';
import { Legend, TierCell } from './parts';

export const COVERAGE_CHOICES = [0.5, 0.75, 0.9, 1] as const;

export interface HomeQuery {
  model: ReadModel;
  colourBy: ColourBy;
  tier?: KommuneListQuery['tier'];
  countyCode?: string;
  minCoverage?: number;
  q?: string;
}

/** Reads the page's query; anything unknown falls back to "no filter" (the form only offers valid values). */
export function parseHomeQuery(rm: ReadModel, query: Record<string, string | undefined>): HomeQuery {
  const model = (query.modell && rm.forModel(query.modell)) || rm.primary;
  const tier = query.tier === '1' || query.tier === '2' || query.tier === '3' ? (Number(query.tier) as 1 | 2 | 3) : query.tier === 'none' ? 'none' : undefined;
  const county = query.fylke && rm.registry.counties().some((c) => c.code === query.fylke) ? query.fylke : undefined;
  const cov = Number(query.dekning);
  const q = query.q?.trim().slice(0, 100);
  return {
    model,
    colourBy: parseColourBy(model, query.farge),
    ...(tier !== undefined ? { tier } : {}),
    ...(county ? { countyCode: county } : {}),
    ...((COVERAGE_CHOICES as readonly number[]).includes(cov) ? { minCoverage: cov } : {}),
    ...(q ? { q } : {}),
  };
}

export interface SearchOutcome {
  input: string;
  kind: 'ambiguous' | 'not-found';
  kommuner: Kommune[];
}

/** The page around its content (the content is the same for every user: the app caches it). */
export function HomePage(p: { lang: Lang; here: string; session: LayoutProps['session']; content: string }) {
  return (
    <Layout lang={p.lang} title={texts(p.lang).navMap} section="map" here={p.here} session={p.session} mapScript>
      {raw(p.content)}
    </Layout>
  );
}

/** A key for the content of one query in one language. */
export function homeKey(q: HomeQuery, lang: Lang, search?: SearchOutcome): string {
  return [lang, q.model.model.id, q.colourBy, q.tier ?? '', q.countyCode ?? '', q.minCoverage ?? '', search ? `${search.kind}:${search.input}` : ''].join('|');
}

export function HomeContent(p: { lang: Lang; query: HomeQuery; search?: SearchOutcome }) {
  const { lang, query } = p;
  const t = texts(lang);
  const rm = query.model;
  const list = listKommuneScores(rm, { sort: 'score', descending: true, offset: 0, ...(query.tier !== undefined ? { tier: query.tier } : {}), ...(query.countyCode ? { countyCode: query.countyCode } : {}), ...(query.minCoverage !== undefined ? { minCoverage: query.minCoverage } : {}) });
  const shown = new Set(list.items.map((i) => i.code));
  const focus = query.countyCode ? rm.registry.all().filter((k) => k.countyCode === query.countyCode).map((k) => k.code) : undefined;
  const svg = tierMapSvg({ rm, lang, title: t.mapTitle(rm.model.id), colourBy: query.colourBy, links: true, include: (c) => shown.has(c), ...(focus ? { focus } : {}) });
  const sel = (a: unknown, b: unknown) => (a === b ? true : undefined);
  const active = [!rm.isDefault, query.tier !== undefined, !!query.countyCode, query.minCoverage !== undefined].filter(Boolean).length;
  return (
    <>
      <h1>{t.tagline}</h1>
      <form class="search" role="search" method="get" action="/">
        <div>
          <label for="q">{t.search}</label>
          <input id="q" name="q" type="search" value={query.q ?? ''} aria-describedby="q-hint" autocomplete="off" />
          <p class="hint" id="q-hint">
            {t.searchHint}
          </p>
        </div>
        {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
        <button type="submit">{t.searchButton}</button>
      </form>
      {p.search ? (
        <div role="status" class="card">
          <p>{p.search.kind === 'not-found' ? t.notFound(p.search.input) : t.ambiguous(p.search.input)}</p>
          {p.search.kommuner.length > 0 ? (
            <p>
              {p.search.kind === 'not-found' ? `${t.didYouMean}: ` : ''}
              {p.search.kommuner.map((k, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/kommuner/${k.code}`}>{`${k.nameNorwegian} (${k.countyName})`}</a>
                </>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
      {/* Closed under 600 px so the map starts on the first screen; wider, CSS shows the form without the summary (layout.tsx). */}
      <details class="filters-box">
        <summary>{active > 0 ? `${t.filters} (${t.filtersInUse(active)})` : t.filters}</summary>
        <form class="filters" method="get" action="/" aria-label={t.filters}>
          <div>
            <label for="f-modell">{t.model}</label>
            <select id="f-modell" name="modell">
              {rm.all().map((v) => (
                <option value={v.model.id} selected={sel(v.model.id, rm.model.id)}>
                  {v.isDefault ? `${v.model.id} (${t.defaultModel})` : v.model.id}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-farge">{t.colourBy}</label>
            <select id="f-farge" name="farge">
              {colourOptions(rm, lang).map((o) => (
                <option value={o.value} selected={sel(o.value, query.colourBy)}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-tier">{t.tier}</label>
            <select id="f-tier" name="tier">
              <option value="">{t.anyTier}</option>
              {([1, 2, 3] as const).map((n) => (
                <option value={String(n)} selected={sel(n, query.tier)}>{`Tier ${n}`}</option>
              ))}
              <option value="none" selected={sel('none', query.tier)}>
                {t.noTier}
              </option>
            </select>
          </div>
          <div>
            <label for="f-fylke">{t.county}</label>
            <select id="f-fylke" name="fylke">
              <option value="">{t.anyCounty}</option>
              {rm.registry.counties().map((c) => (
                <option value={c.code} selected={sel(c.code, query.countyCode)}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-dekning">{t.minCoverage}</label>
            <select id="f-dekning" name="dekning">
              <option value="">{t.anyCoverage}</option>
              {COVERAGE_CHOICES.map((c) => (
                <option value={String(c)} selected={sel(c, query.minCoverage)}>
                  {fmtPct(c * 100, lang, 0)}
                </option>
              ))}
            </select>
          </div>
          {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <button type="submit">{t.show}</button>
        </form>
      </details>
      <div class="home">
        <section aria-labelledby="map-h">
          <h2 id="map-h" class="visually-hidden">
            {t.navMap}
          </h2>
          <a class="skip" href="#ranking">
            {t.skipMap}
          </a>
          <figure class="map">
            {raw(svg)}
            <figcaption>
              <p id="maptip" aria-live="polite"></p>
              <Legend lang={lang} items={legendItems(query.colourBy, lang)} />
              <p class="credit">© Kartverket · Kilde: SSB</p>
            </figcaption>
          </figure>
        </section>
        <section id="ranking" aria-labelledby="ranking-h" tabindex={-1}>
          <h2 id="ranking-h">{t.ranking}</h2>
          <p role="status">{t.matched(list.total)}</p>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="ranking-h">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t.rank}
                  </th>
                  <th scope="col">{t.kommune}</th>
                  <th scope="col">{t.county}</th>
                  <th scope="col" class="num">
                    {t.score}
                  </th>
                  <th scope="col">{t.tier}</th>
                  <th scope="col" class="num">
                    {t.coverage}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((i, n) => (
                  <tr data-code={i.code}>
                    <td class="num">{n + 1}</td>
                    <td>
                      <a href={`/kommuner/${i.code}${rm.isDefault ? '' : `?modell=${rm.model.id}`}`}>{rm.registry.byCode(i.code)?.nameNorwegian ?? i.name}</a>
                    </td>
                    <td>{i.county}</td>
                    <td class="num">{fmt(i.total, lang, 1)}</td>
                    <TierCell lang={lang} tier={i.tier} />
                    <td class="num">{fmtPct(i.coverage * 100, lang, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </>
  );
}
