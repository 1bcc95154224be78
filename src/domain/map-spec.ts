/**
 * What a map picture shows, as plain data: which model colours it, which fylke it zooms to, which
 * kommuner are outlined (the week's tier changes) and which points are marked (new lots, plans).
 * A chat reply carries it (`Reply.image`); adapters render it to PNG (Node) or a signed image URL
 * (Teams, the Worker), both drawn by src/web/map from the same read model.
 */
export interface MapSpec {
  /** Scoring model id; absent: the deployment's default. */
  model?: string;
  /** Two-digit fylke code to zoom to; absent: the whole country. */
  county?: string;
  outline?: string[];
  points?: { lon: number; lat: number; kind: 'lot' | 'plan' }[];
}

export const MAX_MAP_POINTS = 200;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A spec from untrusted JSON (a URL parameter): null unless every part has the right form. */
export function parseMapSpec(v: unknown): MapSpec | null {
  if (!isRecord(v)) return null;
  const out: MapSpec = {};
  if (v.model !== undefined) {
    if (typeof v.model !== 'string' || !/^[a-z0-9-]{1,40}$/.test(v.model)) return null;
    out.model = v.model;
  }
  if (v.county !== undefined) {
    if (typeof v.county !== 'string' || !/^\d{2}$/.test(v.county)) return null;
    out.county = v.county;
  }
  if (v.outline !== undefined) {
    if (!Array.isArray(v.outline) || v.outline.length > 357 || !v.outline.every((c) => typeof c === 'string' && /^\d{4}$/.test(c))) return null;
    out.outline = v.outline as string[];
  }
  if (v.points !== undefined) {
    if (!Array.isArray(v.points) || v.points.length > MAX_MAP_POINTS) return null;
    const points: NonNullable<MapSpec['points']> = [];
    for (const p of v.points) {
      if (!isRecord(p) || typeof p.lon !== 'number' || typeof p.lat !== 'number' || !Number.isFinite(p.lon) || !Number.isFinite(p.lat) || Math.abs(p.lon) > 180 || Math.abs(p.lat) > 90 || (p.kind !== 'lot' && p.kind !== 'plan')) return null;
      points.push({ lon: p.lon, lat: p.lat, kind: p.kind });
    }
    out.points = points;
  }
  return out;
}
