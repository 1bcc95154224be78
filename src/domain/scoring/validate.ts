/**
 * Checking a ranking against documented cases (docs/scoring.md, "Validation"; the method note is
 * composite-scores.md §1). For the kommuner of a case list and a score per kommune:
 * - rank: 1 = the highest score; tied kommuner share the mean of their ranks;
 * - percentile: (N − rank) ÷ (N − 1), so 1 = top, 0 = bottom and 0.5 is what chance gives;
 * - hits: cases ranked in the top 25 and top 50;
 * - ROC AUC: the chance that a case ranks above a kommune that is not a case (ties count half),
 *   i.e. the Mann–Whitney U statistic ÷ (cases × others).
 * A kommune without a score ranks below every scored one (it is not hidden, and it is not helped).
 * Pure: the service resolves the case list and supplies the scores.
 */

export interface RankingMetrics {
  /** Number of case kommuner measured. */
  n: number;
  meanPercentile: number;
  top25: number;
  top50: number;
  auc: number;
  /** Each case's rank (1 = top) and percentile, in the order given. */
  ranks: { code: string; rank: number; percentile: number }[];
}

export const TOP_A = 25;
export const TOP_B = 50;

/** Mid-ranks (1 = highest score) of every kommune in `codes`; kommuner without a score share the bottom ranks. */
export function midRanks(codes: readonly string[], score: (code: string) => number | null): Map<string, number> {
  const scored = codes.map((code) => ({ code, v: score(code) }));
  // Missing scores sort last, below every number.
  scored.sort((a, b) => (a.v === null ? (b.v === null ? 0 : 1) : b.v === null ? -1 : b.v - a.v));
  const ranks = new Map<string, number>();
  for (let start = 0; start < scored.length; ) {
    let end = start;
    while (end + 1 < scored.length && scored[end + 1]!.v === scored[start]!.v) end++;
    const mid = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks.set(scored[k]!.code, mid);
    start = end + 1;
  }
  return ranks;
}

/** The metrics of one ranking for the case kommuner (`cases` ⊆ `codes`). */
export function rankingMetrics(codes: readonly string[], score: (code: string) => number | null, cases: readonly string[]): RankingMetrics {
  const N = codes.length;
  const ranks = midRanks(codes, score);
  const caseSet = new Set(cases);
  const list = cases.map((code) => {
    const rank = ranks.get(code) ?? N;
    return { code, rank, percentile: N > 1 ? (N - rank) / (N - 1) : 0.5 };
  });
  // AUC from ranks: U = Σ (N − rank of case) − (ties and cases among themselves), done directly on
  // the ranking so ties count half.
  const others = codes.filter((c) => !caseSet.has(c));
  let u = 0;
  for (const c of cases) {
    const rc = ranks.get(c) ?? N;
    for (const o of others) {
      const ro = ranks.get(o) ?? N;
      u += rc < ro ? 1 : rc === ro ? 0.5 : 0;
    }
  }
  const n = list.length;
  return {
    n,
    meanPercentile: n > 0 ? list.reduce((s, x) => s + x.percentile, 0) / n : NaN,
    top25: list.filter((x) => x.rank <= TOP_A).length,
    top50: list.filter((x) => x.rank <= TOP_B).length,
    auc: n > 0 && others.length > 0 ? u / (n * others.length) : NaN,
    ranks: list,
  };
}

/** What a random ranking gives on average for n cases among N kommuner. */
export function randomExpectation(n: number, N: number): Omit<RankingMetrics, 'ranks'> {
  return { n, meanPercentile: 0.5, top25: (n * Math.min(TOP_A, N)) / N, top50: (n * Math.min(TOP_B, N)) / N, auc: 0.5 };
}
