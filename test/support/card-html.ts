// HTML for looking at rendered replies in a real browser (Debian's chromium via playwright-core):
// - Slack: an approximation of Block Kit (Slack has no public renderer): header, mrkdwn sections,
//   fields, context, the native table block, buttons, in Slack's fonts, sizes and colours;
// - Teams: Microsoft's own `adaptivecards` renderer (its browser bundle) with Teams-like host
//   settings, parsing the very card the bot sends.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { KnownBlock } from '@slack/types';

const require = createRequire(import.meta.url);

/** Debian's chromium; nothing downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
}

const esc = (s: string) => s.replace(/&(?!(amp|lt|gt);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack mrkdwn (already escaped by the renderer) to HTML: *bold*, _italic_, `code`, <url|label>, <@U…>, line breaks. */
function mrkdwn(text: string): string {
  return text
    .replace(/"/g, '&quot;')
    .replace(/&lt;(https?:\/\/[^|&]+)\|([^&]+)&gt;/g, '<a href="$1">$2</a>')
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
    .replace(/<@([A-Z0-9]+)>/g, '<span class="mention">@$1</span>')
    .replace(/<#([A-Z0-9]+)>/g, '<span class="mention">#kanal</span>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|\s)_([^_\n]+)_/g, '$1<i>$2</i>')
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/:large_green_circle:/g, '🟢')
    .replace(/:large_yellow_circle:/g, '🟡')
    .replace(/:white_circle:/g, '⚪')
    .replace(/:grey_question:/g, '❔')
    .replace(/:warning:/g, '⚠️')
    .replace(/\n/g, '<br>');
}

function block(b: KnownBlock): string {
  switch (b.type) {
    case 'header':
      return `<div class="header">${esc(b.text.text)}</div>`;
    case 'section': {
      const text = b.text ? `<div class="text">${b.text.type === 'mrkdwn' ? mrkdwn(b.text.text) : esc(b.text.text)}</div>` : '';
      const fields = b.fields ? `<div class="fields">${b.fields.map((f) => `<div>${f.type === 'mrkdwn' ? mrkdwn(f.text) : esc(f.text)}</div>`).join('')}</div>` : '';
      return `<div class="section">${text}${fields}</div>`;
    }
    case 'context':
      return `<div class="context">${b.elements.map((e) => ('text' in e ? (e.type === 'mrkdwn' ? mrkdwn(e.text) : esc(e.text)) : '')).join(' ')}</div>`;
    case 'divider':
      return '<hr>';
    case 'actions':
      return `<div class="actions">${b.elements.map((e) => (e.type === 'button' ? `<button class="${e.style ?? ''}">${esc(e.text.text)}</button>` : '')).join('')}</div>`;
    case 'table': {
      const settings = b.column_settings ?? [];
      const cell = (c: (typeof b.rows)[number][number], i: number, head: boolean) => {
        const s = settings[i];
        const style = `text-align:${s?.align ?? 'left'};white-space:${s?.is_wrapped ? 'normal' : 'nowrap'}`;
        const content = c.type === 'raw_text' ? esc(c.text) : c.type === 'raw_number' ? String(c.value) : c.elements.map((e) => ('elements' in e ? e.elements.map((x) => ('text' in x ? esc(String(x.text)) : '')).join('') : '')).join('');
        return head ? `<th style="${style}">${content}</th>` : `<td style="${style}">${content}</td>`;
      };
      const [head, ...rows] = b.rows;
      return `<div class="tablewrap"><table><thead><tr>${(head ?? []).map((c, i) => cell(c, i, true)).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => cell(c, i, false)).join('')}</tr>`).join('')}</tbody></table></div>`;
    }
    default:
      return `<div class="context">[${b.type}]</div>`;
  }
}

const SLACK_CSS = `
body{margin:0;background:#fff;font-family:"Lato","Slack-Lato","Helvetica Neue",Helvetica,"Segoe UI",Arial,sans-serif;font-size:15px;line-height:1.46668;color:#1d1c1d}
.msg{display:flex;gap:8px;padding:8px 20px 12px 16px}
.avatar{width:36px;height:36px;border-radius:6px;background:#2e5a3c;flex:none;color:#fff;font-weight:900;display:flex;align-items:center;justify-content:center}
.body{flex:1;min-width:0}
.name{font-weight:900}.name span{font-weight:400;color:#616061;font-size:12px;margin-left:6px}
.header{font-size:18px;font-weight:900;margin:4px 0}
.section{margin:4px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:4px}
.context{font-size:13px;color:#616061;margin:4px 0}
.tablewrap{overflow-x:auto;margin:6px 0;border:1px solid #dddddd;border-radius:8px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 10px;border-bottom:1px solid #eeeeee;vertical-align:top}th{font-weight:700;background:#f8f8f8}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
button{font:700 15px/1 inherit;padding:8px 12px;border:1px solid #dddddd;border-radius:4px;background:#fff;color:#1d1c1d}
button.primary{background:#007a5a;border-color:#007a5a;color:#fff}button.danger{color:#e01e5a}
a{color:#1264a3;text-decoration:none}.mention{color:#1264a3;background:#e8f5fa;border-radius:3px}
code{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;background:#f8f8f8;border:1px solid #e8e8e8;border-radius:3px;padding:0 2px}
hr{border:none;border-top:1px solid #dddddd}`;

/** A Slack message (its blocks) as a page of the given width. */
export function slackHtml(blocks: KnownBlock[], width: number): string {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><style>${SLACK_CSS} body{width:${width}px}</style></head><body><div class="msg"><div class="avatar">t</div><div class="body"><div class="name">tomte<span>APP  09:12</span></div>${blocks.map(block).join('\n')}</div></div></body></html>`;
}

/** Teams-like host settings: Segoe UI, Teams' colours, spacing and at most five actions. */
const TEAMS_HOST_CONFIG = {
  fontFamily: '"Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif',
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, accent: { default: '#5B5FC7', subtle: '#5B5FC7' }, good: { default: '#0E700E', subtle: '#0E700E' }, warning: { default: '#835B00', subtle: '#835B00' }, attention: { default: '#C4314B', subtle: '#C4314B' } } },
  },
  actions: { maxActions: 5, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 8 }, actionsOrientation: 'horizontal', actionAlignment: 'stretch' },
  table: { cellSpacing: 8 },
};

/** The page that renders one Adaptive Card with Microsoft's renderer in a Teams-like frame. */
export function teamsHtml(card: unknown, width: number): string {
  const bundle = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  const css = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8');
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><style>${css}
body{margin:0;background:#f5f5f5;font-family:"Segoe UI",-apple-system,Roboto,sans-serif}
.frame{width:${width}px;padding:12px;box-sizing:border-box}
.bubble{background:#fff;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.14)}
.ac-pushButton{border:1px solid #d1d1d1;border-radius:4px;background:#fff;padding:5px 12px;font:600 14px "Segoe UI",sans-serif;color:#242424;min-height:32px}
</style><script>${bundle}</script></head><body><div class="frame"><div class="bubble" id="card"></div></div>
<script>
AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
  var esc = function (s) { return s.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;'); };
  var html = esc(text).replace(/\\[([^\\]]+)\\]\\((https:[^)\\s]+)\\)/g, '<a href="$2">$1</a>').replace(/\\*\\*([^*]+)\\*\\*/g, '<b>$1</b>')
    .split(/\\n/).map(function (l) { return /^- /.test(l) ? '<li>' + l.slice(2) + '</li>' : l + '<br>'; }).join('');
  result.outputHtml = html.indexOf('<li>') >= 0 ? html.replace(/(<li>.*<\\/li>)/s, '<ul style="margin:0;padding-left:18px">$1</ul>') : html;
  result.didProcess = true;
};
var card = new AdaptiveCards.AdaptiveCard();
card.hostConfig = new AdaptiveCards.HostConfig(${JSON.stringify(TEAMS_HOST_CONFIG)});
card.parse(${JSON.stringify(card).replace(/</g, '\\u003c')});
document.getElementById('card').appendChild(card.render());
</script></body></html>`;
}

/**
 * In the page: the table cells whose text is one number (digits with their unit) and that the
 * browser laid out on more than one line. Empty means no number wraps.
 */
export const WRAPPED_NUMBERS_SCRIPT = `(() => {
  const out = [];
  const numeric = /^[-−+]?\\d[\\d\\s\\u00A0.,]*(?:\\s?(?:%|kr(?:\\/m²)?|m²|p|år))?$/u;
  for (const cell of document.querySelectorAll('td, th, .ac-table-cell, [role=cell], [role=columnheader]')) {
    const text = (cell.textContent || '').trim();
    if (!numeric.test(text)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (!node.textContent || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) out.push(text);
    }
  }
  return out;
})()`;
