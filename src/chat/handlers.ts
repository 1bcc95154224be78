import type { Lang } from '../domain/localized';
import type { Kommune } from '../domain/kommune/types';
import { fmt, fmtPct } from '../domain/format';
import { formatValue, ruleReason } from '../domain/scoring/explain';
import { PUBLISHERS, TABLE_TITLES, sourceLabel } from '../domain/publishers';
import type { ReadModel } from '../services/read-model';
import type { ScoredKommune } from '../services/scored';
import { appendixB, lookupKommune, rankKommuner, splitKommuneList, type KommuneLookup } from '../services/queries';
import { MAX_COMPARE, parseCommand, type Command } from './grammar';
import { parseSubscriptionCommand } from './subscriptions/grammar';
import { handleSubscriptionCommand } from './subscriptions/handlers';
import { subscriptionHelpRows } from './subscriptions/describe';
import { handleLotCommand, parseLotCommand } from './lots';
import type { ChatPlace } from '../services/subscriptions';
import type { Actor } from '../domain/access';
import { handleAdminCommand, parseAdminCommand } from './admin';
import { commandDuration } from '../lib/metrics';
import type { Action, Reply, Section } from './reply';
import { t } from './texts';

export interface ChatContext {
  rm: ReadModel;
  /** The user's language when the command does not choose one. */
  lang: Lang;
  /** The channel and user in Slack or Teams; absent in the CLI (no subscriptions there). */
  place?: ChatPlace;
  /** Names of the scheduled jobs, for `jobber` (jobs/registry.ts, passed by the adapter). */
  jobNames?: readonly string[];
  /**
   * Who sent the command (platform, user, workspace, whether an administrator), as the adapter
   * established it. Absent: an ordinary member (domain/access.ts decides what that allows).
   */
  actor?: Actor;
  /** Starts a job now for `kjør <jobb>`; absent or null where jobs cannot be run from chat. */
  runJob?: (name: string, by: Actor) => Promise<unknown> | null;
}

/**
 * Commands whose answer depends on the place or the sender, or changes without a new score run
 * (subscriptions, mutes, lot sources, jobs, the audit log): surfaces must not cache their replies.
 */
export function isVolatileCommand(text: string): boolean {
  return parseSubscriptionCommand(text) !== null || parseLotCommand(text) !== null || parseAdminCommand(text) !== null;
}

/** Parses and answers one command. Never throws for bad input: every input gets a Reply. */
export async function handleCommand(ctx: ChatContext, text: string): Promise<Reply> {
  const sub = parseSubscriptionCommand(text);
  if (sub) {
    const lang = sub.lang ?? ctx.lang;
    try {
      return await handleSubscriptionCommand(ctx.rm, ctx.place ?? null, sub, lang, ctx.actor);
    } catch (err) {
      ctx.rm.deps.logger.error('subscription command failed', { command: sub.name, error: err });
      return errorReply(lang, t(lang).internalError);
    }
  }
  const lotCmd = parseLotCommand(text);
  if (lotCmd) {
    const lang = lotCmd.lang ?? ctx.lang;
    try {
      return await handleLotCommand(ctx.rm, ctx.place ?? null, lotCmd, lang, ctx.actor);
    } catch (err) {
      ctx.rm.deps.logger.error('lot command failed', { command: lotCmd.name, error: err });
      return errorReply(lang, t(lang).internalError);
    }
  }
  const adminCmd = parseAdminCommand(text);
  if (adminCmd) {
    const lang = adminCmd.lang ?? ctx.lang;
    try {
      return await handleAdminCommand({ rm: ctx.rm, place: ctx.place ?? null, actor: ctx.actor, jobNames: ctx.jobNames ?? [], ...(ctx.runJob ? { runJob: ctx.runJob } : {}) }, adminCmd, lang);
    } catch (err) {
      ctx.rm.deps.logger.error('admin command failed', { command: adminCmd.name, error: err });
      return errorReply(lang, t(lang).internalError);
    }
  }
  const cmd = parseCommand(text);
  const lang = cmd.lang ?? ctx.lang;
  const started = performance.now();
  try {
    return await dispatch(ctx.rm, cmd, lang);
  } catch (err) {
    ctx.rm.deps.logger.error('command failed', { command: cmd.name, error: err });
    return errorReply(lang, t(lang).internalError);
  } finally {
    commandDuration.observe((performance.now() - started) / 1000, { command: cmd.name });
  }
}

async function dispatch(rm: ReadModel, cmd: Command, lang: Lang): Promise<Reply> {
  switch (cmd.name) {
    case 'kommune':
      return kommuneReply(rm, await lookupKommune(rm, cmd.query), lang, 'kommune');
    case 'hvorfor':
      return kommuneReply(rm, await lookupKommune(rm, cmd.query), lang, 'hvorfor');
    case 'topp':
    case 'tier':
      return rankingReply(rm, cmd, lang);
    case 'sammenlign':
      return compareReply(rm, cmd.queries.length > 0 ? cmd.queries : splitKommuneList(rm, cmd.raw), lang);
    case 'kilder':
    case 'status':
      return sourcesReply(rm, lang, cmd.name);
    case 'hjelp':
      return helpReply(lang);
    case 'invalid':
      return errorReply(lang, t(lang).invalid(cmd.problem), [{ kind: 'command', label: t(lang).helpButton, command: 'hjelp' }]);
  }
}

function errorReply(lang: Lang, message: string, actions: Action[] = []): Reply {
  return { kind: 'error', lang, title: message, sections: [], actions, fallback: message };
}

function tierText(s: ScoredKommune, lang: Lang): string {
  const tx = t(lang);
  if (s.tier === null) return tx.tierUnclassified;
  return `Tier ${s.tier}${s.heldByHysteresis ? ` (${tx.heldByHysteresis})` : ''}`;
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

function scoreLine(s: ScoredKommune, lang: Lang): string {
  const tx = t(lang);
  return `${fmt(s.total, lang)}/100 · ${tierText(s, lang)} · ${tx.coverage} ${fmtPct(s.coverage * 100, lang, 0)}`;
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
  const sections: Section[] = [];
  if (notes.length > 0) sections.push({ type: 'context', text: notes.join(' ') });
  sections.push({
    type: 'fields',
    fields: [
      { label: tx.total, value: `${fmt(s.total, lang)} ${tx.of} 100` },
      { label: 'Tier', value: tierText(s, lang) },
      { label: tx.coverage, value: tx.coverageValue(s) },
      { label: tx.trend, value: trendText(rm, lookup, lang) },
      ...(rm.lotCounts ? [{ label: lang === 'nb' ? 'Åpne tomter' : 'Open lots', value: String(rm.lotCounts.get(k.code) ?? 0) }] : []),
    ],
  });
  sections.push({
    type: 'table',
    title: tx.categories,
    columns: [{ label: tx.category }, { label: tx.points, align: 'right' }, { label: tx.withData, align: 'right' }],
    rows: s.categories.map((c) => [c.label[lang], `${fmt(c.points, lang)}/${c.max}`, `${c.coveredMax}/${c.max}`]),
  });
  if (mode === 'hvorfor') {
    sections.push({
      type: 'table',
      title: tx.rules,
      columns: [{ label: tx.rule }, { label: tx.points, align: 'right' }, { label: tx.reason }],
      rows: s.rules.map((r) => [r.label[lang], r.points === null ? `–/${r.maxPoints}` : `${r.points}/${r.maxPoints}`, ruleReason(r, lang)]),
    });
    sections.push({
      type: 'list',
      title: tx.ruleSources,
      items: s.rules.map((r) => `${r.label[lang]}: ${[...new Set(r.inputs.map((i) => `${sourceLabel(i.source, i.sourceTable)} ${i.period}`))].join(', ') || tx.none}`),
    });
  } else {
    sections.push({
      type: 'table',
      title: tx.keyIndicators,
      columns: [{ label: tx.indicator }, { label: k.name.split(' - ')[0]!, align: 'right' }, { label: tx.norway, align: 'right' }, { label: tx.period }, { label: tx.source }],
      rows: s.keyIndicators.map((ki) => [
        ki.label[lang],
        ki.value === null ? `${tx.missing}` : formatValue(ki.value, ki.unit, lang),
        ki.national ? formatValue(ki.national.value, ki.unit, lang) : '–',
        ki.period ?? '–',
        [...new Set(ki.sources.map((x) => sourceLabel(x.source, x.sourceTable)))].join(', ') || '–',
      ]),
    });
    const missing = s.rules.filter((r) => r.points === null);
    if (missing.length > 0) {
      sections.push({ type: 'list', title: tx.missingData, items: missing.map((r) => `${r.label[lang]} (${r.maxPoints} p): ${r.missing?.[lang] ?? ruleReason(r, lang)}`) });
    }
  }
  sections.push({ type: 'context', text: `${tx.sources}: ${sourcesOf(s).join('; ')}` });
  sections.push({ type: 'context', text: tx.modelLine(rm.deps.model.id, rm.deps.model.version, rm.run?.finishedAt ?? null) });
  const actions: Action[] =
    mode === 'kommune'
      ? [{ kind: 'command', label: tx.whyButton, command: `hvorfor ${k.code}`, style: 'primary' }, { kind: 'share', label: tx.shareButton, command: `kommune ${k.code}` }]
      : [{ kind: 'command', label: tx.cardButton, command: `kommune ${k.code}` }, { kind: 'share', label: tx.shareButton, command: `hvorfor ${k.code}` }];
  return {
    kind: mode === 'kommune' ? 'kommune' : 'explanation',
    lang,
    title,
    subtitle: `${k.countyName} · ${scoreLine(s, lang)}`,
    score: { total: s.total, maxPossible: s.maxPossible, tier: s.tier, coverage: s.coverage },
    sections,
    actions,
    fallback: `${title}: ${scoreLine(s, lang)}`,
    data: appendixB(rm, k, s),
  };
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
      columns: [{ label: '#', align: 'right' }, { label: tx.kommune }, { label: tx.county }, { label: tx.points, align: 'right' }, { label: 'Tier' }, { label: tx.coverage, align: 'right' }],
      rows: items.map((i) => [
        String(i.rank),
        `${i.kommune.code} ${i.kommune.name}`,
        i.kommune.countyName,
        fmt(i.score.total, lang),
        i.score.tier === null ? '–' : String(i.score.tier),
        fmtPct(i.score.coverage * 100, lang, 0),
      ]),
    },
  ];
  if (unclassified > 0) sections.push({ type: 'context', text: tx.unclassifiedNote });
  sections.push({ type: 'context', text: tx.modelLine(rm.deps.model.id, rm.deps.model.version, rm.run?.finishedAt ?? null) });
  return {
    kind: 'ranking',
    lang,
    title,
    sections,
    actions: [
      ...items.slice(0, 5).map((i): Action => ({ kind: 'command', label: i.kommune.name, command: `kommune ${i.kommune.code}` })),
      ...(items.length >= 2
        ? [{ kind: 'command' as const, label: tx.compareTop(Math.min(5, items.length)), command: `sammenlign ${items.slice(0, 5).map((i) => i.kommune.code).join(', ')}` }]
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
    [tx.total, ...found.map((f) => `${fmt(f.s.total, lang)}`)],
    ['Tier', ...found.map((f) => (f.s.tier === null ? '–' : String(f.s.tier)))],
    [tx.coverage, ...found.map((f) => fmtPct(f.s.coverage * 100, lang, 0))],
    ...found[0]!.s.categories.map((c, ci) => [c.label[lang], ...found.map((f) => `${fmt(f.s.categories[ci]?.points ?? 0, lang)}/${c.max}`)]),
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
      { type: 'context', text: tx.modelLine(rm.deps.model.id, rm.deps.model.version, rm.run?.finishedAt ?? null) },
    ],
    actions: found.map((f) => ({ kind: 'command', label: `${tx.whyButton}: ${f.k.name.split(' - ')[0]}`, command: `hvorfor ${f.k.code}` })),
    fallback: `${title}: ${found.map((f) => `${f.k.name} ${f.s.total}`).join(', ')}`,
    data: found.map((f) => appendixB(rm, f.k, f.s)),
  };
}

function sourcesReply(rm: ReadModel, lang: Lang, name: 'kilder' | 'status'): Reply {
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
  ];
  if (name === 'status') {
    const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '–');
    sections.unshift(
      { type: 'text', text: tx.statusNote(rm.run?.finishedAt ?? null, rm.sourceStatus.length > 0) },
      {
        type: 'table',
        title: tx.refreshTitle,
        columns: [{ label: tx.source }, { label: tx.lastSuccess }, { label: tx.lastFailure }, { label: tx.periods }],
        rows:
          rm.sourceStatus.length === 0
            ? [[tx.neverRefreshed, '–', '–', '–']]
            : rm.sourceStatus.map((s) => [
                `${s.source} ${s.dataset}`,
                when(s.lastSuccessAt),
                s.lastFailureAt && (!s.lastSuccessAt || s.lastFailureAt > s.lastSuccessAt) ? `${when(s.lastFailureAt)}: ${(s.lastError ?? '').slice(0, 80)}` : when(s.lastFailureAt),
                periodRange(s.periods ?? []) || '–',
              ]),
      },
    );
  }
  return { kind: 'sources', lang, title: name === 'status' ? tx.statusTitle : tx.sourcesTitle, sections, actions: [], fallback: tx.sourcesTitle };
}

function periodRange(periods: string[]): string {
  if (periods.length <= 3) return periods.join(', ');
  return `${periods[0]}–${periods[periods.length - 1]}`;
}

function helpReply(lang: Lang): Reply {
  const tx = t(lang);
  return {
    kind: 'help',
    lang,
    title: tx.helpTitle,
    sections: [
      { type: 'table', columns: [{ label: tx.command }, { label: tx.what }], rows: tx.helpRows },
      { type: 'table', title: lang === 'nb' ? 'Varsler (i Slack og Teams)' : 'Alerts (in Slack and Teams)', columns: [{ label: tx.command }, { label: tx.what }], rows: subscriptionHelpRows(lang) },
      {
        type: 'table',
        title: lang === 'nb' ? 'Tomter' : 'Lots',
        columns: [{ label: tx.command }, { label: tx.what }],
        rows:
          lang === 'nb'
            ? [
                ['tomter <kommune>', 'Kjente åpne tomter: areal, kilde, først sett, kart'],
                ['abonner tomter [fylke …] [min 2000 m2]', 'Varsel om nye tomter og planoppstart'],
                ['tomtekilder', 'Tomtekildene og når de sist ble hentet'],
                ['tomtekilde legg til <type> <url> [kommune <navn>]', 'Ny kilde: geojson, wfs, matrikkel-csv eller dibk-plans (administratorer)'],
                ['tomtekilde fjern <id>', 'Fjern en kilde (administratorer)'],
              ]
            : [
                ['lots <kommune>', 'Known open lots: area, source, first seen, map'],
                ['subscribe lots [county …] [min 2000 m2]', 'Alerts on new lots and plan starts'],
                ['lot sources', 'The lot sources and when they were last fetched'],
                ['lot-source add <kind> <url> [municipality <name>]', 'New source: geojson, wfs, matrikkel-csv or dibk-plans (administrators)'],
                ['lot-source remove <id>', 'Remove a source (administrators)'],
              ],
      },
      {
        type: 'table',
        title: lang === 'nb' ? 'For administratorer' : 'For administrators',
        columns: [{ label: tx.command }, { label: tx.what }],
        rows:
          lang === 'nb'
            ? [['jobber', 'Siste kjøring av hver jobb'], ['kjør <jobb>', 'Start en jobb nå, for eksempel «kjør refresh-lots»'], ['logg', 'De siste endringene: hvem, hvor, når og hva']]
            : [['jobs', 'Last run of each job'], ['run <job>', 'Run a job now, e.g. "run refresh-lots"'], ['audit', 'The latest changes: who, where, when and what']],
      },
      { type: 'context', text: tx.helpFooter },
    ],
    actions: [{ kind: 'command', label: tx.topButton, command: 'topp 10' }],
    fallback: tx.helpTitle,
  };
}
