/**
 * The visual language of tiers and scores: one sequential blue ramp (ColorBrewer "Blues"), ordered
 * by lightness, so it reads the same for the common colour-vision deficiencies and in greyscale
 * print; Tier 1 is the darkest. Unclassified kommuner are hatched, not coloured, so "no tier" never
 * looks like a tier. Text never sits on these colours: tables carry the tier as words beside a swatch.
 */
import type { Tier } from '../../domain/scoring/engine';

export const TIER_FILL: Record<Tier, string> = { 1: '#08306b', 2: '#4292c6', 3: '#c6dbef' };
/** Scored but without a tier (too little data): a hatch over light grey. */
export const UNCLASSIFIED_FILL = 'url(#tomte-hatch)';
/** Not scored at all, or filtered out of the view. */
export const NO_DATA_FILL = '#f2f2f2';
export const OTHER_FILL = '#e4e4e4';
export const BORDER = '#ffffff';
export const HATCH_LINE = '#6b6b6b';
export const HATCH_BACKGROUND = '#f2f2f2';
export const LOT_DOT = '#d94801';
export const PLAN_DOT = '#54278f';

/** Five classes of a share 0–1 (a score out of 100, or a pillar's share of its weight). */
export const SCALE: readonly { from: number; fill: string }[] = [
  { from: 0, fill: '#eff3ff' },
  { from: 0.2, fill: '#bdd7e7' },
  { from: 0.4, fill: '#6baed6' },
  { from: 0.6, fill: '#3182bd' },
  { from: 0.8, fill: '#08519c' },
];

export function scaleFill(share: number): string {
  let fill = SCALE[0]!.fill;
  for (const s of SCALE) if (share >= s.from) fill = s.fill;
  return fill;
}

export function tierFill(tier: Tier | null): string {
  return tier === null ? UNCLASSIFIED_FILL : TIER_FILL[tier];
}
