/**
 * Grammar of the subscription commands. Norwegian keywords leave `lang` null (the user's setting
 * decides); English aliases set `lang: 'en'`, like the main grammar in ../grammar.
 *
 *   abonner tier1 [fylke <navn>, …] [unntatt <kommune>, …]      subscribe tier1 [county …] [except …]
 *   abonner kommune <navn|nr>                                   subscribe municipality <name|no>
 *   abonner digest [<dag>] [<HH:MM>] [tidssone <IANA>]          subscribe digest [<day>] [<HH:MM>] [timezone <IANA>]
 *   abonner tomter [fylke …] [kommune …] [unntatt …] [min <areal> m2|mål|daa] [tier 1 og 2]   subscribe lots …
 *   stille <HH:MM>-<HH:MM> | stille av                          quiet <HH:MM>-<HH:MM> | quiet off
 *   avslutt <nr>[, <nr>…] | tier1 | kommune [<navn>] | digest | tomter | alle   unsubscribe …
 *   abonnementer                                                subscriptions
 *   demp <kommune> [<n> dager]                                  mute <municipality> [<n> days]
 *   opphev demping <kommune>                                    unmute <municipality>
 *   test [varsel]                                               test alert
 *
 * Kommune and county names stay raw strings: the handler resolves them against the registry.
 * Lists are split on commas, semicolons, "og", "and" and "&", except inside parentheses
 * ("Herøy (Møre og Romsdal)") and inside the names that contain "og" themselves.
 */
import type { Lang } from '../../domain/localized';
import type { DigestSchedule, QuietHours, SubscriptionKind } from '../../domain/alerts/types';
import { DEFAULT_DIGEST } from '../../domain/alerts/types';
import { normalizeName } from '../../domain/kommune/normalize';
import { modelOption } from '../grammar';

export type SubscriptionCommand =
  /** Alert when a kommune enters or leaves Tier 1; optionally only in some counties, never for some kommuner. */
  | { name: 'subscribe-tier1'; lang: Lang | null; fylker: string[]; unntatt: string[]; model: string | null }
  /** Every score or tier change of one kommune. */
  | { name: 'subscribe-kommune'; lang: Lang | null; kommune: string; model: string | null }
  /** The weekly digest; the schedule has the defaults filled in. */
  | { name: 'subscribe-digest'; lang: Lang | null; schedule: DigestSchedule; model: string | null }
  /** New municipal lots; `tiers` are read in `model` (else the default model). */
  | { name: 'subscribe-tomter'; lang: Lang | null; fylker: string[]; kommuner: string[]; unntatt: string[]; minArealM2: number | null; tiers: number[]; model: string | null }
  /** Quiet hours for this channel's subscriptions; null turns them off. */
  | { name: 'quiet'; lang: Lang | null; quiet: QuietHours | null }
  | { name: 'unsubscribe'; lang: Lang | null; target: UnsubscribeTarget }
  /** List this channel's subscriptions (with the short numbers that `avslutt <nr>` takes). */
  | { name: 'list-subscriptions'; lang: Lang | null }
  | { name: 'mute'; lang: Lang | null; kommune: string; days: number }
  | { name: 'unmute'; lang: Lang | null; kommune: string }
  /** Post a sample alert and a sample digest in this channel. */
  | { name: 'test-alert'; lang: Lang | null }
  | { name: 'invalid-subscription'; lang: Lang | null; problem: SubscriptionProblem; input: string };

export type UnsubscribeTarget =
  /** Short numbers as shown by `abonnementer`. */
  | { by: 'number'; numbers: number[] }
  /** Every subscription of a kind; for `kommune` optionally only the one for this kommune (raw). */
  | { by: 'kind'; kind: SubscriptionKind; kommune: string | null }
  /** Every subscription in this channel. */
  | { by: 'all' };

export type SubscriptionProblem =
  | { k: 'missing-what'; command: 'subscribe' | 'unsubscribe' }
  | { k: 'unknown-what'; command: 'subscribe' | 'unsubscribe'; value: string }
  | { k: 'missing-kommune'; context: 'kommune' | 'mute' | 'unmute' }
  | { k: 'missing-value'; option: 'fylke' | 'kommune' | 'unntatt'; context: 'tier1' | 'tomter' }
  /** "modell" without a model id. */
  | { k: 'missing-model' }
  /** Words left over after a complete `abonner digest …` or `avslutt tier1|digest|tomter`. */
  | { k: 'unknown-option'; context: 'digest' | 'unsubscribe'; value: string }
  | { k: 'bad-day'; value: string }
  | { k: 'bad-time'; value: string }
  | { k: 'bad-timezone'; value: string }
  | { k: 'bad-area'; value: string }
  | { k: 'bad-days'; value: string; max: number }
  | { k: 'bad-quiet'; value: string }
  | { k: 'bad-number'; value: string }
  | { k: 'bad-tier'; value: string };

export const MUTE_DEFAULT_DAYS = 30;
export const MUTE_MAX_DAYS = 365;
/** Larger than any plausible lot (10 km²); guards against typos and overflow. */
export const MAX_AREA_M2 = 10_000_000;

/** What a subscription command's head word means; the words themselves are in ../commands.ts. */
export type Head = 'subscribe' | 'unsubscribe' | 'list' | 'quiet' | 'mute' | 'unmute' | 'test';

/** The word after `abonner` / `avslutt` that names the kind. "tier 1" (two words) is handled separately. */
const KIND_WORDS: Record<string, SubscriptionKind> = {
  tier1: 'tier1',
  'tier-1': 'tier1',
  t1: 'tier1',
  kommune: 'kommune',
  k: 'kommune',
  municipality: 'kommune',
  digest: 'digest',
  sammendrag: 'digest',
  ukesammendrag: 'digest',
  tomter: 'tomter',
  tomt: 'tomter',
  lots: 'tomter',
  lot: 'tomter',
};

const ALL_WORDS = new Set(['alle', 'alt', 'all', 'everything']);
/** Filler words allowed right after the head: "abonner på tier1", "unsubscribe from digest". */
const FILLERS = new Set(['på', 'pa', 'to', 'from', 'fra']);

type ListOption = 'fylke' | 'kommune' | 'unntatt' | 'min' | 'tier';
const OPTION_WORDS: Record<string, ListOption> = {
  fylke: 'fylke',
  fylker: 'fylke',
  fylkene: 'fylke',
  county: 'fylke',
  counties: 'fylke',
  kommune: 'kommune',
  kommuner: 'kommune',
  municipality: 'kommune',
  municipalities: 'kommune',
  unntatt: 'unntatt',
  untatt: 'unntatt',
  utenom: 'unntatt',
  except: 'unntatt',
  excluding: 'unntatt',
  min: 'min',
  minst: 'min',
  minimum: 'min',
  tier: 'tier',
};

/**
 * Parses the arguments of a subscription command whose head word the command table
 * (../commands.ts) matched to `head` and `lang`. Returns null when the input is not one after all
 * ("abonnement Bodø", "test Bodø": the table then treats the text as a kommune), otherwise a
 * command or `invalid-subscription` with a typed reason. Never throws.
 */
export function parseSubscription(head: Head, lang: Lang | null, tokens: string[], text: string): SubscriptionCommand | null {
  const h = { head, lang };
  let args = tokens;

  const invalid = (problem: SubscriptionProblem): SubscriptionCommand => ({ name: 'invalid-subscription', lang, problem, input: text });

  switch (h.head) {
    case 'list':
      // "abonnement" alone lists; "abonnement <something>" is not ours.
      return args.length === 0 ? { name: 'list-subscriptions', lang } : null;
    case 'test': {
      // "test", "test varsel", "test alert"; anything else ("test Bodø") is not ours.
      const rest = args.join(' ').toLowerCase();
      if (rest === '' || rest === 'varsel' || rest === 'varsler') return { name: 'test-alert', lang };
      if (rest === 'alert' || rest === 'alerts') return { name: 'test-alert', lang: 'en' };
      return null;
    }
    case 'quiet':
      return parseQuiet(args.join(' '), lang, invalid);
    case 'mute':
      return parseMute(args, lang, invalid);
    case 'unmute': {
      // "opphev demping Bodø"; "opphev" without "demping" is accepted too.
      if (h.lang === null && args.length > 0 && /^(demping|dempingen|demp)$/i.test(args[0]!)) args = args.slice(1);
      const kommune = args.join(' ');
      if (kommune === '') return invalid({ k: 'missing-kommune', context: 'unmute' });
      return { name: 'unmute', lang, kommune };
    }
    case 'subscribe':
    case 'unsubscribe': {
      if (args.length > 0 && FILLERS.has(args[0]!.toLowerCase())) args = args.slice(1);
      if (args.length === 0) return invalid({ k: 'missing-what', command: h.head });
      const what = readKind(args);
      if (h.head === 'unsubscribe') return parseUnsubscribe(args, what, lang, invalid);
      if (!what) return invalid({ k: 'unknown-what', command: 'subscribe', value: args.join(' ') });
      const mo = modelOption(args.slice(what.used));
      if (mo.missing) return invalid({ k: 'missing-model' });
      const rest = mo.rest;
      const model = mo.model;
      switch (what.kind) {
        case 'kommune': {
          const kommune = rest.join(' ');
          return kommune === '' ? invalid({ k: 'missing-kommune', context: 'kommune' }) : { name: 'subscribe-kommune', lang, kommune, model };
        }
        case 'digest': {
          const d = parseDigest(rest, lang, invalid);
          return d.name === 'subscribe-digest' ? { ...d, model } : d;
        }
        case 'tier1':
        case 'tomter': {
          const opts = parseOptions(rest, what.kind);
          if ('problem' in opts) return invalid(opts.problem);
          if (what.kind === 'tier1') return { name: 'subscribe-tier1', lang, fylker: opts.fylker, unntatt: opts.unntatt, model };
          let minArealM2: number | null = null;
          if (opts.min !== null) {
            minArealM2 = parseArea(opts.min);
            if (minArealM2 === null) return invalid({ k: 'bad-area', value: opts.min });
          }
          const tiers = opts.tiers.map((t) => t.trim());
          const badTier = tiers.find((t) => !/^[123]$/.test(t));
          if (badTier !== undefined) return invalid({ k: 'bad-tier', value: badTier });
          return { name: 'subscribe-tomter', lang, fylker: opts.fylker, kommuner: opts.kommuner, unntatt: opts.unntatt, minArealM2, tiers: tiers.map(Number), model };
        }
      }
    }
  }
}

type Invalid = (problem: SubscriptionProblem) => SubscriptionCommand;

/** The kind named at the start of `args` and how many tokens it took ("tier 1" takes two). */
function readKind(args: string[]): { kind: SubscriptionKind; used: number } | null {
  const first = args[0]!.toLowerCase();
  if (first === 'tier' && args[1] === '1') return { kind: 'tier1', used: 2 };
  const kind = KIND_WORDS[first];
  return kind ? { kind, used: 1 } : null;
}

function parseUnsubscribe(args: string[], what: { kind: SubscriptionKind; used: number } | null, lang: Lang | null, invalid: Invalid): SubscriptionCommand {
  const first = args[0]!.toLowerCase();
  if (args.length === 1 && ALL_WORDS.has(first)) return { name: 'unsubscribe', lang, target: { by: 'all' } };
  // Numbers: "avslutt 2", "avslutt #2", "avslutt nr 2", "avslutt 1, 3 og 4".
  const numText = args.join(' ').replace(/^(nr\.?|no\.?|number)\s+/i, '');
  if (/^#?\d/.test(numText)) {
    const parts = numText.replace(/\b(?:og|and)\b|[,;&]/gi, ' ').split(' ').filter(Boolean);
    const numbers: number[] = [];
    for (const p of parts) {
      const m = /^#?(\d{1,6})$/.exec(p);
      if (!m || Number(m[1]) < 1) return invalid({ k: 'bad-number', value: p });
      if (!numbers.includes(Number(m[1]))) numbers.push(Number(m[1]));
    }
    return { name: 'unsubscribe', lang, target: { by: 'number', numbers } };
  }
  if (!what) return invalid({ k: 'unknown-what', command: 'unsubscribe', value: args.join(' ') });
  const rest = args.slice(what.used).join(' ');
  if (what.kind === 'kommune') return { name: 'unsubscribe', lang, target: { by: 'kind', kind: 'kommune', kommune: rest === '' ? null : rest } };
  if (rest !== '') return invalid({ k: 'unknown-option', context: 'unsubscribe', value: rest });
  return { name: 'unsubscribe', lang, target: { by: 'kind', kind: what.kind, kommune: null } };
}

// ---------------------------------------------------------------------------------------------
// tier1 / tomter options

interface Options {
  fylker: string[];
  kommuner: string[];
  unntatt: string[];
  /** The raw text after "min", parsed by the caller; null when absent. */
  min: string | null;
  /** Tiers after "tier" ("tier 1", "tier 1 og 2"); empty when absent. */
  tiers: string[];
}

/** The options each kind takes. */
const ALLOWED: Record<'tier1' | 'tomter', ListOption[]> = {
  tier1: ['fylke', 'unntatt'],
  tomter: ['fylke', 'kommune', 'unntatt', 'min', 'tier'],
};

/**
 * Reads `[fylke a, b] [kommune c] [unntatt d og e] [min 2 mål]` in any order. Text before the
 * first keyword is counties ("abonner tier1 Nordland"; "i"/"in" may precede it). "fylke" and
 * "kommune" right after a name and before a separator or the end are part of the name
 * ("Nordland fylke", "Bodø kommune og Tromsø kommune"): the registry understands those.
 */
function parseOptions(tokens: string[], context: 'tier1' | 'tomter'): Options | { problem: SubscriptionProblem } {
  const values: Record<ListOption, string[]> = { fylke: [], kommune: [], unntatt: [], min: [], tier: [] };
  const seen = new Set<ListOption>();
  let current: ListOption = 'fylke';
  const start = tokens.length > 0 && /^(i|in)$/i.test(tokens[0]!) ? 1 : 0;
  for (let i = start; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const opt = OPTION_WORDS[tok.toLowerCase()];
    const next = tokens[i + 1];
    const isSuffix = (opt === 'fylke' || opt === 'kommune') && values[current].length > 0 && (next === undefined || /^(og|and|&|,|;)$/i.test(next));
    if (opt && ALLOWED[context].includes(opt) && !isSuffix) {
      if (next === undefined && opt === 'tier') return { problem: { k: 'bad-tier', value: '' } };
      if (next === undefined && opt !== 'min' && opt !== 'tier') return { problem: { k: 'missing-value', option: opt, context } };
      // A repeated option ("fylke Nordland fylke Troms") separates like a comma.
      if (values[opt].length > 0) values[opt].push(',');
      current = opt;
      seen.add(opt);
      continue;
    }
    values[current].push(tok);
  }
  return {
    fylker: splitList(values.fylke.join(' ')),
    kommuner: splitList(values.kommune.join(' ')),
    unntatt: splitList(values.unntatt.join(' ')),
    min: seen.has('min') ? values.min.join(' ') : null,
    tiers: splitList(values.tier.join(' ')),
  };
}

/** Current names that contain "og" themselves (one county, two kommuner), normalised: never split. */
const OG_NAMES = new Set(['more og romsdal', 'nore og uvdal', 'evje og hornnes']);

/**
 * Splits "Nordland, Troms og Finnmark" into names. Separators inside parentheses do not count,
 * nor "og" inside the names in OG_NAMES. "Herøy, Nordland" (comma-qualified) is split: users
 * can write "Herøy (Nordland)".
 */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let depth = 0;
  const flush = () => {
    const s = cur.join(' ').trim();
    if (s !== '') out.push(s);
    cur = [];
  };
  const words = text.replace(/([,;])/g, ' $1 ').split(' ').filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (depth === 0 && (w === ',' || w === ';')) {
      flush();
      continue;
    }
    if (depth === 0 && /^(og|and|&)$/i.test(w)) {
      const prev = cur[cur.length - 1];
      const next = words[i + 1];
      if (!(prev && next && OG_NAMES.has(normalizeName(`${prev} og ${next}`)))) {
        flush();
        continue;
      }
    }
    for (const c of w) {
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
    }
    cur.push(w);
  }
  flush();
  return out;
}

/** "2000 m2", "2 000 m²", "2,5 mål", "3 daa", "2000" (m²) → m², rounded. Null when not an area. */
export function parseArea(text: string): number | null {
  const m = /^(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d+))? ?(m2|m²|kvm|sqm|m\^2|mål|maal|daa|dekar)?$/i.exec(text.trim());
  if (!m) return null;
  const value = Number(`${m[1]!.replace(/ /g, '')}.${m[2] ?? '0'}`);
  const unit = (m[3] ?? 'm2').toLowerCase();
  const m2 = Math.round(['mål', 'maal', 'daa', 'dekar'].includes(unit) ? value * 1000 : value);
  return m2 >= 1 && m2 <= MAX_AREA_M2 ? m2 : null;
}

// ---------------------------------------------------------------------------------------------
// digest

/** Day names (normalised: no diacritics, lower case) → ISO weekday. Bokmål, nynorsk and English. */
const DAYS: Record<string, DigestSchedule['weekday']> = {};
const DAY_NAMES: [DigestSchedule['weekday'], string[]][] = [
  [1, ['mandag', 'man', 'monday', 'mon']],
  [2, ['tirsdag', 'tir', 'tirs', 'tysdag', 'tuesday', 'tue', 'tues']],
  [3, ['onsdag', 'ons', 'wednesday', 'wed']],
  [4, ['torsdag', 'tor', 'tors', 'thursday', 'thu', 'thur', 'thurs']],
  [5, ['fredag', 'fre', 'friday', 'fri']],
  [6, ['lordag', 'lor', 'laurdag', 'saturday', 'sat']],
  [7, ['sondag', 'son', 'sundag', 'sunday', 'sun']],
];
for (const [n, names] of DAY_NAMES) for (const name of names) DAYS[name] = n;

/** "mandag", "Søndag", "sondag", "lør.", "mandager", "Mondays" → ISO weekday; null otherwise. */
export function parseWeekday(word: string): DigestSchedule['weekday'] | null {
  const w = normalizeName(word);
  return DAYS[w] ?? DAYS[w.replace(/er$/, '')] ?? DAYS[w.replace(/s$/, '')] ?? null;
}

/** "8", "08", "8:30", "08.30", "0830", "kl.8" → "HH:MM" (00:00–23:59); null otherwise. */
export function parseClock(s: string): string | null {
  const m = /^(?:kl\.?\s*)?(\d{1,2})(?:[:.]?(\d{2}))?$/i.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** The canonical IANA name ("europe/oslo" → "Europe/Oslo"), or null when the runtime does not know the zone. */
export function canonicalTimeZone(zone: string): string | null {
  if (zone === '') return null;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const CLOCK_FILLERS = new Set(['kl', 'kl.', 'klokka', 'klokken', 'at', 'hver', 'every', 'på', 'pa', 'on', 'om']);
const TZ_WORDS = new Set(['tidssone', 'tidssonen', 'sone', 'timezone', 'tz', 'zone']);

/** `[<dag>] [<HH:MM>] [tidssone <IANA>]` in any order; missing parts take DEFAULT_DIGEST's values. */
function parseDigest(tokens: string[], lang: Lang | null, invalid: Invalid): SubscriptionCommand {
  let weekday: DigestSchedule['weekday'] | null = null;
  let time: string | null = null;
  let timeZone: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const lower = tok.toLowerCase();
    if (CLOCK_FILLERS.has(lower)) continue;
    if (TZ_WORDS.has(lower)) {
      const zone = tokens[i + 1] ?? '';
      timeZone = canonicalTimeZone(zone);
      if (timeZone === null) return invalid({ k: 'bad-timezone', value: zone });
      i++;
      continue;
    }
    if (/^(kl\.?)?\d/i.test(tok)) {
      if (time !== null) return invalid({ k: 'unknown-option', context: 'digest', value: tok });
      time = parseClock(tok);
      if (time === null) return invalid({ k: 'bad-time', value: tok });
      continue;
    }
    // A bare IANA zone ("Europe/Oslo") without the keyword is accepted too.
    if (tok.includes('/')) {
      timeZone = canonicalTimeZone(tok);
      if (timeZone === null) return invalid({ k: 'bad-timezone', value: tok });
      continue;
    }
    const day = parseWeekday(tok);
    if (day === null || weekday !== null) return invalid({ k: 'bad-day', value: tok });
    weekday = day;
  }
  return {
    name: 'subscribe-digest',
    lang,
    schedule: { weekday: weekday ?? DEFAULT_DIGEST.weekday, time: time ?? DEFAULT_DIGEST.time, timeZone: timeZone ?? DEFAULT_DIGEST.timeZone },
    model: null,
  };
}

// ---------------------------------------------------------------------------------------------
// stille / demp

/** `22:00-07:00`, `22-7`, `22.00 – 07.00`, `fra 22 til 7`, `from 22 to 7`; `av`/`off` turns quiet hours off. */
function parseQuiet(arg: string, lang: Lang | null, invalid: Invalid): SubscriptionCommand {
  const a = arg.toLowerCase();
  if (/^(av|skru av|slå av|sla av|ingen|off|none)$/.test(a)) return { name: 'quiet', lang, quiet: null };
  const m = /^(?:fra |from )?(?:kl\.? ?)?(\S+?) ?(?:-|–|—| til | to )(?:kl\.? ?)? ?(\S+)$/.exec(a);
  if (!m) return invalid({ k: 'bad-quiet', value: arg });
  const start = parseClock(m[1]!);
  const end = parseClock(m[2]!);
  if (start === null || end === null) return invalid({ k: 'bad-time', value: start === null ? m[1]! : m[2]! });
  if (start === end) return invalid({ k: 'bad-quiet', value: arg });
  return { name: 'quiet', lang, quiet: { start, end } };
}

/** `<kommune> [i|for] [<n> [dager|dag|days|day|d]]`; default 30 days, at most 365. */
function parseMute(tokens: string[], lang: Lang | null, invalid: Invalid): SubscriptionCommand {
  let rest = tokens;
  let days = MUTE_DEFAULT_DAYS;
  const last = rest[rest.length - 1]?.toLowerCase();
  const hasUnit = last !== undefined && /^(dager|dag|døgn|days|day|d)$/.test(last);
  const numTok = hasUnit ? rest[rest.length - 2] : rest[rest.length - 1];
  if (hasUnit) {
    rest = rest.slice(0, -1);
    if (numTok === undefined || !/^\d{1,6}$/.test(numTok)) return invalid({ k: 'bad-days', value: numTok ?? '', max: MUTE_MAX_DAYS });
  }
  // A trailing bare number counts as days only when a name is left in front of it ("demp 1804" mutes 1804).
  if (numTok !== undefined && /^\d{1,6}$/.test(numTok) && (hasUnit || rest.length > 1)) {
    days = Number(numTok);
    rest = rest.slice(0, -1);
    if (rest.length > 0 && /^(i|for|in)$/i.test(rest[rest.length - 1]!)) rest = rest.slice(0, -1);
    if (days < 1 || days > MUTE_MAX_DAYS) return invalid({ k: 'bad-days', value: numTok, max: MUTE_MAX_DAYS });
  }
  const kommune = rest.join(' ');
  if (kommune === '') return invalid({ k: 'missing-kommune', context: 'mute' });
  return { name: 'mute', lang, kommune, days };
}
