/**
 * The tier map as one SVG string: the web pages embed it (each kommune a link), and the chat map
 * PNG is rendered from it (adapters/node/map-png.ts), so the picture in chat and on the page is the
 * same. Outlines come from shapes.json (the bundled 2024 boundaries, simplified; see
 * adapters/node/web-shapes.ts); colours from the read model of the chosen scoring model. Every map
 * carries "© Kartverket" (the boundaries) and "Kilde: SSB" (the figures).
 */
import type { Lang } from '../../domain/localized';
import type { ReadModel } from '../../services/read-model';
import type { ScoredKommune } from '../../services/scored';
import { fmt } from '../../domain/format';
import { lcc } from './projection';
import shapesJson from './shapes.json';
import { BORDER, HATCH_BACKGROUND, HATCH_LINE, LOT_DOT, NO_DATA_FILL, OTHER_FILL, PLAN_DOT, SCALE, TIER_FILL, scaleFill, tierFill, UNCLASSIFIED_FILL } from './colors';

interface Shapes {
  width: number;
  height: number;
  transform: { x0: number; y0: number; scale: number; offset: number };
  kommuner: Record<string, { d: string; bbox: [number, number, number, number]; inner: [number, number, number] }>;
}

export const SHAPES = shapesJson as unknown as Shapes;

export const ATTRIBUTION = '© Kartverket · Kilde: SSB';

/** What colours the map: the tier, the score, or one pillar/category of the model (`pillar:<id>`). */
export type ColourBy = 'tier' | 'score' | `pillar:${string}`;

export interface MapPoint {
  lon: number;
  lat: number;
  kind: 'lot' | 'plan';
  label: string;
}

export interface LegendItem {
  fill: string;
  label: string;
}

export interface TierMapOptions {
  rm: ReadModel;
  lang: Lang;
  title: string;
  colourBy?: ColourBy;
  /** Zoom to these kommuner (a fylke, one kommune); others are drawn grey around them. */
  focus?: readonly string[];
  /** Kommuner outside the filter are drawn grey (still linked). */
  include?: (code: string) => boolean;
  /** Each kommune a link to its page, with a tooltip (web pages). */
  links?: boolean;
  /** Draw the legend inside the picture (PNG); pages show it as HTML beside the map. */
  legendInside?: boolean;
  points?: readonly MapPoint[];
  /** Kommuner marked with a thick outline (the week's tier changes in the digest map). */
  outline?: ReadonlySet<string>;
  /** An id for the SVG's title element (several maps on one page). */
  id?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function colourOptions(rm: ReadModel, lang: Lang): { value: ColourBy; label: string }[] {
  const groups = rm.model.kind === 'percentile' ? rm.model.pillars.map((p) => ({ id: p.id, label: p.label[lang] })) : rm.model.categories.map((c) => ({ id: c.id, label: c.label[lang] }));
  return [
    { value: 'tier', label: 'Tier' },
    { value: 'score', label: lang === 'nb' ? 'Poeng (0–100)' : 'Score (0–100)' },
    ...groups.map((g) => ({ value: `pillar:${g.id}` as ColourBy, label: g.label })),
  ];
}

export function parseColourBy(rm: ReadModel, raw: string | undefined): ColourBy {
  if (raw === 'score' || raw === 'tier') return raw;
  if (raw?.startsWith('pillar:') && colourOptions(rm, 'nb').some((o) => o.value === raw)) return raw as ColourBy;
  return 'tier';
}

function share(s: ScoredKommune, colourBy: ColourBy): number | null {
  if (colourBy === 'score') return s.total / 100;
  const id = colourBy.slice('pillar:'.length);
  const c = s.categories.find((x) => x.id === id);
  return c && c.max > 0 ? c.points / c.max : null;
}

export function fillOf(s: ScoredKommune | undefined, colourBy: ColourBy): string {
  if (!s) return NO_DATA_FILL;
  if (colourBy === 'tier') return tierFill(s.tier);
  const v = share(s, colourBy);
  return v === null ? NO_DATA_FILL : scaleFill(v);
}

export function legendItems(colourBy: ColourBy, lang: Lang): LegendItem[] {
  const nb = lang === 'nb';
  if (colourBy === 'tier') {
    return [
      { fill: TIER_FILL[1], label: 'Tier 1' },
      { fill: TIER_FILL[2], label: 'Tier 2' },
      { fill: TIER_FILL[3], label: 'Tier 3' },
      { fill: UNCLASSIFIED_FILL, label: nb ? 'Uten tier (for lite data)' : 'No tier (too little data)' },
    ];
  }
  const unit = colourBy === 'score' ? (nb ? 'poeng' : 'points') : nb ? '% av vekten' : '% of the weight';
  return [
    ...SCALE.map((s, i) => ({ fill: s.fill, label: `${fmt(s.from * 100, lang)}–${fmt((SCALE[i + 1]?.from ?? 1) * 100, lang)} ${unit}` })),
    { fill: NO_DATA_FILL, label: nb ? 'Mangler' : 'Missing' },
  ];
}

/** The tooltip and accessible name of a kommune on the map. */
export function kommuneTip(name: string, s: ScoredKommune | undefined, lang: Lang): string {
  if (!s) return `${name}: ${lang === 'nb' ? 'ikke beregnet' : 'not scored'}`;
  const tier = s.tier === null ? (lang === 'nb' ? 'uten tier' : 'no tier') : `Tier ${s.tier}`;
  return `${name}: ${fmt(s.total, lang, 1)} ${lang === 'nb' ? 'poeng' : 'points'}, ${tier}`;
}

export function project(lon: number, lat: number): [number, number] {
  const [x, y] = lcc(lon, lat);
  const t = SHAPES.transform;
  return [(x - t.x0) * t.scale + t.offset, (y - t.y0) * t.scale + t.offset];
}

/** The view box around some kommuner (padded), or the whole country. */
export function viewOf(codes: readonly string[] | undefined): [number, number, number, number] {
  if (!codes || codes.length === 0) return [0, 0, SHAPES.width, SHAPES.height];
  let b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of codes) {
    const k = SHAPES.kommuner[c];
    if (k) b = [Math.min(b[0]!, k.bbox[0]), Math.min(b[1]!, k.bbox[1]), Math.max(b[2]!, k.bbox[2]), Math.max(b[3]!, k.bbox[3])];
  }
  if (!Number.isFinite(b[0]!)) return [0, 0, SHAPES.width, SHAPES.height];
  const w = Math.max(b[2]! - b[0]!, 8);
  const h = Math.max(b[3]! - b[1]!, 8);
  const pad = Math.max(w, h) * 0.06;
  return [b[0]! - pad, b[1]! - pad, w + 2 * pad, h + 2 * pad].map((v) => Math.round(v * 10) / 10) as [number, number, number, number];
}

const n1 = (v: number) => String(Math.round(v * 10) / 10);

/** The map as an SVG document (no XML declaration: it embeds in HTML as is). */
export function tierMapSvg(o: TierMapOptions): string {
  const colourBy = o.colourBy ?? 'tier';
  const [vx, vy, vw, vh] = viewOf(o.focus);
  const focus = o.focus && o.focus.length > 0 ? new Set(o.focus) : null;
  const unit = vw / 1000;
  const legend = o.legendInside ? legendItems(colourBy, o.lang) : [];
  const font = Math.max(vw, vh * 0.8) * 0.024;
  const caption = font * 1.8;
  const legendH = legend.length > 0 ? font * 1.5 * legend.length + font * 0.5 : 0;
  const totalH = vh + caption;
  const id = o.id ?? 'tomte-map';
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n1(vx)} ${n1(vy)} ${n1(vw)} ${n1(totalH)}" role="group" aria-labelledby="${id}-title" class="tier-map">`,
    `<title id="${id}-title">${esc(o.title)}</title>`,
    `<defs><pattern id="tomte-hatch" patternUnits="userSpaceOnUse" width="${n1(4 * Math.max(unit, 0.15))}" height="${n1(4 * Math.max(unit, 0.15))}" patternTransform="rotate(45)"><rect width="100%" height="100%" fill="${HATCH_BACKGROUND}"/><line x1="0" y1="0" x2="0" y2="${n1(4 * Math.max(unit, 0.15))}" stroke="${HATCH_LINE}" stroke-width="${n1(1.4 * Math.max(unit, 0.15))}"/></pattern></defs>`,
    `<rect x="${n1(vx)}" y="${n1(vy)}" width="${n1(vw)}" height="${n1(totalH)}" fill="#ffffff"/>`,
    `<g stroke="${BORDER}" stroke-width="${(0.5 * Math.max(unit, 0.12)).toFixed(2)}" stroke-linejoin="round">`,
  );
  for (const k of o.rm.registry.all()) {
    const shape = SHAPES.kommuner[k.code];
    if (!shape) continue;
    // Outside the view box: not drawn (a fylke or kommune map stays small).
    const [bx0, by0, bx1, by1] = shape.bbox;
    if (bx1 < vx || by1 < vy || bx0 > vx + vw || by0 > vy + vh) continue;
    const s = o.rm.scores.get(k.code);
    const inFocus = focus === null || focus.has(k.code);
    const included = inFocus && (o.include ? o.include(k.code) : true);
    const fill = included ? fillOf(s, colourBy) : OTHER_FILL;
    const path = `<path d="${shape.d}" fill="${fill}" data-code="${k.code}"/>`;
    if (o.links && inFocus) {
      const tip = kommuneTip(k.nameNorwegian, s, o.lang);
      parts.push(`<a href="/kommuner/${k.code}" aria-label="${esc(tip)}">${path.replace('/>', `><title>${esc(tip)}</title></path>`)}</a>`);
    } else {
      parts.push(path);
    }
  }
  parts.push('</g>');
  if (o.outline && o.outline.size > 0) {
    parts.push(`<g fill="none" stroke="#000000" stroke-width="${n1(1.6 * Math.max(unit, 0.12))}">`);
    for (const code of o.outline) {
      const shape = SHAPES.kommuner[code];
      if (shape) parts.push(`<path d="${shape.d}"/>`);
    }
    parts.push('</g>');
  }
  if (o.points && o.points.length > 0) {
    const r = Math.max(vw / 150, 1.2);
    parts.push(`<g stroke="#ffffff" stroke-width="${n1(r / 3)}">`);
    for (const p of o.points) {
      const [x, y] = project(p.lon, p.lat);
      const fill = p.kind === 'lot' ? LOT_DOT : PLAN_DOT;
      // Lots are circles, plans squares: told apart by shape as well as colour.
      parts.push(
        p.kind === 'lot'
          ? `<circle cx="${n1(x)}" cy="${n1(y)}" r="${n1(r)}" fill="${fill}"><title>${esc(p.label)}</title></circle>`
          : `<rect x="${n1(x - r)}" y="${n1(y - r)}" width="${n1(2 * r)}" height="${n1(2 * r)}" fill="${fill}"><title>${esc(p.label)}</title></rect>`,
      );
    }
    parts.push('</g>');
  }
  if (legend.length > 0) {
    const lx = vx + font * 0.6;
    let ly = vy + font * 0.6;
    parts.push(`<g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${n1(font)}" fill="#1a1a1a">`);
    parts.push(`<rect x="${n1(lx - font * 0.3)}" y="${n1(ly - font * 0.3)}" width="${n1(font * 14)}" height="${n1(legendH)}" fill="#ffffff" fill-opacity="0.85"/>`);
    for (const item of legend) {
      parts.push(`<rect x="${n1(lx)}" y="${n1(ly)}" width="${n1(font)}" height="${n1(font)}" fill="${item.fill}" stroke="#6b6b6b" stroke-width="${n1(font / 20)}"/>`);
      parts.push(`<text x="${n1(lx + font * 1.4)}" y="${n1(ly + font * 0.85)}">${esc(item.label)}</text>`);
      ly += font * 1.5;
    }
    parts.push('</g>');
  }
  parts.push(
    `<text x="${n1(vx + vw - font * 0.4)}" y="${n1(vy + totalH - font * 0.6)}" text-anchor="end" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${n1(font)}" fill="#1a1a1a">${esc(ATTRIBUTION)}</text>`,
    '</svg>',
  );
  return parts.join('');
}
