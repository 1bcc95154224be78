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

interface Row {
  item: KommuneListItem;
  /** Position in Norwegian alphabetical order (then code), so name comparisons are integer ones. */
  nameRank: number;
}

const rowsMemo = new WeakMap<ReadModel, readonly Row[]>();

/** Every scored kommune as a list item, built once per read model (they are immutable). */
function rowsOf(rm: ReadModel): readonly Row[] {
  let rows = rowsMemo.get(rm);
  if (!rows) {
    const items: KommuneListItem[] = [];
    for (const k of rm.registry.all()) {
      const s = rm.scores.get(k.code);
      if (!s) continue;
      items.push({
        code: k.code,
        name: k.name,
        county: k.countyName,
        countyCode: k.countyCode,
        total: s.total,
        maxPossible: s.maxPossible,
        coverage: roundCoverage(s.coverage),
        tier: s.tier,
        tierStatus: s.tierStatus,
      });
    }
    const byName = [...items].sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code));
    const rank = new Map(byName.map((it, i) => [it.code, i]));
    rows = items.map((item) => ({ item, nameRank: rank.get(item.code)! }));
    rowsMemo.set(rm, rows);
  }
  return rows;
}

type Cmp = (a: Row, b: Row) => number;
const byScore: Cmp = (a, b) => b.item.total - a.item.total || b.item.coverage - a.item.coverage;
const byName: Cmp = (a, b) => a.nameRank - b.nameRank;
const PRIMARY: Record<SortKey, Cmp> = {
  // Ascending score means lowest first, so the natural "best first" ranking is -score.
  score: (a, b) => -byScore(a, b),
  name: byName,
  code: (a, b) => (a.item.code < b.item.code ? -1 : a.item.code > b.item.code ? 1 : 0),
  coverage: (a, b) => a.item.coverage - b.item.coverage,
};

/**
 * Only scored kommuner are listed. Ties are broken by score (descending), then name, so every
 * order is total and paging is stable; `-score` is the ranking `rankKommuner` uses.
 */
export function listKommuneScores(rm: ReadModel, q: KommuneListQuery): KommuneList {
  const matched = rowsOf(rm).filter(({ item: i }) => {
    if (q.countyCode !== undefined && i.countyCode !== q.countyCode) return false;
    if (q.tier !== undefined && (q.tier === 'none' ? i.tier !== null : i.tier !== q.tier)) return false;
    if (q.min !== undefined && i.total < q.min) return false;
    if (q.max !== undefined && i.total > q.max) return false;
    return q.minCoverage === undefined || i.coverage >= q.minCoverage;
  });
  const dir = q.descending ? -1 : 1;
  const cmp = PRIMARY[q.sort];
  matched.sort((a, b) => dir * cmp(a, b) || byScore(a, b) || byName(a, b));
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return { total: matched.length, items: matched.slice(q.offset, end).map((r) => r.item) };
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
