import type { Lang } from '../domain/localized';
import type { MapSpec } from '../domain/map-spec';

/**
 * The neutral reply every chat surface renders: Block Kit (Slack), Adaptive Cards (Teams),
 * terminal text (CLI) and JSON. Handlers build it and never know the platform.
 */
export interface Reply {
  kind: 'kommune' | 'explanation' | 'ranking' | 'comparison' | 'sources' | 'help' | 'choice' | 'error' | 'alert' | 'digest' | 'subscriptions';
  lang: Lang;
  title: string;
  subtitle?: string;
  /** The score at a glance, for a visual gauge where the platform has one. */
  score?: { total: number; maxPossible: number; tier: 1 | 2 | 3 | null; coverage: number };
  sections: Section[];
  actions: Action[];
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
  kind: 'command' | 'share';
  label: string;
  /** The command text this action runs (e.g. "hvorfor 1804"). */
  command: string;
  style?: 'primary';
}
