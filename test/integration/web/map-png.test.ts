// The chat map PNG (adapters/node/map-png.ts over src/web/map): the whole country and each fylke
// rendered by resvg, checked by size and by sampling the pixel at every kommune's inner point
// (the point farthest from its edges, from shapes.json): it must carry the kommune's tier colour.
// Every kommune is checked in its fylke's map; the country map checks those large enough there.
import { describe, expect, it } from 'vitest';
import { renderMap, type RenderedMap } from '../../../adapters/node/map-png';
import { MODELS } from '../../../src/domain/scoring/models';
import { mapSpecSvg } from '../../../src/web/map/spec-map';
import { fillOf, SHAPES, viewOf } from '../../../src/web/map/tier-map';
import type { ReadModel } from '../../../src/services/read-model';
import { backends } from '../../support/db';
import { ReadModel as RM } from '../../../src/services/read-model';
import { testDeps } from '../../support/runtime';
import { afterAll, beforeAll } from 'vitest';

let rm: ReadModel;
let close: () => Promise<void>;
beforeAll(async () => {
  const t = await backends.find((b) => b.name === 'pglite')!.open('all');
  close = t.close;
  rm = await RM.load(testDeps(t.db, MODELS));
});
afterAll(async () => close?.());

const hex = (m: RenderedMap, x: number, y: number) => {
  const i = (Math.floor(y) * m.width + Math.floor(x)) * 4;
  return `#${[m.pixels[i]!, m.pixels[i + 1]!, m.pixels[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
};

/** Checks the kommuner whose inner point lies at least `minPx` pixels inside; returns how many. */
function sample(m: RenderedMap, codes: readonly string[], focus: readonly string[] | undefined, minPx: number): { checked: number; wrong: string[] } {
  const [vx, vy, vw] = viewOf(focus);
  const scale = m.width / vw;
  const wrong: string[] = [];
  let checked = 0;
  for (const code of codes) {
    const [x, y, r] = SHAPES.kommuner[code]!.inner;
    if (r * scale < minPx) continue;
    checked++;
    const want = fillOf(rm.scores.get(code), 'tier');
    const got = hex(m, (x - vx) * scale, (y - vy) * scale);
    if (got !== want) wrong.push(`${code}: ${got} ≠ ${want}`);
  }
  return { checked, wrong };
}

describe('map PNG', () => {
  it('the whole country: a PNG of 1000 px wide, every kommune large enough at that size in its tier colour', () => {
    expect(rm.model.id).toBe('praksis-2026');
    const m = renderMap(mapSpecSvg(rm, {}, 'nb'));
    expect([...m.png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(m.width).toBe(1000);
    expect(m.height).toBeGreaterThan(1200);
    expect(m.png.length).toBeGreaterThan(30_000);
    expect(m.png.length).toBeLessThan(1_000_000);
    const all = rm.registry.all().map((k) => k.code);
    const { checked, wrong } = sample(m, all, undefined, 2);
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  it('each fylke zoomed: every one of the 357 kommuner is drawn in its tier colour', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const county of rm.registry.counties()) {
      const codes = rm.registry.all().filter((k) => k.countyCode === county.code).map((k) => k.code);
      const m = renderMap(mapSpecSvg(rm, { county: county.code }, 'nb'), 800);
      const r = sample(m, codes, codes, 1.2);
      checked += r.checked;
      wrong.push(...r.wrong);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(357);
  });

  it('carries the attribution: the bottom band has dark text pixels, and the other model colours differently', () => {
    const svg = mapSpecSvg(rm, { county: '18' }, 'nb');
    expect(svg).toContain('© Kartverket · Kilde: SSB');
    const m = renderMap(svg, 800);
    let dark = 0;
    for (let y = m.height - 30; y < m.height; y++) for (let x = m.width - 300; x < m.width; x++) if (hex(m, x, y) < '#404040') dark++;
    expect(dark).toBeGreaterThan(50);
    expect(mapSpecSvg(rm, { model: 'seed-2026' }, 'nb')).not.toBe(mapSpecSvg(rm, {}, 'nb'));
  });
});
