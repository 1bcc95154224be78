import type { Reply, Section } from '../../src/chat/reply';
import { fmtPoints } from '../../src/domain/format';

/** Renders a Reply as plain terminal text: aligned tables, wrapped lists, no colour codes. */
export function renderText(reply: Reply, width = 100): string {
  const out: string[] = [reply.title];
  if (reply.subtitle) out.push(reply.subtitle);
  if (reply.score) out.push(...wrap(headline(reply.score, reply.lang), width));
  out.push('');
  for (const s of reply.sections) {
    out.push(...renderSection(s, width), '');
  }
  if (reply.links && reply.links.length > 0) {
    out.push(`${reply.lang === 'nb' ? 'Lenker' : 'Links'}:`, ...reply.links.map((l) => `  ${l.label}: ${l.url}`), '');
  }
  const commands = reply.actions.filter((a) => a.kind === 'command');
  if (commands.length > 0) {
    out.push(`${reply.lang === 'nb' ? 'Videre' : 'Next'}: ${commands.map((a) => `tomte ${a.command}`).join('  |  ')}`);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** The card's headline, once: score, tier, trend, coverage. */
export function headline(score: NonNullable<Reply['score']>, lang: Reply['lang']): string {
  return [`${fmtPoints(score.total, lang)}/100`, score.tierText ?? (score.tier === null ? '–' : `Tier ${score.tier}`), score.trend, score.coverageText].filter(Boolean).join(' · ');
}

function renderSection(s: Section, width: number): string[] {
  switch (s.type) {
    case 'text':
      return wrap(s.text, width);
    case 'context':
      return wrap(s.text, width).map((l) => `  ${l}`);
    case 'fields': {
      const w = Math.max(...s.fields.map((f) => f.label.length));
      return [...(s.title ? [s.title] : []), ...s.fields.map((f) => `${f.label.padEnd(w)}  ${f.value}`)];
    }
    case 'list':
      return [...(s.title ? [`${s.title}:`] : []), ...s.items.flatMap((i) => wrap(i, width - 4).map((l, j) => (j === 0 ? `  - ${l}` : `    ${l}`)))];
    case 'table':
      return [...(s.title ? [`${s.title}:`] : []), ...table(s.columns, s.rows, width)];
  }
}

function table(columns: { label: string; align?: 'left' | 'right' }[], rows: string[][], width: number): string[] {
  const all = [columns.map((c) => c.label), ...rows];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // The last column wraps when the table is wider than the terminal (long reasons).
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
  const lastMax = Math.max(20, width - fixed);
  const line = (r: string[]) => {
    const cells = r.map((cell) => cell ?? "");
    const last = wrap(cells[cells.length - 1] ?? '', lastMax);
    const head = cells
      .slice(0, -1)
      .map((c, i) => (columns[i]?.align === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
    return last.map((l, j) => (j === 0 ? `${head}${head ? '  ' : ''}${l}` : `${' '.repeat(head.length)}${head ? '  ' : ''}${l}`).trimEnd());
  };
  return [...line(columns.map((c) => c.label)), ...rows.flatMap(line)];
}

function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur.length + w.length + 1 > width && cur !== '') {
      lines.push(cur);
      cur = w;
    } else cur = cur === '' ? w : `${cur} ${w}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}
