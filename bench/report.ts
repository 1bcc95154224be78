/**
 * The figures a benchmark reports for bench/RESULTS.md, and how several runs of one benchmark
 * become one row per figure (medians), with goals from the issues and, where a goal is not met,
 * the reason and what would fix it.
 */

/**
 * A goal named in an issue, as data (benchmarks run in child processes and send their figures
 * as JSON): the median `value` (or `ratio`) compared with `target`.
 */
export interface Goal {
  /** e.g. "< 5 ms" or "ratio ≥ 0.8". */
  text: string;
  /** The issue that names it. */
  issue: number;
  on: 'value' | 'ratio';
  op: '<' | '<=' | '=' | '>=' | '>';
  target: number;
}

export function goalHolds(goal: Goal, f: { value: number; ratio: number | null }): boolean {
  const v = goal.on === 'value' ? f.value : f.ratio;
  if (v === null || !Number.isFinite(v)) return false;
  switch (goal.op) {
    case '<':
      return v < goal.target;
    case '<=':
      return v <= goal.target;
    case '=':
      return v === goal.target;
    case '>=':
      return v >= goal.target;
    case '>':
      return v > goal.target;
  }
}

export interface Figure {
  /** Stable id, e.g. "scoring.real". Figures with the same id across runs are merged. */
  id: string;
  /** What is measured, in English. */
  label: string;
  value: number;
  /** e.g. "ms", "req/s", "MB", "s", "requests". */
  unit: string;
  /** What the figure is measured against, in the same run. */
  comparison?: { label: string; value: number; unit: string } | null;
  /** How the figure relates to its comparison (usually value / comparison). */
  ratio?: number | null;
  /** How the ratio is read, e.g. "measured / limit" or "lower is better". */
  ratioMeaning?: string;
  goal?: Goal | null;
  /** Shown in RESULTS.md when the goal does not hold: why, and what would fix it. */
  shortfall?: { reason: string; fix: string } | null;
  /** Decimals to print (default: 2 below 10, 1 below 100, else 0). */
  decimals?: number;
}

/** One figure after merging the runs of its benchmark. */
export interface MergedFigure extends Omit<Figure, 'value' | 'comparison' | 'ratio'> {
  value: number;
  comparison: { label: string; value: number; unit: string } | null;
  ratio: number | null;
  /** Runs that reported this figure. */
  runs: number;
  /** Smallest and largest value over the runs. */
  min: number;
  max: number;
  met: boolean | null;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Merges the figures of several runs of one benchmark: value, comparison and ratio are each the
 * median over the runs (the ratio is the median of the per-run ratios, each measured within its
 * run), and the goal is checked against those medians.
 */
export function mergeRuns(runs: readonly (readonly Figure[])[]): MergedFigure[] {
  const order: string[] = [];
  const byId = new Map<string, Figure[]>();
  for (const run of runs) {
    for (const f of run) {
      let list = byId.get(f.id);
      if (!list) {
        byId.set(f.id, (list = []));
        order.push(f.id);
      }
      list.push(f);
    }
  }
  return order.map((id) => {
    const fs = byId.get(id)!;
    const first = fs[0]!;
    const values = fs.map((f) => f.value);
    const comparisons = fs.map((f) => f.comparison?.value).filter((v): v is number => typeof v === 'number');
    const ratios = fs.map((f) => f.ratio).filter((v): v is number => typeof v === 'number');
    const value = median(values);
    const ratio = ratios.length > 0 ? median(ratios) : null;
    const comparison = first.comparison ? { ...first.comparison, value: median(comparisons) } : null;
    return {
      ...first,
      value,
      comparison,
      ratio,
      runs: fs.length,
      min: Math.min(...values),
      max: Math.max(...values),
      met: first.goal ? goalHolds(first.goal, { value, ratio }) : null,
    };
  });
}

export function formatNumber(v: number, decimals?: number): string {
  if (!Number.isFinite(v)) return '—';
  const d = decimals ?? (Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0);
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export interface Machine {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
}

export interface BenchSection {
  name: string;
  /** Times the benchmark ran; figures are medians over these runs. */
  runs: number;
  seconds: number;
  figures: MergedFigure[];
  /** The last run's console table, for the appendix. */
  table: string;
  /** Why the benchmark did not run or reported nothing, if so. */
  error?: string;
  /** When it ran (`npm run bench -- --update <name>` re-runs one benchmark and keeps the others' figures). */
  date?: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Renders bench/RESULTS.md. */
export function renderResults(machine: Machine, sections: readonly BenchSection[], command: string): string {
  const out: string[] = [];
  out.push('# tomte benchmark results', '');
  out.push(`Written by \`${command}\` on ${machine.date}. Do not edit by hand: run it again.`, '');
  out.push(
    `Machine: ${machine.cores} cores (${machine.cpu}), ${formatNumber(machine.memoryGiB, 1)} GiB memory, ${machine.platform}, Node ${machine.node}.`,
    '',
    'Each benchmark ran the number of times in its "runs" column; every figure is the median over those runs, ' +
      'and "range" is the smallest and largest run. A ratio compares a figure with another measured in the same run ' +
      '(the median of the per-run ratios), so a slow spell on the machine moves both sides.',
    '',
  );
  out.push('| benchmark | figure | median | range | compared with | ratio | goal | met | runs |');
  out.push('|---|---|---:|---:|---|---:|---|:-:|---:|');
  for (const s of sections) {
    if (s.error) {
      out.push(`| ${s.name} | **did not run**: ${cell(s.error)} | | | | | | | 0 |`);
      continue;
    }
    for (const f of s.figures) {
      const val = `${formatNumber(f.value, f.decimals)} ${f.unit}`;
      const range = f.runs > 1 ? `${formatNumber(f.min, f.decimals)}–${formatNumber(f.max, f.decimals)}` : '';
      const cmp = f.comparison ? `${f.comparison.label}: ${formatNumber(f.comparison.value, f.decimals)} ${f.comparison.unit}` : '';
      const ratio = f.ratio === null ? '' : `${formatNumber(f.ratio, Math.abs(f.ratio) >= 100 ? 0 : 2)}${f.ratioMeaning ? ` (${f.ratioMeaning})` : ''}`;
      const goal = f.goal ? `${f.goal.text} (#${f.goal.issue})` : '';
      const met = f.met === null ? '' : f.met ? 'yes' : '**no**';
      out.push(`| ${s.name} | ${cell(f.label)} | ${val} | ${range} | ${cell(cmp)} | ${cell(ratio)} | ${cell(goal)} | ${met} | ${f.runs} |`);
    }
  }
  const short = sections.flatMap((s) => s.figures.filter((f) => f.met === false).map((f) => ({ s, f })));
  const failed = sections.filter((s) => s.error);
  out.push('', '## Shortfalls', '');
  if (short.length === 0 && failed.length === 0) out.push('Every goal named in an issue holds in this run.');
  for (const { s, f } of short) {
    out.push(`- **${s.name}: ${f.label}** — ${formatNumber(f.value, f.decimals)} ${f.unit}${f.ratio !== null ? ` (ratio ${formatNumber(f.ratio)})` : ''}; goal ${f.goal!.text} (issue ${f.goal!.issue}).`);
    if (f.shortfall) {
      out.push(`  - Why: ${f.shortfall.reason}`);
      out.push(`  - What would fix it: ${f.shortfall.fix}`);
    } else {
      out.push('  - Why: not analysed yet.');
    }
  }
  for (const s of failed) out.push(`- **${s.name}** did not run: ${s.error}`);
  out.push('', '## Each benchmark’s own table (last run)', '');
  for (const s of sections) {
    out.push(`### ${s.name} — ${s.runs} run${s.runs === 1 ? '' : 's'}, ${formatNumber(s.seconds, 0)} s in all${s.date ? `, ${s.date}` : ''}`, '');
    out.push('```', s.error ? `did not run: ${s.error}` : s.table, '```', '');
  }
  return out.join('\n');
}
