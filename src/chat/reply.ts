import type { Lang } from '../domain/localized';
import type { MapSpec } from '../domain/map-spec';
import { t } from './texts';

/**
 * The neutral reply every chat surface renders: Block Kit (Slack), Adaptive Cards (Teams),
 * terminal text (CLI) and JSON. Handlers build it and never know the platform.
 */
export interface Reply {
  kind: 'kommune' | 'explanation' | 'ranking' | 'comparison' | 'sources' | 'help' | 'choice' | 'error' | 'alert' | 'digest' | 'subscriptions';
  lang: Lang;
  title: string;
  subtitle?: string;
  /**
   * The headline, shown once: score (a gauge where the platform has one), tier, trend and data
   * coverage. `tierText`, `trend` and `coverageText` are the words for the line under the gauge.
   */
  score?: { total: number; maxPossible: number; tier: 1 | 2 | 3 | null; coverage: number; tierText?: string; trend?: string; coverageText?: string };
  sections: Section[];
  actions: Action[];
  /** Links out (the publisher's page, the statbank tables), shown as links or link buttons. */
  links?: { label: string; url: string }[];
  /** Plain text for notifications and clients without rich rendering. */
  fallback: string;
  /** Machine-readable content (Appendix B for kommune lookups) for `--json` and the API. */
  data?: unknown;
  /** A map picture: Slack uploads it as a PNG, Teams shows it from a signed URL, the CLI names it. */
  image?: ReplyImage;
  /**
   * The reply carries a link that must not be previewed (a one-time sign-in link): Slack sends it
   * with unfurl_links/unfurl_media false; Teams has no such flag (see adapters/teams/cards.ts).
   */
  noLinkPreviews?: true;
}

export interface ReplyImage {
  map: MapSpec;
  /** Alternative text (also the upload's title). */
  alt: string;
  filename: string;
  /** A signed, expiring https URL of the picture, filled in where the deployment can make one (TOMTE_PUBLIC_URL and TOMTE_WEB_SECRET). */
  url?: string;
}

export type Section =
  | { type: 'fields'; title?: string; fields: { label: string; value: string }[] }
  | { type: 'table'; title?: string; columns: { label: string; align?: 'left' | 'right' }[]; rows: string[][] }
  | { type: 'text'; text: string }
  | { type: 'list'; title?: string; items: string[] }
  /** Small print: sources, model, coverage notes. */
  | { type: 'context'; text: string };

export interface Action {
  /** `form`: opens the subscription form (Slack modal, Teams card); surfaces without forms leave it out. */
  kind: 'command' | 'share' | 'form';
  label: string;
  /** The command text this action runs (e.g. "hvorfor 1804"); for `form`, the command the form makes ("abonner"). */
  command: string;
  style?: 'primary';
  /** Destructive: the surface asks this question before running the command. */
  confirm?: { title: string; text: string; yes: string; no: string };
}

/** The button that ends subscription `id`, with its confirmation question. */
export function unsubscribeAction(id: number, lang: Lang, label?: string): Action {
  const nb = lang === 'nb';
  return {
    kind: 'command',
    label: label ?? (nb ? 'Avslutt abonnementet' : 'Unsubscribe'),
    command: `avslutt ${id}`,
    confirm: nb
      ? { title: 'Avslutte abonnementet?', text: `Abonnement #${id} avsluttes, og det kommer ingen flere varsler fra det hit.`, yes: 'Avslutt', no: 'Avbryt' }
      : { title: 'End the subscription?', text: `Subscription #${id} ends and sends no more alerts here.`, yes: 'Unsubscribe', no: 'Cancel' },
  };
}

/** "Nytt abonnement": opens the subscription form where the surface has one. */
export function newSubscriptionAction(lang: Lang): Action {
  return { kind: 'form', label: t(lang).form.open, command: 'abonner', style: 'primary' };
}

/** A number with its unit ("48 106 kr/m²", "-2,1 %", "5,02"). */
const NUMERIC = /^[-−+]?\d[\d\s\u00A0.,]*(?:\s?(?:%|kr(?:\/m²)?|m²|p|år))?$/u;

/** Whether a table cell is one number with its unit. */
export function isNumeric(cell: string): boolean {
  return NUMERIC.test(cell);
}

/** A numeric table cell with no-break spaces, so no renderer breaks it across lines at phone width. */
export function keepTogether(cell: string): string {
  return NUMERIC.test(cell) ? cell.replace(/\s/g, '\u00A0') : cell;
}
