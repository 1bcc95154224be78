/**
 * The bundled snapshot through the services on every backend: loading and scoring are idempotent,
 * and what the store holds is exactly what the pure engine computes from the same observations.
 * A last suite scores on PGlite and PostgreSQL side by side and compares every kommune.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotTexts } from '../../../adapters/node/bootstrap';
import { observationKey, type Observation } from '../../../src/domain/observation';
import { Deriver, ObservationIndex } from '../../../src/domain/scoring/deriver';
import { describeKommune, scoreAll, type KommuneScore } from '../../../src/domain/scoring/engine';
import { seed2026 } from '../../../src/domain/scoring/models/seed-2026';
import type { ServiceDeps } from '../../../src/services/deps';
import { loadSnapshot, type SnapshotLoadResult } from '../../../src/services/load-snapshot';
import { rescore, type RescoreResult } from '../../../src/services/rescore';
import { fromStored, type ScoredKommune } from '../../../src/services/scored';
import { lastJobRuns } from '../../../src/store/repos/job-runs';
import { listKommuner } from '../../../src/store/repos/kommuner';
import { countObservations, listObservations } from '../../../src/store/repos/observations';
import { latestScoreRun, scoresForRun } from '../../../src/store/repos/scores';
import { parseKommunerCsv } from '../../../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../../../src/sources/snapshot/observations';
import { backends, describeEachBackend, type Backend, type TestDb } from '../../support/db';
import { prepareRuntime, testDeps, type PreparedRuntime } from '../../support/runtime';

const EXPECTED_OBSERVATIONS = 23_206;
const EXPECTED_KOMMUNER = 357;

// The snapshot read independently of the store, as the pure engine would see it.
const texts = readSnapshotTexts();
const fileObservations: Observation[] = SNAPSHOT_FILES.flatMap((f) => f.parse(texts.get(f.name)!));
const fileKommuneCodes = parseKommunerCsv(texts.get('kommuner-2024.csv')!).map((k) => k.code);

/** What a jsonb round trip leaves of a value: no undefined fields, plain objects. */
const plain = <T>(v: T): unknown => JSON.parse(JSON.stringify(v)) as unknown;

function byCode<T extends { kommuneCode: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((s) => [s.kommuneCode, s]));
}

describeEachBackend('services: snapshot load and scoring', (open) => {
  let t: TestDb;
  let deps: ServiceDeps;
  let firstLoad: SnapshotLoadResult;
  let firstScore: RescoreResult;

  beforeAll(async () => {
    t = await open();
    deps = testDeps(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the snapshot files hold 21 778 distinct observations for 357 kommuner', () => {
    expect(fileObservations).toHaveLength(EXPECTED_OBSERVATIONS);
    expect(new Set(fileObservations.map(observationKey)).size).toBe(EXPECTED_OBSERVATIONS);
    expect(fileKommuneCodes).toHaveLength(EXPECTED_KOMMUNER);
  });

  it('loads the snapshot once; a second load is skipped and inserts nothing', async () => {
    expect(await countObservations(t.db)).toBe(0);
    firstLoad = await loadSnapshot(deps, texts);
    expect(firstLoad).toMatchObject({ skipped: false, kommuner: EXPECTED_KOMMUNER, observationsInserted: EXPECTED_OBSERVATIONS });
    expect(firstLoad.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await countObservations(t.db)).toBe(EXPECTED_OBSERVATIONS);
    expect(await listKommuner(t.db)).toHaveLength(EXPECTED_KOMMUNER);

    const second = await loadSnapshot(deps, texts);
    expect(second).toEqual({ skipped: true, fingerprint: firstLoad.fingerprint, kommuner: 0, observationsInserted: 0 });
    expect(await countObservations(t.db)).toBe(EXPECTED_OBSERVATIONS);

    const runs = await lastJobRuns(t.db, 'load-snapshot', 10);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'ok', error: null });
    expect(runs[0]!.slot.startsWith(firstLoad.fingerprint)).toBe(true);
  });

  it('stores every observation as the snapshot files have it', async () => {
    const stored = await listObservations(t.db);
    expect(stored).toHaveLength(EXPECTED_OBSERVATIONS);
    const storedByKey = new Map(stored.map((o) => [observationKey(o), o]));
    const mismatched = fileObservations.filter((o) => !isDeepStrictEqual(storedByKey.get(observationKey(o)), o));
    // The first difference in full, then how many there are.
    if (mismatched[0]) expect(storedByKey.get(observationKey(mismatched[0]))).toEqual(mismatched[0]);
    expect(mismatched).toHaveLength(0);
  });

  it('rescores once; a second rescore of the same inputs returns the same run', async () => {
    firstScore = await rescore(deps, 'test');
    expect(firstScore).toMatchObject({ created: true, kommuner: EXPECTED_KOMMUNER });
    const again = await rescore(deps, 'test-again');
    expect(again).toEqual({ ...firstScore, created: false });

    const latest = await latestScoreRun(t.db, seed2026.id);
    expect(latest).toMatchObject({
      id: firstScore.runId,
      modelId: 'seed-2026',
      modelVersion: seed2026.version,
      trigger: 'test',
      inputFingerprint: firstScore.fingerprint,
      kommunerCount: EXPECTED_KOMMUNER,
    });
    expect(await scoresForRun(t.db, firstScore.runId)).toHaveLength(EXPECTED_KOMMUNER);
  });

  it('stored scores equal the pure engine over the same observations, for all 357 kommuner', async () => {
    const engine = byCode(scoreAll({ model: seed2026, observations: fileObservations, kommuneCodes: fileKommuneCodes }));
    const stored = byCode((await scoresForRun(t.db, firstScore.runId)).map(fromStored));
    const deriver = new Deriver(new ObservationIndex(fileObservations, fileKommuneCodes), seed2026);
    expect([...stored.keys()].sort()).toEqual([...fileKommuneCodes].sort());

    for (const code of fileKommuneCodes) {
      const e = engine.get(code)!;
      const s = stored.get(code)!;
      const ctx = `kommune ${code}`;
      expect({ total: s.total, maxPossible: s.maxPossible, coverage: s.coverage, tier: s.tier, tierStatus: s.tierStatus }, ctx).toEqual({
        total: e.total,
        maxPossible: e.maxPossible,
        coverage: e.coverage,
        tier: e.tier,
        tierStatus: e.tierStatus,
      });
      expect(s.heldByHysteresis, ctx).toBe(e.heldByHysteresis);
      expect(s.categories, ctx).toEqual(plain(e.categories));
      expect(s.rules.map((r) => [r.ruleId, r.points]), ctx).toEqual(e.rules.map((r) => [r.ruleId, r.points]));
      // Every field of every rule, including inputs with provenance, survives the jsonb round trip.
      expect(s.rules, ctx).toEqual(plain(e.rules));
      expect(s.keyIndicators, ctx).toEqual(plain(describeKommune(deriver, code)));
    }
    // The categories add up to the total, so a card never shows a sum that does not match.
    for (const s of stored.values()) {
      expect(s.categories.reduce((sum, c) => sum + c.points, 0)).toBe(s.total);
    }
  });
});

// ── PGlite vs PostgreSQL ─────────────────────────────────────────────────────

const pglite = backends.find((b) => b.name === 'pglite');
const postgres = backends.find((b) => b.name === 'postgres');

/** The score fields a user can see, per kommune. */
function visible(s: ScoredKommune) {
  return {
    total: s.total,
    tier: s.tier,
    tierStatus: s.tierStatus,
    coverage: s.coverage,
    maxPossible: s.maxPossible,
    heldByHysteresis: s.heldByHysteresis,
    categories: s.categories,
    rules: s.rules.map((r) => ({ ruleId: r.ruleId, points: r.points, value: r.value })),
  };
}

describe('Scores are the same on PGlite and PostgreSQL', () => {
  if (!pglite || !postgres) {
    it.skip('skipped because TOMTE_TEST_PG_URL is not set: the PGlite vs PostgreSQL comparison needs a PostgreSQL server', () => {});
    return;
  }
  const both: [Backend, Backend] = [pglite, postgres];
  const dbs: TestDb[] = [];
  const runtimes: PreparedRuntime[] = [];

  beforeAll(async () => {
    for (const b of both) {
      const db = await b.open();
      dbs.push(db);
      runtimes.push(await prepareRuntime(db.db));
    }
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it('both backends store the same observations and score them with the same fingerprint', async () => {
    const [a, b] = runtimes as [PreparedRuntime, PreparedRuntime];
    expect(dbs.map((d) => d.kind)).toEqual(['pglite', 'postgres']);
    expect(await countObservations(a.deps.db)).toBe(EXPECTED_OBSERVATIONS);
    expect(await countObservations(b.deps.db)).toBe(EXPECTED_OBSERVATIONS);
    expect(a.readModel.run?.inputFingerprint).toBeDefined();
    expect(b.readModel.run?.inputFingerprint).toBe(a.readModel.run?.inputFingerprint);
  });

  it('every kommune has the same total, tier, coverage, categories and rule points and values', () => {
    const [a, b] = runtimes as [PreparedRuntime, PreparedRuntime];
    expect(a.readModel.scores.size).toBe(EXPECTED_KOMMUNER);
    expect([...b.readModel.scores.keys()].sort()).toEqual([...a.readModel.scores.keys()].sort());
    const differing = [...a.readModel.scores.keys()].filter(
      (code) => !isDeepStrictEqual(plain(visible(a.readModel.scores.get(code)!)), plain(visible(b.readModel.scores.get(code)!))),
    );
    expect(differing).toEqual([]);
    for (const [code, sa] of a.readModel.scores) {
      const sb = b.readModel.scores.get(code)!;
      expect(visible(sb), `kommune ${code}`).toEqual(visible(sa));
      expect(sb.keyIndicators, `kommune ${code}`).toEqual(sa.keyIndicators);
    }
  });

  it('the scores also equal the pure engine result (so both are right, not just equal)', () => {
    const engine: KommuneScore[] = scoreAll({ model: seed2026, observations: fileObservations, kommuneCodes: fileKommuneCodes });
    const [a] = runtimes as [PreparedRuntime];
    for (const e of engine) {
      const s = a.readModel.scores.get(e.kommuneCode)!;
      expect([s.total, s.tier, s.coverage], `kommune ${e.kommuneCode}`).toEqual([e.total, e.tier, e.coverage]);
    }
  });
});
