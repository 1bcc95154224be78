import type { KommuneBoundary } from '../domain/kommune/types';
import type { Tier, TierStatus } from '../domain/scoring/engine';
import { listBoundaries } from '../store/repos/boundaries';
import type { ReadModel } from './read-model';

/**
 * The kommune list of the REST API and its exports: filter, sort and page the latest score run
 * held in the read model (no query), plus the boundaries for the GeoJSON export.
 */

export const SORT_KEYS = ['score', 'name', 'code', 'coverage'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface KommuneListQuery {
  /** A tier, or 'none' for unclassified kommuner (tier null). */
  tier?: Tier | 'none';
  /** Two-digit county code of the 2024 division. */
  countyCode?: string;
  /** Inclusive bounds on the total. */
  min?: number;
  max?: number;
  /** Inclusive lower bound on coverage (0–1, as rounded in the item). */
  minCoverage?: number;
  sort: SortKey;
  descending: boolean;
  offset: number;
  /** Omitted: every matching kommune. */
  limit?: number;
}

export interface KommuneListItem {
  code: string;
  name: string;
  county: string;
  countyCode: string;
  total: number;
  maxPossible: number;
  /** 0–1, three decimals. */
  coverage: number;
  tier: Tier | null;
  tierStatus: TierStatus;
}

export interface KommuneList {
  /** Matching kommuner before paging. */
  total: number;
  items: KommuneListItem[];
}

const collator = new Intl.Collator('nb');

export function roundCoverage(c: number): number {
  return Math.round(c * 1000) / 1000;
}

/**
 * Only scored kommuner are listed. Ties are broken by score (descending), then name, so every
 * order is total and paging is stable; `-score` is the ranking `rankKommuner` uses.
 */
export function listKommuneScores(rm: ReadModel, q: KommuneListQuery): KommuneList {
  const matched: KommuneListItem[] = [];
  for (const k of rm.registry.all()) {
    if (q.countyCode && k.countyCode !== q.countyCode) continue;
    const s = rm.scores.get(k.code);
    if (!s) continue;
    if (q.tier !== undefined && (q.tier === 'none' ? s.tier !== null : s.tier !== q.tier)) continue;
    if (q.min !== undefined && s.total < q.min) continue;
    if (q.max !== undefined && s.total > q.max) continue;
    const coverage = roundCoverage(s.coverage);
    if (q.minCoverage !== undefined && coverage < q.minCoverage) continue;
    matched.push({
      code: k.code,
      name: k.name,
      county: k.countyName,
      countyCode: k.countyCode,
      total: s.total,
      maxPossible: s.maxPossible,
      coverage,
      tier: s.tier,
      tierStatus: s.tierStatus,
    });
  }
  const dir = q.descending ? -1 : 1;
  const byScore = (a: KommuneListItem, b: KommuneListItem) => b.total - a.total || b.coverage - a.coverage;
  const byName = (a: KommuneListItem, b: KommuneListItem) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code);
  const primary: Record<SortKey, (a: KommuneListItem, b: KommuneListItem) => number> = {
    // Ascending score means lowest first, so the natural "best first" ranking is -score.
    score: (a, b) => -byScore(a, b),
    name: byName,
    code: (a, b) => a.code.localeCompare(b.code),
    coverage: (a, b) => a.coverage - b.coverage,
  };
  const cmp = primary[q.sort];
  matched.sort((a, b) => dir * cmp(a, b) || byScore(a, b) || byName(a, b));
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return { total: matched.length, items: matched.slice(q.offset, end) };
}

const boundaryMemo = new WeakMap<ReadModel, Promise<ReadonlyMap<string, KommuneBoundary['geometry']>>>();

/**
 * Kommune boundaries by code, read once per read model: a refresh that changes boundaries also
 * builds a new read model. A failed read is not remembered.
 */
export function kommuneBoundaries(rm: ReadModel): Promise<ReadonlyMap<string, KommuneBoundary['geometry']>> {
  let entry = boundaryMemo.get(rm);
  if (!entry) {
    entry = listBoundaries(rm.deps.db).then((rows) => new Map(rows.map((r) => [r.code, r.geometry])));
    boundaryMemo.set(rm, entry);
    entry.catch(() => boundaryMemo.delete(rm));
  }
  return entry;
}
