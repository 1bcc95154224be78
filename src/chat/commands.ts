/**
 * The one command table. Every chat command's words (bokmål and English), how its arguments are
 * parsed, what answers it, whether its answer may be cached, and its help, in one place. Routing
 * (`routeCommand`), "mente du …?" for mistyped command words, the help card, the per-command
 * latency metric, the Teams command menu (adapters/teams/package/manifest.ts) and the Slack slash
 * command's description (adapters/slack/manifest.ts) are all generated from it.
 *
 * Adding a command is one entry in COMMANDS: words, parse, handle, cacheable, help (and `menu`
 * to offer it in Teams' command menu, which holds ten: eight are taken).
 */
import type { Actor } from '../domain/access';
import { normalizeName } from '../domain/kommune/normalize';
import type { Lang } from '../domain/localized';
import { commandDuration } from '../lib/metrics';
import type { ReadModel } from '../services/read-model';
import type { ChatPlace } from '../services/subscriptions';
import { handleAddressCommand, parseAddress } from './address';
import { handleAdminCommand, parseAdmin } from './admin';
import { cleanInput, kommuneCommand, parseLookup, type Command, type LookupName } from './grammar';
import { dispatch, errorReply } from './handlers';
import { handleLotCommand, parseLot, type LotCommand, type LotHead } from './lots';
import type { Action, Reply } from './reply';
import { parseSubscription, type Head, type SubscriptionCommand } from './subscriptions/grammar';
import { handleSubscriptionCommand } from './subscriptions/handlers';
import { t } from './texts';
import { handleKartCommand, handleWebCommand, parseKart, type KartCommand, type SignInLinkMaker, type WebAsker } from './web';

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
  /** For `web`: who asks (their platform id and name) and whether only they see the answer; absent in the CLI. */
  webAsker?: WebAsker;
  /** Makes `web`'s one-time sign-in link; absent where the deployment cannot (no TOMTE_WEB_SECRET or TOMTE_PUBLIC_URL). */
  signInLink?: SignInLinkMaker;
}

/** The help card's groups, in the order it shows them. */
export type HelpGroup = 'lookup' | 'alerts' | 'lots' | 'admin';
export const HELP_GROUPS: readonly HelpGroup[] = ['lookup', 'alerts', 'lots', 'admin'];

/** One help row: the full syntax (never cut) and what it does. */
export interface HelpRow {
  group: HelpGroup;
  nb: readonly [usage: string, what: string];
  en: readonly [usage: string, what: string];
}

interface Parsed<C> {
  cmd: C;
  /** The language the words chose (an English word answers in English); null: the user's. */
  lang: Lang | null;
}

/** Which grammar parses a command's arguments. */
export type Family = 'lookup' | 'subscription' | 'lots' | 'address' | 'admin' | 'web' | 'map';

export interface CommandSpec<C> {
  /** Canonical name: the metric label, the Teams menu title (bokmål). */
  id: string;
  family: Family;
  /** Head words; an English word answers in English. Matched without regard to case or a leading "/". */
  words: { nb: readonly string[]; en: readonly string[] };
  /**
   * The command from the words after the head (`args`) and the cleaned text; null when the input
   * is not this command after all (it is then looked up as a kommune name).
   */
  parse(args: string[], head: { word: string; lang: Lang | null }, text: string): Parsed<C> | null;
  handle(ctx: ChatContext, cmd: C, lang: Lang): Promise<Reply>;
  /**
   * The answer depends only on the read model, the text and the language (not on the place, the
   * sender or anything that changes without a new score run): surfaces may cache it, and the CLI
   * may answer it from the read-model file.
   */
  cacheable: boolean;
  help: readonly HelpRow[];
  /** Offered in Teams' command menu with this example (Teams allows ten commands per list). */
  menu?: { example: string };
}

export type CommandEntry = CommandSpec<unknown>;

/** Keeps each entry's command type consistent between its parse and handle. */
function command<C>(spec: CommandSpec<C>): CommandEntry {
  return spec as CommandEntry;
}

function lookup(name: LookupName, words: CommandSpec<Command>['words'], help: readonly HelpRow[], menu?: { example: string }): CommandEntry {
  return command<Command>({
    id: name,
    family: 'lookup',
    words,
    parse: (args, head, text) => {
      const cmd = parseLookup(name, head.word, head.lang, args, text);
      return { cmd, lang: cmd.lang };
    },
    handle: (ctx, cmd, lang) => dispatch(ctx.rm, cmd, lang),
    cacheable: true,
    help,
    ...(menu ? { menu } : {}),
  });
}

function subscription(id: string, head: Head, words: CommandSpec<unknown>['words'], help: readonly HelpRow[], menu?: { example: string }): CommandEntry {
  return command({
    id,
    family: 'subscription',
    words,
    parse: (args, h, text) => {
      const cmd = parseSubscription(head, h.lang, args, text);
      return cmd ? { cmd, lang: cmd.lang } : null;
    },
    handle: (ctx, cmd, lang) => handleSubscriptionCommand(ctx.rm, ctx.place ?? null, cmd as NonNullable<ReturnType<typeof parseSubscription>>, lang, ctx.actor),
    cacheable: false,
    help,
    ...(menu ? { menu } : {}),
  });
}

function lots(id: string, which: LotHead, words: CommandSpec<unknown>['words'], help: readonly HelpRow[]): CommandEntry {
  return command({
    id,
    family: 'lots',
    words,
    parse: (args, h) => {
      const cmd = parseLot(which, h.lang, args.join(' '));
      return cmd ? { cmd, lang: cmd.lang } : null;
    },
    handle: (ctx, cmd, lang) => handleLotCommand(ctx.rm, ctx.place ?? null, cmd as NonNullable<ReturnType<typeof parseLot>>, lang, ctx.actor),
    cacheable: false,
    help,
  });
}

function admin(name: 'jobber' | 'kjor' | 'logg', words: CommandSpec<unknown>['words'], help: readonly HelpRow[]): CommandEntry {
  return command({
    id: name,
    family: 'admin',
    words,
    parse: (args, h) => {
      const cmd = parseAdmin(name, h.lang, args);
      return cmd ? { cmd, lang: cmd.lang } : null;
    },
    handle: (ctx, cmd, lang) =>
      handleAdminCommand({ rm: ctx.rm, place: ctx.place ?? null, actor: ctx.actor, jobNames: ctx.jobNames ?? [], ...(ctx.runJob ? { runJob: ctx.runJob } : {}) }, cmd as NonNullable<ReturnType<typeof parseAdmin>>, lang),
    cacheable: false,
    help,
  });
}

const row = (group: HelpGroup, nb: [string, string], en: [string, string]): HelpRow => ({ group, nb, en });

export const COMMANDS: readonly CommandEntry[] = [
  lookup('kommune', { nb: ['kommune', 'k'], en: ['municipality'] }, [row('lookup', ['kommune <navn|nr>', 'Poeng, tier, nøkkeltall og kilder for én kommune'], ['municipality <name|no>', 'Score, tier, key figures and sources for one kommune'])], { example: 'kommune Bodø' }),
  lookup('hvorfor', { nb: ['hvorfor'], en: ['why'] }, [row('lookup', ['hvorfor <kommune>', 'Hver regel med poeng og begrunnelse'], ['why <kommune>', 'Every rule with its points and reason'])], { example: 'hvorfor 1804' }),
  lookup('topp', { nb: ['topp'], en: ['top'] }, [row('lookup', ['topp [n] [fylke <navn>]', 'De n kommunene med flest poeng'], ['top [n] [county <name>]', 'The n kommuner with the most points'])], { example: 'topp 10 fylke Nordland' }),
  lookup('tier', { nb: ['tier'], en: [] }, [row('lookup', ['tier <1|2|3> [fylke <navn>]', 'Kommunene i én tier'], ['tier <1|2|3> [county <name>]', 'The kommuner in one tier'])], { example: 'tier 1' }),
  lookup('sammenlign', { nb: ['sammenlign'], en: ['compare'] }, [row('lookup', ['sammenlign <a>, <b>[, …]', 'Kommuner side om side'], ['compare <a>, <b>[, …]', 'Kommuner side by side'])], { example: 'sammenlign Bodø, Tromsø' }),
  lookup('modeller', { nb: ['modeller'], en: ['models'] }, [row('lookup', ['modeller', 'Poengmodellene og hvor godt de treffer kjente tilfeller'], ['models', 'The scoring models and how well they find known cases'])]),
  lookup('kilder', { nb: ['kilder'], en: ['sources'] }, [row('lookup', ['kilder', 'Datakilder, perioder og lisenser'], ['sources', 'Data sources, periods and licences'])], { example: 'kilder' }),
  lookup('status', { nb: ['status'], en: [] }, [row('lookup', ['status', 'Kildene: sist hentet, sist feilet, perioder'], ['status', 'Sources: last fetched, last failed, periods'])]),
  lookup('hjelp', { nb: ['hjelp'], en: ['help'] }, [row('lookup', ['hjelp', 'Denne oversikten'], ['help', 'This overview'])], { example: 'hjelp' }),
  command({
    id: 'adresse',
    family: 'address',
    words: { nb: ['adresse'], en: ['address'] },
    parse: (args, h) => ({ cmd: parseAddress(h.lang, args.join(' ')), lang: h.lang }),
    handle: (ctx, cmd, lang) => handleAddressCommand(ctx.rm, cmd as ReturnType<typeof parseAddress>, lang, (code) => dispatch(ctx.rm, kommuneCommand(code), lang)),
    // Asks Kartverket's address search each time.
    cacheable: false,
    help: [row('lots', ['adresse <tekst>', 'Kommunen og koordinatene til en adresse, med kommunekortet'], ['address <text>', 'The kommune and coordinates of an address, with its card'])],
  }),
  subscription(
    'abonner',
    'subscribe',
    { nb: ['abonner'], en: ['subscribe'] },
    [
      row('alerts', ['abonner tier1 [fylke <navn>, …] [unntatt <kommune>, …]', 'Varsel når en kommune går inn i eller ut av Tier 1'], ['subscribe tier1 [county <name>, …] [except <kommune>, …]', 'Alert when a kommune enters or leaves Tier 1']),
      row('alerts', ['abonner kommune <navn|nr>', 'Varsel ved hver endring i poeng eller tier for én kommune (i en DM: din overvåkningsliste)'], ['subscribe municipality <name|no>', 'Alert on every change in score or tier for one kommune (in a DM: your watchlist)']),
      row('alerts', ['abonner digest [<dag> <TT:MM>] [tidssone <sone>]', 'Ukentlig sammendrag (standard mandag 08:00, Europe/Oslo)'], ['subscribe digest [<day> <HH:MM>] [timezone <zone>]', 'Weekly digest (default Monday 08:00, Europe/Oslo)']),
      row('lots', ['abonner tomter [fylke …] [min 2000 m2]', 'Varsel om nye tomter og planoppstart'], ['subscribe lots [county …] [min 2000 m2]', 'Alerts on new lots and plan starts']),
    ],
    { example: 'abonner tier1' },
  ),
  subscription('abonnementer', 'list', { nb: ['abonnementer', 'abonnement'], en: ['subscriptions'] }, [row('alerts', ['abonnementer', 'Abonnementene i denne kanalen, med nummer'], ['subscriptions', "This channel's subscriptions, with their numbers"])]),
  subscription('avslutt', 'unsubscribe', { nb: ['avslutt'], en: ['unsubscribe'] }, [row('alerts', ['avslutt <nr>|tier1|digest|alle', 'Avslutt abonnementer (også «avslutt kommune <navn>»)'], ['unsubscribe <no>|tier1|digest|all', 'End subscriptions (also "unsubscribe municipality <name>")'])]),
  subscription('stille', 'quiet', { nb: ['stille'], en: ['quiet'] }, [row('alerts', ['stille <TT:MM>-<TT:MM> | stille av', 'Stille timer: varsler holdes tilbake og kommer samlet etterpå'], ['quiet <HH:MM>-<HH:MM> | quiet off', 'Quiet hours: alerts are held and arrive together afterwards'])]),
  subscription('demp', 'mute', { nb: ['demp'], en: ['mute'] }, [row('alerts', ['demp <kommune> [<n> dager]', 'Ingen varsler om kommunen i n dager (standard 30, høyst 365)'], ['mute <kommune> [<n> days]', 'No alerts about the kommune for n days (default 30, at most 365)'])]),
  subscription('opphev', 'unmute', { nb: ['opphev'], en: ['unmute'] }, [row('alerts', ['opphev demping <kommune>', 'Varsler om kommunen igjen'], ['unmute <kommune>', 'Alerts about the kommune again'])]),
  subscription('test', 'test', { nb: ['test'], en: [] }, [row('alerts', ['test', 'Send et eksempelvarsel og et eksempelsammendrag hit'], ['test alert', 'Post a sample alert and a sample digest here'])]),
  lots('tomter', 'tomter', { nb: ['tomter'], en: ['lots'] }, [row('lots', ['tomter <kommune>', 'Kjente åpne tomter: areal, kilde, først sett, kart'], ['lots <kommune>', 'Known open lots: area, source, first seen, map'])]),
  lots('tomtekilder', 'tomtekilder', { nb: ['tomtekilder'], en: ['lot'] }, [row('lots', ['tomtekilder', 'Tomtekildene og når de sist ble hentet'], ['lot sources', 'The lot sources and when they were last fetched'])]),
  lots('tomtekilde', 'tomtekilde', { nb: ['tomtekilde'], en: ['lot-source'] }, [
    row('lots', ['tomtekilde legg til <type> <url> [kommune <navn>]', 'Ny kilde: geojson, wfs, matrikkel-csv eller dibk-plans (administratorer)'], ['lot-source add <kind> <url> [municipality <name>]', 'New source: geojson, wfs, matrikkel-csv or dibk-plans (administrators)']),
    row('lots', ['tomtekilde fjern <id>', 'Fjern en kilde (administratorer)'], ['lot-source remove <id>', 'Remove a source (administrators)']),
  ]),
  command<KartCommand>({
    id: 'kart',
    family: 'map',
    words: { nb: ['kart'], en: ['map'] },
    parse: (args, h) => ({ cmd: parseKart(args, h.lang), lang: h.lang }),
    handle: async (ctx, cmd, lang) => handleKartCommand(ctx.rm, cmd, lang),
    // The answer carries a picture the surface sends after it (Slack uploads it): not a cached card.
    cacheable: false,
    help: [row('lookup', ['kart [fylke <navn>] [modell <id>]', 'Kart over kommunene farget etter tier, som bilde'], ['map [county <name>] [model <id>]', 'Map of the kommuner coloured by tier, as a picture'])],
  }),
  command<null>({
    id: 'web',
    family: 'web',
    words: { nb: ['web', 'nett'], en: [] },
    parse: (args, h) => (args.length === 0 ? { cmd: null, lang: h.lang } : null),
    handle: (ctx, _cmd, lang) => handleWebCommand(ctx.webAsker ?? null, ctx.signInLink, lang),
    cacheable: false,
    help: [row('lookup', ['web', 'Personlig innloggingslenke til kartet og kommunesidene på nett (10 minutter, én gang)'], ['web', 'A personal sign-in link to the map and kommune pages on the web (10 minutes, once)'])],
  }),
  admin('jobber', { nb: ['jobber'], en: ['jobs'] }, [row('admin', ['jobber', 'Siste kjøring av hver jobb'], ['jobs', 'Last run of each job'])]),
  admin('kjor', { nb: ['kjør', 'kjor'], en: ['run'] }, [row('admin', ['kjør <jobb>', 'Start en jobb nå, for eksempel «kjør refresh-lots»'], ['run <job>', 'Run a job now, e.g. "run refresh-lots"'])]),
  admin('logg', { nb: ['logg'], en: ['audit'] }, [row('admin', ['logg', 'De siste endringene: hvem, hvor, når og hva'], ['audit', 'The latest changes: who, where, when and what'])]),
];

const BY_WORD = new Map<string, { entry: CommandEntry; lang: Lang | null }>();
for (const entry of COMMANDS) {
  for (const [words, lang] of [
    [entry.words.nb, null],
    [entry.words.en, 'en'],
  ] as const) {
    for (const w of words) {
      if (BY_WORD.has(w)) throw new Error(`The command word «${w}» is in the table twice`);
      BY_WORD.set(w, { entry, lang });
    }
  }
}
/** Command words without diacritics ("abonnér" → abonner); only those that stay unique. */
const BY_PLAIN_WORD = new Map<string, { entry: CommandEntry; lang: Lang | null; word: string }>();
for (const [w, v] of BY_WORD) {
  const plain = normalizeName(w);
  if (!BY_PLAIN_WORD.has(plain)) BY_PLAIN_WORD.set(plain, { ...v, word: w });
}

const KOMMUNE = COMMANDS.find((c) => c.id === 'kommune')!;


/** What a text means: a command of the table, or (a bare name or number) a kommune lookup, perhaps a mistyped command. */
export interface Routed {
  entry: CommandEntry;
  cmd: unknown;
  lang: Lang | null;
  /** The text with a near-miss command word corrected ("abonerr tier1" → "abonner tier1"): asked back if it is no kommune. */
  didYouMean?: string;
}

/** Edit distance with transpositions (optimal string alignment), stopping early above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The command word nearest to a mistyped one: one edit for words of 4–6 letters, two from 7. */
function nearestWord(word: string): string | null {
  if (word.length < 4) return null;
  const max = word.length >= 7 ? 2 : 1;
  let best: { w: string; d: number } | null = null;
  for (const w of BY_WORD.keys()) {
    if (w.length < 4) continue;
    const d = distance(word, w, max);
    if (d <= max && (!best || d < best.d)) best = { w, d };
  }
  return best?.w ?? null;
}

/** A bare name or number is a kommune lookup of the whole text: "/tomte Bodø". */
function asKommune(text: string, didYouMean?: string): Routed {
  return { entry: KOMMUNE, cmd: kommuneCommand(text), lang: null, ...(didYouMean ? { didYouMean } : {}) };
}

/** Finds the command a text asks for. Never throws; every text means something. */
export function routeCommand(input: string): Routed {
  const text = cleanInput(input);
  if (text === '') {
    const help = COMMANDS.find((c) => c.id === 'hjelp')!;
    return { entry: help, ...help.parse([], { word: 'hjelp', lang: null }, '')!, lang: null };
  }
  const tokens = text.split(' ');
  const word = tokens[0]!.toLowerCase().replace(/^\//, '');
  const args = tokens.slice(1);
  const hit = BY_WORD.get(word) ?? BY_PLAIN_WORD.get(normalizeName(word));
  if (hit) {
    const parsed = hit.entry.parse(args, { word, lang: hit.lang }, text);
    return parsed ? { entry: hit.entry, cmd: parsed.cmd, lang: parsed.lang } : asKommune(text);
  }
  const near = args.length > 0 || word.length >= 4 ? nearestWord(normalizeName(word)) : null;
  return asKommune(text, near ? [near, ...args].join(' ') : undefined);
}

/** The lookup grammar's reading of a text: a lookup command, else (any other command too) a kommune lookup of the whole text. */
export function parseCommand(text: string): Command {
  const r = routeCommand(text);
  return r.entry.family === 'lookup' ? (r.cmd as Command) : kommuneCommand(cleanInput(text));
}

/** The subscription grammar's reading of a text; null when it is no subscription command. */
export function parseSubscriptionCommand(text: string): SubscriptionCommand | null {
  const r = routeCommand(text);
  return r.entry.family === 'subscription' ? (r.cmd as SubscriptionCommand) : null;
}

/** The lot grammar's reading of a text; null when it is no lot command. */
export function parseLotCommand(text: string): LotCommand | null {
  const r = routeCommand(text);
  return r.entry.family === 'lots' ? (r.cmd as LotCommand) : null;
}

/** Commands whose answer depends on the place or the sender, or changes without a new score run: never cached. */
export function isVolatileCommand(text: string): boolean {
  return !routeCommand(text).entry.cacheable;
}

/** The kommune card of one kommune number (what `kommune <nr>` answers): link unfurls and the message shortcut. */
export function kommuneCard(rm: ReadModel, code: string, lang: Lang): Promise<Reply> {
  return dispatch(rm, kommuneCommand(code), lang);
}

/** Parses and answers one command. Never throws for bad input: every input gets a Reply. */
export async function handleCommand(ctx: ChatContext, text: string): Promise<Reply> {
  const routed = routeCommand(text);
  const lang = routed.lang ?? ctx.lang;
  const started = performance.now();
  try {
    const reply = await routed.entry.handle(ctx, routed.cmd, lang);
    if (routed.didYouMean && reply.kind !== 'kommune') return didYouMeanReply(reply, routed.didYouMean, lang);
    return reply;
  } catch (err) {
    ctx.rm.deps.logger.error('command failed', { command: routed.entry.id, error: err });
    return errorReply(lang, t(lang).internalError);
  } finally {
    commandDuration.observe((performance.now() - started) / 1000, { command: routed.entry.id });
  }
}

/** A mistyped command word that is no kommune either: ask back with the corrected command first. */
function didYouMeanReply(notFound: Reply, corrected: string, lang: Lang): Reply {
  const tx = t(lang);
  const title = tx.didYouMeanCommand(corrected);
  return {
    ...notFound,
    kind: 'choice',
    title,
    subtitle: notFound.title,
    actions: [{ kind: 'command' as const, label: corrected.length > 60 ? `${corrected.slice(0, 59)}…` : corrected, command: corrected, style: 'primary' as const } satisfies Action, ...notFound.actions].slice(0, 5),
    fallback: title,
  };
}

/** The help rows of one group in the user's language, in table order. */
export function helpRows(group: HelpGroup, lang: Lang): [string, string][] {
  return COMMANDS.flatMap((c) => c.help.filter((h) => h.group === group).map((h) => [...h[lang]] as [string, string]));
}

/** The commands offered in a command menu (Teams), in table order: the bokmål word, the help text and an example. */
export function menuCommands(lang: Lang = 'nb'): { word: string; what: string; example: string }[] {
  return COMMANDS.filter((c) => c.menu).map((c) => ({ word: (lang === 'en' ? c.words.en[0] : undefined) ?? c.words.nb[0]!, what: c.help[0]![lang][1], example: c.menu!.example }));
}
