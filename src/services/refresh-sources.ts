import type { HttpClient, HttpResponse, HttpWait } from '../lib/http';
import { UpstreamError } from '../lib/http';
import { sha256Text } from '../lib/hash';
import type { Observation } from '../domain/observation';
import { observationKey } from '../domain/observation';
import { createSsbClient, type SsbPhase } from '../sources/ssb/client';
import { centralityObservations, CENTRALITY_CLASSIFICATION, createKlassClient } from '../sources/ssb/klass';
import { normaliseSsb } from '../sources/ssb/normalise';
import { SSB_SPECS, type SsbSpec } from '../sources/ssb/specs';
import { fetchRobekRegister, robekObservations, ROBEK_URL } from '../sources/kdd/robek';
import { createKartverketClient, diffRegistry, KOMMUNEINFO_BASE_URL } from '../sources/kartverket/kommuneinfo';
import { upsertBoundaries } from '../store/repos/boundaries';
import { listCodeChanges, listKommuner, upsertKommuner } from '../store/repos/kommuner';
import { listObservations, upsertObservations } from '../store/repos/observations';
import { archiveResponse } from '../store/repos/raw-responses';
import { getSourceStatus, recordSourceFailure, recordSourceSuccess } from '../store/repos/source-status';
import { rescore, type RescoreResult } from './rescore';
import type { ServiceDeps } from './deps';

/**
 * The refresh groups: SSB statbank tables, the election tables (also SSB), SSB's KLASS
 * classifications, the ROBEK register (regjeringen.no) and Kartverket's kommuneinfo. Each has its
 * own job and schedule (jobs/registry.ts); `tomte refresh --source …` picks some.
 */
export const SOURCE_GROUPS = ['ssb', 'valg', 'klass', 'robek', 'kartverket'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];

export interface HttpHooks {
  /** Before each wait of the client (limiter, quiet window, backoff). */
  onWait?: (w: HttpWait) => void;
}

/** Builds the HTTP client for one source; `onResponse` sees every response so it can be archived. */
export type MakeHttpClient = (source: SourceGroup | 'lots' | 'adresser', onResponse: (res: HttpResponse) => Promise<void>, hooks?: HttpHooks) => HttpClient;

/** What a refresh is doing for one dataset, as it happens (for a live status line and the log). */
export type RefreshPhase =
  | { kind: 'checking' }
  | { kind: 'waiting'; reason: HttpWait['reason']; until: Date }
  | { kind: 'fetching'; part?: number; parts?: number; method?: 'GET' | 'POST' }
  | { kind: 'decoding'; part?: number; parts?: number; bytes?: number }
  | { kind: 'storing'; rows: number };

/** Where one dataset's refresh spent its time; waits are what the client was told to wait. */
export interface DatasetTimings {
  waits: number;
  waitedMs: number;
  fetchMs: number;
  decodeMs: number;
  storeMs: number;
}

export interface DatasetOutcome {
  dataset: string;
  title: string;
  outcome: 'updated' | 'unchanged' | 'failed' | 'unreachable' | 'dry-run';
  rowsChanged: number;
  /** New values SSB did not publish where we hold one: kept, never replaced by a gap. */
  keptOverGaps: number;
  periods: string[];
  dropped?: { aggregates: number; specials: number; unknown: number };
  error?: string;
  /** What the metadata check read by label, periods left to another table, and the like. */
  notes?: string[];
  requests?: number;
  timings?: DatasetTimings;
}

export interface SourceReport {
  source: SourceGroup;
  requests: number;
  bytes: number;
  datasets: DatasetOutcome[];
  unreachable: boolean;
  warnings: string[];
}

export interface RefreshReport {
  sources: SourceReport[];
  rowsChanged: number;
  rescore: RescoreResult | null;
}

export interface RefreshOptions {
  groups?: readonly SourceGroup[];
  dryRun?: boolean;
  makeHttp: MakeHttpClient;
  /** Once per dataset, when it is done. */
  onProgress?: (source: SourceGroup, dataset: DatasetOutcome) => void;
  /** Each phase of each dataset as it starts. */
  onPhase?: (source: SourceGroup, dataset: string, phase: RefreshPhase) => void;
}

/**
 * Follows the dataset a group's client is working for: turns its waits and phases into progress
 * events, and times each phase (performance.now(), for the log; no test asserts a time).
 */
class DatasetTracker {
  private dataset = '';
  private phase: RefreshPhase['kind'] | null = null;
  private since = 0;
  private requestsAtStart = 0;
  timings: DatasetTimings = { waits: 0, waitedMs: 0, fetchMs: 0, decodeMs: 0, storeMs: 0 };

  constructor(
    private readonly group: SourceGroup,
    private readonly opts: RefreshOptions,
    private readonly now: () => Date,
    private readonly requests: () => number,
  ) {}

  start(dataset: string): void {
    this.dataset = dataset;
    this.phase = null;
    this.timings = { waits: 0, waitedMs: 0, fetchMs: 0, decodeMs: 0, storeMs: 0 };
    this.requestsAtStart = this.requests();
  }

  /** Adds the time since the current phase began to its total. */
  private account(): number {
    const t = performance.now();
    if (this.phase === 'fetching' || this.phase === 'checking') this.timings.fetchMs += t - this.since;
    else if (this.phase === 'decoding') this.timings.decodeMs += t - this.since;
    else if (this.phase === 'storing') this.timings.storeMs += t - this.since;
    this.since = t;
    return t;
  }

  enter(p: RefreshPhase): void {
    // A wait happens inside a request: it is reported, and its time stays with the request.
    if (p.kind !== 'waiting') {
      this.account();
      this.phase = p.kind;
    }
    this.opts.onPhase?.(this.group, this.dataset, p);
  }

  onWait = (w: HttpWait): void => {
    const ms = Math.max(0, w.untilMs - this.now().getTime());
    this.timings.waits++;
    this.timings.waitedMs += ms;
    this.enter({ kind: 'waiting', reason: w.reason, until: new Date(w.untilMs) });
  };

  ssbPhase = (p: SsbPhase): void => this.enter(p);

  finish(d: DatasetOutcome): DatasetOutcome {
    this.account();
    this.phase = null;
    const round = (x: number) => Math.round(x);
    return { ...d, requests: this.requests() - this.requestsAtStart, timings: { ...this.timings, fetchMs: round(this.timings.fetchMs), decodeMs: round(this.timings.decodeMs), storeMs: round(this.timings.storeMs) } };
  }
}

type OutcomeBase = Pick<DatasetOutcome, 'dataset' | 'title' | 'rowsChanged' | 'keptOverGaps' | 'periods'>;

/** Records a failed dataset; a network failure or timeout marks the whole source unreachable. */
async function failure(deps: ServiceDeps, report: SourceReport, opts: RefreshOptions, base: OutcomeBase, err: unknown): Promise<DatasetOutcome> {
  const d = describe(err);
  if (d.unreachable) report.unreachable = true;
  if (!opts.dryRun) await recordSourceFailure(deps.db, { source: report.source, dataset: base.dataset, error: d.message, at: deps.now() });
  return { ...base, outcome: d.unreachable ? 'unreachable' : 'failed', error: d.message };
}

/** A dataset not tried because its host did not answer earlier in the run. */
async function notTried(deps: ServiceDeps, report: SourceReport, opts: RefreshOptions, base: OutcomeBase): Promise<DatasetOutcome> {
  const error = 'not tried: the source did not answer earlier in this run';
  if (!opts.dryRun) await recordSourceFailure(deps.db, { source: report.source, dataset: base.dataset, error, at: deps.now() });
  return { ...base, outcome: 'unreachable', error };
}

function describe(err: unknown): { message: string; unreachable: boolean } {
  if (err instanceof UpstreamError) {
    return { message: err.message, unreachable: err.kind === 'network' || err.kind === 'timeout' };
  }
  return { message: err instanceof Error ? err.message : String(err), unreachable: false };
}

/**
 * Refreshes the chosen sources: fetch → archive every response → validate → normalise →
 * upsert by natural key → rescore when anything changed. A failing dataset keeps its previous
 * observations; a value the publisher now leaves empty never replaces one we hold, so a source
 * failure or a gap cannot move a score by itself.
 */
export async function refreshSources(deps: ServiceDeps, opts: RefreshOptions): Promise<RefreshReport> {
  const groups = opts.groups ?? SOURCE_GROUPS;
  const reports: SourceReport[] = [];
  let rowsChanged = 0;
  for (const group of groups) {
    const report: SourceReport = { source: group, requests: 0, bytes: 0, datasets: [], unreachable: false, warnings: [] };
    const tracker = new DatasetTracker(group, opts, deps.now, () => report.requests);
    const http = opts.makeHttp(
      group,
      async (res) => {
        report.requests++;
        report.bytes += res.text.length;
        if (!opts.dryRun) {
          await archiveResponse(deps.db, { source: group, method: res.method, url: res.url, status: res.status, contentType: res.headers.get('content-type'), body: res.text, fetchedAt: res.fetchedAt });
        }
      },
      { onWait: tracker.onWait },
    );
    const run = async (dataset: string, work: () => Promise<DatasetOutcome>) => {
      tracker.start(dataset);
      const d = tracker.finish(await work());
      report.datasets.push(d);
      rowsChanged += d.rowsChanged;
      logDataset(deps, group, d);
      opts.onProgress?.(group, d);
    };
    if (group === 'kartverket') await refreshRegistry(deps, http, report, opts, run, tracker);
    else if (group === 'klass') await run(`KLASS ${CENTRALITY_CLASSIFICATION}`, () => refreshCentrality(deps, http, report, opts, tracker));
    else if (group === 'robek') await run('ROBEK', () => refreshRobek(deps, http, report, opts, tracker));
    else {
      for (const spec of SSB_SPECS.filter((s) => s.group === group)) {
        if (report.unreachable) {
          // One unreachable host is enough to know; the rest of its tables are not tried.
          await run(spec.table, () => notTried(deps, report, opts, { dataset: spec.table, title: spec.title, rowsChanged: 0, keptOverGaps: 0, periods: [] }));
          continue;
        }
        await run(spec.table, () => refreshSsbSpec(deps, http, spec, report, opts, tracker));
      }
    }
    reports.push(report);
  }
  const result = !opts.dryRun && rowsChanged > 0 ? await rescore(deps, 'refresh') : null;
  deps.logger.info('refresh finished', {
    rows_changed: rowsChanged,
    score_run: result?.runId ?? null,
    sources: reports.map((r) => ({
      source: r.source,
      requests: r.requests,
      bytes: r.bytes,
      unreachable: r.unreachable,
      outcomes: r.datasets.map((d) => `${d.dataset}:${d.outcome}`),
      skipped_unchanged: r.datasets.filter((d) => d.outcome === 'unchanged').length,
      failures: r.datasets.filter((d) => d.error).map((d) => `${d.dataset}: ${d.error}`),
      dropped_regions: r.datasets.filter((d) => d.dropped).map((d) => ({ dataset: d.dataset, ...d.dropped })),
    })),
  });
  return { sources: reports, rowsChanged, rescore: result };
}

/** The per-table log line: the same phases the CLI shows, with their times. */
function logDataset(deps: ServiceDeps, source: SourceGroup, d: DatasetOutcome): void {
  const t = d.timings;
  deps.logger.info('refresh table', {
    source,
    dataset: d.dataset,
    outcome: d.outcome,
    requests: d.requests ?? 0,
    waits: t?.waits ?? 0,
    waited_ms: t ? Math.round(t.waitedMs) : 0,
    fetch_ms: t?.fetchMs ?? 0,
    decode_ms: t?.decodeMs ?? 0,
    store_ms: t?.storeMs ?? 0,
    rows_changed: d.rowsChanged,
    periods: d.periods,
    ...(d.notes?.length ? { notes: d.notes } : {}),
    ...(d.error ? { error: d.error } : {}),
  });
}

async function refreshSsbSpec(deps: ServiceDeps, http: HttpClient, spec: SsbSpec, report: SourceReport, opts: RefreshOptions, tracker: DatasetTracker): Promise<DatasetOutcome> {
  const ssb = createSsbClient(http);
  const base = { dataset: spec.table, title: spec.title, rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  try {
    tracker.enter({ kind: 'checking' });
    const info = await ssb.tableInfo(spec.table);
    const status = await getSourceStatus(deps.db, report.source, spec.table);
    if (status?.publisherUpdated === info.updated) {
      if (!opts.dryRun) await recordSourceSuccess(deps.db, { source: report.source, dataset: spec.table, publisherUpdated: info.updated, periods: null, at: deps.now() });
      return { ...base, outcome: 'unchanged', periods: status.periods ?? [] };
    }
    const meta = await ssb.metadata(spec.table);
    const fetched = await ssb.data(spec, meta, tracker.ssbPhase);
    const kommuner = await listKommuner(deps.db);
    const norm = normaliseSsb(fetched.spec, fetched.datasets, {
      kommuneCodes: new Set(kommuner.map((k) => k.code)),
      url: `ssb:${spec.table}`,
      publishedAt: info.updated.slice(0, 10),
      fetchedAt: deps.now().toISOString(),
    });
    const notes = [...fetched.notes, ...(norm.periodsOutside.length > 0 ? [`periods ${norm.periodsOutside.join(', ')} left to another table`] : [])];
    for (const n of fetched.notes) deps.logger.info('ssb code read by label', { table: spec.table, note: n });
    const { keep, keptOverGaps } = await withoutGapsOverValues(deps, norm.observations);
    if (opts.dryRun) return { ...base, outcome: 'dry-run', rowsChanged: 0, keptOverGaps, periods: norm.periods, dropped: norm.dropped, notes };
    tracker.enter({ kind: 'storing', rows: keep.length });
    const counts = await upsertObservations(deps.db, keep);
    await recordSourceSuccess(deps.db, { source: report.source, dataset: spec.table, publisherUpdated: info.updated, periods: norm.periods, at: deps.now() });
    return { ...base, outcome: 'updated', rowsChanged: counts.inserted + counts.updated, keptOverGaps, periods: norm.periods, dropped: norm.dropped, notes };
  } catch (err) {
    return failure(deps, report, opts, base, err);
  }
}

/**
 * A dataset without a publisher stamp (KLASS, the ROBEK page): one request; unchanged when the
 * version stamp (`stamp`) equals the stored one, else stored. Shared by centrality and ROBEK.
 */
async function storeVersioned(
  deps: ServiceDeps,
  report: SourceReport,
  opts: RefreshOptions,
  tracker: DatasetTracker,
  base: OutcomeBase,
  stamp: string,
  observations: () => Observation[],
): Promise<DatasetOutcome> {
  const status = await getSourceStatus(deps.db, report.source, base.dataset);
  const obs = observations();
  const periods = [...new Set(obs.map((o) => o.period))].sort();
  if (status?.publisherUpdated === stamp) {
    if (!opts.dryRun) await recordSourceSuccess(deps.db, { source: report.source, dataset: base.dataset, publisherUpdated: stamp, periods: null, at: deps.now() });
    return { ...base, outcome: 'unchanged', periods: status.periods ?? periods };
  }
  if (opts.dryRun) return { ...base, outcome: 'dry-run', periods };
  tracker.enter({ kind: 'storing', rows: obs.length });
  const counts = await upsertObservations(deps.db, obs);
  await recordSourceSuccess(deps.db, { source: report.source, dataset: base.dataset, publisherUpdated: stamp, periods, at: deps.now() });
  return { ...base, outcome: 'updated', rowsChanged: counts.inserted + counts.updated, periods };
}

/** SSB KLASS 128 centrality: index and class per 2024 kommune (see sources/ssb/klass.ts). */
async function refreshCentrality(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, tracker: DatasetTracker): Promise<DatasetOutcome> {
  const base: OutcomeBase = { dataset: `KLASS ${CENTRALITY_CLASSIFICATION}`, title: 'Standard for sentralitet (KLASS 128)', rowsChanged: 0, keptOverGaps: 0, periods: [] };
  try {
    const date = deps.now().toISOString().slice(0, 10);
    tracker.enter({ kind: 'fetching' });
    const { url, codes } = await createKlassClient(http).codesAt(CENTRALITY_CLASSIFICATION, date);
    tracker.enter({ kind: 'decoding' });
    const [kommuner, codeChanges] = await Promise.all([listKommuner(deps.db), listCodeChanges(deps.db)]);
    const result = centralityObservations(codes, { kommuneCodes: kommuner.map((k) => k.code), codeChanges, date, url, fetchedAt: deps.now().toISOString() });
    // The version is its content: the same codes, names and indexes make the same stamp.
    const stamp = `sha256:${await sha256Text(JSON.stringify(codes.map((c) => [c.code, c.parentCode, c.level, c.name, c.notes ?? null])))}`;
    const outcome = await storeVersioned(deps, report, opts, tracker, base, stamp, () => result.observations);
    const notes = [...(result.viaOldCodes > 0 ? [`${result.viaOldCodes} kommuner reached through older codes`] : []), ...(result.unmapped.length > 0 ? [`${result.unmapped.length} historical codes without a 2024 kommune`] : [])];
    return { ...outcome, ...(notes.length > 0 ? { notes } : {}) };
  } catch (err) {
    return failure(deps, report, opts, base, err);
  }
}

/** The ROBEK register page (see sources/kdd/robek.ts): the whole register on its date. */
async function refreshRobek(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, tracker: DatasetTracker): Promise<DatasetOutcome> {
  const base: OutcomeBase = { dataset: 'ROBEK', title: 'ROBEK: kommuner som er oppført i registeret', rowsChanged: 0, keptOverGaps: 0, periods: [] };
  try {
    tracker.enter({ kind: 'fetching' });
    const register = await fetchRobekRegister(http);
    tracker.enter({ kind: 'decoding' });
    const kommuner = await listKommuner(deps.db);
    const obs = robekObservations(register, { kommuneCodes: kommuner.map((k) => k.code), url: ROBEK_URL, fetchedAt: deps.now().toISOString() });
    const outcome = await storeVersioned(deps, report, opts, tracker, base, register.date, () => obs);
    return { ...outcome, notes: [`${register.entries.length} kommuner registrert per ${register.date}`] };
  } catch (err) {
    return failure(deps, report, opts, base, err);
  }
}

/**
 * Drops incoming gaps (null values) for keys the store already holds: a published value is never
 * replaced by a gap, and an existing gap keeps its own explanation (e.g. the snapshot's note).
 */
async function withoutGapsOverValues(deps: ServiceDeps, incoming: readonly Observation[]): Promise<{ keep: Observation[]; keptOverGaps: number }> {
  const gaps = incoming.filter((o) => o.value === null);
  if (gaps.length === 0) return { keep: [...incoming], keptOverGaps: 0 };
  const existing = await listObservations(deps.db, { indicators: [...new Set(gaps.map((o) => o.indicator))] });
  const withValue = new Set(existing.filter((o) => o.value !== null).map(observationKey));
  const known = new Set(existing.map(observationKey));
  const keep = incoming.filter((o) => o.value !== null || !known.has(observationKey(o)));
  return { keep, keptOverGaps: gaps.filter((o) => withValue.has(observationKey(o))).length };
}

type RunDataset = (dataset: string, work: () => Promise<DatasetOutcome>) => Promise<void>;

async function refreshRegistry(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, run: RunDataset, tracker: DatasetTracker): Promise<void> {
  const dataset = 'kommuneinfo/fylkerkommuner';
  await run(dataset, () => refreshNames(deps, http, report, opts, tracker, dataset));
  const boundaries = 'kommuner/illustrasjonskart';
  await run(boundaries, () => refreshBoundaries(deps, http, report, opts, tracker, boundaries));
}

async function refreshNames(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, tracker: DatasetTracker, dataset: string): Promise<DatasetOutcome> {
  const base = { dataset, title: 'Kommuneinfo (navn på norsk, samisk og kvensk)', rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  try {
    tracker.enter({ kind: 'fetching' });
    const fetched = await createKartverketClient(http).fylkerKommuner();
    const current = await listKommuner(deps.db);
    const diff = diffRegistry(current, fetched);
    for (const c of diff.appeared) report.warnings.push(`Kartverket lists kommune ${c}, which is not in the 2024 registry`);
    for (const c of diff.disappeared) report.warnings.push(`Kartverket no longer lists kommune ${c}`);
    for (const w of report.warnings) deps.logger.warn('registry difference', { source: 'kartverket', warning: w });
    if (opts.dryRun) return { ...base, outcome: 'dry-run' };
    tracker.enter({ kind: 'storing', rows: diff.renamed.length });
    if (diff.renamed.length > 0) await upsertKommuner(deps.db, diff.renamed.map((r) => r.after));
    await recordSourceSuccess(deps.db, { source: 'kartverket', dataset, publisherUpdated: null, periods: null, at: deps.now() });
    return { ...base, outcome: diff.renamed.length > 0 ? 'updated' : 'unchanged' };
  } catch (err) {
    return failure(deps, report, opts, base, err);
  }
}

async function refreshBoundaries(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, tracker: DatasetTracker, dataset: string): Promise<DatasetOutcome> {
  const base = { dataset, title: 'Kommunegrenser (illustrasjonskart)', rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  if (report.unreachable) return notTried(deps, report, opts, base);
  try {
    const known = new Set((await listKommuner(deps.db)).map((k) => k.code));
    tracker.enter({ kind: 'fetching' });
    const fetched = await createKartverketClient(http).boundaries();
    const usable = fetched.filter((b) => known.has(b.code));
    for (const b of fetched) if (!known.has(b.code)) report.warnings.push(`Kartverket has a boundary for ${b.code}, which is not in the 2024 registry`);
    if (opts.dryRun) return { ...base, outcome: 'dry-run' };
    tracker.enter({ kind: 'storing', rows: usable.length });
    const written = await upsertBoundaries(deps.db, usable, { origin: `${KOMMUNEINFO_BASE_URL}/kommuner/illustrasjonskart`, fetchedAt: deps.now().toISOString() });
    await recordSourceSuccess(deps.db, { source: 'kartverket', dataset, publisherUpdated: null, periods: null, at: deps.now() });
    return { ...base, outcome: written > 0 ? 'updated' : 'unchanged', rowsChanged: 0 };
  } catch (err) {
    return failure(deps, report, opts, base, err);
  }
}
