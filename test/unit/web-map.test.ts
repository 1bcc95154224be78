// The web map's outlines (src/web/map/shapes.json) are what adapters/node/web-shapes.ts makes from
// the bundled boundaries, every kommune of the 2024 division has one, and the map stays small.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHAPES_FILE, shapesJson } from '../../adapters/node/web-shapes';
import { project, SHAPES, viewOf } from '../../src/web/map/tier-map';

describe('web map shapes', () => {
  it('the committed file is what the generator makes (run `npm run web:shapes` after the boundaries change)', () => {
    expect(readFileSync(SHAPES_FILE, 'utf8')).toBe(shapesJson());
  });

  it('has all 357 kommuner, each with a path, a bbox and an inner point inside the bbox', () => {
    const codes = Object.keys(SHAPES.kommuner);
    expect(codes).toHaveLength(357);
    for (const k of Object.values(SHAPES.kommuner)) {
      expect(k.d).toMatch(/^M[\d.]+ [\d.]+l/);
      expect(k.inner[0]).toBeGreaterThanOrEqual(k.bbox[0]);
      expect(k.inner[0]).toBeLessThanOrEqual(k.bbox[2]);
      expect(k.inner[1]).toBeGreaterThanOrEqual(k.bbox[1]);
      expect(k.inner[1]).toBeLessThanOrEqual(k.bbox[3]);
    }
  });

  it('projects a point of a kommune into its box (Bodø town hall), and zooms to a kommune', () => {
    const [x, y] = project(14.3812, 67.2827);
    const b = SHAPES.kommuner['1804']!.bbox;
    expect(x).toBeGreaterThan(b[0]);
    expect(x).toBeLessThan(b[2]);
    expect(y).toBeGreaterThan(b[1]);
    expect(y).toBeLessThan(b[3]);
    const [vx, vy, vw, vh] = viewOf(['1804']);
    expect(vx).toBeLessThan(b[0]);
    expect(vy).toBeLessThan(b[1]);
    expect(vx + vw).toBeGreaterThan(b[2]);
    expect(vy + vh).toBeGreaterThan(b[3]);
    expect(viewOf([])).toEqual([0, 0, SHAPES.width, SHAPES.height]);
  });
});
