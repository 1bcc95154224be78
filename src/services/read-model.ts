import { createKommuneRegistry, type KommuneRegistry } from '../domain/kommune/registry';
import type { Kommune } from '../domain/kommune/types';
import { listCodeChanges, listKommuner } from '../store/repos/kommuner';
import { summarizeSources, type SourceSummary } from '../store/repos/observations';
import { latestScoreRun, scoreHistory, scoresForRun, type ScoreHistoryEntry, type StoredScoreRun } from '../store/repos/scores';
import { fromStored, type ScoredKommune } from './scored';
import { listSourceStatus, type SourceStatus } from '../store/repos/source-status';
import { listLotSources, openLotCounts } from '../store/repos/lots';

export type { SourceStatus, SourceSummary };
import type { ServiceDeps } from './deps';

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
    /** Open lots per kommune; null while no lot source is configured (a count would mean nothing). */
    readonly lotCounts: ReadonlyMap<string, number> | null = null,
  ) {}

  static async load(deps: ServiceDeps): Promise<ReadModel> {
    const [kommuner, changes, run, sources, status, lotSources] = await Promise.all([
      listKommuner(deps.db),
      listCodeChanges(deps.db),
      latestScoreRun(deps.db, deps.model.id),
      summarizeSources(deps.db),
      listSourceStatus(deps.db),
      listLotSources(deps.db),
    ]);
    const lots = lotSources.length > 0 ? await openLotCounts(deps.db) : null;
    const scores = new Map<string, ScoredKommune>();
    if (run) for (const s of await scoresForRun(deps.db, run.id)) scores.set(s.kommuneCode, fromStored(s));
    return new ReadModel(deps, createKommuneRegistry(kommuner, changes), run, scores, sources, status, lots);
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
