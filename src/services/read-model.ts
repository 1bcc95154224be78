import { createKommuneRegistry, type KommuneRegistry } from '../domain/kommune/registry';
import type { Kommune } from '../domain/kommune/types';
import type { Observation } from '../domain/observation';
import { listCodeChanges, listKommuner } from '../store/repos/kommuner';
import { listObservations } from '../store/repos/observations';
import { latestScoreRun, scoreHistory, scoresForRun, type ScoreHistoryEntry, type StoredScoreRun } from '../store/repos/scores';
import { fromStored, type ScoredKommune } from './scored';
import { listSourceStatus, type SourceStatus } from '../store/repos/source-status';

export type { SourceStatus };
import type { ServiceDeps } from './deps';

export interface SourceSummary {
  source: string;
  sourceTable: string;
  indicators: string[];
  periods: string[];
  kommuner: number;
  values: number;
  missing: number;
  publishedAt: string | null;
  fetchedAt: string;
}

/**
 * What the chat and API read: the kommune registry and the latest score run, held in memory so
 * a lookup costs no query. Reload after a rescore.
 */
export class ReadModel {
  private constructor(
    readonly deps: ServiceDeps,
    readonly registry: KommuneRegistry,
    readonly run: StoredScoreRun | null,
    readonly scores: ReadonlyMap<string, ScoredKommune>,
    readonly sources: readonly SourceSummary[],
    /** Refresh state per dataset (empty until the first refresh). */
    readonly sourceStatus: readonly SourceStatus[],
  ) {}

  static async load(deps: ServiceDeps): Promise<ReadModel> {
    const [kommuner, changes, run, observations, status] = await Promise.all([
      listKommuner(deps.db),
      listCodeChanges(deps.db),
      latestScoreRun(deps.db, deps.model.id),
      listObservations(deps.db),
      listSourceStatus(deps.db),
    ]);
    const scores = new Map<string, ScoredKommune>();
    if (run) for (const s of await scoresForRun(deps.db, run.id)) scores.set(s.kommuneCode, fromStored(s));
    return new ReadModel(deps, createKommuneRegistry(kommuner, changes), run, scores, summarizeSources(observations), status);
  }

  kommune(code: string): Kommune | undefined {
    return this.registry.byCode(code);
  }

  private readonly historyMemo = new Map<string, Promise<ScoreHistoryEntry[]>>();

  /**
   * Scores from newest to oldest run, for the trend. Memoised: history changes only with a new
   * score run, and a new run comes with a new read model, so the memo lives as long as this one.
   */
  history(code: string, limit = 6): Promise<ScoreHistoryEntry[]> {
    const key = `${code}|${limit}`;
    let entry = this.historyMemo.get(key);
    if (!entry) {
      entry = scoreHistory(this.deps.db, code, this.deps.model.id, limit);
      this.historyMemo.set(key, entry);
      // A failed query is not remembered.
      entry.catch(() => this.historyMemo.delete(key));
    }
    return entry;
  }
}

function summarizeSources(observations: readonly Observation[]): SourceSummary[] {
  const groups = new Map<string, { s: SourceSummary; ind: Set<string>; per: Set<string>; kom: Set<string> }>();
  for (const o of observations) {
    const key = `${o.source}|${o.sourceTable}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        s: { source: o.source, sourceTable: o.sourceTable, indicators: [], periods: [], kommuner: 0, values: 0, missing: 0, publishedAt: null, fetchedAt: o.fetchedAt },
        ind: new Set(),
        per: new Set(),
        kom: new Set(),
      };
      groups.set(key, g);
    }
    g.ind.add(o.indicator);
    g.per.add(o.period);
    if (o.value === null) g.s.missing++;
    else {
      g.s.values++;
      g.kom.add(o.regionCode);
    }
    if (o.publishedAt && (!g.s.publishedAt || o.publishedAt > g.s.publishedAt)) g.s.publishedAt = o.publishedAt;
    if (o.fetchedAt > g.s.fetchedAt) g.s.fetchedAt = o.fetchedAt;
  }
  return [...groups.values()]
    .map((g) => ({ ...g.s, indicators: [...g.ind].sort(), periods: [...g.per].sort(), kommuner: [...g.kom].filter((c) => c !== '0').length }))
    .sort((a, b) => (a.source + a.sourceTable).localeCompare(b.source + b.sourceTable));
}
