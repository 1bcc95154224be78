/**
 * The SSB client's checks and request planning, on metadata built with the test encoder: codes
 * read by label, variables the table requires, the 800,000-cell limit (split by period before
 * asking; halved again when SSB answers «Too many cells selected»).
 */
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/lib/http';
import { checkSpecAgainstMetadata, createSsbClient, labelMatches, MAX_CELLS, planExtracts, SSB_BASE_URL } from '../../../../src/sources/ssb/client';
import { decodeJsonStat } from '../../../../src/sources/ssb/jsonstat';
import type { SsbSpec } from '../../../../src/sources/ssb/specs';
import { encodeJsonStat, type EncodeDimension } from '../../../support/jsonstat-encode';
import { server, useMsw } from '../../../support/msw';

useMsw();

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** Metadata as PxWebApi sends it (no values), written directly: large tables stay cheap to build. */
function meta(dims: EncodeDimension[]) {
  return decodeJsonStat(
    {
      version: '2.0',
      class: 'dataset',
      label: '99999: test',
      updated: '2026-06-15T06:00:00Z',
      id: dims.map((d) => d.id),
      size: dims.map((d) => d.codes.length),
      dimension: Object.fromEntries(
        dims.map((d) => [d.id, { label: d.id, category: { index: Object.fromEntries(d.codes.map((c, i) => [c, i])), label: Object.fromEntries(d.codes.map((c) => [c, d.labels?.[c] ?? c])) }, extension: d.extension ?? {} }]),
      ),
      value: [],
    },
    { allowEmptyValues: true },
  );
}

const contents: EncodeDimension = {
  id: 'ContentsCode',
  codes: ['KOSa0000', 'KOSb0000', 'KOSc0000', 'KOSd0000'],
  labels: {
    KOSa0000: 'Startlån formidlet av kommunen, antall lån',
    KOSb0000: 'Startlån per 1000 innbyggere, antall',
    KOSc0000: 'Startlån formidlet av kommunen, beløp (1000 kr)',
    KOSd0000: 'Tilskudd til etablering, antall',
  },
  extension: { elimination: false },
};
const region: EncodeDimension = { id: 'KOKkommuneregion0000', codes: ['0301', '1804', 'EAK'], extension: { elimination: false } };
const tid: EncodeDimension = { id: 'Tid', codes: years(2020, 2025), extension: { elimination: false } };

const spec = (over: Partial<SsbSpec> = {}): SsbSpec => ({
  id: 't',
  group: 'ssb',
  table: '99999',
  title: 'test',
  selection: [
    { variable: 'KOKkommuneregion0000', values: ['????', 'EAK'] },
    { variable: 'ContentsCode', values: ['label:count', 'label:amount'] },
    { variable: 'Tid', values: ['top(3)'] },
  ],
  regionVariable: 'KOKkommuneregion0000',
  timeVariable: 'Tid',
  outputs: [
    { indicator: 'count', unit: 'lån', where: { ContentsCode: 'label:count' } },
    { indicator: 'amount', unit: '1000 kr', where: { ContentsCode: 'label:amount' } },
  ],
  requires: {},
  labelled: {
    count: { variable: 'ContentsCode', all: ['startlån', 'antall'], none: ['1000|1 000'] },
    amount: { variable: 'ContentsCode', all: ['startlån', 'beløp'], none: ['innbyggere'], optional: true },
  },
  evidence: 'test',
  note: '',
  ...over,
});

describe('codes read by label', () => {
  it('labelMatches: every term, alternatives with |, none of the excluded', () => {
    expect(labelMatches('Startlån per 1 000 innbyggere', { all: ['startlån', '1000|1 000'] })).toBe(true);
    expect(labelMatches('Startlån per 1000 innbyggere, antall', { all: ['startlån', 'antall'], none: ['1000'] })).toBe(false);
  });

  it('finds the one matching code per alias and fills the spec in', () => {
    const r = checkSpecAgainstMetadata(spec(), meta([region, contents, tid]));
    expect(r.codes).toEqual({ count: 'KOSa0000', amount: 'KOSc0000' });
    expect(r.spec.selection[1]!.values).toEqual(['KOSa0000', 'KOSc0000']);
    expect(r.spec.outputs.map((o) => o.where.ContentsCode)).toEqual(['KOSa0000', 'KOSc0000']);
    expect(r.notes).toEqual(['ContentsCode KOSa0000 «Startlån formidlet av kommunen, antall lån» read by label for count', 'ContentsCode KOSc0000 «Startlån formidlet av kommunen, beløp (1000 kr)» read by label for amount']);
  });

  it('an optional code the table lacks is left out with a note; its outputs go too', () => {
    const r = checkSpecAgainstMetadata(spec(), meta([region, { ...contents, codes: ['KOSa0000', 'KOSb0000'] }, tid]));
    expect(r.codes.amount).toBeNull();
    expect(r.spec.selection[1]!.values).toEqual(['KOSa0000']);
    expect(r.spec.outputs.map((o) => o.indicator)).toEqual(['count']);
    expect(r.notes.at(-1)).toBe('ContentsCode has no code whose label with «startlån», «beløp» and without «innbyggere»: amount is left out');
  });

  it('a required code the table lacks, or two codes that match, fail naming the table, variable and labels', () => {
    expect(() => checkSpecAgainstMetadata(spec(), meta([region, { ...contents, codes: ['KOSd0000'] }, tid]))).toThrow(
      'SSB 99999: ContentsCode has no code whose label with «startlån», «antall» and without «1000|1 000» (for count)',
    );
    const twice = spec({ labelled: { count: { variable: 'ContentsCode', all: ['startlån'] } } });
    expect(() => checkSpecAgainstMetadata(twice, meta([region, contents, tid]))).toThrow('SSB 99999: ContentsCode has 3 codes whose label with «startlån» (KOSa0000, KOSb0000, KOSc0000); the spec must say which');
  });

  it('a variable the table requires but the spec does not select fails by name', () => {
    const extra: EncodeDimension = { id: 'KOKart0000', codes: ['AGD10'], extension: { elimination: false } };
    expect(() => checkSpecAgainstMetadata(spec(), meta([region, extra, contents, tid]))).toThrow('SSB 99999: variable KOKart0000 must be selected (elimination false) and the spec selects nothing for it');
  });
});

describe('the 800,000-cell limit', () => {
  const big: EncodeDimension = { id: 'Alder', codes: Array.from({ length: 1200 }, (_, i) => String(i).padStart(4, '0')), extension: { elimination: true } };
  const wide = (values: string[]): SsbSpec =>
    spec({
      selection: [
        { variable: 'KOKkommuneregion0000', values: ['*'] },
        { variable: 'Alder', values: ['*'] },
        { variable: 'ContentsCode', values: ['KOSa0000'] },
        { variable: 'Tid', values },
      ],
      labelled: {},
      outputs: [{ indicator: 'x', unit: 'x', where: {} }],
    });
  const regions: EncodeDimension = { ...region, codes: Array.from({ length: 400 }, (_, i) => String(1000 + i)) };

  it('splits by period before asking: no extract over the limit, every period once', () => {
    const m = meta([regions, big, contents, tid]);
    const plans = planExtracts(wide(['*']), m);
    expect(plans.length).toBeGreaterThan(1);
    const periods = plans.flatMap((p) => p.find((s) => s.variable === 'Tid')!.values);
    expect(periods).toEqual(years(2020, 2025));
    for (const p of plans) expect(400 * 1200 * p.find((s) => s.variable === 'Tid')!.values.length).toBeLessThanOrEqual(MAX_CELLS);
  });

  it('one period over the limit alone is an error, not a request', () => {
    const huge: EncodeDimension = { ...big, codes: Array.from({ length: 2100 }, (_, i) => String(i)) };
    expect(() => planExtracts(wide(['2025']), meta([regions, huge, contents, tid]))).toThrow('SSB 99999: one period alone is 840000 cells, over the 800000 limit');
  });

  it('an answer «Too many cells selected» halves the periods and asks again', async () => {
    const asked: string[] = [];
    server.use(
      mswHttp.get(`${SSB_BASE_URL}/tables/99999/data`, ({ request }) => {
        const t = new URL(request.url).searchParams.get('valueCodes[Tid]')!;
        asked.push(t);
        if (t.includes(',')) return HttpResponse.json({ type: 'Parameter error', title: 'Too many cells selected', status: 400 }, { status: 400 });
        return HttpResponse.json(encodeJsonStat({ dims: [{ ...region, codes: ['0301'] }, { ...contents, codes: ['KOSa0000'] }, { ...tid, codes: [t] }], value: () => 1, updated: '2026-06-15T06:00:00Z', label: '99999: test' }));
      }),
    );
    const ssb = createSsbClient(createHttpClient({ source: 'ssb', problemTitles: true, fetch: (i, init) => globalThis.fetch(i, init), retries: 0 }));
    const s = spec({ selection: [{ variable: 'KOKkommuneregion0000', values: ['0301'] }, { variable: 'ContentsCode', values: ['KOSa0000'] }, { variable: 'Tid', values: ['2024', '2025'] }], labelled: {}, outputs: [] });
    const res = await ssb.data(s, meta([region, contents, tid]));
    expect(asked).toEqual(['2024,2025', '2024', '2025']);
    expect(res.datasets.map((d) => d.dimensions.Tid!.codes)).toEqual([['2024'], ['2025']]);
  });
});
