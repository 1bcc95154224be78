/**
 * The two register sources that are not PxWebApi tables, end to end: SSB KLASS 128 (centrality)
 * and the ROBEK page, served by msw from data/sentralitet.csv and data/robek.csv
 * (test/support/registers-mock.ts). Their observations replace the snapshot's with the same ids,
 * units and meaning; an unchanged version costs its one request and writes nothing; a page whose
 * shape changed fails and keeps the register.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ind } from '../../../src/domain/indicators';
import { listObservations } from '../../../src/store/repos/observations';
import { getSourceStatus } from '../../../src/store/repos/source-status';
import { describeEachBackend } from '../../support/db';
import { server, useMsw } from '../../support/msw';
import { createKlassMock, createRobekMock, robekPage as robekPageFor } from '../../support/registers-mock';
import { snapshotCsv } from '../../support/ssb-mock';
import { openRefreshEnv, type RefreshEnv } from './harness';

useMsw();

describeEachBackend('registers', (open) => {
  const klass = createKlassMock();
  const robek = createRobekMock();
  let env: RefreshEnv;

  beforeAll(async () => {
    env = await openRefreshEnv(open);
  });
  afterAll(async () => {
    await env?.close();
  });
  beforeEach(() => {
    server.use(...klass.handlers, ...robek.handlers);
    klass.requests.length = 0;
    robek.requests.length = 0;
  });

  describe('KLASS 128', () => {
    it('one request replaces the snapshot centrality with the same ids and values, as period 2026', async () => {
      const report = await env.refresh(['klass']);
      const d = report.sources[0]!.datasets[0]!;
      expect(d).toMatchObject({ dataset: 'KLASS 128', outcome: 'updated', requests: 1, periods: ['2026'] });
      expect(d.notes).toEqual(['2 kommuner reached through older codes']);
      expect(klass.requests).toEqual(['https://data.ssb.no/api/klass/v1/classifications/128/codesAt?date=2026-01-15&language=nb']);
      const live = (await listObservations(env.db, { indicators: [ind.centralityIndex] })).filter((o) => o.period === '2026');
      expect(live).toHaveLength(357);
      const csv = new Map(snapshotCsv('sentralitet.csv').map((r) => [r.kommunenummer, Number(r.value)]));
      for (const o of live) expect(o.value, o.regionCode).toBe(csv.get(o.regionCode));
      expect(report.rescore?.created).toBe(true);
    });

    it('the same version again: one request, unchanged, nothing written', async () => {
      const report = await env.refresh(['klass']);
      expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'unchanged', requests: 1, rowsChanged: 0 });
      expect(report.rescore).toBeNull();
    });

    it('an answer missing a kommune fails and keeps the figures', async () => {
      klass.edit((cs) => cs.filter((c) => c.code !== '1804'));
      try {
        const before = await listObservations(env.db, { indicators: [ind.centralityIndex, ind.centralityClass] });
        const report = await env.refresh(['klass']);
        expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^KLASS 128: no value for 1 of 357 kommuner \(1804\)/) });
        expect(await listObservations(env.db, { indicators: [ind.centralityIndex, ind.centralityClass] })).toEqual(before);
      } finally {
        klass.edit(null);
      }
    });
  });

  describe('ROBEK', () => {
    it('one request reads the whole register: 357 observations on the register date, 27 registered', async () => {
      const report = await env.refresh(['robek']);
      const d = report.sources[0]!.datasets[0]!;
      expect(d).toMatchObject({ dataset: 'ROBEK', outcome: 'updated', requests: 1, periods: ['2026-04-20'] });
      // Same date as the snapshot's register: equal values are left as they are (provenance follows
      // content), so only rows whose note differs are rewritten.
      const obs = (await listObservations(env.db, { indicators: [ind.robekRegistered] })).filter((o) => o.period === '2026-04-20');
      expect(obs).toHaveLength(357);
      expect(d.rowsChanged).toBe(obs.filter((o) => o.origin.startsWith('https://www.regjeringen.no/')).length);
      expect(obs.filter((o) => o.value === 1).map((o) => o.regionCode).sort()).toEqual(snapshotCsv('robek.csv').filter((r) => r.value === '1').map((r) => r.kommunenummer).sort());
      expect((await getSourceStatus(env.db, 'robek', 'ROBEK'))!.publisherUpdated).toBe('2026-04-20');
    });

    it('the same register date again is unchanged', async () => {
      const report = await env.refresh(['robek']);
      expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'unchanged', requests: 1 });
    });

    it('a new register date adds a period: a kommune leaves the register', async () => {
      robek.set({ date: '02.06.2026', drop: ['1874'], stated: 26 });
      // The county row still says 5 for Nordland: the parser must refuse the page …
      let report = await env.refresh(['robek']);
      expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('county subtotals add up to 27, not the stated 26') });
      // … and take it once the page is consistent.
      robek.set({ html: robekPageWithout('1874', '02.06.2026') });
      report = await env.refresh(['robek']);
      expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'updated', periods: ['2026-06-02'] });
      const moskenes = (await listObservations(env.db, { regionCodes: ['1874'], indicators: [ind.robekRegistered] })).map((o) => [o.period, o.value]);
      expect(moskenes).toEqual(expect.arrayContaining([['2026-04-20', 1], ['2026-06-02', 0]]));
    });

    it('a redesigned page fails loudly and never empties the register', async () => {
      robek.set({ html: '<html><body><h1>ROBEK</h1><p>Se egen side.</p></body></html>' });
      try {
        const before = await listObservations(env.db, { indicators: [ind.robekRegistered] });
        const report = await env.refresh(['robek']);
        expect(report.sources[0]!.datasets[0]).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^ROBEK: the page no longer says «Registeret er sist oppdatert/) });
        expect(await listObservations(env.db, { indicators: [ind.robekRegistered] })).toEqual(before);
      } finally {
        robek.set({});
      }
    });
  });
});

/** The built page for a register without one kommune, its county subtotal and count adjusted. */
function robekPageWithout(code: string, date: string): string {
  // Moskenes (1874) is in Nordland, which has five registered kommuner on 2026-04-20.
  return robekPageFor({ drop: [code], stated: 26, date }).replace('>5 kommuner<', '>4 kommuner<');
}
