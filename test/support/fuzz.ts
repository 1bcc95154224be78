/**
 * How many cases a fuzz test runs. Each file has a default sized so the normal suite stays fast;
 * `TOMTE_FUZZ_RUNS=N` scales every file by the same factor, N ÷ 2,000 — N is the number of inputs
 * the command grammar gets (its default is 2,000), e.g. `TOMTE_FUZZ_RUNS=100000` for the large run.
 */
export const FUZZ_BASE = 2000;

export function fuzzRuns(defaultRuns: number): number {
  const requested = Number(process.env.TOMTE_FUZZ_RUNS || FUZZ_BASE);
  if (!Number.isFinite(requested) || requested <= 0) throw new Error(`TOMTE_FUZZ_RUNS must be a positive number, got ${process.env.TOMTE_FUZZ_RUNS}`);
  return Math.max(1, Math.round((defaultRuns * requested) / FUZZ_BASE));
}
