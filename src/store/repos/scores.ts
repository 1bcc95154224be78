import { and, asc, desc, eq, gt, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { scoreRuns, scores } from '../schema';
import { chunk } from './sql-helpers';

/** One kommune's stored result. The jsonb shapes belong to the scoring model and are refined there. */
export interface StoredScore {
  kommuneCode: string;
  total: number;
  maxPossible: number;
  /** Share of the model's weight backed by data, 0..1. */
  coverage: number;
  tier: number | null;
  tierStatus: string;
  categories: unknown;
  rules: unknown;
  keyIndicators: unknown;
}

export interface ScoreRunInput {
  modelId: string;
  modelVersion: string;
  /** 'seed' | 'refresh' | 'manual' | … */
  trigger: string;
  /** Hash of the observations the run read; with model id and version it identifies the run. */
  inputFingerprint: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface StoredScoreRun extends ScoreRunInput {
  id: number;
  kommunerCount: number;
}

export interface ScoreHistoryEntry {
  runId: number;
  modelVersion: string;
  finishedAt: Date;
  total: number;
  maxPossible: number;
  coverage: number;
  tier: number | null;
  tierStatus: string;
}

const runColumns = {
  id: scoreRuns.id,
  modelId: scoreRuns.modelId,
  modelVersion: scoreRuns.modelVersion,
  trigger: scoreRuns.trigger,
  inputFingerprint: scoreRuns.inputFingerprint,
  kommunerCount: scoreRuns.kommunerCount,
  startedAt: scoreRuns.startedAt,
  finishedAt: scoreRuns.finishedAt,
};

/** The run that already scored these exact inputs with this model version, if any. */
export async function findScoreRun(
  db: Db,
  modelId: string,
  modelVersion: string,
  inputFingerprint: string,
): Promise<StoredScoreRun | null> {
  const rows = await db
    .select(runColumns)
    .from(scoreRuns)
    .where(
      and(
        eq(scoreRuns.modelId, modelId),
        eq(scoreRuns.modelVersion, modelVersion),
        eq(scoreRuns.inputFingerprint, inputFingerprint),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Stores a run with all its scores atomically, so readers never see a run with partial scores.
 * If a run with the same model, version and fingerprint exists (e.g. another instance won the
 * race), nothing is written and that run's id is returned with `created: false`.
 */
export async function insertScoreRun(
  db: Db,
  run: ScoreRunInput,
  items: readonly StoredScore[],
  /** Runs in the same transaction after a new run's scores are written (alert detection). */
  afterInsert?: (tx: Db, runId: number) => Promise<void>,
): Promise<{ id: number; created: boolean }> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(scoreRuns)
      .values({
        modelId: run.modelId,
        modelVersion: run.modelVersion,
        trigger: run.trigger,
        inputFingerprint: run.inputFingerprint,
        kommunerCount: items.length,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
      })
      .onConflictDoNothing({ target: [scoreRuns.modelId, scoreRuns.modelVersion, scoreRuns.inputFingerprint] })
      .returning({ id: scoreRuns.id });
    if (!inserted) {
      const existing = await findScoreRun(tx, run.modelId, run.modelVersion, run.inputFingerprint);
      if (!existing) throw new Error('score run conflicted but could not be read back');
      return { id: existing.id, created: false };
    }
    for (const batch of chunk(items)) {
      await tx.insert(scores).values(batch.map((s) => ({ runId: inserted.id, ...s })));
    }
    if (afterInsert) await afterInsert(tx, inserted.id);
    return { id: inserted.id, created: true };
  });
}

/** The most recently finished run of a model (any version), or null before the first run. */
export async function latestScoreRun(db: Db, modelId: string): Promise<StoredScoreRun | null> {
  const rows = await db
    .select(runColumns)
    .from(scoreRuns)
    .where(eq(scoreRuns.modelId, modelId))
    // id breaks ties between runs finishing in the same instant.
    .orderBy(desc(scoreRuns.finishedAt), desc(scoreRuns.id))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Every score of a run, by kommune code. Read in pages: each row carries its rules and inputs as
 * JSON (about 50 kB), and the embedded database's WebAssembly heap grows to hold a whole result and
 * never shrinks, so one 19 MB result would cost the service about 100 MB of memory for good
 * (issue 17); pages of 60 cost a tenth of that and the same time.
 */
export async function scoresForRun(db: Db, runId: number): Promise<StoredScore[]> {
  const out: StoredScore[] = [];
  let after: string | null = null;
  for (;;) {
    const page: StoredScore[] = await db
      .select({
        kommuneCode: scores.kommuneCode,
        total: scores.total,
        maxPossible: scores.maxPossible,
        coverage: scores.coverage,
        tier: scores.tier,
        tierStatus: scores.tierStatus,
        categories: scores.categories,
        rules: scores.rules,
        keyIndicators: scores.keyIndicators,
      })
      .from(scores)
      .where(after === null ? eq(scores.runId, runId) : and(eq(scores.runId, runId), gt(scores.kommuneCode, after)))
      .orderBy(asc(scores.kommuneCode))
      .limit(SCORES_PAGE);
    out.push(...page);
    if (page.length < SCORES_PAGE) return out;
    after = page[page.length - 1]!.kommuneCode;
  }
}

const SCORES_PAGE = 60;

/** The columns of a history entry (ScoreHistoryEntry). */
const historyColumns = {
  runId: scoreRuns.id,
  modelVersion: scoreRuns.modelVersion,
  finishedAt: scoreRuns.finishedAt,
  total: scores.total,
  maxPossible: scores.maxPossible,
  coverage: scores.coverage,
  tier: scores.tier,
  tierStatus: scores.tierStatus,
};

/** A kommune's scores across runs of one model, newest first. */
export async function scoreHistory(
  db: Db,
  kommuneCode: string,
  modelId: string,
  limit: number,
): Promise<ScoreHistoryEntry[]> {
  return db
    .select(historyColumns)
    .from(scores)
    .innerJoin(scoreRuns, eq(scoreRuns.id, scores.runId))
    .where(and(eq(scores.kommuneCode, kommuneCode), eq(scoreRuns.modelId, modelId)))
    .orderBy(desc(scoreRuns.finishedAt), desc(scoreRuns.id))
    .limit(limit);
}

/** Every kommune's scores in the latest `runs` runs of one model (the trend of each), newest first per kommune. */
export async function recentScoreHistories(db: Db, modelId: string, runs: number): Promise<Map<string, ScoreHistoryEntry[]>> {
  const recent = await db
    .select({ id: scoreRuns.id })
    .from(scoreRuns)
    .where(eq(scoreRuns.modelId, modelId))
    .orderBy(desc(scoreRuns.finishedAt), desc(scoreRuns.id))
    .limit(runs);
  const out = new Map<string, ScoreHistoryEntry[]>();
  if (recent.length === 0) return out;
  const rows = await db
    .select({ kommuneCode: scores.kommuneCode, ...historyColumns })
    .from(scores)
    .innerJoin(scoreRuns, eq(scoreRuns.id, scores.runId))
    .where(inArray(scoreRuns.id, recent.map((r) => r.id)))
    .orderBy(asc(scores.kommuneCode), desc(scoreRuns.finishedAt), desc(scoreRuns.id));
  for (const { kommuneCode, ...entry } of rows) {
    let list = out.get(kommuneCode);
    if (!list) out.set(kommuneCode, (list = []));
    list.push(entry);
  }
  return out;
}

/** The latest run of a model that finished at or before `at` (the digest's "a week ago"). */
export async function scoreRunAtOrBefore(db: Db, modelId: string, at: Date): Promise<StoredScoreRun | null> {
  const rows = await db
    .select(runColumns)
    .from(scoreRuns)
    .where(and(eq(scoreRuns.modelId, modelId), lte(scoreRuns.finishedAt, at)))
    .orderBy(desc(scoreRuns.finishedAt), desc(scoreRuns.id))
    .limit(1);
  return rows[0] ?? null;
}

/** The first run of a model that finished after `at` (the digest's baseline when nothing is older). */
export async function firstScoreRunAfter(db: Db, modelId: string, at: Date): Promise<StoredScoreRun | null> {
  const rows = await db
    .select(runColumns)
    .from(scoreRuns)
    .where(and(eq(scoreRuns.modelId, modelId), gt(scoreRuns.finishedAt, at)))
    .orderBy(asc(scoreRuns.finishedAt), asc(scoreRuns.id))
    .limit(1);
  return rows[0] ?? null;
}
