/**
 * PNG of a map SVG with @resvg/resvg-js (a native Rust renderer; Node only, so the Worker answers
 * with the SVG or a link instead). Fonts: the system's (DejaVu Sans on Debian), for the legend and
 * the "© Kartverket · Kilde: SSB" line every map carries.
 */
import { createRequire } from 'node:module';
import type * as ResvgNs from '@resvg/resvg-js';

type ResvgModule = typeof ResvgNs;
let resvg: ResvgModule | undefined;
/** Loaded on the first map, not at start: the native binding costs every CLI call ~10 ms otherwise. */
const loadResvg = (): ResvgModule => (resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule);

export const MAP_PNG_WIDTH = 1000;

export interface RenderedMap {
  png: Uint8Array;
  width: number;
  height: number;
  /** RGBA, row by row (for tests that sample pixels). */
  pixels: Uint8Array;
}

export function renderMap(svg: string, width = MAP_PNG_WIDTH): RenderedMap {
  const r = new (loadResvg().Resvg)(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' });
  const img = r.render();
  return { png: img.asPng(), width: img.width, height: img.height, pixels: img.pixels };
}

export function renderMapPng(svg: string, width = MAP_PNG_WIDTH): Uint8Array {
  return renderMap(svg, width).png;
}
