/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Lang } from '../../domain/localized';
import { fmt } from '../../domain/format';
import type { ReadModel } from '../../services/read-model';
import type { StoredLot, StoredPlan } from '../../services/lots/queries';
import { tierMapSvg, type MapPoint } from '../map/tier-map';
import { Layout, type LayoutProps } from '../layout';
import { texts } from '../texts';

/** The filters of `abonner tomter`: fylker, kommuner, unntatt, minimum area, tiers. */
export interface LotsQuery {
  fylke?: string;
  kommuner: string;
  unntatt: string;
  minAreal?: number;
  tiers: number[];
}

export interface LotsPageData {
  rm: ReadModel;
  query: LotsQuery;
  /** Inputs that named no kommune (shown, not silently dropped). */
  unknown: string[];
  configured: boolean;
  lots: { total: number; items: StoredLot[] };
  plans: { total: number; items: PlanWithCentroid[] };
  /** The kommuner the filters select (undefined: all). */
  codes?: string[];
}

export function parseLotsQuery(rm: ReadModel, q: Record<string, string | undefined>, tiers: string[]): LotsQuery {
  const min = Number(q.min);
  return {
    ...(q.fylke && rm.registry.counties().some((c) => c.code === q.fylke) ? { fylke: q.fylke } : {}),
    kommuner: (q.kommuner ?? '').slice(0, 300),
    unntatt: (q.unntatt ?? '').slice(0, 300),
    ...(q.min && Number.isFinite(min) && min > 0 ? { minAreal: Math.min(min, 1e9) } : {}),
    tiers: tiers.filter((x) => x === '1' || x === '2' || x === '3').map(Number),
  };
}

/** The kommune codes the filters allow, as `abonner tomter` matches them; undefined = every kommune. */
export function selectKommuner(rm: ReadModel, q: LotsQuery): { codes?: string[]; unknown: string[] } {
  const unknown: string[] = [];
  const resolveList = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .flatMap((name) => {
        const r = rm.registry.resolve(name);
        if (r.kind === 'found') return [r.kommune.code];
        unknown.push(name);
        return [];
      });
  const named = resolveList(q.kommuner);
  const except = new Set(resolveList(q.unntatt));
  const any = q.fylke !== undefined || named.length > 0 || except.size > 0 || q.tiers.length > 0;
  if (!any) return { unknown };
  const codes = rm.registry
    .all()
    .filter((k) => (q.fylke === undefined && named.length === 0) || k.countyCode === q.fylke || named.includes(k.code))
    .filter((k) => !except.has(k.code))
    .filter((k) => q.tiers.length === 0 || q.tiers.includes(rm.scores.get(k.code)?.tier ?? -1))
    .map((k) => k.code);
  return { codes, unknown };
}

type PlanWithCentroid = StoredPlan & { centroid: [number, number] | null };

const lotName = (l: StoredLot) => (typeof l.properties.name === 'string' ? l.properties.name : l.key);

/** Lots as circles and plans as squares on a map. */
export function lotPoints(lang: Lang, lots: readonly StoredLot[], plans: readonly PlanWithCentroid[]): MapPoint[] {
  const t = texts(lang);
  return [
    ...lots.map((l) => ({ lon: l.centroidLon, lat: l.centroidLat, kind: 'lot' as const, label: `${t.lot} ${lotName(l)}: ${fmt(l.areaM2, lang)} m²` })),
    ...plans.filter((x) => x.centroid).map((x) => ({ lon: x.centroid![0], lat: x.centroid![1], kind: 'plan' as const, label: `${t.plan}: ${x.planName}` })),
  ];
}

/** The lots table and the plans table (the kommune page leaves out the kommune column). */
export function LotTables(p: { lang: Lang; rm: ReadModel; lots: { total: number; items: StoredLot[] }; plans: { total: number; items: PlanWithCentroid[] }; showKommune: boolean }) {
  const { lang, lots, plans } = p;
  const t = texts(lang);
  const dateFmt = new Intl.DateTimeFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Oslo' });
  const Kommune = (q: { code: string | null }) => (p.showKommune ? <td>{q.code ? <a href={`/kommuner/${q.code}`}>{p.rm.registry.byCode(q.code)?.nameNorwegian ?? q.code}</a> : '–'}</td> : null);
  return (
    <>
      <h2 id="lots-h">{`${t.navLots} (${lots.total})`}</h2>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="lots-h">
        <table>
          <thead>
            <tr>
              {p.showKommune ? <th scope="col">{t.kommune}</th> : null}
              <th scope="col">{t.lot}</th>
              <th scope="col" class="num">
                {t.area}
              </th>
              <th scope="col">{t.firstSeen}</th>
            </tr>
          </thead>
          <tbody>
            {lots.items.map((l) => (
              <tr>
                <Kommune code={l.kommuneCode} />
                <td>{lotName(l)}</td>
                <td class="num">{`${fmt(l.areaM2, lang)} m²`}</td>
                <td>{dateFmt.format(l.firstSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="plans-h">{`${t.plan} (${plans.total})`}</h2>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="plans-h">
        <table>
          <thead>
            <tr>
              {p.showKommune ? <th scope="col">{t.kommune}</th> : null}
              <th scope="col">{t.plan}</th>
              <th scope="col">{t.announced}</th>
            </tr>
          </thead>
          <tbody>
            {plans.items.map((x) => (
              <tr>
                <Kommune code={x.kommuneCode} />
                <td>
                  {x.link ? <a href={x.link}>{x.planName}</a> : x.planName}
                  {` (${x.planType})`}
                </td>
                <td>{x.announcedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function LotsPage(p: { lang: Lang; here: string; session: LayoutProps['session']; data: LotsPageData }) {
  const { lang } = p;
  const { rm, query, lots, plans } = p.data;
  const t = texts(lang);
  const points = lotPoints(lang, lots.items, plans.items);
  const focus = query.fylke ? rm.registry.all().filter((k) => k.countyCode === query.fylke).map((k) => k.code) : undefined;
  const codes = p.data.codes ? new Set(p.data.codes) : null;
  return (
    <Layout lang={lang} title={t.lotsTitle} section="lots" here={p.here} session={p.session} mapScript>
      <h1>{t.lotsTitle}</h1>
      <p class="lead">{t.lotsIntro}</p>
      <form class="filters" method="get" action="/tomter" aria-label={t.filters}>
        <div>
          <label for="l-fylke">{t.county}</label>
          <select id="l-fylke" name="fylke">
            <option value="">{t.anyCounty}</option>
            {rm.registry.counties().map((c) => (
              <option value={c.code} selected={c.code === query.fylke ? true : undefined}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="l-kommuner">{t.lotsFilterKommune}</label>
          <input id="l-kommuner" name="kommuner" value={query.kommuner} />
        </div>
        <div>
          <label for="l-unntatt">{t.lotsFilterExcept}</label>
          <input id="l-unntatt" name="unntatt" value={query.unntatt} />
        </div>
        <div>
          <label for="l-min">{t.lotsFilterMin}</label>
          <input id="l-min" name="min" type="number" min="0" step="1" inputmode="numeric" value={query.minAreal !== undefined ? String(query.minAreal) : ''} />
        </div>
        <fieldset style="border:none;padding:0;margin:0">
          <legend style="font-size:.875rem;font-weight:600">{t.lotsFilterTier}</legend>
          {[1, 2, 3].map((n) => (
            <label style="display:inline-flex;gap:.25rem;align-items:center;margin-right:.75rem;font-weight:400">
              <input type="checkbox" name="tier" value={String(n)} checked={query.tiers.includes(n) ? true : undefined} style="min-height:0" />
              {`Tier ${n}`}
            </label>
          ))}
        </fieldset>
        {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
        <button type="submit">{t.show}</button>
      </form>
      {p.data.unknown.length > 0 ? (
        <p role="status" class="card">
          {`${lang === 'nb' ? 'Kjenner ikke igjen' : 'Not recognised'}: ${p.data.unknown.join(', ')}`}
        </p>
      ) : null}
      <div class="home">
        <figure class="map">
          {raw(tierMapSvg({ rm, lang, title: t.lotsMapTitle, links: true, points, ...(focus ? { focus } : {}), ...(codes ? { include: (c: string) => codes.has(c) } : {}) }))}
          <figcaption>
            <p id="maptip" aria-live="polite"></p>
            <p class="credit">© Kartverket · Kilde: DiBK, SSB</p>
          </figcaption>
        </figure>
        <div>
          {!p.data.configured && plans.total === 0 ? <p>{t.noLotSources}</p> : null}
          <LotTables lang={lang} rm={rm} lots={lots} plans={plans} showKommune />
        </div>
      </div>
    </Layout>
  );
}
