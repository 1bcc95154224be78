/**
 * How refreshSources handles an upstream that misbehaves, one table at a time while the others
 * answer: rate limiting, maintenance, a hung connection, a truncated or inconsistent payload, a
 * PxWebApi parameter error, a spec code missing from the metadata, and a value the publisher now
 * leaves empty. From an up-to-date store (the full-refresh tests leave one; run alone, a baseline
 * refresh makes one), each test moves the faulty table's `updated` stamp (so
 * it is downloaded again) with a revised figure that must not land if the download fails, and
 * changes one 11084 cell (rental share, read by no seed-2026 rule) so every run rescores: the
 * scores may then only move where data really arrived.
 */
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ind } from '../../../src/domain/indicators';
import { refreshSources, type DatasetOutcome, type RefreshPhase, type RefreshReport } from '../../../src/services/refresh-sources';
import { SSB_SPECS } from '../../../src/sources/ssb/specs';
import { getSourceStatus, type SourceStatus } from '../../../src/store/repos/source-status';
import type { Observation } from '../../../src/domain/observation';
import { listSourceStatus } from '../../../src/store/repos/source-status';
import { server } from '../../support/msw';
import { snapshotCsv, ssbFaults, type CellPatch, type SsbEndpoint, type SsbFault } from '../../support/ssb-mock';
import { archivedFor, latestScores, pointsOf, ruleOf, sha256, tableObservations, testMakeHttp, type HttpOptions, type RefreshContext, type RefreshEnv, type ScoreSnapshot } from './harness';

const groupOf = (table: string) => SSB_SPECS.find((s) => s.table === table)!.group;

/** A cell patch that changes one kommune's cells where `match` holds. */
const revise = (code: string, match: (coords: Readonly<Record<string, string>>) => boolean, by: number): CellPatch => (cell, at) =>
  at.region.kind === 'kommune' && at.region.key === code && match(at.coords) && cell.value !== null ? { value: cell.value + by } : cell;

interface Scenario {
  table: string;
  endpoint: SsbEndpoint;
  fault?: SsbFault;
  times?: number;
  patch?: CellPatch;
  http?: HttpOptions;
}

interface Ran {
  report: RefreshReport;
  outcome: DatasetOutcome;
  observationsBefore: Observation[];
  scoresBefore: ScoreSnapshot;
  statusBefore: SourceStatus;
  stamp: string;
  startedAt: Date;
}

/** Declares the tests; `ctx` is filled in by the caller's beforeAll. */
export function faultTests(ctx: RefreshContext): void {
  const { ssb } = ctx;
  let env: RefreshEnv;
  let generation = 0;

  beforeAll(async () => {
    env = ctx.env;
    // The baseline: every table downloaded at the mock's current stamp (the full-refresh tests
    // leave it so; run alone, e.g. with -t, this does it).
    const status = new Map((await listSourceStatus(env.db)).map((s) => [s.dataset, s.publisherUpdated]));
    if (SSB_SPECS.some((s) => status.get(s.table) !== ssb.updated(s.table))) {
      server.use(...ssb.handlers);
      const baseline = await env.refresh(['ssb', 'valg']);
      const failed = baseline.sources.flatMap((s) => s.datasets).filter((d) => d.outcome !== 'updated' && d.outcome !== 'unchanged');
      if (failed.length > 0) throw new Error(`baseline refresh failed: ${JSON.stringify(failed)}`);
    }
  });
  beforeEach(() => {
    ssb.clearRequests();
    env.clock.sleeps.length = 0;
  });
  afterEach(() => {
    ssb.clearFaults();
    ssb.clearPatches();
  });

  /** A new rental share for Oslo (11084 feeds no rule): the run has something to rescore. */
  function companionChange(): void {
    const g = ++generation;
    ssb.touch('11084');
    ssb.patch('11084', (cell, at) => (at.region.key === '0301' && at.coords.EierStatus === '4' && at.coords.ContentsCode === 'HusholdningProsent' ? { value: 40 + g / 10 } : cell));
  }

  async function run(sc: Scenario): Promise<Ran> {
    const group = groupOf(sc.table);
    const observationsBefore = await tableObservations(env.db, sc.table);
    const scoresBefore = await latestScores(env.deps);
    const statusBefore = (await getSourceStatus(env.db, group, sc.table))!;
    const stamp = ssb.updated(sc.table);
    ssb.touch(sc.table);
    if (sc.patch) ssb.patch(sc.table, sc.patch);
    companionChange();
    if (sc.fault) ssb.fail(sc.table, sc.endpoint, sc.fault, sc.times ?? 1);
    const startedAt = env.clock.now();
    const report = await env.refresh(['ssb', 'valg'], sc.http);
    const all = report.sources.flatMap((s) => s.datasets);
    const outcome = all.find((d) => d.dataset === sc.table)!;
    // The others answered: the companion was updated, the rest had nothing new; after a table whose
    // host did not answer, the rest of that group is not tried.
    expect(all.find((d) => d.dataset === '11084')!.outcome).toBe('updated');
    const groupTables = SSB_SPECS.filter((s) => s.group === group).map((s) => s.table);
    const notTried = (t: string) => outcome.outcome === 'unreachable' && groupTables.indexOf(t) > groupTables.indexOf(sc.table);
    for (const d of all) if (d.dataset !== sc.table && d.dataset !== '11084') expect(d.outcome, d.dataset).toBe(notTried(d.dataset) ? 'unreachable' : 'unchanged');
    return { report, outcome, observationsBefore, scoresBefore, statusBefore, stamp, startedAt };
  }

  /** A failed download changes nothing but the status: observations, scores and the stamp stay. */
  async function expectNoTrace(table: string, ran: Ran): Promise<void> {
    expect(await tableObservations(env.db, table)).toEqual(ran.observationsBefore);
    // The companion made a new score run; the failing table's rules and every total are as before.
    expect(ran.report.rescore?.created).toBe(true);
    const after = await latestScores(env.deps);
    expect(after.runId).not.toBe(ran.scoresBefore.runId);
    expect(pointsOf(after, table)).toEqual(pointsOf(ran.scoresBefore, table));
    const st = (await getSourceStatus(env.db, groupOf(table), table))!;
    expect(st.lastFailureAt).toBeInstanceOf(Date);
    expect(st.lastFailureAt!.getTime()).toBeGreaterThanOrEqual(ran.startedAt.getTime());
    expect(st.lastError).toBe(ran.outcome.error);
    expect(st.publisherUpdated).toBe(ran.statusBefore.publisherUpdated);
    expect(st.lastSuccessAt).toEqual(ran.statusBefore.lastSuccessAt);
    expect(st.periods).toEqual(ran.statusBefore.periods);
    // Back to the stamp the store holds, so the next test starts from an up-to-date table.
    ssb.setUpdated(table, ran.stamp);
  }

  const osloIncome = async () => (await tableObservations(env.db, '06944')).find((o) => o.regionCode === '0301' && o.indicator === ind.medianIncome && o.period === '2024')!;
  const csvIncomeOslo = () => Number(snapshotCsv('medianinntekt-etter-skatt.csv').find((r) => r.kommunenummer === '0301')!.value);

  it('429 with Retry-After: 7 waits 7000 ms, then stores the data', async () => {
    const ran = await run({ table: '06944', endpoint: 'data', fault: ssbFaults.rateLimited(7), patch: revise('0301', () => true, 1000) });
    // rowsChanged counts every row whose publishedAt (the table's new stamp) changed, not only Oslo's.
    expect(ran.outcome.outcome).toBe('updated');
    const data = ssb.requests.filter((r) => r.table === '06944' && r.endpoint === 'data');
    expect(data.map((r) => r.status)).toEqual([429, 200]);
    expect(data[0]!.url).toBe(data[1]!.url);
    expect(env.clock.sleeps).toContain(7000);
    expect((await osloIncome()).value).toBe(csvIncomeOslo() + 1000);
    // Both answers are archived.
    expect((await archivedFor(env.db, data[0]!.url)).map((a) => a.status).sort()).toEqual(expect.arrayContaining([200, 429]));
    expect((await getSourceStatus(env.db, 'ssb', '06944'))!.publisherUpdated).toBe(ssb.updated('06944'));
    // The revised income moved the median-income figure of Oslo in the new run.
    const after = await latestScores(env.deps);
    expect(ruleOf(after.byCode.get('0301')!, 'median_income').value).not.toBe(ruleOf(ran.scoresBefore.byCode.get('0301')!, 'median_income').value);
  });

  it('503 is retried after the backoff, then the data is stored', async () => {
    const detached = (c: Readonly<Record<string, string>>) => c.Boligtype === '01' && c.ContentsCode === 'KvPris';
    const ran = await run({ table: '06035', endpoint: 'data', fault: ssbFaults.unavailable(), patch: revise('0301', detached, 500) });
    expect(ran.outcome.outcome).toBe('updated');
    expect(ssb.requests.filter((r) => r.table === '06035' && r.endpoint === 'data').map((r) => r.status)).toEqual([503, 200]);
    expect(env.clock.sleeps).toContain(500); // backoff base 500 ms × 2^0 × (0.5 + 0.5)
    const csv = snapshotCsv('boligpris-kvm.csv').find((r) => r.kommunenummer === '0301' && r.year === '2024' && r.boligtype === '01')!;
    const stored = (await tableObservations(env.db, '06035')).find((o) => o.regionCode === '0301' && o.indicator === ind.priceM2('detached') && o.period === '2024')!;
    expect(stored.value).toBe(Number(csv.value) + 500);
  });

  it('a timeout is a clear "unreachable" failure and changes nothing', async () => {
    const ran = await run({
      table: '05940',
      endpoint: 'data',
      fault: ssbFaults.hang(),
      times: 2,
      patch: revise('0301', (c) => c.ContentsCode === 'Igangsatte', 100),
      http: { timeoutMs: 600, retries: 1 },
    });
    expect(ran.outcome.outcome).toBe('unreachable');
    expect(ran.outcome.error).toMatch(/^SSB timeout after 600 ms \(GET https:\/\/data\.ssb\.no\/api\/pxwebapi\/v2\/tables\/05940\/data\?/);
    expect(ran.report.sources.find((s) => s.source === 'ssb')!.unreachable).toBe(true);
    expect(ssb.count({ table: '05940', endpoint: 'data' })).toBe(2); // the first try and one retry
    await expectNoTrace('05940', ran);
  });

  it('truncated JSON fails clearly, is archived as received, and leaves the old observations', async () => {
    const ran = await run({ table: '13563', endpoint: 'data', fault: ssbFaults.truncated(), patch: revise('1804', (c) => c.HovArbStyrkStatus === 'A.09', 50) });
    expect(ran.outcome.outcome).toBe('failed');
    expect(ran.outcome.error).toMatch(/^SSB 13563: data response is not valid JSON \(\d+ bytes; truncated\?\)$/);
    const [req] = ssb.requests.filter((r) => r.table === '13563' && r.endpoint === 'data');
    expect(ssb.count({ table: '13563', endpoint: 'data' })).toBe(1);
    const hash = await sha256(req!.responseText!);
    const row = (await archivedFor(env.db, req!.url)).find((a) => a.contentHash === hash);
    expect(row).toMatchObject({ status: 200, body: req!.responseText, bytes: new TextEncoder().encode(req!.responseText!).byteLength });
    expect(() => JSON.parse(row!.body!) as unknown).toThrow();
    await expectNoTrace('13563', ran);
  });

  it('a payload whose size disagrees with its categories fails with the size mismatch', async () => {
    const ran = await run({ table: '07459', endpoint: 'data', fault: ssbFaults.wrongSize(), patch: revise('0301', (c) => c.Tid === '2026' && c.Alder === '000', 1000) });
    expect(ran.outcome.outcome).toBe('failed');
    expect(ran.outcome.error).toMatch(/^dimension "Region": size says \d+ categories but category has \d+$/);
    expect(ssb.count({ table: '07459', endpoint: 'data' })).toBe(1);
    await expectNoTrace('07459', ran);
  });

  it('400 Non-existent value fails at once (no retry), names the problem and is archived', async () => {
    const ran = await run({ table: '01180', endpoint: 'data', fault: ssbFaults.nonExistentValue(), patch: revise('0301', (c) => c.PolitParti === '01', 1000) });
    expect(ran.outcome.outcome).toBe('failed');
    expect(ran.outcome.error).toContain('Non-existent value');
    // The table, SSB's title and what it means, then the request.
    expect(ran.outcome.error).toMatch(/^SSB 01180: 400 «Non-existent value»: a selected code is not in the table, or the region has no figures in it \(GET /);
    const data = ssb.requests.filter((r) => r.table === '01180' && r.endpoint === 'data');
    expect(data).toHaveLength(1);
    expect(env.clock.sleeps.filter((ms) => ms >= 500)).toEqual([]);
    const archived = await archivedFor(env.db, data[0]!.url);
    expect(archived.find((a) => a.status === 400)).toMatchObject({ source: 'valg', body: JSON.stringify({ type: 'Parameter error', title: 'Non-existent value', status: 400 }) });
    await expectNoTrace('01180', ran);
  });

  it('a required code missing from the metadata fails loudly, naming the code, before any data request', async () => {
    const ran = await run({ table: '13563', endpoint: 'metadata', fault: ssbFaults.withoutCode('HovArbStyrkStatus', 'A.09'), patch: revise('1804', () => true, 50) });
    expect(ran.outcome.outcome).toBe('failed');
    expect(ran.outcome.error).toBe('SSB 13563: HovArbStyrkStatus has no code A.09');
    expect(ssb.count({ table: '13563', endpoint: 'metadata' })).toBe(1);
    expect(ssb.count({ table: '13563', endpoint: 'data' })).toBe(0);
    await expectNoTrace('13563', ran);
  });

  it("a value SSB now publishes as '..' where we hold a number is kept, and the score does not move", async () => {
    const held = await osloIncome();
    expect(held.value).not.toBeNull();
    const gap: CellPatch = (cell, at) => (at.region.key === '0301' ? { value: null, status: '..' } : cell);
    const ran = await run({ table: '06944', endpoint: 'data', patch: gap });
    expect(ran.outcome).toMatchObject({ outcome: 'updated', keptOverGaps: 1 });
    expect(await osloIncome()).toEqual(held);
    expect(ran.report.rescore?.created).toBe(true);
    const after = await latestScores(env.deps);
    const [b, a] = [ran.scoresBefore.byCode.get('0301')!, after.byCode.get('0301')!];
    expect(a.total).toBe(b.total);
    expect(ruleOf(a, 'median_income')).toEqual(ruleOf(b, 'median_income'));
    expect(ruleOf(a, 'housing_cost')).toEqual(ruleOf(b, 'housing_cost'));
    expect(pointsOf(after, '06944')).toEqual(pointsOf(ran.scoresBefore, '06944'));
  });
}

/** Declares the progress tests (run after the faults; they move the clock into SSB's quiet window). */
export function progressTests(ctx: RefreshContext): void {
  it('inside the 07:55–08:15 quiet window each table says it waits until 08:15, and the log line per table records it', async () => {
    const env = ctx.env;
    // To 06:56 UTC = 07:56 in Oslo (winter): inside the window, 19 minutes before it ends.
    await env.clock.sleep(Date.parse('2026-01-15T06:56:00Z') - env.clock.ms());
    const phases: { dataset: string; phase: RefreshPhase }[] = [];
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger = { debug() {}, info: (msg: string, fields?: Record<string, unknown>) => lines.push({ msg, fields }), warn() {}, error() {} };
    const report = await refreshSources({ ...env.deps, logger }, { groups: ['valg'], makeHttp: testMakeHttp(env.clock), onPhase: (_s, dataset, phase) => phases.push({ dataset, phase }) });
    expect(report.sources[0]!.datasets.map((d) => d.outcome)).toEqual(['unchanged', 'unchanged']);
    const waits = phases.filter((p) => p.phase.kind === 'waiting');
    expect(waits).toEqual([{ dataset: '01180', phase: { kind: 'waiting', reason: 'quiet-window', until: new Date('2026-01-15T07:15:00Z') } }]);
    expect(phases.filter((p) => p.dataset === '01180').map((p) => p.phase.kind)).toEqual(['checking', 'waiting']);
    const tables = lines.filter((l) => l.msg === 'refresh table');
    expect(tables.map((l) => [l.fields!.dataset, l.fields!.outcome, l.fields!.waits, l.fields!.waited_ms, l.fields!.requests])).toEqual([
      ['01180', 'unchanged', 1, 19 * 60_000, 1],
      ['04813', 'unchanged', 0, 0, 1],
    ]);
  });

  it('a 429 on a data request shows as a wait for the retry, then fetching and storing', async () => {
    const { env, ssb } = ctx;
    ssb.touch('11084');
    ssb.fail('11084', 'data', ssbFaults.rateLimited(7));
    const phases: RefreshPhase['kind'][] = [];
    const report = await refreshSources(env.deps, {
      groups: ['ssb'],
      makeHttp: testMakeHttp(env.clock),
      onPhase: (_s, dataset, phase) => {
        if (dataset === '11084') phases.push(phase.kind);
      },
    });
    const d = report.sources[0]!.datasets.find((x) => x.dataset === '11084')!;
    expect(d).toMatchObject({ outcome: 'updated', requests: 4, timings: { waits: 1, waitedMs: 7000 } });
    expect(phases).toEqual(['checking', 'fetching', 'waiting', 'decoding', 'storing']);
  });
}
