import { getLotSource, listLotSources, openLotCounts, openLotsInKommune, queryOpenLots, queryOpenPlans, setLotSourceStatus, upsertLotSource, withdrawSourceLots, type LotSourceRow, type OpenLotFilter, type StoredLot, type StoredPlan } from '../../store/repos/lots';
import { LOT_SOURCE_LIMITS } from '../../domain/access';
import { checkOutboundUrl, DEFAULT_OUTBOUND_POLICY, OutboundBlockedError } from '../../lib/outbound-policy';
import { recordAudit, type AuditActor } from '../audit';
import { kommuneAtPoint, lotCentroid } from '../../domain/lots/geometry';
import type { LotGeometry } from '../../domain/lots/types';
import type { Kommune, KommuneBoundary } from '../../domain/kommune/types';
import { kommuneBoundaries } from '../kommune-list';
import type { ReadModel } from '../read-model';
import type { ServiceDeps } from '../deps';
import { getBoundary } from '../../store/repos/boundaries';
import type { LOT_SOURCE_CADENCES} from '../../sources/lots/source';
import { parseLotSourceConfig, type LotSourceKind } from '../../sources/lots/source';

/** A source the user described that cannot work as given. */
export class LotSourceConfigError extends Error {}

/** A source refused by policy: its address, or a limit on how many sources there may be. */
export class LotSourceRefusedError extends Error {
  override readonly name = 'LotSourceRefusedError';
  constructor(
    readonly reason: 'address' | 'unresolved' | 'credentials' | 'limit-user' | 'limit-kommune' | 'limit-total',
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }
}

export type { LotSourceRow, OpenLotFilter, StoredLot, StoredPlan };

export function lotsInKommune(deps: ServiceDeps, kommuneCode: string): Promise<StoredLot[]> {
  return openLotsInKommune(deps.db, kommuneCode);
}

/** Where to put a stored lot or plan on a map: its centre of mass, or null for a geometry that no longer validates. */
export function lotCentroidOrNull(geometry: unknown): [number, number] | null {
  try {
    return lotCentroid(geometry as LotGeometry);
  } catch {
    return null;
  }
}

/** Plan initiatives (DiBK planoppstart) not withdrawn, newest notice first, in the kommuner given (absent: all). */
export function searchPlans(deps: ServiceDeps, filter: { kommuneCodes?: readonly string[]; limit?: number }): Promise<{ total: number; items: StoredPlan[] }> {
  return queryOpenPlans(deps.db, filter);
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

/** The sources that are not removed (active and paused). */
export async function lotSourceList(deps: ServiceDeps): Promise<LotSourceRow[]> {
  return (await listLotSources(deps.db)).filter((s) => s.status !== 'removed');
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

/**
 * Adds a source; its id is derived from kind and host, with a number when taken. The URL must pass
 * the outbound policy now (https, no credentials, a public address unless TOMTE_FETCH_ALLOW says
 * otherwise); it is checked again at every fetch. The limits keep one user, or one kommune, from
 * filling the fetch schedule. Whether the caller may add sources at all is the caller's check.
 */
export async function addLotSource(
  deps: ServiceDeps,
  spec: { kind: LotSourceKind; url: string; kommuneCode: string | null; cadence: Cadence; createdBy: string },
  who: AuditActor,
): Promise<LotSourceRow> {
  try {
    await checkOutboundUrl(new URL(spec.url), deps.outbound ?? DEFAULT_OUTBOUND_POLICY);
  } catch (err) {
    if (!(err instanceof OutboundBlockedError)) throw err;
    throw new LotSourceRefusedError(err.reason === 'credentials' || err.reason === 'unresolved' ? err.reason : 'address', err.message);
  }
  const active = (await listLotSources(deps.db)).filter((s) => s.status === 'active');
  if (active.length >= LOT_SOURCE_LIMITS.total) throw new LotSourceRefusedError('limit-total', 'too many lot sources', LOT_SOURCE_LIMITS.total);
  if (active.filter((s) => s.createdBy === spec.createdBy).length >= LOT_SOURCE_LIMITS.perUser) throw new LotSourceRefusedError('limit-user', 'too many lot sources for one user', LOT_SOURCE_LIMITS.perUser);
  if (spec.kommuneCode && active.filter((s) => s.config.kommuneCode === spec.kommuneCode).length >= LOT_SOURCE_LIMITS.perKommune) {
    throw new LotSourceRefusedError('limit-kommune', 'too many lot sources for one kommune', LOT_SOURCE_LIMITS.perKommune);
  }
  const bbox = spec.kind === 'wfs' && spec.kommuneCode ? await kommuneBbox(deps, spec.kommuneCode) : null;
  if (spec.kind === 'wfs' && !bbox) throw new LotSourceConfigError('a wfs source needs a kommune (its boundary is the query area)');
  const host = new URL(spec.url).hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const base = `${spec.kind}-${spec.kommuneCode ? `${spec.kommuneCode}-` : ''}${host}`.slice(0, 60);
  for (let i = 1; i < 100; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    const config = parseLotSourceConfig({ id, kind: spec.kind, url: spec.url, ...(spec.kommuneCode ? { kommuneCode: spec.kommuneCode } : {}), ...(bbox ? { bbox } : {}), cadence: spec.cadence });
    const at = deps.now();
    const created = await deps.db.transaction(async (tx) => {
      const inserted = await upsertLotSource(tx, { id, kind: spec.kind, config, cadence: spec.cadence, createdBy: spec.createdBy, createdAt: at });
      if (inserted) await recordAudit(tx, at, who, { action: 'lot-source.add', subject: id, detail: { kind: spec.kind, host: new URL(spec.url).host, kommune: spec.kommuneCode, cadence: spec.cadence } });
      return inserted;
    });
    if (created) return (await getLotSource(deps.db, id))!;
  }
  throw new Error('could not find a free source id');
}

/** Removes a source: it is no longer fetched or listed, and its open lots are withdrawn. */
export async function removeLotSource(deps: ServiceDeps, id: string, who: AuditActor): Promise<{ removed: boolean; withdrawn: number }> {
  const source = await getLotSource(deps.db, id);
  if (!source || source.status === 'removed') return { removed: false, withdrawn: 0 };
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    await setLotSourceStatus(tx, id, 'removed');
    const withdrawn = await withdrawSourceLots(tx, id, at);
    await recordAudit(tx, at, who, { action: 'lot-source.remove', subject: id, detail: { kind: source.kind, withdrawn } });
    return { removed: true, withdrawn };
  });
}
