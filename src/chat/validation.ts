import type { Lang } from '../domain/localized';
import { fmt } from '../domain/format';
import type { ValidationReportJson } from '../services/validation';
import type { Reply, Section } from './reply';
import { t } from './texts';

/** The validation table of a report, as sections (`modeller` and `valider`). */
export function validationSections(report: ValidationReportJson, lang: Lang): Section[] {
  const tx = t(lang);
  const f2 = (x: number) => (Number.isFinite(x) ? fmt(x, lang, 2) : '–');
  const f1 = (x: number) => (Number.isInteger(x) ? String(x) : fmt(x, lang, 1));
  const positives = report.cases.filter((c) => c.positive).length;
  return [
    {
      type: 'table',
      title: tx.validationTitle,
      columns: tx.validationHeader.map((label, i) => ({ label, ...(i > 0 ? { align: 'right' as const } : {}) })),
      rows: report.rankings.map((r) => [r.kind === 'model' ? `${r.label[lang]} (${r.id})` : r.label[lang], f2(r.meanPercentile), f1(r.top25), f1(r.top50), f2(r.auc)]),
    },
    { type: 'context', text: tx.validationNote(positives, report.kommuner) },
  ];
}

/** `tomte valider <fil>`: the table, then every listed kommune's rank and tier in each ranking. */
export function validationReply(report: ValidationReportJson, lang: Lang, source: string): Reply {
  const nb = lang === 'nb';
  const ranked = report.rankings.filter((r) => r.cases.some((c) => c.rank !== null));
  const rankOf = (r: (typeof ranked)[number], code: string) => {
    const c = r.cases.find((x) => x.code === code);
    if (!c || c.rank === null) return '–';
    const rank = Number.isInteger(c.rank) ? String(c.rank) : fmt(c.rank, lang, 1);
    return c.tier === undefined ? rank : `${rank} · ${c.tier === null ? '–' : `T${c.tier}`}`;
  };
  const notes: string[] = [];
  for (const c of report.cases) {
    if (c.mappedFrom) notes.push(nb ? `${c.mappedFrom.code} ${c.mappedFrom.name} er regnet som ${c.kommune.code} ${c.kommune.name}` : `${c.mappedFrom.code} ${c.mappedFrom.name} counted as ${c.kommune.code} ${c.kommune.name}`);
  }
  if (report.duplicates > 0) notes.push(nb ? `${report.duplicates} rader nevnte en kommune som alt var med, og er slått sammen` : `${report.duplicates} rows named a kommune already listed and were merged`);
  const negatives = report.cases.filter((c) => !c.positive);
  if (negatives.length > 0) notes.push(nb ? `Bare tilfeller mot (teller ikke i målene): ${negatives.map((c) => c.kommune.name).join(', ')}` : `Only cases against (not in the figures): ${negatives.map((c) => c.kommune.name).join(', ')}`);
  const sections: Section[] = [
    ...validationSections(report, lang),
    {
      type: 'table',
      title: nb ? 'Plass per kommune (1 = øverst av 357; T = tier)' : 'Rank per kommune (1 = top of 357; T = tier)',
      columns: [{ label: nb ? 'Kommune' : 'Kommune' }, ...ranked.map((r) => ({ label: r.id, align: 'right' as const }))],
      rows: report.cases.map((c) => [`${c.kommune.code} ${c.kommune.name}${c.positive ? '' : nb ? ' (mot)' : ' (against)'}`, ...ranked.map((r) => rankOf(r, c.kommune.code))]),
    },
  ];
  if (notes.length > 0) sections.push({ type: 'list', title: nb ? 'Merknader' : 'Notes', items: notes });
  const best = report.rankings.find((r) => r.id === report.best);
  const pop = report.rankings.find((r) => r.id === 'befolkning');
  if (best && pop) {
    const beats = best.auc > pop.auc && best.meanPercentile > pop.meanPercentile;
    sections.push({
      type: 'text',
      text: nb
        ? `Best av modellene: ${best.id} (AUC ${fmt(best.auc, lang, 2)}). Den slår ${beats ? '' : 'ikke '}grunnlinjen «sortert etter folketall» (AUC ${fmt(pop.auc, lang, 2)}) på denne listen.`
        : `Best model: ${best.id} (AUC ${fmt(best.auc, lang, 2)}). It does ${beats ? '' : 'not '}beat the "sorted by population" baseline (AUC ${fmt(pop.auc, lang, 2)}) on this list.`,
    });
  }
  const title = nb ? `Validering mot ${source}` : `Validation against ${source}`;
  return { kind: 'sources', lang, title, sections, actions: [], fallback: title, data: report };
}
