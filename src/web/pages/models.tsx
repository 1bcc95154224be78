/** @jsxImportSource hono/jsx */
import type { Lang } from '../../domain/localized';
import { fmt } from '../../domain/format';
import type { ReadModel } from '../../services/read-model';
import type { ValidationReport } from '../../services/validation';
import { ruleMaxPoints } from '../../domain/scoring/model';
import { Layout, type LayoutProps } from '../layout';
import { texts } from '../texts';

export function ModelsPage(p: { lang: Lang; here: string; session: LayoutProps['session']; rm: ReadModel; validation: ValidationReport | null }) {
  const { lang, rm } = p;
  const t = texts(lang);
  const nb = lang === 'nb';
  const v = p.validation;
  return (
    <Layout lang={lang} title={t.modelsTitle} section="models" here={p.here} session={p.session}>
      <h1>{t.modelsTitle}</h1>
      <h2 id="val-h">{t.validation}</h2>
      {v ? (
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby="val-h">
          <table>
            <caption>{nb ? `${v.cases.length} kjente tilfeller blant ${v.kommuner} kommuner` : `${v.cases.length} known cases among ${v.kommuner} kommuner`}</caption>
            <thead>
              <tr>
                <th scope="col">{nb ? 'Rangering' : 'Ranking'}</th>
                <th scope="col" class="num">
                  {t.meanPercentile}
                </th>
                <th scope="col" class="num">
                  Topp 25
                </th>
                <th scope="col" class="num">
                  Topp 50
                </th>
                <th scope="col" class="num">
                  {t.auc}
                </th>
              </tr>
            </thead>
            <tbody>
              {v.rankings.map((r) => (
                <tr>
                  <th scope="row">{r.kind === 'model' ? r.id : r.label[lang]}</th>
                  <td class="num">{Number.isNaN(r.meanPercentile) ? '–' : fmt(r.meanPercentile, lang, 2)}</td>
                  <td class="num">{fmt(r.top25, lang, Number.isInteger(r.top25) ? 0 : 1)}</td>
                  <td class="num">{fmt(r.top50, lang, Number.isInteger(r.top50) ? 0 : 1)}</td>
                  <td class="num">{Number.isNaN(r.auc) ? '–' : fmt(r.auc, lang, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t.validationNone}</p>
      )}
      {rm.all().map((view) => {
        const m = view.model;
        const counts = [1, 2, 3].map((n) => [...view.scores.values()].filter((s) => s.tier === n).length);
        return (
          <section aria-labelledby={`m-${m.id}`}>
            <h2 id={`m-${m.id}`}>{`${m.title[lang]} (${m.id} ${m.version})${view.isDefault ? ` – ${t.defaultModel}` : ''}`}</h2>
            <p>{m.description[lang]}</p>
            <p>{`${t.tiers}: Tier 1 ≥ ${fmt(m.tiers.tier1Min, lang)} (${nb ? 'ut under' : 'leaves below'} ${fmt(m.tiers.tier1ExitBelow, lang)}), Tier 2 ≥ ${fmt(m.tiers.tier2Min, lang)}; ${nb ? 'nå' : 'now'} ${counts.map((c, i) => `Tier ${i + 1}: ${c}`).join(', ')}`}</p>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby={`m-${m.id}`}>
              {m.kind === 'percentile' ? (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.indicator}</th>
                      <th scope="col" class="num">
                        {t.weight}
                      </th>
                      <th scope="col">{t.direction}</th>
                    </tr>
                  </thead>
                  {m.pillars.map((pl) => (
                    <tbody>
                      <tr>
                        <th scope="rowgroup" colspan={3}>{`${pl.label[lang]} (${fmt(pl.weight, lang)}): ${pl.question[lang]}`}</th>
                      </tr>
                      {m.indicators
                        .filter((i) => i.pillar === pl.id)
                        .map((i) => (
                          <tr>
                            <td>
                              {i.label[lang]}
                              <div class="hint">{i.reason[lang]}</div>
                            </td>
                            <td class="num">{fmt(i.weight, lang, 2)}</td>
                            <td>{i.direction === 'higher' ? t.higher : t.lower}</td>
                          </tr>
                        ))}
                    </tbody>
                  ))}
                </table>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{nb ? 'Regel' : 'Rule'}</th>
                      <th scope="col" class="num">
                        {nb ? 'Maks poeng' : 'Max points'}
                      </th>
                    </tr>
                  </thead>
                  {m.categories.map((c) => (
                    <tbody>
                      <tr>
                        <th scope="rowgroup" colspan={2}>{`${c.label[lang]} (${fmt(c.max, lang)})`}</th>
                      </tr>
                      {m.rules
                        .filter((r) => r.category === c.id)
                        .map((r) => (
                          <tr>
                            <td>{r.label[lang]}</td>
                            <td class="num">{fmt(ruleMaxPoints(r), lang)}</td>
                          </tr>
                        ))}
                    </tbody>
                  ))}
                </table>
              )}
            </div>
          </section>
        );
      })}
    </Layout>
  );
}
