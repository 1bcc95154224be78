/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Lang } from '../../domain/localized';
import type { Kommune } from '../../domain/kommune/types';
import { fmt, fmtPct } from '../../domain/format';
import { formatValue } from '../../domain/scoring/explain';
import type { RuleResult } from '../../domain/scoring/engine';
import type { ScoredKommune } from '../../services/scored';
import type { ReadModel, ScoreHistoryEntry } from '../../services/read-model';
import type { StoredLot, StoredPlan } from '../../services/lots/queries';
import { tierMapSvg } from '../map/tier-map';
import { LotTables, lotPoints } from './lots';
import { TIER_FILL } from '../map/colors';
import { Layout, type LayoutProps } from '../layout';
import { texts } from '../texts';
import { SourceLink, Swatch, TierCell, tierText } from './parts';
import { tierFill } from '../map/colors';

export interface KommuneLots {
  /** False while no lot source is configured. */
  configured: boolean;
  lots: StoredLot[];
  plans: (StoredPlan & { centroid: [number, number] | null })[];
}

export interface KommunePageData {
  rm: ReadModel;
  kommune: Kommune;
  score: ScoredKommune | null;
  history: ScoreHistoryEntry[];
  /** Null: lots are behind sign-in and there is no session. */
  lots: KommuneLots | null;
  /** The input that found the kommune when it was not its own number or name (an old code). */
  note?: string;
}

function IndicatorRows(p: { lang: Lang; rules: RuleResult[] }) {
  const t = texts(p.lang);
  return (
    <>
      {p.rules.map((r) => {
        const sources = [...new Map(r.inputs.map((x) => [`${x.source} ${x.sourceTable}`, x])).values()];
        return (
          <tr>
            <th scope="row">{r.label[p.lang]}</th>
            <td class="num">{r.value !== null && r.unit !== null ? formatValue(r.value, r.unit, p.lang) : <span class="missing">{t.missing}</span>}</td>
            <td class="num">{r.reference ? formatValue(r.reference.value, r.reference.unit, p.lang) : '–'}</td>
            <td class="num">{r.outcome.k === 'percentile' ? fmt(r.outcome.percentile * 100, p.lang) : '–'}</td>
            <td class="num">{r.points === null ? <span class="missing">{t.missing}</span> : `${fmt(r.points, p.lang, 1)} / ${fmt(r.maxPoints, p.lang, 1)}`}</td>
            <td>{r.period ?? '–'}</td>
            <td>
              {sources.length === 0 ? '–' : sources.map((s, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <SourceLink source={s.source} table={s.sourceTable} />
                </>
              ))}
              {r.missing ? <div class="missing">{r.missing[p.lang]}</div> : null}
            </td>
          </tr>
        );
      })}
    </>
  );
}

/** Score per run as a line over the tier bands, with the tier as a marker shape and text alternative. */
function HistoryChart(p: { lang: Lang; rm: ReadModel; history: ScoreHistoryEntry[] }) {
  const t = texts(p.lang);
  const runs = [...p.history].reverse();
  const W = 600;
  const H = 220;
  const L = 40;
  const R = 12;
  const T = 10;
  const B = 30;
  const x = (i: number) => (runs.length <= 1 ? L + (W - L - R) / 2 : L + ((W - L - R) * i) / (runs.length - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / 100);
  const tiers = p.rm.model.tiers;
  const dateFmt = new Intl.DateTimeFormat(p.lang === 'nb' ? 'nb-NO' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Oslo' });
  return (
    <figure style="margin:0">
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="hist-t">
        <title id="hist-t">{t.historyCaption}</title>
        <rect x={L} y={y(100)} width={W - L - R} height={y(tiers.tier1Min) - y(100)} fill={TIER_FILL[1]} fill-opacity="0.12" />
        <rect x={L} y={y(tiers.tier1Min)} width={W - L - R} height={y(tiers.tier2Min) - y(tiers.tier1Min)} fill={TIER_FILL[2]} fill-opacity="0.12" />
        {[0, 25, 50, 75, 100].map((v) => (
          <>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} stroke="#d6d6d6" />
            <text x={L - 6} y={y(v) + 4} text-anchor="end" font-size="12" fill="#3d3d3d">
              {String(v)}
            </text>
          </>
        ))}
        <text x={W - R - 4} y={y(tiers.tier1Min) - 4} text-anchor="end" font-size="12" fill="#1a1a1a">{`Tier 1 ≥ ${tiers.tier1Min}`}</text>
        <text x={W - R - 4} y={y(tiers.tier2Min) - 4} text-anchor="end" font-size="12" fill="#1a1a1a">{`Tier 2 ≥ ${tiers.tier2Min}`}</text>
        {runs.length > 1 ? <polyline fill="none" stroke="#08306b" stroke-width="2" points={runs.map((r, i) => `${x(i)},${y(r.total)}`).join(' ')} /> : null}
        {runs.map((r, i) => (
          <circle cx={x(i)} cy={y(r.total)} r="5" fill={tierFill((r.tier as 1 | 2 | 3 | null) ?? null).startsWith('url') ? '#f2f2f2' : tierFill(r.tier as 1 | 2 | 3)} stroke="#1a1a1a" stroke-width="1.5">
            <title>{`${dateFmt.format(r.finishedAt)}: ${fmt(r.total, p.lang, 1)} ${t.points}, ${tierText(r.tier as 1 | 2 | 3 | null, p.lang)}`}</title>
          </circle>
        ))}
        {runs.length > 0 ? (
          <>
            <text x={x(0)} y={H - 8} font-size="12" fill="#3d3d3d" text-anchor={runs.length > 1 ? 'start' : 'middle'}>
              {dateFmt.format(runs[0]!.finishedAt)}
            </text>
            {runs.length > 1 ? (
              <text x={x(runs.length - 1)} y={H - 8} font-size="12" fill="#3d3d3d" text-anchor="end">
                {dateFmt.format(runs.at(-1)!.finishedAt)}
              </text>
            ) : null}
          </>
        ) : null}
      </svg>
      <details>
        <summary>{t.historyCaption}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col" class="num">
                {t.score}
              </th>
              <th scope="col">{t.tier}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>{dateFmt.format(r.finishedAt)}</td>
                <td class="num">{fmt(r.total, p.lang, 1)}</td>
                <TierCell lang={p.lang} tier={r.tier as 1 | 2 | 3 | null} />
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function LotsSection(p: { lang: Lang; rm: ReadModel; kommune: Kommune; lots: KommuneLots }) {
  const t = texts(p.lang);
  const { lots, plans } = p.lots;
  if (!p.lots.configured && plans.length === 0) return <p>{t.noLotSources}</p>;
  if (lots.length === 0 && plans.length === 0) return <p>{t.noLots}</p>;
  return (
    <div class="split">
      <figure class="map" style="max-width:24rem">
        {raw(tierMapSvg({ rm: p.rm, lang: p.lang, title: `${t.lotsMapTitle}: ${p.kommune.nameNorwegian}`, focus: [p.kommune.code], points: lotPoints(p.lang, lots, plans), id: 'lots-map' }))}
      </figure>
      <div>
        <LotTables lang={p.lang} rm={p.rm} lots={{ total: lots.length, items: lots }} plans={{ total: plans.length, items: plans }} showKommune={false} />
      </div>
    </div>
  );
}

export function KommunePage(p: { lang: Lang; here: string; session: LayoutProps['session']; data: KommunePageData }) {
  const { lang } = p;
  const { rm, kommune, score: s } = p.data;
  const t = texts(lang);
  const groups = rm.model.kind === 'percentile' ? rm.model.pillars.map((x) => x.id) : rm.model.categories.map((x) => x.id);
  return (
    <Layout lang={lang} title={kommune.nameNorwegian} section="map" here={p.here} session={p.session} mapScript>
      <h1>{`${kommune.nameNorwegian} (${kommune.code})`}</h1>
      <p class="lead">
        {kommune.name !== kommune.nameNorwegian ? `${kommune.name} · ` : ''}
        {kommune.countyName}
        {p.data.note ? ` · ${p.data.note}` : ''}
      </p>
      {s === null ? (
        <p class="missing">{lang === 'nb' ? 'Ikke beregnet i denne modellen.' : 'Not scored by this model.'}</p>
      ) : (
        <>
          <ul class="facts">
            <li>
              <span class="big">{fmt(s.total, lang, 1)}</span>
              {`${t.points} ${t.of100} (${rm.model.id})`}
            </li>
            <li>
              <span class="big">
                <Swatch fill={tierFill(s.tier)} />
                {tierText(s.tier, lang)}
              </span>
              {s.tierStatus === 'complete' ? '' : lang === 'nb' ? 'noe data mangler' : 'some data missing'}
            </li>
            <li>
              <span class="big">{fmtPct(s.coverage * 100, lang, 0)}</span>
              {t.coverage}
            </li>
            <li>
              <span class="big">{fmt(s.maxPossible, lang, 1)}</span>
              {t.maxPossible}
            </li>
          </ul>
          <h2>{t.otherModels}</h2>
          <ul>
            {rm.all().map((v) => {
              const o = v.scores.get(kommune.code);
              return (
                <li>
                  <a href={`/kommuner/${kommune.code}?modell=${v.model.id}`}>{v.model.id}</a>
                  {`: ${o ? `${fmt(o.total, lang, 1)} ${t.points}, ${tierText(o.tier, lang)}` : t.missing}`}
                </li>
              );
            })}
          </ul>
          {s.gates.some((g) => g.triggered) ? (
            <>
              <h2>{t.gates}</h2>
              <ul>
                {s.gates
                  .filter((g) => g.triggered)
                  .map((g) => (
                    <li>{`${g.label[lang]}: ${g.reason[lang]}`}</li>
                  ))}
              </ul>
            </>
          ) : null}
          {groups.map((id) => {
            const c = s.categories.find((x) => x.id === id);
            if (!c) return null;
            const rules = s.rules.filter((r) => r.category === id);
            return (
              <section aria-labelledby={`cat-${id}`}>
                <h2 id={`cat-${id}`}>{`${c.label[lang]}: ${fmt(c.points, lang, 1)} / ${fmt(c.max, lang)}`}</h2>
                <div class="table-wrap" tabindex={0} role="region" aria-labelledby={`cat-${id}`}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t.indicator}</th>
                        <th scope="col" class="num">
                          {t.value}
                        </th>
                        <th scope="col" class="num">
                          {t.national}
                        </th>
                        <th scope="col" class="num">
                          {t.percentile}
                        </th>
                        <th scope="col" class="num">
                          {t.score}
                        </th>
                        <th scope="col">{t.period}</th>
                        <th scope="col">{t.source}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <IndicatorRows lang={lang} rules={rules} />
                    </tbody>
                  </table>
                </div>
              </section>
            );
          })}
          <h2>{t.history}</h2>
          <HistoryChart lang={lang} rm={rm} history={p.data.history} />
        </>
      )}
      <h2>{t.lotsHere}</h2>
      {p.data.lots ? (
        <LotsSection lang={lang} rm={rm} kommune={kommune} lots={p.data.lots} />
      ) : (
        <p>
          <a href="/be-om-lenke">{t.loginNeeded}</a>
        </p>
      )}
      <h2>{t.chatSame}</h2>
      <p>
        <code class="cmd">{`/tomte ${lang === 'nb' ? 'kommune' : 'municipality'} ${kommune.nameNorwegian}${rm.isDefault ? '' : ` ${lang === 'nb' ? 'modell' : 'model'} ${rm.model.id}`}`}</code>
      </p>
    </Layout>
  );
}
