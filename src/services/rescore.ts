import { scoreAll, describeKommune, type Tier } from '../domain/scoring/engine';
import { Deriver, ObservationIndex } from '../domain/scoring/deriver';
import type { Observation } from '../domain/observation';
import { lastObservationChange, listObservations } from '../store/repos/observations';
import { listKommuner } from '../store/repos/kommuner';
import { findScoreRun, insertScoreRun, latestScoreRun, scoresForRun } from '../store/repos/scores';
import { sha256Text } from '../lib/hash';
import { toStored } from './scored';
import type { ServiceDeps } from './deps';
import { enqueueScoreAlerts, type EnqueueResult, type KommuneInfo } from './alerts/enqueue';
import type { StoredScore } from '../store/repos/scores';

export interface RescoreResult {
  runId: number;
  created: boolean;
  kommuner: number;
  fingerprint: string;
  /** Alert events and deliveries written with the run (zero when the run existed). */
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
 * Scores every kommune with the configured model and stores the run. Hysteresis reads the tiers
 * of the model's latest run. When the latest run already scored these inputs, it is returned and
 * nothing is written.
 */
export async function rescore(deps: ServiceDeps, trigger: string): Promise<RescoreResult> {
  const started = deps.now();
  const [kommuner, observations] = await Promise.all([listKommuner(deps.db), listObservations(deps.db)]);
  const codes = kommuner.map((k) => k.code);
  const fingerprint = await fingerprintObservations(observations, codes);
  const previous = await latestScoreRun(deps.db, deps.model.id);
  if (previous && previous.modelVersion === deps.model.version && sameInputs(previous.inputFingerprint, fingerprint)) {
    return { runId: previous.id, created: false, kommuner: previous.kommunerCount, fingerprint, alerts: { events: 0, deliveries: 0, suppressed: 0 } };
  }
  // Inputs an older run scored, but not the latest (a revision reverted: A → B → A): a new run,
  // so the latest run matches the data and B → A is detected. Its fingerprint names the run it
  // follows, which keeps the unique key and still makes concurrent instances on that base agree.
  const older = previous ? await findScoreRun(deps.db, deps.model.id, deps.model.version, fingerprint) : null;
  const runFingerprint = older && previous ? `${fingerprint}${AFTER}${previous.id}` : fingerprint;

  const previousTiers = new Map<string, Tier | null>();
  // Alerts compare with the previous run of the same model version only: a new model version is a new baseline.
  const previousScores = previous ? await scoresForRun(deps.db, previous.id) : [];
  for (const s of previousScores) previousTiers.set(s.kommuneCode, s.tier as Tier | null);
  const comparable = previous && previous.modelVersion === deps.model.version ? previousScores : [];
  const results = scoreAll({ model: deps.model, observations, kommuneCodes: codes, previousTiers });
  const deriver = new Deriver(new ObservationIndex(observations, codes), deps.model);
  const stored = results.map((r) => toStored(r, describeKommune(deriver, r.kommuneCode)));
  const { id, created, alerts } = await commitScoreRun(deps, {
    trigger,
    fingerprint: runFingerprint,
    startedAt: started,
    scores: stored,
    previous: comparable,
    kommuner: kommuner.map((k) => ({ code: k.code, name: k.name, countyCode: k.countyCode, countyName: k.countyName })),
  });
  deps.logger.info('rescored', { run_id: id, created, kommuner: codes.length, observations: observations.length, trigger, alert_events: alerts.events, deliveries: alerts.deliveries, suppressed: alerts.suppressed });
  return { runId: id, created, kommuner: codes.length, fingerprint, alerts };
}

/**
 * Stores a run and, in the same transaction, the alert events and deliveries for what changed
 * since `previous` (the last run of the same model version; empty for a baseline).
 */
export async function commitScoreRun(
  deps: ServiceDeps,
  run: { trigger: string; fingerprint: string; startedAt: Date; scores: readonly StoredScore[]; previous: readonly StoredScore[]; kommuner: readonly KommuneInfo[] },
): Promise<{ id: number; created: boolean; alerts: EnqueueResult }> {
  const info = new Map(run.kommuner.map((k) => [k.code, k]));
  let alerts: EnqueueResult = { events: 0, deliveries: 0, suppressed: 0 };
  const { id, created } = await insertScoreRun(
    deps.db,
    { modelId: deps.model.id, modelVersion: deps.model.version, trigger: run.trigger, inputFingerprint: run.fingerprint, startedAt: run.startedAt, finishedAt: deps.now() },
    run.scores,
    async (tx, runId) => {
      alerts = await enqueueScoreAlerts(tx, { runId, before: run.previous, after: run.scores, kommuner: info, now: deps.now(), logger: deps.logger });
    },
  );
  return { id, created, alerts };
}

/**
 * Rescores only when the store changed after the model version's latest run, so a start-up
 * with nothing new costs two small queries instead of reading and hashing every observation.
 */
export async function rescoreIfStale(deps: ServiceDeps, trigger: string): Promise<RescoreResult | null> {
  const [latest, changed] = await Promise.all([latestScoreRun(deps.db, deps.model.id), lastObservationChange(deps.db)]);
  const fresh = latest !== null && latest.modelVersion === deps.model.version && changed !== null && changed <= latest.startedAt;
  return fresh ? null : rescore(deps, trigger);
}
