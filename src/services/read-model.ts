import { createKommuneRegistry, type KommuneRegistry } from '../domain/kommune/registry';
import type { CodeChange, Kommune } from '../domain/kommune/types';
import type { ScoringModel } from '../domain/scoring/model';
import { listCodeChanges, listKommuner } from '../store/repos/kommuner';
import { summarizeSources, type SourceSummary } from '../store/repos/observations';
import { latestScoreRun, recentScoreHistories, scoreHistory, scoresForRun, type ScoreHistoryEntry, type StoredScore, type StoredScoreRun } from '../store/repos/scores';
import { fromStored, type ScoredKommune } from './scored';
import { listSourceStatus, type SourceStatus } from '../store/repos/source-status';
import { listLotSources, openLotCounts } from '../store/repos/lots';
import { datasetStatus, type DatasetStatus } from './source-coverage';

export type { ScoreHistoryEntry, SourceStatus, SourceSummary };
import type { ServiceDeps } from './deps';

/** Runs of trend kept per kommune in the parts (the card shows the latest change). */
export const HISTORY_RUNS = 6;

/**
 * Everything a read model is built from, as plain data: what `ReadModel.load` reads from the
 * store, and what a read-model snapshot file holds (adapters/node/read-model-file.ts), so a
 * process can answer without opening the database.
 */
export interface ReadModelParts {
  kommuner: Kommune[];
  changes: CodeChange[];
  sources: SourceSummary[];
  sourceStatus: SourceStatus[];
  /** Open lots per kommune; null while no lot source is configured. */
  lotCounts: [string, number][] | null;
  datasets: DatasetStatus[];
  views: {
    modelId: string;
    modelVersion: string;
    run: StoredScoreRun | null;
    scores: StoredScore[];
    /** Each kommune's latest HISTORY_RUNS runs, newest first. */
    history: Record<string, ScoreHistoryEntry[]>;
  }[];
}

interface Shared {
  deps: ServiceDeps;
  registry: KommuneRegistry;
  sources: readonly SourceSummary[];
  sourceStatus: readonly SourceStatus[];
  lotCounts: ReadonlyMap<string, number> | null;
  datasets: readonly DatasetStatus[];
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
    /** Each kommune's recent runs, newest first (from the parts). */
    private readonly recent: Readonly<Record<string, ScoreHistoryEntry[]>>,
  ) {}

  static async load(deps: ServiceDeps): Promise<ReadModel> {
    return ReadModel.fromParts(deps, await ReadModel.loadParts(deps));
  }

  /** Reads the parts of every model's read model from the store. */
  static async loadParts(deps: ServiceDeps): Promise<ReadModelParts> {
    const models = modelsOf(deps);
    const [kommuner, changes, runs, sources, status, lotSources, datasets, histories] = await Promise.all([
      listKommuner(deps.db),
      listCodeChanges(deps.db),
      Promise.all(models.map((m) => latestScoreRun(deps.db, m.id))),
      summarizeSources(deps.db),
      listSourceStatus(deps.db),
      listLotSources(deps.db),
      datasetStatus(deps),
      Promise.all(models.map((m) => recentScoreHistories(deps.db, m.id, HISTORY_RUNS))),
    ]);
    const lots = lotSources.length > 0 ? [...(await openLotCounts(deps.db)).entries()] : null;
    const views: ReadModelParts['views'] = [];
    for (const [i, model] of models.entries()) {
      const run = runs[i] ?? null;
      views.push({ modelId: model.id, modelVersion: model.version, run, scores: run ? await scoresForRun(deps.db, run.id) : [], history: Object.fromEntries(histories[i]!) });
    }
    return { kommuner, changes, sources, sourceStatus: status, lotCounts: lots, datasets, views };
  }

  /** Builds the read models from their parts; the default model's is returned. */
  static fromParts(deps: ServiceDeps, parts: ReadModelParts): ReadModel {
    const shared: Shared = {
      deps,
      registry: createKommuneRegistry(parts.kommuner, parts.changes),
      sources: parts.sources,
      sourceStatus: parts.sourceStatus,
      lotCounts: parts.lotCounts ? new Map(parts.lotCounts) : null,
      datasets: parts.datasets,
      views: new Map(),
    };
    for (const model of modelsOf(deps)) {
      const v = parts.views.find((x) => x.modelId === model.id);
      const scores = new Map<string, ScoredKommune>();
      for (const s of v?.scores ?? []) scores.set(s.kommuneCode, fromStored(s));
      shared.views.set(model.id, new ReadModel(shared, model, v?.run ?? null, scores, v?.history ?? {}));
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

  /** Per dataset: coverage (latest period, kommuner with a value) and refresh state, for `status`. */
  get datasets(): readonly DatasetStatus[] {
    return this.shared.datasets;
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
  history(code: string, limit = HISTORY_RUNS): Promise<ScoreHistoryEntry[]> {
    const recent = this.recent[code];
    if (recent && (limit <= HISTORY_RUNS || recent.length < HISTORY_RUNS)) return Promise.resolve(recent.slice(0, limit));
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

function modelsOf(deps: ServiceDeps): readonly ScoringModel[] {
  return deps.models.some((m) => m.id === deps.model.id) ? deps.models : [deps.model, ...deps.models];
}
