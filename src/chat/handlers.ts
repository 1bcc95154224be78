import type { Lang } from '../domain/localized';
import type { Kommune } from '../domain/kommune/types';
import { fmt, fmtPct, fmtPoints } from '../domain/format';
import { formatValue, ruleReason } from '../domain/scoring/explain';
import { kommunefaktaUrl, statbankUrl } from '../domain/kommune/links';
import { PUBLISHERS, TABLE_TITLES, sourceLabel } from '../domain/publishers';
import type { ReadModel } from '../services/read-model';
import type { ScoredKommune } from '../services/scored';
import { appendixB, lookupKommune, rankKommuner, splitKommuneList, type KommuneLookup } from '../services/queries';
import { validationSections } from './validation';
import { knownCasesReport, resolveModelName } from '../services/models';
import { reportJson } from '../services/validation';
import { MAX_COMPARE, type Command } from './grammar';
import type { Action, Reply, Section } from './reply';
import { t } from './texts';
import { HELP_GROUPS, helpRows, type HelpGroup } from './commands';
import { datasetStatusTable, sourcesDocLine } from './status';
import type { DatasetStatus } from '../services/source-coverage';

/** Answers one lookup command (the command table, ./commands.ts, parsed it). */
export async function dispatch(rm: ReadModel, cmd: Command, lang: Lang): Promise<Reply> {
  let view = rm;
  if ('model' in cmd && cmd.model !== null) {
    const found = resolveModelName(rm, cmd.model);
    if (!found) return errorReply(lang, t(lang).unknownModel(cmd.model, rm.all().map((v) => v.model.id)), [{ kind: 'command', label: t(lang).modelsTitle, command: 'modeller' }]);
    view = found;
  }
  switch (cmd.name) {
    case 'kommune':
      return kommuneReply(view, await lookupKommune(view, cmd.query), lang, 'kommune');
    case 'hvorfor':
      return kommuneReply(view, await lookupKommune(view, cmd.query), lang, 'hvorfor');
    case 'topp':
    case 'tier':
      return rankingReply(view, cmd, lang);
    case 'sammenlign':
      return compareReply(view, cmd.queries.length > 0 ? cmd.queries : splitKommuneList(view, cmd.raw), lang);
    case 'modeller':
      return modelsReply(rm, lang);
    case 'kilder':
    case 'status':
      return sourcesReply(rm, lang, cmd.name, cmd.name === 'status' ? rm.datasets : []);
    case 'hjelp':
      return helpReply(lang);
    case 'invalid':
      return errorReply(lang, t(lang).invalid(cmd.problem), [{ kind: 'command', label: t(lang).helpButton, command: 'hjelp' }]);
  }
}

export function errorReply(lang: Lang, message: string, actions: Action[] = []): Reply {
  return { kind: 'error', lang, title: message, sections: [], actions, fallback: message };
}

function tierText(rm: ReadModel, s: ScoredKommune, lang: Lang): string {
  const tx = t(lang);
  if (s.tier === null) return tx.tierUnclassified;
  return `Tier ${s.tier}${s.heldByHysteresis ? ` (${tx.heldByHysteresis(rm.model.tiers.tier1ExitBelow)})` : ''}`;
}

/** " modell <id>" for commands about a model that is not the default, so buttons stay on it. */
function modelSuffix(rm: ReadModel): string {
  return rm.isDefault ? '' : ` modell ${rm.model.id}`;
}

/** "Bodø (Nordland)"; names of twins already carry their county ("Herøy (Nordland)"). */
function withCounty(k: Kommune): string {
  return k.name.includes(`(${k.countyName})`) ? k.name : `${k.name} (${k.countyName})`;
}

function notFoundReply(res: Exclude<KommuneLookup, { kind: 'found' }>, lang: Lang, command: 'kommune' | 'hvorfor'): Reply {
  const tx = t(lang);
  if (res.kind === 'ambiguous') {
    const title = res.reason === 'split' ? tx.splitKommune(res.input) : tx.ambiguous(res.input);
    return {
      kind: 'choice',
      lang,
      title,
      sections: [{ type: 'list', items: res.candidates.map((k) => `${k.code} ${withCounty(k)}`) }],
      actions: res.candidates.map((k) => ({ kind: 'command', label: withCounty(k), command: `${command} ${k.code}` })),
      fallback: `${title} ${res.candidates.map((k) => `${k.code} ${k.name}`).join(', ')}`,
    };
  }
  const title = tx.notFound(res.input);
  if (res.suggestions.length === 0) {
    return { kind: 'error', lang, title, sections: [{ type: 'text', text: tx.notFoundHint }], actions: [], fallback: title };
  }
  return {
    kind: 'choice',
    lang,
    title,
    subtitle: tx.didYouMean,
    sections: [{ type: 'list', items: res.suggestions.map((k) => `${k.code} ${withCounty(k)}`) }],
    actions: res.suggestions.map((k) => ({ kind: 'command', label: k.name, command: `${command} ${k.code}` })),
    fallback: `${title} ${tx.didYouMean} ${res.suggestions.map((k) => k.name).join(', ')}`,
  };
}

function scoreLine(rm: ReadModel, s: ScoredKommune, lang: Lang): string {
  const tx = t(lang);
  return `${fmtPoints(s.total, lang)}/100 · ${tierText(rm, s, lang)} · ${tx.coverage} ${fmtPct(s.coverage * 100, lang, 0)}`;
}

/** One line per other model: its score and tier for the same kommune, and the command for it. */
function otherModels(rm: ReadModel, code: string, lang: Lang, mode: 'kommune' | 'hvorfor'): string[] {
  const tx = t(lang);
  return rm
    .all()
    .filter((v) => v !== rm)
    .map((v) => {
      const s = v.scores.get(code);
      const score = s ? `${fmtPoints(s.total, lang)}/100 · ${s.tier === null ? tx.tierUnclassified : `Tier ${s.tier}`}` : tx.notScoredYet;
      return tx.otherModel(v.model.title[lang], score, `${mode} ${code}${modelSuffix(v)}`);
    });
}

function sourcesOf(s: ScoredKommune): string[] {
  const seen = new Map<string, Set<string>>();
  const add = (source: string, table: string, period: string) => {
    const key = sourceLabel(source, table);
    let set = seen.get(key);
    if (!set) seen.set(key, (set = new Set()));
    set.add(period);
  };
  for (const r of s.rules) for (const i of r.inputs) add(i.source, i.sourceTable, i.period);
  for (const k of s.keyIndicators) for (const i of k.sources) add(i.source, i.sourceTable, i.period);
  return [...seen.entries()].map(([k, periods]) => `${k} (${[...periods].sort().join(', ')})`).sort();
}

function trendText(rm: ReadModel, lookup: Extract<KommuneLookup, { kind: 'found' }>, lang: Lang): string {
  const tx = t(lang);
  const [latest, previous] = lookup.history;
  if (!latest || !previous) return tx.noTrend;
  const diff = latest.total - previous.total;
  const when = previous.finishedAt.toISOString().slice(0, 10);
  const tierChange = latest.tier !== previous.tier ? ` · Tier ${previous.tier ?? '–'} → ${latest.tier ?? '–'}` : '';
  return `${fmt(diff, lang, 0, true)} ${tx.pointsSince} ${when}${tierChange}`;
}

function kommuneReply(rm: ReadModel, lookup: KommuneLookup, lang: Lang, mode: 'kommune' | 'hvorfor'): Reply {
  if (lookup.kind !== 'found') return notFoundReply(lookup, lang, mode);
  const tx = t(lang);
  const k = lookup.kommune;
  const s = lookup.score;
  const title = `${k.code} ${k.name}`;
  const notes: string[] = [];
  if (lookup.resolution.previous) notes.push(tx.codeChanged(lookup.resolution.previous, k));
  if (!s) {
    return { kind: 'kommune', lang, title, subtitle: k.countyName, sections: [{ type: 'text', text: tx.notScoredYet }], actions: [], fallback: `${title}: ${tx.notScoredYet}` };
  }
  const percentile = rm.model.kind === 'percentile';
  const suffix = modelSuffix(rm);
  const sections: Section[] = [];
  if (notes.length > 0) sections.push({ type: 'context', text: notes.join(' ') });
  const gates = s.gates.filter((g) => g.kind === 'flag' || g.triggered);
  const categories: Section = {
    type: 'fields',
    title: percentile ? tx.pillars : tx.categories,
    fields: s.categories.map((c) => ({
      label: c.label[lang],
      value: percentile ? `${fmtPoints(c.points, lang)}/${c.max} · ${fmtPct((c.coverage ?? 0) * 100, lang, 0)} ${tx.withData.toLowerCase()}` : `${fmt(c.points, lang)}/${c.max} · ${c.coveredMax}/${c.max} ${tx.withData.toLowerCase()}`,
    })),
  };
  if (mode === 'kommune') {
    // At a glance: the three strongest reasons, the key figures against the country, the
    // categories; every rule is one tap away ("Hvorfor?").
    const reasons = strongestReasons(s, lang, percentile);
    if (reasons.length > 0) sections.push({ type: 'list', title: tx.strongest, items: reasons });
    sections.push({
      type: 'table',
      title: tx.keyIndicators,
      columns: [{ label: tx.indicator }, { label: k.name.split(' - ')[0]!, align: 'right' }, { label: tx.norway, align: 'right' }],
      rows: s.keyIndicators.map((ki) => {
        // Kroner go in the label ("… (kr/m², 2024)"), so the value columns stay narrow on a phone.
        const inLabel = ki.unit === 'kr' || ki.unit === 'kr/m²' ? ki.unit : null;
        const value = (v: number) => (inLabel ? fmt(Math.round(v), lang) : formatValue(v, ki.unit, lang));
        const qualifier = [inLabel, ki.period].filter(Boolean).join(', ');
        return [qualifier ? `${ki.label[lang]} (${qualifier})` : ki.label[lang], ki.value === null ? tx.missing : value(ki.value), ki.national ? value(ki.national.value) : '–'];
      }),
    });
    sections.push(categories);
    const missing = s.rules.filter((r) => r.points === null && r.outcome.k !== 'inactive');
    if (missing.length > 0) {
      sections.push({ type: 'list', title: tx.missingData, items: missing.map((r) => `${r.label[lang]} (${fmtPoints(r.maxPoints, lang)} p): ${r.missing?.[lang] ?? ruleReason(r, lang)}`) });
    }
    const held = gates.filter((g) => g.triggered);
    if (held.length > 0) sections.push({ type: 'list', title: tx.gates, items: held.map((g) => `${g.label[lang]}: ${g.reason[lang]}`) });
    if (rm.lotCounts) sections.push({ type: 'context', text: `${lang === 'nb' ? 'Åpne tomter' : 'Open lots'}: ${rm.lotCounts.get(k.code) ?? 0}` });
  } else {
    sections.push(categories);
    if (percentile) sections.push(...pillarSections(s, lang));
    else {
      sections.push({
        type: 'table',
        title: tx.rules,
        columns: [{ label: tx.rule }, { label: tx.points, align: 'right' }, { label: tx.reason }],
        rows: s.rules.map((r) => [r.label[lang], r.points === null ? `–/${r.maxPoints}` : `${r.points}/${r.maxPoints}`, ruleReason(r, lang)]),
      });
    }
    if (gates.length > 0) {
      sections.push({ type: 'list', title: tx.gates, items: gates.map((g) => `${g.label[lang]}: ${g.triggered ? `${tx.gateHolds} – ${g.reason[lang]}` : tx.gateClear}`) });
    }
    sections.push({
      type: 'list',
      title: tx.ruleSources,
      items: s.rules.map((r) => `${r.label[lang]}: ${[...new Set(r.inputs.map((i) => `${sourceLabel(i.source, i.sourceTable)} ${i.period}`))].join(', ') || tx.none}`),
    });
  }
  const inactive = s.rules.filter((r) => r.outcome.k === 'inactive').length;
  if (percentile && inactive > 0) sections.push({ type: 'context', text: tx.inactiveNote(inactive) });
  sections.push({ type: 'context', text: `${tx.sources}: ${sourcesOf(s).join('; ')}` });
  sections.push({ type: 'context', text: tx.modelLine(rm.model.id, rm.model.version, rm.run?.finishedAt ?? null) });
  const others = otherModels(rm, k.code, lang, mode);
  if (others.length > 0) sections.push({ type: 'context', text: others.join(' · ') });
  const actions: Action[] =
    mode === 'kommune'
      ? [{ kind: 'command', label: tx.whyButton, command: `hvorfor ${k.code}${suffix}`, style: 'primary' }, { kind: 'share', label: tx.shareButton, command: `kommune ${k.code}${suffix}` }]
      : [{ kind: 'command', label: tx.cardButton, command: `kommune ${k.code}${suffix}` }, { kind: 'share', label: tx.shareButton, command: `hvorfor ${k.code}${suffix}` }];
  return {
    kind: mode === 'kommune' ? 'kommune' : 'explanation',
    lang,
    title,
    subtitle: k.countyName,
    score: {
      total: s.total,
      maxPossible: s.maxPossible,
      tier: s.tier,
      coverage: s.coverage,
      tierText: tierText(rm, s, lang),
      trend: `${tx.trend}: ${trendText(rm, lookup, lang)}`,
      coverageText: `${tx.coverage} ${fmtPct(s.coverage * 100, lang, 0)}`,
    },
    sections,
    actions,
    links: kommuneLinks(k, s),
    fallback: `${title}: ${scoreLine(rm, s, lang)}`,
    data: appendixB(rm, k, s),
  };
}

/**
 * The card's three strongest reasons, one line each. Percentile models: the three indicators
 * ranked highest among the kommuner (value and percentile); points models: the three rules that
 * give the most points (with the rule's reason). Sources and periods are in the card's source line.
 */
function strongestReasons(s: ScoredKommune, lang: Lang, percentile: boolean): string[] {
  if (!percentile) {
    return s.rules
      .filter((r) => r.points !== null && r.points > 0)
      .sort((a, b) => (b.points ?? 0) - (a.points ?? 0))
      .slice(0, 3)
      .map((r) => `${r.label[lang]}: ${ruleReason(r, lang)}`);
  }
  const ranked = s.rules.filter((r) => r.outcome.k === 'percentile' && r.value !== null && r.detail !== null);
  const pct = (r: (typeof ranked)[number]) => (r.outcome.k === 'percentile' ? r.outcome.percentile : 0);
  return [...ranked]
    .sort((a, b) => pct(b) - pct(a))
    .slice(0, 3)
    .map((r) => {
      const value = r.detail?.k === 'popchange' ? fmtPct(r.value!, lang, 1, true) : formatValue(r.value!, r.unit ?? '', lang);
      return `▲ ${r.label[lang]}: ${value} (${lang === 'nb' ? 'persentil' : 'percentile'} ${Math.round(pct(r) * 100)})`;
    });
}

/** SSB's page about the kommune and the statbank tables behind its key figures. */
function kommuneLinks(k: Kommune, s: ScoredKommune): { label: string; url: string }[] {
  const tables = new Map<string, string>();
  for (const ki of s.keyIndicators) {
    for (const x of ki.sources) {
      const url = statbankUrl(x.source, x.sourceTable);
      if (url) tables.set(x.sourceTable, url);
    }
  }
  return [{ label: 'SSB kommunefakta', url: kommunefaktaUrl(k) }, ...[...tables].slice(0, 4).map(([table, url]) => ({ label: `SSB ${table}`, url }))];
}

/** `hvorfor` for a percentile model: per pillar, each indicator's value, percentile, points and source. */
function pillarSections(s: ScoredKommune, lang: Lang): Section[] {
  const tx = t(lang);
  const nb = lang === 'nb';
  return s.categories.map((c): Section => ({
    type: 'table',
    title: `${c.label[lang]}: ${fmtPoints(c.points, lang)} ${tx.of} ${c.max}`,
    columns: [{ label: tx.indicator }, { label: tx.points, align: 'right' }, { label: tx.reason }],
    rows: s.rules
      .filter((r) => r.category === c.id)
      .map((r) => [
        r.label[lang],
        r.points === null ? (r.outcome.k === 'inactive' ? (nb ? 'ikke med' : 'not used') : `–/${fmtPoints(r.maxPoints, lang)}`) : `${fmtPoints(r.points, lang)}/${fmtPoints(r.maxPoints, lang)}`,
        ruleReason(r, lang),
      ]),
  }));
}

function rankingReply(rm: ReadModel, cmd: Extract<Command, { name: 'topp' | 'tier' }>, lang: Lang): Reply {
  const tx = t(lang);
  let county: { code: string; name: string } | undefined;
  if (cmd.county) {
    county = rm.registry.resolveCounty(cmd.county);
    if (!county) {
      return { ...errorReply(lang, tx.unknownCounty(cmd.county)), sections: [{ type: 'list', title: tx.counties, items: rm.registry.counties().map((c) => c.name) }] };
    }
  }
  const limit = cmd.name === 'topp' ? cmd.limit : 357;
  const { items, matched } = rankKommuner(rm, { limit, countyCode: county?.code ?? null, tier: cmd.name === 'tier' ? cmd.tier : null });
  const title = cmd.name === 'topp' ? tx.topTitle(items.length, county?.name) : tx.tierTitle(cmd.tier, matched, county?.name);
  if (items.length === 0) return { kind: 'ranking', lang, title, sections: [{ type: 'text', text: tx.noneMatched }], actions: [], fallback: title };
  const unclassified = cmd.name === 'topp' ? items.filter((i) => i.score.tier === null).length : 0;
  const sections: Section[] = [
    {
      type: 'table',
      // Five narrow columns that fit a phone: the county rides with the name.
      columns: [{ label: '#', align: 'right' }, { label: tx.kommune }, { label: tx.points, align: 'right' }, { label: 'Tier' }, { label: tx.coverageShort, align: 'right' }],
      rows: items.map((i) => [
        String(i.rank),
        county ? `${i.kommune.code} ${i.kommune.name}` : `${i.kommune.code} ${i.kommune.name} (${i.kommune.countyName})`,
        fmtPoints(i.score.total, lang),
        i.score.tier === null ? '–' : String(i.score.tier),
        fmtPct(i.score.coverage * 100, lang, 0),
      ]),
    },
  ];
  if (unclassified > 0) sections.push({ type: 'context', text: tx.unclassifiedNote(rm.model.tiers.minCoverage) });
  sections.push({ type: 'context', text: tx.modelLine(rm.model.id, rm.model.version, rm.run?.finishedAt ?? null) });
  return {
    kind: 'ranking',
    lang,
    title,
    sections,
    actions: [
      // Four kommuner and the comparison: five actions, what a card holds (adapters/teams/cards.ts).
      ...items.slice(0, 4).map((i): Action => ({ kind: 'command', label: i.kommune.name, command: `kommune ${i.kommune.code}${modelSuffix(rm)}` })),
      ...(items.length >= 2
        ? [{ kind: 'command' as const, label: tx.compareTop(Math.min(5, items.length)), command: `sammenlign ${items.slice(0, 5).map((i) => i.kommune.code).join(', ')}${modelSuffix(rm)}` }]
        : []),
    ],
    fallback: `${title}: ${items.slice(0, 10).map((i) => `${i.rank}. ${i.kommune.name} ${i.score.total}`).join(', ')}`,
    data: items.map((i) => appendixB(rm, i.kommune, i.score)),
  };
}

async function compareReply(rm: ReadModel, queries: string[], lang: Lang): Promise<Reply> {
  const tx = t(lang);
  if (queries.length < 2) return errorReply(lang, tx.invalid({ k: 'too-few-to-compare' }));
  if (queries.length > MAX_COMPARE) return errorReply(lang, tx.invalid({ k: 'too-many-to-compare', max: MAX_COMPARE }));
  const found: { k: Kommune; s: ScoredKommune }[] = [];
  for (const q of queries) {
    const res = await lookupKommune(rm, q);
    if (res.kind !== 'found') return notFoundReply(res, lang, 'kommune');
    if (!res.score) return errorReply(lang, `${res.kommune.name}: ${tx.notScoredYet}`);
    if (!found.some((f) => f.k.code === res.kommune.code)) found.push({ k: res.kommune, s: res.score });
  }
  if (found.length < 2) return errorReply(lang, tx.invalid({ k: 'too-few-to-compare' }));
  const head = [{ label: '' }, ...found.map((f) => ({ label: f.k.name.split(' - ')[0]!, align: 'right' as const }))];
  const rows: string[][] = [
    [tx.total, ...found.map((f) => fmtPoints(f.s.total, lang))],
    ['Tier', ...found.map((f) => (f.s.tier === null ? '–' : String(f.s.tier)))],
    [tx.coverage, ...found.map((f) => fmtPct(f.s.coverage * 100, lang, 0))],
    ...found[0]!.s.categories.map((c, ci) => [c.label[lang], ...found.map((f) => `${fmtPoints(f.s.categories[ci]?.points ?? 0, lang)}/${c.max}`)]),
  ];
  const kiRows = found[0]!.s.keyIndicators.map((ki, i) => [
    ki.label[lang],
    ...found.map((f) => {
      const x = f.s.keyIndicators[i];
      return x && x.value !== null ? formatValue(x.value, x.unit, lang) : tx.missing;
    }),
  ]);
  const title = tx.compareTitle(found.map((f) => f.k.name.split(' - ')[0]!));
  return {
    kind: 'comparison',
    lang,
    title,
    sections: [
      { type: 'table', title: tx.score, columns: head, rows },
      { type: 'table', title: tx.keyIndicators, columns: head, rows: kiRows },
      { type: 'context', text: tx.modelLine(rm.model.id, rm.model.version, rm.run?.finishedAt ?? null) },
    ],
    actions: found.map((f) => ({ kind: 'command', label: `${tx.whyButton}: ${f.k.name.split(' - ')[0]}`, command: `hvorfor ${f.k.code}${modelSuffix(rm)}` })),
    fallback: `${title}: ${found.map((f) => `${f.k.name} ${f.s.total}`).join(', ')}`,
    data: found.map((f) => appendixB(rm, f.k, f.s)),
  };
}

function sourcesReply(rm: ReadModel, lang: Lang, name: 'kilder' | 'status', datasets: readonly DatasetStatus[]): Reply {
  const tx = t(lang);
  const publishers = [...new Set(rm.sources.map((s) => s.source))];
  const sections: Section[] = [
    {
      type: 'table',
      columns: [{ label: tx.source }, { label: tx.table }, { label: tx.periods }, { label: tx.kommuner, align: 'right' }, { label: tx.fetched }],
      rows: rm.sources.map((s) => [
        /^\d{5}$/.test(s.sourceTable) ? sourceLabel(s.source, s.sourceTable) : s.source,
        TABLE_TITLES[s.sourceTable]?.[lang] ?? s.sourceTable,
        periodRange(s.periods),
        String(s.kommuner),
        s.fetchedAt.slice(0, 10),
      ]),
    },
    {
      type: 'list',
      title: tx.licences,
      items: publishers.map((p) => {
        const info = PUBLISHERS[p];
        return info ? `${info.name[lang]}: ${info.licence}. «${info.attribution}»` : p;
      }),
    },
    { type: 'context', text: tx.sourcesNote },
    sourcesDocLine(lang),
  ];
  if (name === 'status') {
    sections.unshift({ type: 'text', text: tx.statusNote(rm.run?.finishedAt ?? null, rm.sourceStatus.length > 0) }, datasetStatusTable(datasets, rm.registry.all().length, lang));
  }
  return { kind: 'sources', lang, title: name === 'status' ? tx.statusTitle : tx.sourcesTitle, sections, actions: [], fallback: tx.sourcesTitle };
}

/** `modeller`: every model as data in short, the default marked, and how each finds the known cases. */
function modelsReply(rm: ReadModel, lang: Lang): Reply {
  const tx = t(lang);
  const sections: Section[] = [];
  for (const v of rm.all()) {
    const m = v.model;
    const parts = m.kind === 'percentile' ? m.pillars.map((p) => `${p.label[lang]} ${p.weight}`) : m.categories.map((c) => `${c.label[lang]} ${c.max}`);
    const tiers = m.kind === 'percentile' ? `Tier 1 ≥ ${m.tiers.tier1Min}, Tier 2 ≥ ${m.tiers.tier2Min}` : `Tier 1 ≥ ${m.tiers.tier1Min}, Tier 2 ≥ ${m.tiers.tier2Min}`;
    const counts = [1, 2, 3].map((tier) => [...v.scores.values()].filter((s) => s.tier === tier).length);
    const unclassified = [...v.scores.values()].filter((s) => s.tier === null).length;
    sections.push({
      type: 'fields',
      title: `${m.title[lang]} (${m.id} v${m.version})${v.isDefault ? ` · ${tx.modelDefault}` : ''}`,
      fields: [
        { label: lang === 'nb' ? 'Oppbygging' : 'Structure', value: parts.join(' · ') },
        { label: 'Tier', value: `${tiers} · ${lang === 'nb' ? 'nå' : 'now'} ${counts.join(' / ')}${unclassified > 0 ? ` / – ${unclassified}` : ''}` },
      ],
    });
    sections.push({ type: 'text', text: m.description[lang] });
  }
  const report = knownCasesReport(rm);
  if (report) sections.push(...validationSections(reportJson(report), lang));
  return {
    kind: 'sources',
    lang,
    title: tx.modelsTitle,
    sections,
    actions: rm.all().map((v) => ({ kind: 'command', label: `${lang === 'nb' ? 'Topp 10' : 'Top 10'}: ${v.model.id}`, command: `topp 10${modelSuffix(v)}` })),
    fallback: `${tx.modelsTitle}: ${rm.all().map((v) => v.model.id).join(', ')}`,
  };
}

function periodRange(periods: string[]): string {
  if (periods.length <= 3) return periods.join(', ');
  return `${periods[0]}–${periods[periods.length - 1]}`;
}

const HELP_TITLES: Record<HelpGroup, Record<Lang, string | undefined>> = {
  lookup: { nb: undefined, en: undefined },
  alerts: { nb: 'Varsler (i Slack og Teams)', en: 'Alerts (in Slack and Teams)' },
  lots: { nb: 'Tomter', en: 'Lots' },
  admin: { nb: 'For administratorer', en: 'For administrators' },
};

/** The help card: every command's full syntax and what it does, by group, from the command table. */
function helpReply(lang: Lang): Reply {
  const tx = t(lang);
  const tables: Section[] = HELP_GROUPS.map((group) => {
    const title = HELP_TITLES[group][lang];
    return { type: 'table', ...(title ? { title } : {}), columns: [{ label: tx.command }, { label: tx.what }], rows: helpRows(group, lang) };
  });
  return {
    kind: 'help',
    lang,
    title: tx.helpTitle,
    sections: [...tables, { type: 'context', text: tx.helpFooter }],
    actions: [{ kind: 'command', label: tx.topButton, command: 'topp 10' }],
    fallback: tx.helpTitle,
  };
}
