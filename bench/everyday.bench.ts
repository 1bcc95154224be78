/**
 * Everyday speed (issue 17): what a person waits for, measured the way they meet it.
 *
 *   - `npx tomte hjelp`, `npx tomte kommune Bodø` with the database loaded (service stopped), and
 *     `npx tomte kommune Bodø` while `npm start` runs: medians of 5 calls each, printed beside
 *     `node -e 0` and `node --import tsx -e 0` measured in the same run (and the same commands
 *     without npx, to show npm's own share);
 *   - `npm start` on a new data directory → /readyz 200 (a fresh clone's first start), and again
 *     on the same directory (a warm start), with the service's own time per start-up step;
 *   - idle RSS of the service on PGlite 5 s after it is ready, without chat platforms and with
 *     Slack configured, and where that memory goes: one process loading the same parts one after
 *     the other (`--memory-stages`), RSS after a forced GC at each stage.
 *
 * Run: node --import tsx bench/everyday.bench.ts   (or npm run bench everyday)
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure, Goal } from './report';
import { median } from './report';
import { formatTable, type BenchResult } from './scoring.bench';
import { findServicePid, freePort, procMB } from './service.bench';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CALLS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The environment of every call: no DATABASE_URL (embedded PGlite), no inherited Node options. */
function baseEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TOMTE_DATA_DIR: dataDir, ...extra };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return env;
}

/** Median wall time (s) of `calls` runs of a command; every run must exit 0 and `check` its output. */
function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, check?: (stdout: string, stderr: string) => string | null): { median: number; all: number[] } {
  const all: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    all.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
    const problem = check?.(r.stdout, r.stderr);
    if (problem) throw new Error(`${cmd} ${args.join(' ')}: ${problem}`);
  }
  return { median: median(all), all };
}

const isCard = (stdout: string, stderr: string) => (!stdout.includes('1804 Bodø') ? 'no card for 1804 Bodø' : stderr !== '' ? `said on stderr: ${stderr.trim()}` : null);

interface ServiceStart {
  readyMs: number;
  steps: Record<string, number | string | boolean>;
  pid: number;
  stop: () => Promise<number | null>;
}

/** `npm start` on `dataDir`; resolves when /readyz answers 200, with the service's start-up steps. */
async function startService(dataDir: string, logFile: string, extra: Record<string, string> = {}): Promise<ServiceStart> {
  const port = await freePort();
  const log = openSync(logFile, 'w');
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: baseEnv(dataDir, { PORT: String(port), TOMTE_HOST: '127.0.0.1', ...extra }), stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r((exited = code))));
  for (;;) {
    if (exited !== undefined) throw new Error(`service exited with ${exited} before it was ready; see ${logFile}`);
    if (performance.now() - t0 > 180_000) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`not ready within 180 s; see ${logFile}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  const readyMs = performance.now() - t0;
  // The log line is written just before /readyz turns 200; give the batched writer a moment.
  await sleep(200);
  const line = readFileSync(logFile, 'utf8')
    .split('\n')
    .find((l) => l.includes('"msg":"runtime ready"'));
  const steps = line ? (JSON.parse(line) as Record<string, number | string | boolean>) : {};
  const pid = findServicePid(child.pid!) ?? child.pid!;
  const stop = async () => {
    if (exited !== undefined) return exited;
    process.kill(pid, 'SIGTERM');
    const code = await Promise.race([exit, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      process.kill(-child.pid!, 'SIGKILL');
      return null;
    }
    return code;
  };
  return { readyMs, steps, pid, stop };
}

/** What the start-up steps do not cover: npm, Node, loading the code, the HTTP server. */
const outsideSteps = (st: ServiceStart) => {
  const inSteps = STEP_KEYS.reduce((sum, k) => sum + (typeof st.steps[k] === 'number' ? (st.steps[k] as number) : 0), 0);
  return `the steps take ${(inSteps / 1000).toFixed(2)} s (${stepText(st.steps)}); npm, Node and loading the code the other ${((st.readyMs - inSteps) / 1000).toFixed(2)} s`;
};

const STEP_KEYS = ['open_and_migrate_ms', 'snapshot_ms', 'score_ms', 'read_model_ms'] as const;
const stepText = (s: ServiceStart['steps']) =>
  `${STEP_KEYS.map((k) => `${k.replace(/_ms$/, '')} ${String(s[k] ?? '?')} ms`).join(', ')}${s.from_template ? '; database from the start template' : ''}; read model from ${String(s.read_model_from ?? '?')}`;

interface Stage {
  stage: string;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

/** In a child: loads what the service loads, one part at a time, and reports RSS after a GC at each stage. */
async function memoryStages(dataDir: string): Promise<Stage[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const out: Stage[] = [];
  const take = (stage: string) => {
    gc();
    const m = process.memoryUsage();
    out.push({ stage, rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, externalMB: m.external / 2 ** 20 });
  };
  take('Node and the TypeScript loader (tsx; the service runs compiled code without it)');
  const { parseConfig } = await import('../src/config');
  const { nodeComposition, startRuntime } = await import('../adapters/node/bootstrap');
  await import('../src/http/app');
  await import('../src/http/api');
  await import('@hono/node-server');
  await import('../jobs/registry');
  take("tomte's code with Hono, drizzle, zod, turf, undici");
  await import('@slack/bolt');
  take('Slack Bolt (loaded only when Slack is configured)');
  await import('botbuilder');
  take('Bot Framework SDK (loaded only when Teams is configured)');
  const { openPglite } = await import('../adapters/db/pglite');
  const handle = await openPglite({ dataDir });
  take('PGlite open (WebAssembly runtime, 16 MB buffer cache)');
  const comp = nodeComposition({ ...parseConfig({ TOMTE_DATA_DIR: dataDir }), TOMTE_LOG_LEVEL: 'error' });
  const runtime = await startRuntime(comp, handle);
  take('read model of both models (357 kommuner, rules and inputs)');
  await handle.close();
  void runtime;
  return out;
}

function runStages(dataDir: string): Stage[] {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--memory-stages', dataDir], { cwd: ROOT, env: baseEnv(dataDir), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`memory stages failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Stage[];
}

const goal = (text: string, target: number, unit: 's' | 'MB'): Goal => ({ text: `≤ ${target} ${unit}${text}`, issue: 17, on: 'value', op: '<=', target });

export async function runEverydayBench(): Promise<BenchResult> {
  const work = mkdtempSync(join(tmpdir(), 'tomte-everyday-'));
  const dataDir = join(work, 'data');
  const never = join(work, 'never-created');
  try {
    const node = timeCommand(process.execPath, ['-e', '0'], baseEnv(never));
    const tsx = timeCommand(process.execPath, ['--import', 'tsx', '-e', '0'], baseEnv(never));
    const npxFloor = timeCommand('npx', ['node', '-e', '0'], baseEnv(never));
    const help = timeCommand('npx', ['tomte', 'hjelp'], baseEnv(never), (out) => (out.includes('tomte') ? null : 'no help text'));
    const helpBin = timeCommand(process.execPath, ['adapters/cli/bin.js', 'hjelp'], baseEnv(never));
    if (existsSync(never)) throw new Error('hjelp created a data directory');

    // A fresh clone's first start: a data directory that does not exist yet.
    const fresh = await startService(dataDir, join(work, 'fresh.log'));
    await sleep(5000);
    const idleRss = procMB(fresh.pid, 'VmRSS');
    const withService = timeCommand('npx', ['tomte', 'kommune', 'Bodø'], baseEnv(dataDir), isCard);
    const withServiceBin = timeCommand(process.execPath, ['adapters/cli/bin.js', 'kommune', 'Bodø'], baseEnv(dataDir), isCard);
    if ((await fresh.stop()) !== 0) throw new Error('the service did not exit 0 on SIGTERM');

    // Database loaded, service stopped.
    const loaded = timeCommand('npx', ['tomte', 'kommune', 'Bodø'], baseEnv(dataDir), isCard);
    const loadedBin = timeCommand(process.execPath, ['adapters/cli/bin.js', 'kommune', 'Bodø'], baseEnv(dataDir), isCard);

    const warm = await startService(dataDir, join(work, 'warm.log'));
    if ((await warm.stop()) !== 0) throw new Error('the service did not exit 0 on SIGTERM');
    // Slack configured (the workspace given, so no auth.test call): Bolt is loaded.
    const slack = await startService(dataDir, join(work, 'slack.log'), { SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef', SLACK_BOT_TOKEN: 'xoxb-0000000000-0000000000-benchbenchbenchbench', TOMTE_SLACK_WORKSPACES: 'T0BENCH01' });
    await sleep(5000);
    const slackRss = procMB(slack.pid, 'VmRSS');
    if ((await slack.stop()) !== 0) throw new Error('the service did not exit 0 on SIGTERM');

    // Where the memory goes, on a copy (the stages open the database themselves).
    const copy = join(work, 'copy');
    cpSync(dataDir, copy, { recursive: true });
    const stages = runStages(copy);

    const nodeCmp = { label: 'node -e 0', value: node.median, unit: 's' };
    const perNode = (v: number) => v / node.median;
    /** A CLI call through npx, beside the same call without npx (what tomte itself takes). */
    const cliFigure = (id: string, label: string, viaNpx: number, direct: number, limit: number): Figure => ({
      id: `everyday.cli.${id}`,
      label,
      value: viaNpx,
      unit: 's',
      comparison: { label: 'the same without npx (node adapters/cli/bin.js …)', value: direct, unit: 's' },
      ratio: perNode(viaNpx),
      ratioMeaning: '÷ node -e 0',
      goal: goal('', limit, 's'),
      shortfall: {
        reason: `npm exec alone takes ${npxFloor.median.toFixed(2)} s (npx node -e 0, this run); the same call without npx is ${direct.toFixed(2)} s`,
        fix: 'run the bin without npm in front of it: node_modules/.bin/tomte (on PATH after `export PATH=$PWD/node_modules/.bin:$PATH`)',
      },
    });
    const figures: Figure[] = [
      { id: 'everyday.node', label: 'node -e 0 (the floor)', value: node.median, unit: 's', comparison: { label: 'node --import tsx -e 0', value: tsx.median, unit: 's' }, ratio: tsx.median / node.median, ratioMeaning: 'tsx ÷ node' },
      { id: 'everyday.npx', label: 'npx node -e 0 (npm exec alone)', value: npxFloor.median, unit: 's', comparison: nodeCmp, ratio: perNode(npxFloor.median), ratioMeaning: '÷ node -e 0' },
      cliFigure('help', 'npx tomte hjelp (no database opened)', help.median, helpBin.median, 0.5),
      cliFigure('kommune.loaded', 'npx tomte kommune Bodø, database loaded, service stopped (read-model file)', loaded.median, loadedBin.median, 1.0),
      cliFigure('kommune.service', 'npx tomte kommune Bodø while npm start runs (asks the service)', withService.median, withServiceBin.median, 1.0),
      {
        id: 'everyday.start.fresh',
        label: `npm start on a new data directory → /readyz 200 (${stepText(fresh.steps)})`,
        value: fresh.readyMs / 1000,
        unit: 's',
        goal: goal('', 6, 's'),
        shortfall: { reason: outsideSteps(fresh), fix: 'the steps are the database unpacking and opening its files; a faster disk or fewer cores busy' },
      },
      {
        id: 'everyday.start.warm',
        label: `npm start again on the same directory → /readyz 200 (${stepText(warm.steps)})`,
        value: warm.readyMs / 1000,
        unit: 's',
        comparison: { label: 'first start', value: fresh.readyMs / 1000, unit: 's' },
        ratio: warm.readyMs / fresh.readyMs,
        ratioMeaning: 'warm ÷ first',
        goal: goal('', 2, 's'),
        shortfall: { reason: outsideSteps(warm), fix: 'PGlite opening its data directory is most of it; PostgreSQL (DATABASE_URL) has no such step' },
      },
      { id: 'everyday.rss.idle', label: 'idle RSS of the service on PGlite, 5 s after ready (no chat platform configured)', value: idleRss ?? NaN, unit: 'MB', decimals: 0, goal: goal('', 300, 'MB'), shortfall: { reason: 'see the memory stages below', fix: 'PostgreSQL instead of PGlite removes the embedded database from the process' } },
      { id: 'everyday.rss.slack', label: 'idle RSS of the service on PGlite, 5 s after ready, Slack configured (Bolt loaded)', value: slackRss ?? NaN, unit: 'MB', decimals: 0, goal: goal('', 300, 'MB'), shortfall: { reason: 'see the memory stages below', fix: 'PostgreSQL instead of PGlite removes the embedded database from the process' } },
      ...stages.map((s, i): Figure => ({
        id: `everyday.memory.${i}`,
        label: `memory stage ${i + 1}: ${s.stage}`,
        value: i === 0 ? s.rssMB : s.rssMB - stages[i - 1]!.rssMB,
        unit: 'MB',
        comparison: { label: 'RSS after this stage', value: s.rssMB, unit: 'MB' },
        decimals: 0,
      })),
    ];

    const table = [
      formatTable([
        { what: 'node -e 0', 's (median of 5)': node.median.toFixed(2) },
        { what: 'node --import tsx -e 0', 's (median of 5)': tsx.median.toFixed(2) },
        { what: 'npx node -e 0', 's (median of 5)': npxFloor.median.toFixed(2) },
        { what: 'npx tomte hjelp', 's (median of 5)': help.median.toFixed(2) },
        { what: '  without npx', 's (median of 5)': helpBin.median.toFixed(2) },
        { what: 'npx tomte kommune Bodø, service stopped', 's (median of 5)': loaded.median.toFixed(2) },
        { what: '  without npx', 's (median of 5)': loadedBin.median.toFixed(2) },
        { what: 'npx tomte kommune Bodø, service running', 's (median of 5)': withService.median.toFixed(2) },
        { what: '  without npx', 's (median of 5)': withServiceBin.median.toFixed(2) },
        { what: `npm start, new data directory → /readyz (${stepText(fresh.steps)})`, 's (median of 5)': (fresh.readyMs / 1000).toFixed(2) },
        { what: `npm start, warm → /readyz (${stepText(warm.steps)})`, 's (median of 5)': (warm.readyMs / 1000).toFixed(2) },
      ]),
      '',
      `Idle RSS: ${idleRss?.toFixed(0)} MB (no chat platform), ${slackRss?.toFixed(0)} MB (Slack configured).`,
      '',
      formatTable(stages.map((s, i) => ({ stage: s.stage, '+RSS MB': i === 0 ? s.rssMB.toFixed(0) : (s.rssMB - stages[i - 1]!.rssMB).toFixed(0), 'RSS MB': s.rssMB.toFixed(0), 'heap used MB': s.heapUsedMB.toFixed(0), 'external MB': s.externalMB.toFixed(0) }))),
    ].join('\n');
    return { name: 'everyday', rows: [], table, figures };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--memory-stages') {
    memoryStages(process.argv[3]!).then(
      (stages) => console.log(JSON.stringify(stages)),
      (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  } else {
    runEverydayBench().then(
      (res) => console.log(res.table),
      (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  }
}
