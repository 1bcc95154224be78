/**
 * KLASS 128 → centrality observations, on the codesAt answer built from data/sentralitet.csv in the
 * shape of the recorded KLASS 131 answer (test/support/registers-mock.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCodeChangesCsv } from '../../../../src/sources/snapshot/kommuner';
import { centralityObservations, klassCodeSchema } from '../../../../src/sources/ssb/klass';
import { klass128Codes } from '../../../support/registers-mock';
import { recordedProbe, snapshotCsv, snapshotKommuner } from '../../../support/ssb-mock';

const codes = snapshotKommuner().map((k) => k.code);
const codeChanges = parseCodeChangesCsv(readFileSync(new URL('../../../../data/kodeendringer-til-2024.csv', import.meta.url), 'utf8'));
const ctx = { kommuneCodes: codes, codeChanges, date: '2026-05-04', url: 'https://data.ssb.no/api/klass/v1/classifications/128/codesAt?date=2026-05-04', fetchedAt: '2026-05-04T05:50:00Z' };

describe('KLASS 128 centrality', () => {
  it("the mock's codes have the recorded KLASS 131 answer's fields", () => {
    const recorded = (JSON.parse(recordedProbe().klass.body) as { codes: unknown[] }).codes[0] as Record<string, unknown>;
    const built = klass128Codes()[0] as unknown as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(recorded).sort());
    expect(() => klassCodeSchema.parse(recorded)).not.toThrow();
  });

  it('gives every 2024 kommune its index and class, the same ids, units and values as sentralitet.csv', () => {
    const res = centralityObservations(klass128Codes(), ctx);
    expect(res.observations).toHaveLength(2 * 357);
    for (const r of snapshotCsv('sentralitet.csv')) {
      const idx = res.observations.find((o) => o.regionCode === r.kommunenummer && o.indicator === 'centrality_index')!;
      const cls = res.observations.find((o) => o.regionCode === r.kommunenummer && o.indicator === 'centrality_class')!;
      expect([idx.value, idx.unit, cls.value, cls.unit, cls.note], r.kommunenummer).toEqual([Number(r.value), 'indeks', Number(r.sentralitetsklasse), 'klasse', r.klasse_navn]);
    }
    expect(res.observations[0]).toMatchObject({ period: '2026', source: 'SSB', sourceTable: 'KLASS 128', origin: ctx.url });
  });

  it('reaches kommuner listed under their 2020–2023 code through the code changes (5401 → 5501, 3001 → 3101)', () => {
    const res = centralityObservations(klass128Codes(), ctx);
    expect(res.viaOldCodes).toBe(2);
    expect(res.observations.find((o) => o.regionCode === '5501' && o.indicator === 'centrality_index')!.value).toBe(803);
    // 0101 Halden (-2019) also leads to 3101; 3101 already has its value, nothing else is unmapped.
    expect(res.unmapped).toEqual([]);
  });

  it('fails, keeping the previous figures, when a kommune gets no value', () => {
    const without = klass128Codes((cs) => cs.filter((c) => c.code !== '1851'));
    expect(() => centralityObservations(without, ctx)).toThrow('KLASS 128: no value for 1 of 357 kommuner (1851); the previous figures are kept');
  });

  it('fails when old codes that meet in one kommune disagree, or an index is not a number', () => {
    // 3101 Halden is served as 3001; 0101 Halden (-2019) also leads there, now with another index.
    const clash = klass128Codes((cs) => cs.map((c) => (c.code === '0101' ? { ...c, notes: '999' } : c)));
    expect(() => centralityObservations(clash, ctx)).toThrow(/3101 is reached from 3001 \(\d+\), 0101 \(999\), which disagree/);
    const text = klass128Codes((cs) => cs.map((c) => (c.code === '0301' ? { ...c, notes: 'Hovedstaden' } : c)));
    expect(() => centralityObservations(text, ctx)).toThrow(/0301 has no index in notes \("Hovedstaden"\)/);
  });

  it('fails when the answer has only the six classes (no kommuner under them)', () => {
    const classesOnly = klass128Codes((cs) => cs.filter((c) => c.level === '1'));
    expect(() => centralityObservations(classesOnly, ctx)).toThrow('KLASS 128: the answer has 6 classes and 0 kommune codes');
  });
});
