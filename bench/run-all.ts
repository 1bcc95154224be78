/**
 * Runs every benchmark several times and writes bench/RESULTS.md. Run: npm run bench
 *
 *   npm run bench                        every benchmark, its default number of runs, writes RESULTS.md
 *   npm run bench -- scoring api         only these (prints; RESULTS.md is written only for a full set)
 *   npm run bench -- --runs 1            one run each (quick look; RESULTS.md says so)
 *   npm run bench -- --no-write          print, do not write RESULTS.md
 *   npm run bench -- --update web        re-run these and replace their figures in RESULTS.md, keeping
 *                                        the others' (kept in bench/results.json; each section is dated)
 *
 * Each run of each benchmark is a fresh child process (`node --expose-gc --import tsx`), so one
 * benchmark's heap, database or worker threads never weigh on the next, and heap figures can be
 * taken after a forced GC. The child writes its figures as JSON to a temporary file; the parent
 * takes the median of every figure over the runs (bench/report.ts) and renders the Markdown.
 *
 * To add a benchmark: export `run…Bench(): Promise<BenchResult>` (with `figures`) from
 * bench/<name>.bench.ts and list it in BENCHES.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeRuns, renderResults, type BenchSection, type Figure } from './report';
import type { BenchResult } from './scoring.bench';

interface BenchModule {
  name: string;
  /** Default number of runs (each a fresh process). */
  runs: number;
  load: () => Promise<() => Promise<BenchResult>>;
}

const BENCHES: readonly BenchModule[] = [
  { name: 'scoring', runs: 5, load: async () => (await import('./scoring.bench')).runScoringBench },
  { name: 'refresh', runs: 3, load: async () => (await import('./refresh.bench')).runRefreshBench },
  { name: 'slack', runs: 3, load: async () => (await import('./slack.bench')).runSlackBench },
  { name: 'api', runs: 3, load: async () => (await import('./api.bench')).runApiBench },
  { name: 'dispatch', runs: 3, load: async () => (await import('./dispatch.bench')).runDispatchBench },
  { name: 'lots', runs: 3, load: async () => (await import('./lots.bench')).runLotsBench },
  { name: 'service', runs: 3, load: async () => (await import('./service.bench')).runServiceBench },
  { name: 'soak', runs: 1, load: async () => (await import('./soak.bench')).runSoakBench },
  { name: 'validation', runs: 1, load: async () => (await import('./validation.bench')).runValidationBench },
  // One run: it takes medians of 5 calls itself and starts the service three times.
  { name: 'everyday', runs: 1, load: async () => (await import('./everyday.bench')).runEverydayBench },
  { name: 'web', runs: 3, load: async () => (await import('./web.bench')).runWebBench },
];

const RESULTS_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** The figures behind RESULTS.md, so `--update` can replace some benchmarks' sections and keep the rest. */
const RESULTS_JSON_PATH = fileURLToPath(new URL('./results.json', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

interface ChildOutput {
  figures: Figure[];
  table: string;
}

/** In the child: run one benchmark once and write its figures to `out`. */
async function child(name: string, out: string): Promise<void> {
  const b = BENCHES.find((x) => x.name === name);
  if (!b) throw new Error(`no benchmark ${name}`);
  const res = await (await b.load())();
  const payload: ChildOutput = { figures: res.figures ?? [], table: res.table };
  writeFileSync(out, JSON.stringify(payload));
}

function runChild(name: string): Promise<ChildOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'tomte-bench-'));
  const out = join(dir, 'result.json');
  return new Promise<ChildOutput>((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', name, out], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.once('error', reject);
    p.once('exit', (code, signal) => {
      try {
        if (code !== 0) throw new Error(`exited with ${signal ?? code}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')) as ChildOutput);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

function machine() {
  const c = cpus();
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: c[0]?.model.trim() ?? 'unknown CPU',
    cores: c.length,
    memoryGiB: totalmem() / 2 ** 30,
  };
}

/** The sections of the last written results, with `fresh` replacing those of the same name, in BENCHES order. */
function withKeptSections(fresh: readonly BenchSection[]): BenchSection[] {
  let kept: BenchSection[] = [];
  try {
    kept = JSON.parse(readFileSync(RESULTS_JSON_PATH, 'utf8')) as BenchSection[];
  } catch {
    console.warn('bench/results.json not found: RESULTS.md will hold only the benchmarks run now');
  }
  const byName = new Map(kept.map((s) => [s.name, s]));
  for (const s of fresh) byName.set(s.name, s);
  return BENCHES.flatMap((b) => byName.get(b.name) ?? []);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!);

  let runsOverride: number | null = null;
  let write = true;
  let update = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runsOverride = Math.max(1, Number(args[++i]));
    else if (args[i] === '--no-write') write = false;
    else if (args[i] === '--update') update = true;
    else names.push(args[i]!);
  }
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`No benchmark named ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const selected = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const sections: BenchSection[] = [];
  for (const b of selected) {
    const runs = runsOverride ?? b.runs;
    const t0 = Date.now();
    const outputs: ChildOutput[] = [];
    let error: string | undefined;
    for (let i = 0; i < runs; i++) {
      console.log(`\n== ${b.name}: run ${i + 1} of ${runs} ==`);
      try {
        const o = await runChild(b.name);
        console.log(o.table);
        outputs.push(o);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        console.error(`${b.name} run ${i + 1} failed: ${error}`);
        break;
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    sections.push({
      name: b.name,
      runs: outputs.length,
      seconds,
      figures: error ? [] : mergeRuns(outputs.map((o) => o.figures)),
      table: outputs.at(-1)?.table ?? '',
      date: machine().date,
      ...(error ? { error } : {}),
    });
  }
  const full = names.length === 0;
  const all = full || !update ? sections : withKeptSections(sections);
  const md = renderResults(machine(), all, `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`);
  if (write && (full || update)) {
    writeFileSync(RESULTS_PATH, md);
    writeFileSync(RESULTS_JSON_PATH, `${JSON.stringify(all, null, 1)}\n`);
    console.log(`\nWrote ${RESULTS_PATH}`);
  } else {
    console.log(`\n${md}`);
    if (write && !full) console.log('(a subset: bench/RESULTS.md not written; add --update to replace these benchmarks in it, or run `npm run bench` for all)');
  }
  if (sections.some((s) => s.error)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
