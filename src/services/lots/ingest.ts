import { filterMatches } from '../../domain/alerts/detect';
import type { Platform } from '../../domain/alerts/types';
import type { KommuneBoundary } from '../../domain/kommune/types';
import { assignKommune, lotArea, lotCentroid } from '../../domain/lots/geometry';
import type { LotParseResult, ParseProblem, PlanParseResult } from '../../domain/lots/types';
import { activeMutes, activeSubscriptionsOfKind, insertAlertEvent, insertDeliveries, type NewDelivery, type Subscription } from '../../store/repos/alerts';
import { listKommuner } from '../../store/repos/kommuner';
import { knownLotKeys, knownPlanKeys, openLotKeys, upsertLots, upsertPlans, withdrawLots, type StoredLot } from '../../store/repos/lots';
import type { ServiceDeps } from '../deps';
import { latestScoreRun, scoresForRun } from '../../store/repos/scores';
import { deliveryTiming } from '../alerts/enqueue';

/** What a new-lot alert carries (self-contained, like score alerts). */
export interface LotAlertPayload {
  sourceId: string;
  key: string;
  kommune: { code: string; name: string; countyName: string } | null;
  areaM2: number;
  centroid: { lon: number; lat: number };
  crossesBorder: boolean;
  kommuneShare: number | null;
  name: string | null;
  url: string | null;
}

export interface PlanAlertPayload {
  sourceId: string;
  key: string;
  kommune: { code: string; name: string; countyName: string } | null;
  planName: string;
  planType: string;
  announcedAt: string;
  link: string | null;
}

export interface LotIngestReport {
  fetched: number;
  new: number;
  updated: number;
  withdrawn: number;
  events: number;
  deliveries: number;
  /** Features the parser or the geometry step could not use; the rest of the batch is kept. */
  errors: ParseProblem[];
}

interface KommuneInfo {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}

/** The kommuner's tiers per model (keyed `<model>|<kommune>`), for subscriptions with a tier filter. */
type TierLookup = ReadonlyMap<string, number | null>;

function targetsFor(subs: readonly Subscription[], mutes: Set<string>, k: KommuneInfo | null, areaM2: number | null, tiers: TierLookup, defaultModelId: string): Subscription[] {
  if (!k) return [];
  return subs.filter(
    (s) =>
      filterMatches(s.filter, k.code, k.countyCode) &&
      !mutes.has(`${s.platform}|${s.target}|${k.code}`) &&
      (areaM2 === null || s.filter.minArealM2 === undefined || areaM2 >= s.filter.minArealM2) &&
      // An unclassified kommune matches no tier filter.
      (!s.filter.tiers || s.filter.tiers.length === 0 || s.filter.tiers.includes(tiers.get(`${s.filter.model ?? defaultModelId}|${k.code}`) ?? -1)),
  );
}

/** Each kommune's tier in the latest score run of each model the subscriptions follow. */
async function currentTiers(deps: ServiceDeps, subs: readonly Subscription[]): Promise<TierLookup> {
  const out = new Map<string, number | null>();
  const models = new Set(subs.filter((s) => s.filter.tiers?.length).map((s) => s.filter.model ?? deps.model.id));
  for (const modelId of models) {
    const run = await latestScoreRun(deps.db, modelId);
    if (run) for (const s of await scoresForRun(deps.db, run.id)) out.set(`${modelId}|${s.kommuneCode}`, s.tier);
  }
  return out;
}

/**
 * Stores a complete fetch of a lot source: only a key never seen before is a new lot (a re-fetch,
 * a reordered feed or a changed area is an update); lots no longer listed are marked withdrawn.
 * Invalid geometry is reported per lot and the rest of the batch is kept.
 * Each new lot gets an alert event (`lot:<source>:<key>`) and a delivery per matching `tomter`
 * subscription, in the transaction that stores it.
 */
export async function ingestLots(
  deps: ServiceDeps,
  sourceId: string,
  parsed: LotParseResult,
  boundaries: readonly KommuneBoundary[],
  /** The source's first successful fetch: stores everything, alerts nothing (a new source is not news). */
  opts: { baseline?: boolean } = {},
): Promise<LotIngestReport> {
  const now = deps.now();
  const report: LotIngestReport = { fetched: parsed.lots.length, new: 0, updated: 0, withdrawn: 0, events: 0, deliveries: 0, errors: [...parsed.errors] };
  const kommuner = new Map((await listKommuner(deps.db)).map((k) => [k.code, { code: k.code, name: k.nameNorwegian, countyCode: k.countyCode, countyName: k.countyName }]));

  const rows: Omit<StoredLot, 'withdrawnAt'>[] = [];
  const seen = new Set<string>();
  for (const lot of parsed.lots) {
    if (seen.has(lot.key)) continue; // A feed listing a lot twice: the first wins.
    try {
      const assignment = assignKommune(lot.geometry, boundaries);
      const [lon, lat] = lotCentroid(lot.geometry);
      rows.push({
        sourceId,
        key: lot.key,
        kommuneCode: assignment?.kommuneCode ?? null,
        kommuneShare: assignment?.share ?? null,
        crossesBorder: assignment?.crossesBorder ?? false,
        areaM2: lotArea(lot.geometry),
        centroidLon: lon,
        centroidLat: lat,
        zoningShare: null,
        geometry: lot.geometry,
        properties: { ...lot.properties },
        firstSeenAt: now,
        lastSeenAt: now,
      });
      seen.add(lot.key);
    } catch (err) {
      report.errors.push({ key: lot.key, message: err instanceof Error ? err.message : String(err) });
    }
  }

  await deps.db.transaction(async (tx) => {
    const known = await knownLotKeys(tx, sourceId);
    const open = await openLotKeys(tx, sourceId);
    const fresh = rows.filter((r) => !known.has(r.key));
    report.new = fresh.length;
    report.updated = rows.length - fresh.length;
    await upsertLots(tx, rows);
    report.withdrawn = await withdrawLots(tx, sourceId, [...open].filter((k) => !seen.has(k)), now);
    if (fresh.length === 0 || opts.baseline) return;
    const subs = await activeSubscriptionsOfKind(tx, ['tomter']);
    const mutes = await activeMutes(tx, now);
    const tiers = await currentTiers({ ...deps, db: tx }, subs);
    for (const r of fresh) {
      const k = r.kommuneCode ? (kommuner.get(r.kommuneCode) ?? null) : null;
      const payload: LotAlertPayload = {
        sourceId,
        key: r.key,
        kommune: k ? { code: k.code, name: k.name, countyName: k.countyName } : null,
        areaM2: r.areaM2,
        centroid: { lon: r.centroidLon, lat: r.centroidLat },
        crossesBorder: r.crossesBorder,
        kommuneShare: r.kommuneShare,
        name: typeof r.properties.name === 'string' ? r.properties.name : null,
        url: typeof r.properties.url === 'string' ? r.properties.url : null,
      };
      const eventId = await insertAlertEvent(tx, { dedupeKey: `lot:${sourceId}:${r.key}`, kind: 'lot', kommuneCode: r.kommuneCode, scoreRunId: null, payload, createdAt: now });
      if (eventId === null) continue;
      report.events++;
      const targets: NewDelivery[] = targetsFor(subs, mutes, k, r.areaM2, tiers, deps.model.id).map((s) => ({ eventId, subscriptionId: s.id, platform: s.platform as Platform, target: s.target, createdAt: now, ...deliveryTiming(s, now) }));
      report.deliveries += await insertDeliveries(tx, targets);
    }
  });
  return report;
}

/** Stores plan initiatives; a new key is a `plan:<source>:<key>` alert to matching `tomter` subscriptions. */
export async function ingestPlans(deps: ServiceDeps, sourceId: string, parsed: PlanParseResult, opts: { baseline?: boolean } = {}): Promise<LotIngestReport> {
  const now = deps.now();
  const report: LotIngestReport = { fetched: parsed.plans.length, new: 0, updated: 0, withdrawn: 0, events: 0, deliveries: 0, errors: [...parsed.errors] };
  const kommuner = new Map((await listKommuner(deps.db)).map((k) => [k.code, { code: k.code, name: k.nameNorwegian, countyCode: k.countyCode, countyName: k.countyName }]));
  await deps.db.transaction(async (tx) => {
    const known = await knownPlanKeys(tx, sourceId);
    const rows = parsed.plans.map((p) => ({
      sourceId,
      key: p.key,
      kommuneCode: p.kommuneCode,
      nationalPlanId: p.nationalPlanId ?? null,
      planName: p.planName,
      planType: p.planType,
      announcedAt: p.announcedAt,
      link: p.link ?? null,
      geometry: p.geometry,
      firstSeenAt: now,
      lastSeenAt: now,
    }));
    const fresh = rows.filter((r) => !known.has(r.key));
    report.new = fresh.length;
    report.updated = rows.length - fresh.length;
    await upsertPlans(tx, rows);
    if (fresh.length === 0 || opts.baseline) return;
    const subs = await activeSubscriptionsOfKind(tx, ['tomter']);
    const mutes = await activeMutes(tx, now);
    const tiers = await currentTiers({ ...deps, db: tx }, subs);
    for (const r of fresh) {
      const k = kommuner.get(r.kommuneCode) ?? null;
      const payload: PlanAlertPayload = { sourceId, key: r.key, kommune: k ? { code: k.code, name: k.name, countyName: k.countyName } : null, planName: r.planName, planType: r.planType, announcedAt: r.announcedAt, link: r.link };
      const eventId = await insertAlertEvent(tx, { dedupeKey: `plan:${sourceId}:${r.key}`, kind: 'plan', kommuneCode: r.kommuneCode, scoreRunId: null, payload, createdAt: now });
      if (eventId === null) continue;
      report.events++;
      const targets: NewDelivery[] = targetsFor(subs, mutes, k, null, tiers, deps.model.id).map((s) => ({ eventId, subscriptionId: s.id, platform: s.platform as Platform, target: s.target, createdAt: now, ...deliveryTiming(s, now) }));
      report.deliveries += await insertDeliveries(tx, targets);
    }
  });
  return report;
}
