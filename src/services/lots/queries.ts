import { getLotSource, listLotSources, openLotCounts, openLotsInKommune, queryOpenLots, upsertLotSource, type LotSourceRow, type OpenLotFilter, type StoredLot } from '../../store/repos/lots';
import { kommuneAtPoint } from '../../domain/lots/geometry';
import type { Kommune, KommuneBoundary } from '../../domain/kommune/types';
import { kommuneBoundaries } from '../kommune-list';
import type { ReadModel } from '../read-model';
import type { ServiceDeps } from '../deps';
import { getBoundary } from '../../store/repos/boundaries';
import type { LOT_SOURCE_CADENCES} from '../../sources/lots/source';
import { parseLotSourceConfig, type LotSourceKind } from '../../sources/lots/source';

/** A source the user described that cannot work as given. */
export class LotSourceConfigError extends Error {}

export type { LotSourceRow, OpenLotFilter, StoredLot };

export function lotsInKommune(deps: ServiceDeps, kommuneCode: string): Promise<StoredLot[]> {
  return openLotsInKommune(deps.db, kommuneCode);
}

/** Open lots across kommuner with filters and paging (the REST API's /tomter). */
export function searchLots(deps: ServiceDeps, filter: OpenLotFilter): Promise<{ total: number; items: StoredLot[] }> {
  return queryOpenLots(deps.db, filter);
}

/**
 * The kommune containing a point (WGS84 lon/lat) against the stored boundaries (loaded once per
 * read model, so their bbox index is reused). Null at sea, abroad, or where no boundary is stored.
 */
export async function kommuneContaining(rm: ReadModel, lon: number, lat: number): Promise<Kommune | null> {
  const boundaries = await kommuneBoundaries(rm);
  let list = boundaryLists.get(boundaries);
  if (!list) boundaryLists.set(boundaries, (list = [...boundaries].map(([code, geometry]) => ({ code, geometry }))));
  const code = kommuneAtPoint(lon, lat, list);
  return code === null ? null : (rm.kommune(code) ?? null);
}
const boundaryLists = new WeakMap<object, KommuneBoundary[]>();

export function lotCounts(deps: ServiceDeps): Promise<Map<string, number>> {
  return openLotCounts(deps.db);
}

export function lotSourceList(deps: ServiceDeps): Promise<LotSourceRow[]> {
  return listLotSources(deps.db);
}

export { LOT_SOURCE_KINDS, LOT_SOURCE_CADENCES as CADENCES } from '../../sources/lots/source';
export type { LotSourceKind } from '../../sources/lots/source';
export type Cadence = (typeof LOT_SOURCE_CADENCES)[number];

/** [minLon, minLat, maxLon, maxLat] of a kommune's boundary: a WFS source's query area. */
async function kommuneBbox(deps: ServiceDeps, code: string): Promise<[number, number, number, number] | null> {
  const b = await getBoundary(deps.db, code);
  if (!b) return null;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(b.geometry.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/** Adds a source; its id is derived from kind and host, with a number when taken. */
export async function addLotSource(
  deps: ServiceDeps,
  spec: { kind: LotSourceKind; url: string; kommuneCode: string | null; cadence: Cadence; createdBy: string },
): Promise<LotSourceRow> {
  const bbox = spec.kind === 'wfs' && spec.kommuneCode ? await kommuneBbox(deps, spec.kommuneCode) : null;
  if (spec.kind === 'wfs' && !bbox) throw new LotSourceConfigError('a wfs source needs a kommune (its boundary is the query area)');
  const host = new URL(spec.url).hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const base = `${spec.kind}-${spec.kommuneCode ? `${spec.kommuneCode}-` : ''}${host}`.slice(0, 60);
  for (let i = 1; i < 100; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    const created = await upsertLotSource(deps.db, {
      id,
      kind: spec.kind,
      config: parseLotSourceConfig({ id, kind: spec.kind, url: spec.url, ...(spec.kommuneCode ? { kommuneCode: spec.kommuneCode } : {}), ...(bbox ? { bbox } : {}), cadence: spec.cadence }),
      cadence: spec.cadence,
      createdBy: spec.createdBy,
      createdAt: deps.now(),
    });
    if (created) return (await getLotSource(deps.db, id))!;
  }
  throw new Error('could not find a free source id');
}
