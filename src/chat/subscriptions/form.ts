/**
 * The subscription form (Slack modal, Teams card): what it offers, the kommune/fylke picker's
 * search, and how a submission becomes the same SubscriptionCommand the text grammar makes, so a
 * form answers through handleSubscriptionCommand exactly as `abonner …` does (one code path to
 * the subscription service). The surfaces only lay the fields out.
 */
import type { Actor } from '../../domain/access';
import { DEFAULT_DIGEST, type SubscriptionKind } from '../../domain/alerts/types';
import { normalizeName } from '../../domain/kommune/normalize';
import type { Lang } from '../../domain/localized';
import type { ReadModel } from '../../services/read-model';
import type { ChatPlace } from '../../services/subscriptions';
import { errorReply } from '../handlers';
import type { Reply } from '../reply';
import { t } from '../texts';
import type { SubscriptionCommand } from './grammar';
import { handleSubscriptionCommand } from './handlers';

/** The kinds the form offers: every kind `abonner` makes. */
export const FORM_KINDS: readonly SubscriptionKind[] = ['tier1', 'kommune', 'tomter', 'digest'];

/** The form's fields; a submission's problems are keyed by them. */
export type FormField = 'kind' | 'place' | 'model';

/** Options a picker shows at most (Slack's external_select takes 100). */
export const MAX_PLACE_OPTIONS = 100;

/** Datasets the picker searches: kommuner, or kommuner and fylker together. */
export type PlaceDataset = 'kommuner' | 'steder';

export interface FormOption {
  /** `k:1804` for a kommune, `f:18` for a fylke, a kind or a model id. */
  value: string;
  label: string;
}

/** What a submission carried, as the surface read it (untrusted: anything may be in it). */
export interface FormValues {
  kind?: unknown;
  place?: unknown;
  model?: unknown;
}

const KOMMUNE = 'k:';
const FYLKE = 'f:';

/** The kinds in the user's language. */
export function kindOptions(lang: Lang): FormOption[] {
  const names = t(lang).form.kinds;
  return FORM_KINDS.map((k) => ({ value: k, label: names[k] }));
}

/** The scoring models a subscription may follow (empty choice: the deployment's default). */
export function modelOptions(rm: ReadModel): FormOption[] {
  return rm.all().map((v) => ({ value: v.model.id, label: v.model.id }));
}

export function countyOptions(rm: ReadModel, lang: Lang): FormOption[] {
  return rm.registry.counties().map((c) => ({ value: `${FYLKE}${c.code}`, label: t(lang).form.county(c.name) }));
}

/**
 * The picker's answer to what the user typed: kommuner (and, for `steder`, fylker) whose
 * normalised name starts with or contains the query ("bodo" finds Bodø), or whose number starts
 * with it; prefix matches first, at most `max`.
 */
export function placeOptions(rm: ReadModel, query: string, lang: Lang, dataset: PlaceDataset = 'steder', max = MAX_PLACE_OPTIONS): FormOption[] {
  const q = normalizeName(query).trim();
  const digits = /^\d+$/.test(query.trim()) ? query.trim() : null;
  const rank = (name: string, code: string): number => {
    if (q === '') return 1;
    if (digits !== null) return code.startsWith(digits) ? 0 : -1;
    const n = normalizeName(name);
    return n.startsWith(q) ? 0 : n.includes(q) ? 1 : -1;
  };
  const hits: { rank: number; option: FormOption }[] = [];
  if (dataset === 'steder') {
    for (const c of rm.registry.counties()) {
      const r = rank(c.name, c.code);
      if (r >= 0) hits.push({ rank: r, option: { value: `${FYLKE}${c.code}`, label: t(lang).form.county(c.name) } });
    }
  }
  for (const k of rm.registry.all()) {
    const r = Math.max(rank(k.nameNorwegian, k.code), k.name !== k.nameNorwegian ? rank(k.name, k.code) : -1);
    if (r >= 0) hits.push({ rank: r, option: { value: `${KOMMUNE}${k.code}`, label: `${k.nameNorwegian} (${k.code}, ${k.countyName})` } });
  }
  return hits
    .sort((a, b) => a.rank - b.rank)
    .slice(0, max)
    .map((h) => h.option);
}

/** The label of a picker value ("k:1804" → "Bodø (1804, Nordland)"); null when it names nothing. */
export function placeLabel(rm: ReadModel, value: string, lang: Lang): string | null {
  const p = readPlace(rm, value);
  if (!p) return null;
  if (p.type === 'fylke') return t(lang).form.county(rm.registry.counties().find((c) => c.code === p.code)!.name);
  const k = rm.registry.byCode(p.code)!;
  return `${k.nameNorwegian} (${k.code}, ${k.countyName})`;
}

function readPlace(rm: ReadModel, value: string): { type: 'kommune' | 'fylke'; code: string } | null {
  if (value.startsWith(KOMMUNE)) {
    const code = value.slice(KOMMUNE.length);
    return /^\d{4}$/.test(code) && rm.registry.byCode(code) ? { type: 'kommune', code } : null;
  }
  if (value.startsWith(FYLKE)) {
    const code = value.slice(FYLKE.length);
    return /^\d{2}$/.test(code) && rm.registry.counties().some((c) => c.code === code) ? { type: 'fylke', code } : null;
  }
  return null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * A submission as the command `abonner …` would make it, or the problem with each field. Kommuner
 * and fylker travel as numbers, which the handler resolves like typed names.
 */
export function formCommand(rm: ReadModel, values: FormValues, lang: Lang): { ok: true; command: SubscriptionCommand } | { ok: false; errors: Partial<Record<FormField, string>> } {
  const tx = t(lang).form;
  const errors: Partial<Record<FormField, string>> = {};
  const kind = text(values.kind) as SubscriptionKind;
  if (!FORM_KINDS.includes(kind)) errors.kind = tx.errors.kind;
  const rawPlace = text(values.place);
  const place = rawPlace === '' ? null : readPlace(rm, rawPlace);
  if (rawPlace !== '' && !place) errors.place = tx.errors.unknownPlace;
  else if (kind === 'kommune' && place?.type !== 'kommune') errors.place = tx.errors.needKommune;
  else if (kind === 'tier1' && place?.type === 'kommune') errors.place = tx.errors.tier1County;
  else if (kind === 'digest' && place) errors.place = tx.errors.digestNoPlace;
  const rawModel = text(values.model);
  const model = rawModel === '' ? null : rawModel;
  if (model !== null && !rm.all().some((v) => v.model.id === model)) errors.model = tx.errors.model;
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const fylker = place?.type === 'fylke' ? [place.code] : [];
  const kommuner = place?.type === 'kommune' ? [place.code] : [];
  switch (kind) {
    case 'tier1':
      return { ok: true, command: { name: 'subscribe-tier1', lang: null, fylker, unntatt: [], model } };
    case 'kommune':
      return { ok: true, command: { name: 'subscribe-kommune', lang: null, kommune: kommuner[0]!, model } };
    case 'tomter':
      return { ok: true, command: { name: 'subscribe-tomter', lang: null, fylker, kommuner, unntatt: [], minArealM2: null, tiers: [], model } };
    case 'digest':
      return { ok: true, command: { name: 'subscribe-digest', lang: null, schedule: DEFAULT_DIGEST, model } };
  }
}

/**
 * Creates the subscription a form describes, through the same handler and service call as the
 * text command; the field problems when the submission is not valid (nothing is stored then).
 */
export async function submitSubscriptionForm(
  rm: ReadModel,
  place: ChatPlace,
  values: FormValues,
  lang: Lang,
  actor: Actor,
): Promise<{ ok: true; reply: Reply } | { ok: false; errors: Partial<Record<FormField, string>> }> {
  const parsed = formCommand(rm, values, lang);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, reply: await handleSubscriptionCommand(rm, place, parsed.command, lang, actor) };
  } catch (err) {
    // As handleCommand does for typed commands: logged, and the user is told, never left waiting.
    rm.deps.logger.error('subscription form failed', { error: err });
    return { ok: true, reply: errorReply(lang, t(lang).internalError) };
  }
}
