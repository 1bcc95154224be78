import { parseCodeChangesCsv, parseKommunerCsv } from '../sources/snapshot/kommuner';
import { SNAPSHOT_DATE, SNAPSHOT_FILES } from '../sources/snapshot/observations';
import { parseBoundaries } from '../sources/geojson-boundaries';
import { upsertBoundaries } from '../store/repos/boundaries';
import { upsertKommuner, replaceCodeChanges } from '../store/repos/kommuner';
import { insertObservationsIfAbsent } from '../store/repos/observations';
import { claimJobRun, finishJobRun, lastJobRuns } from '../store/repos/job-runs';
import { sha256Text } from '../lib/hash';
import type { ServiceDeps } from './deps';

/** The bundled data files, read by the composition root (data/*.csv). */
export type SnapshotTexts = ReadonlyMap<string, string>;

export const KOMMUNER_FILE = 'kommuner-2024.csv';
export const CODE_CHANGES_FILE = 'kodeendringer-til-2024.csv';
export const BOUNDARIES_FILE = 'kommuner-2024.geojson';

/** Every file name the snapshot loader reads. */
export const SNAPSHOT_FILE_NAMES: readonly string[] = [KOMMUNER_FILE, CODE_CHANGES_FILE, BOUNDARIES_FILE, ...SNAPSHOT_FILES.map((f) => f.name)];

export interface SnapshotLoadResult {
  skipped: boolean;
  fingerprint: string;
  kommuner: number;
  observationsInserted: number;
}

/**
 * Loads the bundled snapshot into the store: the kommune registry and every observation with
 * its provenance. A snapshot already loaded (same file contents) is skipped at the cost of one
 * query; loading again inserts nothing twice, and never overwrites a newer refreshed value.
 */
export async function loadSnapshot(deps: ServiceDeps, texts: SnapshotTexts): Promise<SnapshotLoadResult> {
  const get = (name: string) => {
    const t = texts.get(name);
    if (t === undefined) throw new Error(`snapshot file data/${name} is missing`);
    return t;
  };
  const fingerprint = await sha256Text(SNAPSHOT_FILE_NAMES.map((n) => `${n}\n${get(n)}`).join('\n'));
  const [last] = await lastJobRuns(deps.db, 'load-snapshot', 1);
  if (last && last.status === 'ok' && last.slot.startsWith(fingerprint)) {
    return { skipped: true, fingerprint, kommuner: 0, observationsInserted: 0 };
  }
  // A failed or concurrent load is harmless to repeat: every write below is idempotent.
  const claim = await claimJobRun(deps.db, 'load-snapshot', `${fingerprint}:${deps.now().toISOString()}`);
  if (!claim) return { skipped: true, fingerprint, kommuner: 0, observationsInserted: 0 };
  try {
    const kommuner = parseKommunerCsv(get(KOMMUNER_FILE));
    const changes = parseCodeChangesCsv(get(CODE_CHANGES_FILE));
    const observations = SNAPSHOT_FILES.flatMap((f) => f.parse(get(f.name)));
    const boundaries = parseBoundaries(JSON.parse(get(BOUNDARIES_FILE)) as unknown);
    let inserted = 0;
    await deps.db.transaction(async (tx) => {
      await upsertKommuner(tx, kommuner);
      await replaceCodeChanges(tx, changes);
      inserted = await insertObservationsIfAbsent(tx, observations);
      await upsertBoundaries(tx, boundaries, { origin: `snapshot:data/${BOUNDARIES_FILE}`, fetchedAt: SNAPSHOT_DATE, ifAbsent: true });
    });
    const summary = { kommuner: kommuner.length, observations: observations.length, inserted };
    await finishJobRun(deps.db, claim.id, 'ok', summary);
    deps.logger.info('snapshot loaded', summary);
    return { skipped: false, fingerprint, kommuner: kommuner.length, observationsInserted: inserted };
  } catch (err) {
    await finishJobRun(deps.db, claim.id, 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
