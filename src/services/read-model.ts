import { createKommuneRegistry, type KommuneRegistry } from '../domain/kommune/registry';
import type { Kommune } from '../domain/kommune/types';
import type { ScoringModel } from '../domain/scoring/model';
import { listCodeChanges, listKommuner } from '../store/repos/kommuner';
import { summarizeSources, type SourceSummary } from '../store/repos/observations';
import { latestScoreRun, scoreHistory, scoresForRun, type ScoreHistoryEntry, type StoredScoreRun } from '../store/repos/scores';
import { fromStored, type ScoredKommune } from './scored';
import { listSourceStatus, type SourceStatus } from '../store/repos/source-status';
import { listLotSources, openLotCounts } from '../store/repos/lots';

export type { SourceStatus, SourceSummary };
import type { ServiceDeps } from './deps';

interface Shared {
  deps: ServiceDeps;
  registry: KommuneRegistry;
  sources: readonly SourceSummary[];
  sourceStatus: readonly SourceStatus[];
  lotCounts: ReadonlyMap<string, number> | null;
  /** One read model per scoring model, in the order of `deps.models`. */
  views: Map<string, ReadModel>;
}

/**
 * What the chat and API read: the kommune registry and the latest score run of a model, held in
 * memory so a lookup costs no query. There is one per scoring model, sharing everything but the
 * scores; `ReadModel.load` returns the default model's, and `forModel` the others. Reload after a
 * rescore.
 */
export class ReadModel {
  private constructor(
    private readonly shared: Shared,
    /** The scoring model whose scores these are. */
    readonly model: ScoringModel,
    readonly run: StoredScoreRun | null,
    readonly scores: ReadonlyMap<string, ScoredKommune>,
  ) {}

  static async load(deps: ServiceDeps): Promise<ReadModel> {
    const models = deps.models.some((m) => m.id === deps.model.id) ? deps.models : [deps.model, ...deps.models];
    const [kommuner, changes, runs, sources, status, lotSources] = await Promise.all([
      listKommuner(deps.db),
      listCodeChanges(deps.db),
      Promise.all(models.map((m) => latestScoreRun(deps.db, m.id))),
      summarizeSources(deps.db),
      listSourceStatus(deps.db),
      listLotSources(deps.db),
    ]);
    const lots = lotSources.length > 0 ? await openLotCounts(deps.db) : null;
    const shared: Shared = { deps, registry: createKommuneRegistry(kommuner, changes), sources, sourceStatus: status, lotCounts: lots, views: new Map() };
    for (const [i, model] of models.entries()) {
      const run = runs[i] ?? null;
      const scores = new Map<string, ScoredKommune>();
      if (run) for (const s of await scoresForRun(deps.db, run.id)) scores.set(s.kommuneCode, fromStored(s));
      shared.views.set(model.id, new ReadModel(shared, model, run, scores));
    }
    return shared.views.get(deps.model.id)!;
  }

  get deps(): ServiceDeps {
    return this.shared.deps;
  }

  get registry(): KommuneRegistry {
    return this.shared.registry;
  }

  get sources(): readonly SourceSummary[] {
    return this.shared.sources;
  }

  /** Refresh state per dataset (empty until the first refresh). */
  get sourceStatus(): readonly SourceStatus[] {
    return this.shared.sourceStatus;
  }

  /** Open lots per kommune; null while no lot source is configured (a count would mean nothing). */
  get lotCounts(): ReadonlyMap<string, number> | null {
    return this.shared.lotCounts;
  }

  /** The read model of another scoring model (same data), or undefined for an unknown id. */
  forModel(id: string): ReadModel | undefined {
    return this.shared.views.get(id);
  }

  /** The deployment's default model's read model. */
  get primary(): ReadModel {
    return this.shared.views.get(this.shared.deps.model.id) ?? this;
  }

  /** Every model's read model, the default first. */
  all(): ReadModel[] {
    const views = [...this.shared.views.values()];
    return [this.primary, ...views.filter((v) => v !== this.primary)];
  }

  /** True when this is the deployment's default model. */
  get isDefault(): boolean {
    return this.model.id === this.shared.deps.model.id;
  }

  kommune(code: string): Kommune | undefined {
    return this.registry.byCode(code);
  }

  private readonly historyMemo = new Map<string, Promise<ScoreHistoryEntry[]>>();

  /**
   * Scores from newest to oldest run of this model, for the trend. Memoised: history changes only
   * with a new score run, and a new run comes with a new read model, so the memo lives as long as
   * this one.
   */
  history(code: string, limit = 6): Promise<ScoreHistoryEntry[]> {
    const key = `${code}|${limit}`;
    let entry = this.historyMemo.get(key);
    if (!entry) {
      entry = scoreHistory(this.deps.db, code, this.model.id, limit);
      this.historyMemo.set(key, entry);
      // A failed query is not remembered.
      entry.catch(() => this.historyMemo.delete(key));
    }
    return entry;
  }
}
