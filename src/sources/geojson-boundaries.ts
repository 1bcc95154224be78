import * as z from 'zod';

import type { KommuneBoundary } from '../domain/kommune/types';

export type { KommuneBoundary };

const position = z.array(z.number()).min(2);
const ring = z.array(position).min(4);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const multiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) });

const collection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ kommunenummer: z.string().regex(/^\d{4}$/) }).passthrough(),
      geometry: z.discriminatedUnion('type', [polygon, multiPolygon]),
    }),
  ),
});

/**
 * Parses a FeatureCollection of kommune boundaries (the bundled Kartverket 2024 file, or
 * Kartverket's illustrasjonskart). Throws with the first problem's path; a ring that is not closed
 * is an error, since area and containment would be wrong.
 */
export function parseBoundaries(json: unknown): KommuneBoundary[] {
  const res = collection.safeParse(json);
  if (!res.success) {
    const i = res.error.issues[0];
    throw new Error(`boundaries: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  return res.data.features.map((f, n) => {
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
    for (const r of rings) {
      const a = r[0]!;
      const b = r[r.length - 1]!;
      if (a[0] !== b[0] || a[1] !== b[1]) throw new Error(`boundaries: feature ${n} (${f.properties.kommunenummer}) has a ring that is not closed`);
    }
    return { code: f.properties.kommunenummer, geometry: f.geometry };
  });
}
