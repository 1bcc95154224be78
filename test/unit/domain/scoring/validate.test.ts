import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { midRanks, randomExpectation, rankingMetrics } from '../../../../src/domain/scoring/validate';

const codes = ['a', 'b', 'c', 'd', 'e'];
const scores: Record<string, number | null> = { a: 50, b: 40, c: 40, d: 10, e: null };
const score = (c: string) => scores[c] ?? null;

describe('validation metrics', () => {
  it('ranks 1 = highest; ties share the mean rank; a kommune without a score ranks last', () => {
    expect(Object.fromEntries(midRanks(codes, score))).toEqual({ a: 1, b: 2.5, c: 2.5, d: 4, e: 5 });
  });

  it('percentile is (N − rank) ÷ (N − 1): 1 at the top, 0 at the bottom', () => {
    const m = rankingMetrics(codes, score, ['a', 'e']);
    expect(m.ranks).toEqual([
      { code: 'a', rank: 1, percentile: 1 },
      { code: 'e', rank: 5, percentile: 0 },
    ]);
    expect(m.meanPercentile).toBe(0.5);
  });

  it('AUC is the chance a case ranks above a non-case, ties counting half', () => {
    // Case b (40) against a (50) loses, against c (40) ties, against d and e wins: (0 + ½ + 1 + 1) / 4.
    expect(rankingMetrics(codes, score, ['b']).auc).toBe(2.5 / 4);
    expect(rankingMetrics(codes, score, ['a']).auc).toBe(1);
    expect(rankingMetrics(codes, score, ['e']).auc).toBe(0);
  });

  it('counts hits in the top 25 and 50 by rank', () => {
    const many = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const m = rankingMetrics(many, (c) => 100 - Number(c.slice(1)), ['k0', 'k24', 'k25', 'k49', 'k50']);
    expect([m.top25, m.top50]).toEqual([2, 4]);
  });

  it('a random order gives on average what randomExpectation says', () => {
    const N = 60;
    const all = Array.from({ length: N }, (_, i) => `k${i}`);
    const cases = all.slice(0, 6);
    let pct = 0;
    let auc = 0;
    const runs = 400;
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: N, maxLength: N }), (xs) => {
        const m = rankingMetrics(all, (c) => xs[Number(c.slice(1))]!, cases);
        pct += m.meanPercentile;
        auc += m.auc;
      }),
      { numRuns: runs, seed: 7 },
    );
    const e = randomExpectation(cases.length, N);
    expect(pct / runs).toBeCloseTo(e.meanPercentile, 1);
    expect(auc / runs).toBeCloseTo(e.auc, 1);
    expect(e).toEqual({ n: 6, meanPercentile: 0.5, top25: 2.5, top50: 5, auc: 0.5 });
  });
});
