import type { HttpClient, HttpResponse } from '../lib/http';
import { UpstreamError } from '../lib/http';
import type { Observation } from '../domain/observation';
import { observationKey } from '../domain/observation';
import { createSsbClient } from '../sources/ssb/client';
import { normaliseSsb } from '../sources/ssb/normalise';
import { SSB_SPECS, type SsbSpec } from '../sources/ssb/specs';
import { createKartverketClient, diffRegistry, KOMMUNEINFO_BASE_URL } from '../sources/kartverket/kommuneinfo';
import { upsertBoundaries } from '../store/repos/boundaries';
import { listKommuner, upsertKommuner } from '../store/repos/kommuner';
import { listObservations, upsertObservations } from '../store/repos/observations';
import { archiveResponse } from '../store/repos/raw-responses';
import { getSourceStatus, recordSourceFailure, recordSourceSuccess } from '../store/repos/source-status';
import { rescore, type RescoreResult } from './rescore';
import type { ServiceDeps } from './deps';

export const SOURCE_GROUPS = ['ssb', 'valg', 'kartverket'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];

/** Builds the HTTP client for one source; `onResponse` sees every response so it can be archived. */
export type MakeHttpClient = (source: SourceGroup | 'lots', onResponse: (res: HttpResponse) => Promise<void>) => HttpClient;

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
  onProgress?: (source: SourceGroup, dataset: DatasetOutcome) => void;
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
    const http = opts.makeHttp(group, async (res) => {
      report.requests++;
      report.bytes += res.text.length;
      if (!opts.dryRun) {
        await archiveResponse(deps.db, { source: group, method: res.method, url: res.url, status: res.status, contentType: res.headers.get('content-type'), body: res.text, fetchedAt: res.fetchedAt });
      }
    });
    const push = (d: DatasetOutcome) => {
      report.datasets.push(d);
      rowsChanged += d.rowsChanged;
      opts.onProgress?.(group, d);
    };
    if (group === 'kartverket') await refreshRegistry(deps, http, report, opts, push);
    else {
      for (const spec of SSB_SPECS.filter((s) => s.group === group)) {
        if (report.unreachable) {
          // One unreachable host is enough to know; the rest of its tables are not tried.
          push(await notTried(deps, report, opts, { dataset: spec.table, title: spec.title, rowsChanged: 0, keptOverGaps: 0, periods: [] }));
          continue;
        }
        push(await refreshSsbSpec(deps, http, spec, report, opts));
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

async function refreshSsbSpec(deps: ServiceDeps, http: HttpClient, spec: SsbSpec, report: SourceReport, opts: RefreshOptions): Promise<DatasetOutcome> {
  const ssb = createSsbClient(http);
  const base = { dataset: spec.table, title: spec.title, rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  try {
    const info = await ssb.tableInfo(spec.table);
    const status = await getSourceStatus(deps.db, report.source, spec.table);
    if (status?.publisherUpdated === info.updated) {
      if (!opts.dryRun) await recordSourceSuccess(deps.db, { source: report.source, dataset: spec.table, publisherUpdated: info.updated, periods: null, at: deps.now() });
      return { ...base, outcome: 'unchanged', periods: status.periods ?? [] };
    }
    const meta = await ssb.metadata(spec.table);
    const datasets = await ssb.data(spec, meta);
    const kommuner = await listKommuner(deps.db);
    const norm = normaliseSsb(spec, datasets, {
      kommuneCodes: new Set(kommuner.map((k) => k.code)),
      url: `ssb:${spec.table}`,
      publishedAt: info.updated.slice(0, 10),
      fetchedAt: deps.now().toISOString(),
    });
    const { keep, keptOverGaps } = await withoutGapsOverValues(deps, norm.observations);
    if (opts.dryRun) return { ...base, outcome: 'dry-run', rowsChanged: 0, keptOverGaps, periods: norm.periods, dropped: norm.dropped };
    const counts = await upsertObservations(deps.db, keep);
    await recordSourceSuccess(deps.db, { source: report.source, dataset: spec.table, publisherUpdated: info.updated, periods: norm.periods, at: deps.now() });
    return { ...base, outcome: 'updated', rowsChanged: counts.inserted + counts.updated, keptOverGaps, periods: norm.periods, dropped: norm.dropped };
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

async function refreshRegistry(
  deps: ServiceDeps,
  http: HttpClient,
  report: SourceReport,
  opts: RefreshOptions,
  push: (d: DatasetOutcome) => void,
): Promise<void> {
  const dataset = 'kommuneinfo/fylkerkommuner';
  const base = { dataset, title: 'Kommuneinfo (navn på norsk, samisk og kvensk)', rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  try {
    const fetched = await createKartverketClient(http).fylkerKommuner();
    const current = await listKommuner(deps.db);
    const diff = diffRegistry(current, fetched);
    for (const c of diff.appeared) report.warnings.push(`Kartverket lists kommune ${c}, which is not in the 2024 registry`);
    for (const c of diff.disappeared) report.warnings.push(`Kartverket no longer lists kommune ${c}`);
    for (const w of report.warnings) deps.logger.warn('registry difference', { source: 'kartverket', warning: w });
    if (opts.dryRun) push({ ...base, outcome: 'dry-run' });
    else {
      if (diff.renamed.length > 0) await upsertKommuner(deps.db, diff.renamed.map((r) => r.after));
      await recordSourceSuccess(deps.db, { source: 'kartverket', dataset, publisherUpdated: null, periods: null, at: deps.now() });
      push({ ...base, outcome: diff.renamed.length > 0 ? 'updated' : 'unchanged' });
    }
  } catch (err) {
    push(await failure(deps, report, opts, base, err));
  }
  await refreshBoundaries(deps, http, report, opts, push);
}

async function refreshBoundaries(deps: ServiceDeps, http: HttpClient, report: SourceReport, opts: RefreshOptions, push: (d: DatasetOutcome) => void): Promise<void> {
  const dataset = 'kommuner/illustrasjonskart';
  const base = { dataset, title: 'Kommunegrenser (illustrasjonskart)', rowsChanged: 0, keptOverGaps: 0, periods: [] as string[] };
  if (report.unreachable) return push(await notTried(deps, report, opts, base));
  try {
    const known = new Set((await listKommuner(deps.db)).map((k) => k.code));
    const fetched = await createKartverketClient(http).boundaries();
    const usable = fetched.filter((b) => known.has(b.code));
    for (const b of fetched) if (!known.has(b.code)) report.warnings.push(`Kartverket has a boundary for ${b.code}, which is not in the 2024 registry`);
    if (opts.dryRun) return push({ ...base, outcome: 'dry-run' });
    const written = await upsertBoundaries(deps.db, usable, { origin: `${KOMMUNEINFO_BASE_URL}/kommuner/illustrasjonskart`, fetchedAt: deps.now().toISOString() });
    await recordSourceSuccess(deps.db, { source: 'kartverket', dataset, publisherUpdated: null, periods: null, at: deps.now() });
    push({ ...base, outcome: written > 0 ? 'updated' : 'unchanged', rowsChanged: 0 });
  } catch (err) {
    push(await failure(deps, report, opts, base, err));
  }
}
