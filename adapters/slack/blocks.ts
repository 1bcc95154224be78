import type { Action, Reply, Section } from '../../src/chat/reply';
import { fmtPoints } from '../../src/domain/format';

/**
 * Block Kit for the neutral Reply. Slack's limits (chat-anchors §3.1): at most 50 blocks per
 * message, section text 3,000 characters, header 150, ten fields per section, 25 elements per
 * actions block, button text 75 and value 2,000. Tables become monospace text and long ones are
 * paginated with a "vis flere" button; every message has a plain-text fallback.
 */

export const LIMITS = { blocks: 50, sectionText: 3000, header: 150, fields: 10, fieldText: 2000, actions: 25, buttonText: 75, buttonValue: 2000, contextText: 3000 } as const;
/** Rows per page of a long table: keeps each page readable on a phone and within one section. */
export const ROWS_PER_PAGE = 25;

export type Block = Record<string, unknown>;

export interface RenderOptions {
  /** 1-based page of the first long table. */
  page?: number;
  /** The command that produced the reply, so "vis flere" can ask for the next page. */
  command?: string;
}

function escape(s: string): string {
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

function tableText(columns: { label: string; align?: 'left' | 'right' }[], rows: string[][]): string {
  const all = [columns.map((c) => c.label), ...rows];
  const widths = columns.map((_, i) => Math.min(48, Math.max(...all.map((r) => (r[i] ?? '').length))));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const c = cut(cell ?? '', widths[i]!);
        return columns[i]?.align === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(all[0]!), ...rows.map(line)].join('\n');
}

/**
 * Splits rows into pages that fit one section as a code block. Column widths are those of the
 * whole table, so a page's length is the sum of its lines: linear in the number of rows.
 */
function pages(columns: { label: string; align?: 'left' | 'right' }[], rows: string[][]): string[][][] {
  const widths = columns.map((c, i) => Math.min(48, Math.max(c.label.length, ...rows.map((r) => (r[i] ?? '').length))));
  const lineLength = (r: string[]) => escape(r.map((cell, i) => cut(cell ?? '', widths[i]!).padEnd(widths[i]!)).join('  ')).length + 1;
  const budget = LIMITS.sectionText - 8 - 200; // code fences and an optional title
  const out: string[][][] = [];
  let current: string[][] = [];
  let used = lineLength(columns.map((c) => c.label));
  for (const r of rows) {
    const len = lineLength(r);
    if (current.length > 0 && (current.length >= ROWS_PER_PAGE || used + len > budget)) {
      out.push(current);
      current = [];
      used = lineLength(columns.map((c) => c.label));
    }
    current.push(r);
    used += len;
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, LIMITS.sectionText) } };
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

function renderSection(s: Section, opts: RenderOptions, state: { paginated: boolean; morePage: number | null }, lang: 'nb' | 'en'): Block[] {
  switch (s.type) {
    case 'text':
      return textSections(escape(s.text));
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(s.text), LIMITS.contextText) }] }];
    case 'fields': {
      const blocks: Block[] = [];
      if (s.title) blocks.push(section(`*${escape(s.title)}*`));
      for (let i = 0; i < s.fields.length; i += LIMITS.fields) {
        blocks.push({
          type: 'section',
          fields: s.fields.slice(i, i + LIMITS.fields).map((f) => ({ type: 'mrkdwn', text: cut(`*${escape(f.label)}*\n${escape(f.value)}`, LIMITS.fieldText) })),
        });
      }
      return blocks;
    }
    case 'list': {
      const body = s.items.map((i) => `• ${escape(i)}`).join('\n');
      return textSections(s.title ? `*${escape(s.title)}*\n${body}` : body);
    }
    case 'table': {
      const title = s.title ? `*${escape(s.title)}*\n` : '';
      const ps = pages(s.columns, s.rows);
      if (ps.length === 1 || state.paginated) {
        return ps.map((p) => section(`${title}\`\`\`${escape(tableText(s.columns, p))}\`\`\``)).slice(0, state.paginated ? 1 : ps.length);
      }
      state.paginated = true;
      const page = Math.min(Math.max(1, opts.page ?? 1), ps.length);
      if (page < ps.length) state.morePage = page + 1;
      const shown = ps[page - 1]!;
      const note = lang === 'nb' ? `Side ${page} av ${ps.length}` : `Page ${page} of ${ps.length}`;
      return [section(`${title}\`\`\`${escape(tableText(s.columns, shown))}\`\`\``), { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }];
    }
  }
}

function button(a: Action, i: number): Block {
  const isShare = a.kind === 'share';
  return {
    type: 'button',
    action_id: isShare ? 'tomte:share' : `tomte:cmd:${i}`,
    text: { type: 'plain_text', text: cut(a.label, LIMITS.buttonText), emoji: true },
    value: cut(a.command, LIMITS.buttonValue),
    ...(a.style ? { style: a.style } : {}),
  };
}

/** Renders a Reply as Slack blocks plus the plain-text fallback `text`. */
export function renderBlocks(reply: Reply, opts: RenderOptions = {}): { text: string; blocks: Block[] } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: cut(reply.title, LIMITS.header), emoji: true } }];
  const sub: string[] = [];
  if (reply.score) {
    const tier = TIER_EMOJI[String(reply.score.tier)] ?? '';
    sub.push(`${tier} *${fmtPoints(reply.score.total, reply.lang)}/100*  ${scoreBar(reply.score.total)}`);
  }
  if (reply.subtitle) sub.push(escape(reply.subtitle));
  if (sub.length > 0) blocks.push(section(sub.join('\n')));
  const state = { paginated: false, morePage: null as number | null };
  for (const s of reply.sections) blocks.push(...renderSection(s, opts, state, reply.lang));
  const buttons = reply.actions.slice(0, LIMITS.actions - 1).map(button);
  if (state.morePage !== null && opts.command) {
    buttons.push({
      type: 'button',
      action_id: 'tomte:more',
      text: { type: 'plain_text', text: reply.lang === 'nb' ? 'Vis flere' : 'Show more' },
      value: JSON.stringify({ command: opts.command, page: state.morePage }),
    });
  }
  // Leave room for the actions block and a truncation note.
  const room = LIMITS.blocks - (buttons.length > 0 ? 1 : 0) - 1;
  if (blocks.length > room) {
    blocks.length = room;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: reply.lang === 'nb' ? '_Svaret er forkortet._' : '_The reply was shortened._' }] });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: cut(reply.fallback, 3000), blocks };
}
