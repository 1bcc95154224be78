import type { RuleChange } from '../domain/alerts/detect';
import { fmt, fmtPct, fmtPoints } from '../domain/format';
import type { Lang } from '../domain/localized';
import type { ClaimedDelivery } from '../services/alerts/dispatch';
import type { ScoreAlertPayload } from '../services/alerts/enqueue';
import type { DigestPayload } from '../services/alerts/digest';
import type { LotAlertPayload, PlanAlertPayload } from '../services/lots/ingest';

/** A map link to a point (OpenStreetMap: no key, works on every device). */
export function mapLink(lat: number, lon: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat.toFixed(6)}&mlon=${lon.toFixed(6)}#map=17/${lat.toFixed(6)}/${lon.toFixed(6)}`;
}

export function fmtArea(m2: number, lang: Lang): string {
  return m2 >= 10_000 ? `${fmt(m2 / 1000, lang, 1)} ${lang === 'nb' ? 'daa' : 'decares'}` : `${fmt(m2, lang)} m²`;
}

export function lotAlertReply(p: LotAlertPayload, subscriptionId: number | null, lang: Lang): Reply {
  const nb = lang === 'nb';
  const where = p.kommune ? `${p.kommune.code} ${p.kommune.name}` : nb ? 'ukjent kommune' : 'unknown kommune';
  const title = nb ? `Ny tomt i ${where}: ${fmtArea(p.areaM2, lang)}` : `New lot in ${where}: ${fmtArea(p.areaM2, lang)}`;
  const fields = [
    { label: nb ? 'Tomt' : 'Lot', value: p.name ? `${p.name} (${p.key})` : p.key },
    { label: nb ? 'Areal' : 'Area', value: fmtArea(p.areaM2, lang) },
    { label: nb ? 'Kilde' : 'Source', value: p.sourceId },
    { label: nb ? 'Kart' : 'Map', value: mapLink(p.centroid.lat, p.centroid.lon) },
  ];
  if (p.crossesBorder) fields.push({ label: nb ? 'Merk' : 'Note', value: nb ? `Krysser kommunegrensen; ${fmtPct((p.kommuneShare ?? 0) * 100, lang, 0)} ligger i ${where}` : `Crosses the kommune border; ${fmtPct((p.kommuneShare ?? 0) * 100, lang, 0)} lies in ${where}` });
  if (p.url) fields.push({ label: nb ? 'Side' : 'Page', value: p.url });
  const actions: Action[] = p.kommune ? [{ kind: 'command', label: nb ? 'Kommunen' : 'The kommune', command: `kommune ${p.kommune.code}`, style: 'primary' }, { kind: 'command', label: nb ? 'Alle tomter der' : 'All lots there', command: `tomter ${p.kommune.code}` }] : [];
  if (subscriptionId !== null) actions.push(unsubscribeAction(subscriptionId, lang));
  return { kind: 'alert', lang, title, sections: [{ type: 'fields', fields }], actions, fallback: title };
}

export function planAlertReply(p: PlanAlertPayload, subscriptionId: number | null, lang: Lang): Reply {
  const nb = lang === 'nb';
  const where = p.kommune ? `${p.kommune.code} ${p.kommune.name}` : '';
  const title = nb ? `Planoppstart i ${where}: ${p.planName}` : `Plan started in ${where}: ${p.planName}`;
  const fields = [
    { label: nb ? 'Plantype' : 'Plan type', value: p.planType },
    { label: nb ? 'Varslet' : 'Announced', value: p.announcedAt },
    { label: nb ? 'Kilde' : 'Source', value: `${p.sourceId} (Kilde: DiBK)` },
  ];
  if (p.link) fields.push({ label: nb ? 'Saken' : 'Case', value: p.link });
  const actions: Action[] = p.kommune ? [{ kind: 'command', label: nb ? 'Kommunen' : 'The kommune', command: `kommune ${p.kommune.code}` }] : [];
  if (subscriptionId !== null) actions.push(unsubscribeAction(subscriptionId, lang));
  return { kind: 'alert', lang, title, sections: [{ type: 'fields', fields }], actions, fallback: title };
}
import { unsubscribeAction, type Action, type Reply, type ReplyImage, type Section } from './reply';
import { MAX_MAP_POINTS } from '../domain/map-spec';
import { pauseReasonText } from './subscriptions/pause-reason';

/**
 * Alert and digest messages: a Tier 1 entry or exit says what moved the score (rules whose points
 * changed, old → new input, source and period); held alerts go out together as "mens du var
 * borte"; the weekly digest lists Tier 1 entries and exits, the biggest movers and the state of the
 * sources. Buttons: details, mute this kommune for 30 days, unsubscribe.
 */

const tierName = (tier: number | null, lang: Lang) => (tier === null ? (lang === 'nb' ? 'ikke klassifisert' : 'unclassified') : `Tier ${tier}`);

function value(v: number | null, unit: string | null, lang: Lang): string {
  if (v === null) return lang === 'nb' ? 'mangler' : 'missing';
  const n = Math.abs(v) >= 100 ? fmt(v, lang) : fmt(v, lang, 1);
  return unit === '%' ? `${n} %` : unit ? `${n} ${unit}` : n;
}

function sourceText(r: RuleChange): string {
  return r.sources.map((s) => [s.publisher, s.table, s.period].filter(Boolean).join(' ')).filter(Boolean).join('; ') || '—';
}

function headline(kind: string, p: ScoreAlertPayload, lang: Lang): string {
  const name = `${p.kommune.code} ${p.kommune.name}`;
  const nb = lang === 'nb';
  switch (kind) {
    case 'tier1-enter':
      return nb ? `${name} er nå i Tier 1` : `${name} is now Tier 1`;
    case 'tier1-exit':
      return nb ? `${name} er ikke lenger i Tier 1` : `${name} has left Tier 1`;
    default:
      return nb ? `${name}: poengene er endret` : `${name}: the score changed`;
  }
}

function changeSections(p: ScoreAlertPayload, lang: Lang): Section[] {
  const nb = lang === 'nb';
  const c = p.change;
  const sections: Section[] = [
    {
      type: 'fields',
      fields: [
        { label: nb ? 'Poeng' : 'Score', value: `${fmtPoints(c.totalBefore, lang)} → ${fmtPoints(c.totalAfter, lang)}` },
        { label: 'Tier', value: `${tierName(c.tierBefore, lang)} → ${tierName(c.tierAfter, lang)}` },
        { label: nb ? 'Datadekning' : 'Data coverage', value: fmtPct(c.coverageAfter * 100, lang, 0) },
        { label: nb ? 'Fylke' : 'County', value: p.kommune.countyName },
      ],
    },
  ];
  const moved = c.rules.filter((r) => r.pointsBefore !== r.pointsAfter);
  if (moved.length > 0) {
    sections.push({
      type: 'table',
      title: nb ? 'Dette flyttet poengene' : 'What moved the score',
      columns: [{ label: nb ? 'Regel' : 'Rule' }, { label: nb ? 'Poeng' : 'Points', align: 'right' }, { label: nb ? 'Tall' : 'Figure' }, { label: nb ? 'Kilde' : 'Source' }],
      rows: moved.map((r) => [
        r.label ? r.label[lang] : r.ruleId,
        `${r.pointsBefore ?? '–'} → ${r.pointsAfter ?? '–'}`,
        `${value(r.valueBefore, r.unit, lang)} → ${value(r.valueAfter, r.unit, lang)}${r.periodAfter ? ` (${r.periodAfter})` : ''}`,
        sourceText(r),
      ]),
    });
  }
  return sections;
}

function alertActions(p: ScoreAlertPayload, subscriptionId: number | null, lang: Lang): Action[] {
  const nb = lang === 'nb';
  const actions: Action[] = [
    { kind: 'command', label: nb ? 'Detaljer' : 'Details', command: `kommune ${p.kommune.code}`, style: 'primary' },
    { kind: 'command', label: nb ? 'Demp i 30 dager' : 'Mute for 30 days', command: `demp ${p.kommune.code} 30 dager` },
  ];
  if (subscriptionId !== null) actions.push(unsubscribeAction(subscriptionId, lang));
  return actions;
}

export function scoreAlertReply(kind: string, p: ScoreAlertPayload, subscriptionId: number | null, lang: Lang): Reply {
  const title = headline(kind, p, lang);
  const c = p.change;
  const fallback = `${title} (${fmtPoints(c.totalBefore, lang)} → ${fmtPoints(c.totalAfter, lang)} ${lang === 'nb' ? 'poeng' : 'points'})`;
  const model = p.modelId ? (lang === 'nb' ? `Modell ${p.modelId}, beregning ${p.runId}` : `Model ${p.modelId}, score run ${p.runId}`) : lang === 'nb' ? `Beregning ${p.runId}` : `Score run ${p.runId}`;
  return {
    kind: 'alert',
    lang,
    title,
    sections: [...changeSections(p, lang), { type: 'context', text: lang === 'nb' ? `${model}. Kilder og perioder står ved hvert tall.` : `${model}. Sources and periods are given with every figure.` }],
    actions: alertActions(p, subscriptionId, lang),
    fallback,
  };
}

/** Renders the deliveries of one group (see dispatchOnce) in the subscription's language. */
export function renderAlertGroup(group: readonly ClaimedDelivery[], lang: Lang, opts: { held: boolean }): Reply {
  const single = (d: ClaimedDelivery): Reply => {
    if (d.eventKind === 'digest') return digestReply(d.payload as DigestPayload, d.subscriptionId, lang);
    if (d.eventKind === 'lot') return lotAlertReply(d.payload as LotAlertPayload, d.subscriptionId, lang);
    if (d.eventKind === 'plan') return planAlertReply(d.payload as PlanAlertPayload, d.subscriptionId, lang);
    return scoreAlertReply(d.eventKind, d.payload as ScoreAlertPayload, d.subscriptionId, lang);
  };
  if (!opts.held || group.length === 1) {
    const r = single(group[0]!);
    if (!opts.held) return r;
    return { ...r, subtitle: lang === 'nb' ? 'Mens du var borte' : 'While you were away' };
  }
  const nb = lang === 'nb';
  const title = nb ? `Mens du var borte: ${group.length} varsler` : `While you were away: ${group.length} alerts`;
  const lines = group.map((d) => {
    if (d.eventKind === 'digest') return nb ? 'Ukentlig sammendrag' : 'Weekly digest';
    if (d.eventKind === 'lot' || d.eventKind === 'plan') return single(d).title;
    const p = d.payload as ScoreAlertPayload;
    return `${headline(d.eventKind, p, lang)} (${fmtPoints(p.change.totalBefore, lang)} → ${fmtPoints(p.change.totalAfter, lang)})`;
  });
  const kommuner = [...new Set(group.map((d) => d.kommuneCode).filter((k): k is string => k !== null))].slice(0, 5);
  return {
    kind: 'alert',
    lang,
    title,
    sections: [{ type: 'list', items: lines }],
    actions: kommuner.map((k) => ({ kind: 'command' as const, label: nb ? `Detaljer ${k}` : `Details ${k}`, command: `kommune ${k}` })),
    fallback: `${title}: ${lines.join('; ')}`,
  };
}

export function digestReply(p: DigestPayload, subscriptionId: number | null, lang: Lang): Reply {
  const nb = lang === 'nb';
  const sections: Section[] = [];
  const list = (title: string, items: string[], empty: string): Section => ({ type: 'list', title, items: items.length > 0 ? items : [empty] });
  if (p.modelId) sections.push({ type: 'context', text: nb ? `Tier og poeng etter modell ${p.modelId}.` : `Tiers and scores by model ${p.modelId}.` });
  sections.push(list(nb ? 'Inn i Tier 1' : 'Entered Tier 1', p.entered.map((k) => `${k.code} ${k.name} (${fmtPoints(k.total, lang)})`), nb ? 'Ingen denne uken.' : 'None this week.'));
  sections.push(list(nb ? 'Ut av Tier 1' : 'Left Tier 1', p.exited.map((k) => `${k.code} ${k.name} (${fmtPoints(k.total, lang)})`), nb ? 'Ingen denne uken.' : 'None this week.'));
  if (p.movers.length > 0) {
    sections.push({
      type: 'table',
      title: nb ? 'Største endringer' : 'Biggest movers',
      columns: [{ label: 'Kommune' }, { label: nb ? 'Poeng' : 'Score', align: 'right' }, { label: nb ? 'Endring' : 'Change', align: 'right' }],
      rows: p.movers.map((m) => [`${m.code} ${m.name}`, `${fmtPoints(m.before, lang)} → ${fmtPoints(m.after, lang)}`, fmt(Math.round((m.after - m.before) * 10) / 10, lang, Number.isInteger(m.after - m.before) ? 0 : 1, true)]),
    });
  } else {
    sections.push({ type: 'text', text: nb ? 'Ingen poengendringer denne uken.' : 'No score changes this week.' });
  }
  if (p.lots && p.lots.length > 0) sections.push(list(nb ? 'Nye tomter' : 'New lots', p.lots.map((l) => `${l.kommune ?? ''} ${l.key}: ${fmtArea(l.areaM2, lang)}`.trim()), ''));
  if (p.plans && p.plans.length > 0) sections.push(list(nb ? 'Planoppstart' : 'Plans started', p.plans.map((x) => `${x.kommune ?? ''} ${x.planName} (${x.announcedAt})`.trim()), ''));
  sections.push(
    list(
      nb ? 'Data oppdatert' : 'Data refreshed',
      p.refreshed.map((s) => `${s.source} ${s.dataset}`),
      nb ? 'Ingen kilder oppdatert denne uken.' : 'No source refreshed this week.',
    ),
  );
  if (p.failing.length > 0) sections.push(list(nb ? 'Kilder som feiler' : 'Sources failing', p.failing.map((s) => `${s.source} ${s.dataset}: ${s.error}`), ''));
  const title = nb ? `Ukentlig sammendrag ${p.periodStart.slice(0, 10)} – ${p.periodEnd.slice(0, 10)}` : `Weekly digest ${p.periodStart.slice(0, 10)} – ${p.periodEnd.slice(0, 10)}`;
  const actions: Action[] = [
    ...p.entered.slice(0, 3).map((k) => ({ kind: 'command' as const, label: nb ? `Detaljer ${k.name}` : `Details ${k.name}`, command: `kommune ${k.code}` })),
    { kind: 'command', label: nb ? 'Topp 10' : 'Top 10', command: 'topp 10' },
  ];
  if (subscriptionId !== null) actions.push(unsubscribeAction(subscriptionId, lang));
  const fallback = nb
    ? `${title}: ${p.entered.length} inn i og ${p.exited.length} ut av Tier 1, ${p.movers.length} store endringer.`
    : `${title}: ${p.entered.length} entered and ${p.exited.length} left Tier 1, ${p.movers.length} big movers.`;
  // The week on a map: tier changes outlined, new lots marked; colours by the digest's model.
  const image: ReplyImage = {
    map: {
      ...(p.modelId ? { model: p.modelId } : {}),
      outline: [...p.entered, ...p.exited].map((k) => k.code),
      points: (p.lots ?? []).filter((l) => l.lon !== undefined && l.lat !== undefined).slice(0, MAX_MAP_POINTS).map((l) => ({ lon: l.lon!, lat: l.lat!, kind: 'lot' as const })),
    },
    alt: nb ? 'Kart: tier per kommune, ukens endringer i Tier 1 med svart kant, nye tomter som prikker' : 'Map: tier by kommune, this week\'s Tier 1 changes outlined in black, new lots as dots',
    filename: `tomte-uke-${p.periodEnd.slice(0, 10)}.png`,
  };
  return { kind: 'digest', lang, title, sections, actions, fallback, image };
}

/** To whoever created a subscription that a permanent delivery failure paused. */
export function pausedNoticeReply(place: string, kind: string, reason: string, lang: Lang): Reply {
  const nb = lang === 'nb';
  const title = nb ? `Abonnementet (${kind}) i ${place} er satt på pause` : `The subscription (${kind}) in ${place} was paused`;
  // The platform's code stays in the audit trail; the user reads what it means.
  const why = pauseReasonText(reason, lang);
  const text = nb
    ? `tomte fikk ikke levert varsler dit: ${why}. Legg appen til i kanalen igjen (eller velg en annen) og skriv «abonner ${kind}» der.`
    : `tomte could not deliver alerts there: ${why}. Add the app to the channel again (or pick another) and type "subscribe ${kind}" there.`;
  return { kind: 'alert', lang, title, sections: [{ type: 'text', text }], actions: [], fallback: `${title}: ${why}` };
}
