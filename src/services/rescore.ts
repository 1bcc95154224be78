import { describeKommune, scoreSets, type Tier } from '../domain/scoring/engine';
import { DerivationCache, Deriver, ObservationIndex } from '../domain/scoring/deriver';
import type { ScoringModel } from '../domain/scoring/model';
import type { Observation } from '../domain/observation';
import { lastObservationChange, listObservations } from '../store/repos/observations';
import { listKommuner } from '../store/repos/kommuner';
import { findScoreRun, insertScoreRun, latestScoreRun, scoresForRun, type StoredScoreRun } from '../store/repos/scores';
import { sha256Text } from '../lib/hash';
import { toStored } from './scored';
import type { ServiceDeps } from './deps';
import { enqueueScoreAlerts, type EnqueueResult, type KommuneInfo } from './alerts/enqueue';
import type { StoredScore } from '../store/repos/scores';

export interface RescoreResult {
  /** The default model's run. */
  runId: number;
  /** True when any model made a new run. */
  created: boolean;
  kommuner: number;
  fingerprint: string;
  /** Alert events and deliveries written with the runs, over all models (zero when no run was new). */
  alerts: EnqueueResult;
  /** Each model's run. */
  runs: ModelRun[];
}

export interface ModelRun {
  modelId: string;
  modelVersion: string;
  runId: number;
  created: boolean;
  /** True for a model's first run, or a new version's: tiers recorded, nobody alerted. */
  baseline: boolean;
  alerts: EnqueueResult;
}

/** A fingerprint of exactly what scoring reads, so identical inputs never make a second run. */
export async function fingerprintObservations(observations: readonly Observation[], kommuneCodes: readonly string[]): Promise<string> {
  const lines = observations.map((o) => `${o.regionCode}|${o.indicator}|${o.period}|${o.value ?? ''}|${o.status}|${o.sourceTable}`);
  lines.sort();
  return sha256Text(`${kommuneCodes.join(',')}\n${lines.join('\n')}`);
}

/** Separates a run's input fingerprint from the id of the run it follows (see rescore). */
const AFTER = '@after:';

/** Whether a stored run fingerprint is of these inputs (plain, or followed by the run it came after). */
function sameInputs(stored: string, fingerprint: string): boolean {
  return stored === fingerprint || stored.startsWith(`${fingerprint}${AFTER}`);
}

/**
 * Scores every kommune with every model and stores a run per model. Hysteresis reads the tiers of
 * each model's latest run. A model whose latest run already scored these inputs is left as it is.
 */
export async function rescore(deps: ServiceDeps, trigger: string): Promise<RescoreResult> {
  const started = deps.now();
  const [kommuner, observations] = await Promise.all([listKommuner(deps.db), listObservations(deps.db)]);
  const codes = kommuner.map((k) => k.code);
  const fingerprint = await fingerprintObservations(observations, codes);
  const info = kommuner.map((k) => ({ code: k.code, name: k.name, countyCode: k.countyCode, countyName: k.countyName }));
  const runs: (ModelRun | null)[] = [];
  const pending: PendingRun[] = [];
  for (const model of deps.models) {
    const previous = await latestScoreRun(deps.db, model.id);
    if (previous && previous.modelVersion === model.version && sameInputs(previous.inputFingerprint, fingerprint)) {
      runs.push({ modelId: model.id, modelVersion: model.version, runId: previous.id, created: false, baseline: false, alerts: NO_ALERTS });
      continue;
    }
    pending.push({ slot: runs.length, ...(await prepareRun(deps, model, previous, fingerprint)) });
    runs.push(null);
  }
  if (pending.length > 0) {
    const idx = new ObservationIndex(observations, codes);
    // One cache for every model and card: an indicator read with equal parameters is derived once.
    const shared = new DerivationCache(idx);
    const sets = scoreSets(
      pending.map((p) => p.model),
      idx,
      new Map(pending.map((p) => [p.model.id, p.previousTiers])),
      shared,
    );
    // The card's figures are the derived indicators with each model's parameters (e.g. its years
    // of dwellings started), derived with the kommune's scores, which have just derived most of them.
    const cards = pending.map((p) => new Deriver(idx, p.model, shared));
    const stored = pending.map((): StoredScore[] => []);
    for (let i = 0; i < codes.length; i++) {
      for (let j = 0; j < pending.length; j++) stored[j]!.push(toStored(sets[j]!.at(i), describeKommune(cards[j]!, codes[i]!)));
    }
    for (let j = 0; j < pending.length; j++) {
      const p = pending[j]!;
      runs[p.slot] = await storeRun(deps, p, { scores: stored[j]!, trigger, started, kommuner: info, observations: observations.length });
    }
  }
  const done = runs.map((r) => r!);
  const main = done.find((r) => r.modelId === deps.model.id) ?? done[0]!;
  const alerts = done.reduce((a, r) => ({ events: a.events + r.alerts.events, deliveries: a.deliveries + r.alerts.deliveries, suppressed: a.suppressed + r.alerts.suppressed }), NO_ALERTS);
  return { runId: main.runId, created: done.some((r) => r.created), kommuner: codes.length, fingerprint, alerts, runs: done };
}

const NO_ALERTS: EnqueueResult = { events: 0, deliveries: 0, suppressed: 0 };

/** A model to score in this rescore: where its run goes in the result, and what it compares with. */
interface PendingRun {
  slot: number;
  model: ScoringModel;
  runFingerprint: string;
  previousTiers: ReadonlyMap<string, Tier | null>;
  /** The previous run's scores when it is of the same model version (alerts compare with them); else empty: a baseline. */
  comparable: readonly StoredScore[];
}

async function prepareRun(deps: ServiceDeps, model: ScoringModel, previous: StoredScoreRun | null, fingerprint: string): Promise<Omit<PendingRun, 'slot'>> {
  // Inputs an older run scored, but not the latest (a revision reverted: A → B → A): a new run,
  // so the latest run matches the data and B → A is detected. Its fingerprint names the run it
  // follows, which keeps the unique key and still makes concurrent instances on that base agree.
  const older = previous ? await findScoreRun(deps.db, model.id, model.version, fingerprint) : null;
  const runFingerprint = older && previous ? `${fingerprint}${AFTER}${previous.id}` : fingerprint;
  const previousTiers = new Map<string, Tier | null>();
  // Alerts compare with the previous run of the same model version only: a new model version is a new baseline.
  const previousScores = previous ? await scoresForRun(deps.db, previous.id) : [];
  for (const s of previousScores) previousTiers.set(s.kommuneCode, s.tier as Tier | null);
  const comparable = previous && previous.modelVersion === model.version ? previousScores : [];
  return { model, runFingerprint, previousTiers, comparable };
}

async function storeRun(
  deps: ServiceDeps,
  p: PendingRun,
  input: { scores: readonly StoredScore[]; trigger: string; started: Date; kommuner: readonly KommuneInfo[]; observations: number },
): Promise<ModelRun> {
  const { model, comparable } = p;
  const { id, created, alerts } = await commitScoreRun(deps, model, {
    trigger: input.trigger,
    fingerprint: p.runFingerprint,
    startedAt: input.started,
    scores: input.scores,
    previous: comparable,
    kommuner: input.kommuner,
  });
  deps.logger.info('rescored', { model: model.id, model_version: model.version, run_id: id, created, baseline: comparable.length === 0, kommuner: input.scores.length, observations: input.observations, trigger: input.trigger, alert_events: alerts.events, deliveries: alerts.deliveries, suppressed: alerts.suppressed });
  return { modelId: model.id, modelVersion: model.version, runId: id, created, baseline: comparable.length === 0, alerts };
}

/**
 * Stores a run and, in the same transaction, the alert events and deliveries for what changed
 * since `previous` (the last run of the same model version; empty for a baseline).
 */
export async function commitScoreRun(
  deps: ServiceDeps,
  model: Pick<ScoringModel, 'id' | 'version'>,
  run: { trigger: string; fingerprint: string; startedAt: Date; scores: readonly StoredScore[]; previous: readonly StoredScore[]; kommuner: readonly KommuneInfo[] },
): Promise<{ id: number; created: boolean; alerts: EnqueueResult }> {
  const info = new Map(run.kommuner.map((k) => [k.code, k]));
  let alerts: EnqueueResult = { events: 0, deliveries: 0, suppressed: 0 };
  const { id, created } = await insertScoreRun(
    deps.db,
    { modelId: model.id, modelVersion: model.version, trigger: run.trigger, inputFingerprint: run.fingerprint, startedAt: run.startedAt, finishedAt: deps.now() },
    run.scores,
    async (tx, runId) => {
      alerts = await enqueueScoreAlerts(tx, { runId, modelId: model.id, defaultModelId: deps.model.id, before: run.previous, after: run.scores, kommuner: info, now: deps.now(), logger: deps.logger });
    },
  );
  return { id, created, alerts };
}

/**
 * Rescores only when the store changed after some model's latest run (or a model or model version
 * has no run yet), so a start-up with nothing new costs a few small queries instead of reading
 * and hashing every observation.
 */
export async function rescoreIfStale(deps: ServiceDeps, trigger: string): Promise<RescoreResult | null> {
  const [latest, changed] = await Promise.all([Promise.all(deps.models.map((m) => latestScoreRun(deps.db, m.id))), lastObservationChange(deps.db)]);
  const fresh = deps.models.every((m, i) => {
    const run = latest[i];
    return run !== null && run !== undefined && run.modelVersion === m.version && changed !== null && changed <= run.startedAt;
  });
  return fresh ? null : rescore(deps, trigger);
}
