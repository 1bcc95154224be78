import { isNumeric, keepTogether, type Action, type Reply, type Section } from '../../src/chat/reply';
import { fmtPoints } from '../../src/domain/format';
import { t } from '../../src/chat/texts';

/**
 * Adaptive Cards for the neutral Reply, the Teams counterpart of adapters/slack/blocks.ts.
 *
 * Teams' limits (chat-anchors §3.2): bot-sent cards up to schema **1.5**; messages over 100 KB are
 * rejected (413 `MessageSizeTooBig`), so keep a message at 80 KB or less; positive/destructive
 * action styling is not supported; cards must work at narrow widths. Tables are 1.5 `Table`
 * elements, long ones paginated with a "Vis flere" submit; a reply that would still pass the size
 * budget is cut with a "forkortet" note. Buttons are `Action.Execute` (verb `tomte`) whose `data` says what to run:
 * `{ tomte: 'cmd' | 'share', command }` or `{ tomte: 'more', command, page }`. Teams has no
 * ephemeral messages, so a share button is an ordinary submit: the receiver posts the card.
 *
 * Text: TextBlock and Fact texts go through Adaptive Cards' Markdown subset (bold, italic, lists,
 * `[label](url)` links) and backslash escapes behave differently across Teams clients, so instead of
 * escaping, `plain()` breaks the few constructs that would change meaning with an invisible
 * zero-width space: link and reference syntax (a user's input is echoed in "not found" titles and
 * must never become a masked link), `{{DATE()}}`/`{{TIME()}}` functions, and list, quote or heading
 * markers at a line start. Bold/italic markers are left alone: at worst they restyle a word.
 */

export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export const LIMITS = {
  /** chat-anchors §3.2: Teams' message limit is 100 KB; keep a message at 80 KB or less. */
  messageBytes: 80_000,
  /** Room left for the activity around `text` and the attachment (ids, serviceUrl, channelData). */
  envelopeBytes: 4_000,
  /** Rows per page of a long table: readable on a phone, far below the byte budget. */
  rowsPerPage: 25,
  /** A page of a table never takes more than half the budget, whatever its cells hold. */
  pageBytes: 38_000,
  /**
   * Actions per card or ActionSet: the Adaptive Cards host default (`hostConfig.actions.maxActions`)
   * that the parser validates against. More become a "Flere …" Action.ShowCard holding the rest.
   */
  actions: 5,
  actionTitle: 75,
  title: 300,
  subtitle: 1_000,
  fallback: 4_000,
} as const;

/** UTF-8 bytes the serialised `{ text, attachment }` may take. */
export const BUDGET_BYTES = LIMITS.messageBytes - LIMITS.envelopeBytes;
export const ROWS_PER_PAGE = LIMITS.rowsPerPage;

type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
type Color = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Bolder';
  color?: Color;
  isSubtle?: boolean;
  spacing?: Spacing;
  style?: 'heading';
  fontType?: 'Monospace';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  spacing?: Spacing;
}

export interface TableCell {
  type: 'TableCell';
  items: TextBlock[];
}

export interface TableRow {
  type: 'TableRow';
  cells: TableCell[];
}

export interface Table {
  type: 'Table';
  /** Relative weights, laid out for phone width (see columnWidths). */
  columns: { width: number; horizontalCellContentAlignment?: 'Left' | 'Right' }[];
  rows: TableRow[];
  firstRowAsHeaders: true;
  spacing?: Spacing;
}

/** `form` opens the subscription form card (adapters/teams/form.ts) in place of the card. */
/** `subscribe`: the form card's button; Teams adds the inputs' values (kind, place, model) to the data. */
export type SubmitData = { tomte: 'cmd' | 'share' | 'form' | 'subscribe'; command: string } | { tomte: 'more'; command: string; page: number };

/**
 * A tomte button: Action.Execute (Universal Actions) with verb `tomte`. Teams sends it as an
 * `adaptiveCard/action` invoke; the bot answers "Vis flere" with the next page in the invoke
 * response, which replaces the card in place, and anything else with a new message.
 */
export interface SubmitAction {
  type: 'Action.Execute';
  verb: typeof EXECUTE_VERB | typeof REFRESH_VERB;
  title: string;
  data: SubmitData;
}

export const EXECUTE_VERB = 'tomte';

/**
 * The verb of a card's `refresh` action (Universal Actions' up-to-date views): Teams sends it as an
 * `adaptiveCard/action` invoke when the card is shown (automatically for `userIds`, else on the
 * user's "refresh"), and the bot answers with the card as it is now. Its data is a "Vis flere" of
 * the page on show, which the bot already answers in place.
 */
export const REFRESH_VERB = 'tomte.refresh';

export interface CardRefresh {
  action: SubmitAction;
  /** Teams users (their `29:` ids) for whom the card refreshes by itself. */
  userIds?: string[];
}

/** Opens an inline card with further actions (used when there are more than LIMITS.actions). */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: CardAction[] };
}

export type CardAction = SubmitAction | ShowCardAction;

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: Spacing;
}

/** A picture by URL (the map: a signed, expiring https URL served by tomte). */
export interface ImageElement {
  type: 'Image';
  url: string;
  altText: string;
  size?: 'Auto' | 'Stretch';
  spacing?: 'None' | 'Small' | 'Medium';
}

/**
 * A choice input. `choices.data` (Data.Query) makes Teams ask the bot for more choices as the user
 * types (an `application/search` invoke with the dataset); the static `choices` show first.
 */
export interface ChoiceSetInput {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  choices: { title: string; value: string }[];
  'choices.data'?: { type: 'Data.Query'; dataset: string };
  style?: 'compact' | 'expanded' | 'filtered';
  placeholder?: string;
  value?: string;
  isRequired?: boolean;
  errorMessage?: string;
  spacing?: Spacing;
}

export type CardElement = TextBlock | FactSet | Table | ActionSet | ImageElement | ChoiceSetInput;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  lang: string;
  /** Shown by clients that cannot render the card. */
  fallbackText: string;
  /** Teams extension: use the full message width, which tables need. */
  msteams: { width: 'Full' };
  refresh?: CardRefresh;
  body: CardElement[];
  actions?: CardAction[];
}

export interface TeamsMessage {
  /** Plain fallback (notifications, clients without cards); Teams shows an activity's text above its card. */
  text: string;
  attachment: { contentType: typeof CARD_CONTENT_TYPE; content: AdaptiveCard };
}

export interface RenderOptions {
  /** 1-based page of the first long table. */
  page?: number;
  /** The command that produced the reply, so "Vis flere" can ask for the next page (and `refresh` for this one). */
  command?: string;
  /** Who asked: the card refreshes by itself for them (refresh.userIds). */
  refreshFor?: readonly string[];
}

const ZWSP = '\u200B';
const NBSP = '\u00A0';

/** Plain text made inert for the Adaptive Cards Markdown subset (see the module comment). */
export function plain(s: string): string {
  return (
    s
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ')
      // [label](url), [label][ref], [ref]: url
      .replace(/\](?=\s*[([:])/g, `]${ZWSP}`)
      .replace(/\{\{/g, `{${ZWSP}{`)
      // "- x", "* x", "+ x", "> x", "# x", "1. x", "1) x" at a line start
      .replace(/^([ \t]*)(?=[-+*>#]|\d+[.)])/gm, `$1${ZWSP}`)
  );
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Mobile Teams rejects a TextBlock whose text is empty. */
function nonEmpty(s: string): string {
  return s.trim() === '' ? NBSP : s;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function text(s: string, extra: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: nonEmpty(s), wrap: true, ...extra };
}

/** Markdown needs a blank line for a line break outside lists. */
function paragraphs(s: string): string {
  return plain(s).replace(/\n+/g, '\n\n');
}

function heading(title: string): TextBlock {
  return text(plain(oneLine(title)), { weight: 'Bolder', spacing: 'Medium' });
}

function context(s: string): TextBlock {
  return text(paragraphs(s), { size: 'Small', isSubtle: true });
}

const encoder = new TextEncoder();
function bytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

const TIER_COLOR: Record<string, Color> = { '1': 'Good', '2': 'Warning', '3': 'Default', null: 'Default' };

function scoreBar(total: number): string {
  const filled = Math.max(0, Math.min(10, Math.round(total / 10)));
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)}`;
}

/** The headline, once: score and tier with the gauge, then trend and coverage in small print. */
function scoreVisual(score: NonNullable<Reply['score']>, lang: Reply['lang']): TextBlock[] {
  const color = TIER_COLOR[String(score.tier)] ?? 'Default';
  const tier = score.tierText ?? (score.tier === null ? t(lang).tierUnclassified : `Tier ${score.tier}`);
  const second = [score.trend, score.coverageText].filter(Boolean).join(' · ');
  return [
    text(`${fmtPoints(score.total, lang)}/100 · ${plain(oneLine(tier))}`, { size: 'Medium', weight: 'Bolder', color, spacing: 'Medium' }),
    text(scoreBar(score.total), { color, spacing: 'None', fontType: 'Monospace' }),
    ...(second ? [text(plain(oneLine(second)), { size: 'Small', isSubtle: true, spacing: 'None' })] : []),
  ];
}

type Column = { label: string; align?: 'left' | 'right' };

function tableRow(cells: string[], header: boolean): TableRow {
  return {
    type: 'TableRow',
    cells: cells.map((c) => ({ type: 'TableCell', items: [text(plain(oneLine(c)), header ? { weight: 'Bolder' } : {})] })),
  };
}


/** Pixels per character of the default font (Segoe UI 14 px, digits), and a cell's padding. */
const PX_PER_CHAR = 8;
const CELL_PADDING_PX = 14;
/** What a Table gets inside a card at phone width: Teams mobile ≈ 360 px less the card padding (2 × 16) and the cell spacing (8 a column); measured in chromium with the adaptivecards renderer. */
const PHONE_TABLE_PX = 264;
/** The least a text column should get at phone width (it wraps between words). */
const MIN_TEXT_PX = 60;

/** The widest thing in a column that cannot wrap: a whole numeric cell, or the longest word. */
function unbreakable(cells: string[], numeric: boolean): number {
  let px = 0;
  for (const c of cells) {
    const chars = numeric && isNumeric(c) ? c.length : Math.max(0, ...c.split(/\s+/).map((w) => w.length));
    px = Math.max(px, chars * PX_PER_CHAR + CELL_PADDING_PX);
  }
  return px;
}

/**
 * Column widths laid out for phone width, as relative weights (so a laptop's wider card scales
 * them up): each numeric column (right-aligned, or every cell a number) gets what its longest
 * value and its header's longest word need, so a number never wraps; text columns share the rest,
 * by their length. Null when the table cannot fit a phone that way: it is then shown as lines.
 */
function columnWidths(columns: Column[], rows: string[][]): Table['columns'] | null {
  const numeric = columns.map((c, i) => c.align === 'right' || (rows.length > 0 && rows.every((r) => ['', '–'].includes(r[i] ?? '') || isNumeric(r[i] ?? ''))));
  const need = columns.map((c, i) => (numeric[i] ? unbreakable([c.label, ...rows.map((r) => r[i] ?? '')], true) : 0));
  const textColumns = columns.filter((_, i) => !numeric[i]).length;
  const rest = PHONE_TABLE_PX - need.reduce((a, b) => a + b, 0);
  if (rest < textColumns * MIN_TEXT_PX) return null;
  const textLength = columns.map((c, i) => (numeric[i] ? 0 : Math.max(c.label.length, ...rows.map((r) => (r[i] ?? '').length), 1)));
  const totalText = textLength.reduce((a, b) => a + b, 0) || 1;
  // A text column should hold its longest word where there is room (up to 120 px), then by length.
  const words = columns.map((c, i) => (numeric[i] ? 0 : Math.min(120, unbreakable([c.label, ...rows.map((r) => r[i] ?? '')], false))));
  const wordsTotal = words.reduce((a, b) => a + b, 0);
  return columns.map((c, i) => {
    const share = wordsTotal <= rest ? words[i]! + ((rest - wordsTotal) * textLength[i]!) / totalText : (rest * textLength[i]!) / totalText;
    const width = numeric[i] ? need[i]! : Math.max(MIN_TEXT_PX, Math.round(share));
    return c.align === 'right' ? { width, horizontalCellContentAlignment: 'Right' as const } : { width };
  });
}

/** A table too wide for a phone: one line per row, each value named by its column. */
function tableAsLines(columns: Column[], rows: string[][]): string[] {
  return rows.map((r) => {
    const [first, ...rest] = r;
    const values = rest.map((v, i) => (columns[i + 1]?.label ? `${columns[i + 1]!.label} ${keepTogether(v)}` : keepTogether(v)));
    return `- ${plain(oneLine(first ?? ''))}${values.length > 0 ? `: ${plain(oneLine(values.join(' · ')))}` : ''}`;
  });
}

function table(columns: Column[], widths: Table['columns'], rows: TableRow[]): Table {
  return { type: 'Table', columns: widths, rows: [tableRow(columns.map((c) => c.label), true), ...rows], firstRowAsHeaders: true, spacing: 'Small' };
}

/** Splits rows into pages of at most `rowsPerPage` rows and `pageBytes` bytes: linear in the rows. */
function pages(rows: TableRow[]): TableRow[][] {
  const out: TableRow[][] = [];
  let current: TableRow[] = [];
  let used = 0;
  for (const r of rows) {
    const len = bytes(r) + 1;
    if (current.length > 0 && (current.length >= LIMITS.rowsPerPage || used + len > LIMITS.pageBytes)) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(r);
    used += len;
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

/**
 * One section, rendered with only its first `n` units (rows, items, facts or characters) when the
 * budget is short. `render(units)` is the whole section.
 */
interface Part {
  units: number;
  render(n: number): CardElement[];
}

interface PageState {
  paginated: boolean;
  /** The page of the paginated table on show. */
  page: number;
}

function part(s: Section, opts: RenderOptions, state: PageState, lang: Reply['lang']): Part {
  const nb = lang === 'nb';
  switch (s.type) {
    case 'text': {
      const body = paragraphs(s.text);
      return { units: body.length, render: (n) => (n > 0 ? [text(cut(body, n))] : []) };
    }
    case 'context': {
      const body = paragraphs(s.text);
      return { units: body.length, render: (n) => (n > 0 ? [text(cut(body, n), { size: 'Small', isSubtle: true })] : []) };
    }
    case 'fields': {
      const facts = s.fields.map((f) => ({ title: nonEmpty(plain(oneLine(f.label))), value: nonEmpty(plain(oneLine(f.value))) }));
      return {
        units: facts.length,
        render: (n) => (n > 0 ? [...(s.title ? [heading(s.title)] : []), { type: 'FactSet', facts: facts.slice(0, n), spacing: 'Small' }] : []),
      };
    }
    case 'list': {
      const items = s.items.map((i) => `- ${plain(oneLine(i))}`);
      return {
        units: items.length,
        render: (n) => (n > 0 ? [...(s.title ? [heading(s.title)] : []), text(items.slice(0, n).join('\n'), { spacing: 'Small' })] : []),
      };
    }
    case 'table': {
      const widths = columnWidths(s.columns, s.rows);
      if (!widths) {
        const lines = tableAsLines(s.columns, s.rows);
        return { units: lines.length, render: (n) => (n > 0 ? [...(s.title ? [heading(s.title)] : []), text(lines.slice(0, n).join('\n'), { spacing: 'Small' })] : []) };
      }
      const ps = pages(s.rows.map((r) => tableRow(s.columns.map((c, i) => (c.align === 'right' ? keepTogether(r[i] ?? '') : (r[i] ?? ''))), false)));
      const title = s.title ? [heading(s.title)] : [];
      if (ps.length === 1) {
        const rows = ps[0]!;
        return { units: rows.length, render: (n) => (n > 0 || rows.length === 0 ? [...title, table(s.columns, widths, rows.slice(0, n))] : []) };
      }
      if (state.paginated) {
        // Only the first long table pages; later ones show their first page and say so.
        const rows = ps[0]!;
        const note = context(nb ? `Viser de første ${rows.length} av ${s.rows.length} radene.` : `Showing the first ${rows.length} of ${s.rows.length} rows.`);
        return { units: rows.length, render: (n) => (n > 0 ? [...title, table(s.columns, widths, rows.slice(0, n)), note] : []) };
      }
      state.paginated = true;
      const page = Math.min(Math.max(1, Math.trunc(opts.page ?? 1) || 1), ps.length);
      state.page = page;
      const rows = ps[page - 1]!;
      const after: CardElement[] = [context(nb ? `Side ${page} av ${ps.length}` : `Page ${page} of ${ps.length}`)];
      if (page < ps.length && opts.command) {
        after.push({
          type: 'ActionSet',
          actions: [{ type: 'Action.Execute', verb: EXECUTE_VERB, title: nb ? 'Vis flere' : 'Show more', data: { tomte: 'more', command: opts.command, page: page + 1 } }],
          spacing: 'Small',
        });
      }
      return { units: rows.length, render: (n) => (n > 0 ? [...title, table(s.columns, widths, rows.slice(0, n)), ...after] : []) };
    }
  }
}

/** Links out as one small line of Markdown links: our own labels and https URLs, never user text. */
function linksPart(links: NonNullable<Reply['links']>): Part {
  const md = links.filter((l) => /^https:\/\/[^\s()]+$/.test(l.url)).map((l) => `[${l.label.replace(/[[\]]/g, '')}](${l.url})`);
  return { units: md.length, render: (n) => (n > 0 ? [text(md.slice(0, n).join(' · '), { size: 'Small', spacing: 'Medium' })] : []) };
}

function execute(a: Action): SubmitAction {
  return {
    type: 'Action.Execute',
    verb: EXECUTE_VERB,
    title: nonEmpty(cut(oneLine(a.label), LIMITS.actionTitle)),
    data: { tomte: a.kind === 'share' ? 'share' : a.kind === 'form' ? 'form' : 'cmd', command: a.command },
  };
}

/** A button; a destructive one first opens its question with the confirming button under it. */
function submit(a: Action): CardAction {
  if (!a.confirm) return execute(a);
  return {
    type: 'Action.ShowCard',
    title: nonEmpty(cut(oneLine(a.label), LIMITS.actionTitle)),
    card: {
      type: 'AdaptiveCard',
      body: [text(plain(oneLine(a.confirm.title)), { weight: 'Bolder' }), text(plain(oneLine(a.confirm.text)), { spacing: 'Small' })],
      actions: [execute({ ...a, label: a.confirm.yes })],
    },
  };
}

/** At most LIMITS.actions: the first ones as they are, the rest (up to the same limit) behind "Flere …". */
function cardActions(actions: Action[], lang: Reply['lang']): CardAction[] {
  if (actions.length <= LIMITS.actions) return actions.map(submit);
  const head = actions.slice(0, LIMITS.actions - 1).map(submit);
  const rest = actions.slice(LIMITS.actions - 1, 2 * LIMITS.actions - 1).map(submit);
  return [...head, { type: 'Action.ShowCard', title: lang === 'nb' ? 'Flere …' : 'More …', card: { type: 'AdaptiveCard', body: [], actions: rest } }];
}

/** A card with its body and actions as a message (the fallback is the activity's text too). */
export function cardMessage(lang: Reply['lang'], fallback: string, body: CardElement[], actions: CardAction[] = [], refresh?: CardRefresh): TeamsMessage {
  return {
    text: fallback,
    attachment: {
      contentType: CARD_CONTENT_TYPE,
      content: {
        type: 'AdaptiveCard',
        $schema: CARD_SCHEMA,
        version: CARD_VERSION,
        // ISO 639 only: the Adaptive Cards parser rejects region tags (/^[a-z]{2,3}$/) and drops them.
        lang,
        fallbackText: fallback,
        msteams: { width: 'Full' },
        ...(refresh ? { refresh } : {}),
        body,
        ...(actions.length > 0 ? { actions } : {}),
      },
    },
  };
}

/**
 * Renders a Reply as an Adaptive Card 1.5 attachment plus the plain-text fallback `text`.
 * `reply.noLinkPreviews` needs nothing here: the Bot Framework has no per-message "no preview"
 * flag, and Teams does not unfurl links inside a bot's Adaptive Card (link unfurling runs for links
 * users type in the compose box). Scanners such as Defender Safe Links may still fetch the URL;
 * that is why GET /logg-inn only shows a button and the POST spends the link.
 */
export function renderAdaptiveCard(reply: Reply, opts: RenderOptions = {}): TeamsMessage {
  const fallback = nonEmpty(cut(reply.fallback || reply.title, LIMITS.fallback));
  const head: CardElement[] = [text(plain(oneLine(cut(reply.title, LIMITS.title))), { size: 'Large', weight: 'Bolder', style: 'heading' })];
  if (reply.subtitle) head.push(text(plain(oneLine(cut(reply.subtitle, LIMITS.subtitle))), { isSubtle: true, spacing: 'None' }));
  if (reply.score) head.push(...scoreVisual(reply.score, reply.lang));
  // The map where the deployment could make a URL for it (https only: Teams fetches the picture itself).
  if (reply.image?.url?.startsWith('https://')) head.push({ type: 'Image', url: reply.image.url, altText: cut(reply.image.alt, LIMITS.subtitle), size: 'Stretch', spacing: 'Medium' });

  const state: PageState = { paginated: false, page: 1 };
  const parts = reply.sections.map((s) => part(s, opts, state, reply.lang));
  if (reply.links && reply.links.length > 0) parts.push(linksPart(reply.links));
  const actions = cardActions(reply.actions, reply.lang);

  // The kommune card and paged lists stay current: Teams asks for the card again (the page on show) when it is viewed.
  const refresh: CardRefresh | undefined =
    opts.command && (reply.kind === 'kommune' || state.paginated)
      ? { action: { type: 'Action.Execute', verb: REFRESH_VERB, title: reply.lang === 'nb' ? 'Oppdater' : 'Refresh', data: { tomte: 'more', command: opts.command, page: state.page } }, ...(opts.refreshFor ? { userIds: [...opts.refreshFor] } : {}) }
      : undefined;
  const message = (body: CardElement[]): TeamsMessage => cardMessage(reply.lang, fallback, body, actions, refresh);
  const fits = (body: CardElement[]) => bytes(message(body)) <= BUDGET_BYTES;

  const whole = [...head, ...parts.flatMap((p) => p.render(p.units))];
  if (fits(whole)) return message(whole);

  // Over budget: keep whole sections while they fit, then as much of the next one as fits.
  const note = context(reply.lang === 'nb' ? 'Svaret er forkortet.' : 'The reply was shortened.');
  const body = [...head];
  for (const p of parts) {
    const full = p.render(p.units);
    if (fits([...body, ...full, note])) {
      body.push(...full);
      continue;
    }
    let lo = 0;
    let hi = p.units - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits([...body, ...p.render(mid), note])) lo = mid;
      else hi = mid - 1;
    }
    if (lo > 0) body.push(...p.render(lo));
    break;
  }
  body.push(note);
  return message(body);
}
