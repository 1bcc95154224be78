import type { ActionsBlock, Button, ContextBlock, KnownBlock, RichTextBlock, SectionBlock, TableBlock } from '@slack/types';
import { keepTogether, type Action, type Reply, type Section } from '../../src/chat/reply';
import { fmtPoints } from '../../src/domain/format';

/**
 * Block Kit for the neutral Reply, typed with Slack's own `@slack/types`. Slack's limits
 * (chat-anchors §3.1): at most 50 blocks per message, section text 3,000 characters, header 150,
 * ten fields per section, 25 elements per actions block, button text 75 and value 2,000.
 *
 * Layout for a glance on a laptop and a phone: the headline once (score gauge, tier, trend,
 * coverage), then the sections. The reply's first table is a native `table` block (Slack allows
 * one per message: up to 100 rows, 20 cells a row); numeric columns right-aligned and never
 * wrapped, text columns wrapped. Any further table is a list of lines ("*row*: column value · …")
 * that reads on a phone. Long first tables page with a "Vis flere" button that replaces the
 * message in place. Every message has an escaped plain-text fallback.
 */

export const LIMITS = { blocks: 50, sectionText: 3000, header: 150, fields: 10, fieldText: 2000, actions: 25, buttonText: 75, buttonValue: 2000, contextText: 3000, tableRows: 100, tableCells: 20 } as const;
/** Rows per page of a long table: keeps each page readable on a phone. */
export const ROWS_PER_PAGE = 25;

export type Block = KnownBlock;

export interface RenderOptions {
  /** 1-based page of the first long table. */
  page?: number;
  /** The command that produced the reply, so "vis flere" can ask for the next page. */
  command?: string;
}

/** Slack's three control characters in mrkdwn and plain text fields. */
export function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const TIER_EMOJI: Record<string, string> = { '1': ':large_green_circle:', '2': ':large_yellow_circle:', '3': ':white_circle:', null: ':grey_question:' };

function scoreBar(total: number): string {
  const filled = Math.max(0, Math.min(10, Math.round(total / 10)));
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)}`;
}


type Column = { label: string; align?: 'left' | 'right' };

function headerCell(text: string): RichTextBlock {
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: text === '' ? ' ' : text, style: { bold: true } }] }] };
}

function tableBlock(columns: Column[], rows: string[][]): TableBlock {
  const cols = columns.slice(0, LIMITS.tableCells);
  return {
    type: 'table',
    column_settings: cols.map((c) => (c.align === 'right' ? { align: 'right' as const, is_wrapped: false } : { is_wrapped: true })),
    rows: [cols.map((c) => headerCell(c.label)), ...rows.map((r) => cols.map((_, i) => ({ type: 'raw_text' as const, text: keepTogether(r[i] ?? '') || '–' })))],
  };
}

/** A table after the first: one line per row, each value named by its column. */
function tableLines(columns: Column[], rows: string[][]): string[] {
  return rows.map((r) => {
    const [first, ...rest] = r;
    const values = rest.map((v, i) => (columns[i + 1]?.label ? `${escape(columns[i + 1]!.label)} ${escape(v)}` : escape(v)));
    return `• *${escape(first ?? '')}*${values.length > 0 ? `: ${values.join(' · ')}` : ''}`;
  });
}

/** Splits rows into pages of ROWS_PER_PAGE. */
function pages(rows: string[][]): string[][][] {
  const out: string[][][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_PAGE) out.push(rows.slice(i, i + ROWS_PER_PAGE));
  return out.length > 0 ? out : [[]];
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, LIMITS.sectionText) } };
}

function contextBlock(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cut(text, LIMITS.contextText) }] };
}

function textSections(text: string): Block[] {
  // Long texts are split on line ends so no section passes the limit.
  const out: Block[] = [];
  let buf = '';
  for (const line of text.split('\n')) {
    if (buf.length + line.length + 1 > LIMITS.sectionText && buf !== '') {
      out.push(section(buf));
      buf = '';
    }
    buf = buf === '' ? line : `${buf}\n${line}`;
  }
  if (buf !== '') out.push(section(buf));
  return out;
}

interface PageState {
  /** The first table has been rendered (as the message's one table block). */
  tabled: boolean;
  morePage: number | null;
  /** The page of the first table on show (1 when it has one page). */
  page: number;
}

function renderSection(s: Section, opts: RenderOptions, state: PageState, lang: 'nb' | 'en'): Block[] {
  switch (s.type) {
    case 'text':
      return textSections(escape(s.text));
    case 'context':
      return [contextBlock(escape(s.text))];
    case 'fields': {
      const blocks: Block[] = [];
      if (s.title) blocks.push(section(`*${escape(s.title)}*`));
      for (let i = 0; i < s.fields.length; i += LIMITS.fields) {
        blocks.push({
          type: 'section',
          fields: s.fields.slice(i, i + LIMITS.fields).map((f) => ({ type: 'mrkdwn' as const, text: cut(`*${escape(f.label)}*\n${escape(f.value)}`, LIMITS.fieldText) })),
        });
      }
      return blocks;
    }
    case 'list': {
      const body = s.items.map((i) => `• ${escape(i)}`).join('\n');
      return textSections(s.title ? `*${escape(s.title)}*\n${body}` : body);
    }
    case 'table': {
      const title = s.title ? [section(`*${escape(s.title)}*`)] : [];
      if (state.tabled) return [...title, ...textSections(tableLines(s.columns, s.rows).join('\n'))];
      state.tabled = true;
      const ps = pages(s.rows);
      if (ps.length === 1) return [...title, tableBlock(s.columns, ps[0]!)];
      const page = Math.min(Math.max(1, Math.trunc(opts.page ?? 1) || 1), ps.length);
      state.page = page;
      if (page < ps.length) state.morePage = page + 1;
      const note = lang === 'nb' ? `Side ${page} av ${ps.length}` : `Page ${page} of ${ps.length}`;
      return [...title, tableBlock(s.columns, ps[page - 1]!), contextBlock(note)];
    }
  }
}

/** action_id of a button that opens the subscription modal (adapters/slack/modal.ts). */
export const FORM_ACTION = 'tomte:form';

/** The share button's value: the command, and the page on show when it is not the first. */
export function shareValue(command: string, page: number): string {
  return page > 1 ? JSON.stringify({ command, page }) : command;
}

function button(a: Action, i: number, page: number): Button {
  const isShare = a.kind === 'share';
  return actionButton(a, isShare ? 'tomte:share' : a.kind === 'form' ? FORM_ACTION : `tomte:cmd:${i}`, isShare ? shareValue(a.command, page) : a.command);
}

/** A button for an action with this action_id and value; a destructive one asks first. */
export function actionButton(a: Action, actionId: string, value: string): Button {
  const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: cut(text, max) });
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: cut(a.label, LIMITS.buttonText), emoji: true },
    value: cut(value, LIMITS.buttonValue),
    ...(a.style ? { style: a.style } : {}),
    // Destructive commands ask first (Slack's own confirmation dialog).
    ...(a.confirm ? { style: 'danger' as const, confirm: { title: plain(a.confirm.title, 100), text: plain(a.confirm.text, 300), confirm: plain(a.confirm.yes, 30), deny: plain(a.confirm.no, 30), style: 'danger' as const } } : {}),
  };
}

/** The headline under the title: the gauge with the score and tier, then trend and coverage. */
function headline(reply: Reply): Block[] {
  const out: Block[] = [];
  if (reply.subtitle) out.push(contextBlock(escape(reply.subtitle)));
  const sc = reply.score;
  if (sc) {
    const tier = TIER_EMOJI[String(sc.tier)] ?? '';
    const tierText = sc.tierText ?? (sc.tier === null ? '–' : `Tier ${sc.tier}`);
    const second = [sc.trend, sc.coverageText].filter(Boolean).map((x) => escape(x!)).join(' · ');
    out.push(section(`${tier} *${fmtPoints(sc.total, reply.lang)}/100*  ${scoreBar(sc.total)}  *${escape(tierText)}*${second ? `\n${second}` : ''}`));
  }
  return out;
}

/** Renders a Reply as Slack blocks plus the escaped plain-text fallback `text`. */
export function renderBlocks(reply: Reply, opts: RenderOptions & { sharedBy?: string } = {}): { text: string; blocks: Block[] } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: cut(reply.title, LIMITS.header), emoji: true } }, ...headline(reply)];
  const state: PageState = { tabled: false, morePage: null, page: 1 };
  for (const s of reply.sections) blocks.push(...renderSection(s, opts, state, reply.lang));
  if (reply.links && reply.links.length > 0) {
    blocks.push(contextBlock(reply.links.map((l) => `<${l.url}|${escape(l.label).replace(/\|/g, '¦')}>`).join('  ·  ')));
  }
  // "Delt av @bruker" under a card someone shared in the channel (a Slack user id, nothing typed).
  if (opts.sharedBy && /^[UW][A-Z0-9]{2,}$/.test(opts.sharedBy)) blocks.push(contextBlock(`${reply.lang === 'nb' ? 'Delt av' : 'Shared by'} <@${opts.sharedBy}>`));
  const buttons = reply.actions.slice(0, LIMITS.actions - 1).map((a, i) => button(a, i, state.page));
  if (state.morePage !== null && opts.command) {
    buttons.push({
      type: 'button',
      action_id: 'tomte:more',
      text: { type: 'plain_text', text: reply.lang === 'nb' ? 'Vis flere' : 'Show more' },
      value: cut(JSON.stringify({ command: opts.command, page: state.morePage }), LIMITS.buttonValue),
    });
  }
  // Leave room for the actions block and a truncation note.
  const room = LIMITS.blocks - (buttons.length > 0 ? 1 : 0) - 1;
  if (blocks.length > room) {
    blocks.length = room;
    blocks.push(contextBlock(reply.lang === 'nb' ? '_Svaret er forkortet._' : '_The reply was shortened._'));
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons } satisfies ActionsBlock);
  // The fallback is mrkdwn too (notifications, screen readers): escaped like the blocks.
  return { text: cut(escape(reply.fallback), 3000), blocks };
}
