/**
 * Web pages benchmark (issue 19): requests per second and p50/p99 of `GET /` (map of 357 kommuner
 * and the ranking) and `GET /kommuner/1804` (the profile with history and lots) through the full
 * HTTP path (@hono/node-server on 127.0.0.1 → createApp → the web app → Hono JSX), signed in (the
 * session cookie is checked on every request, read from the database at most every 30 s), at 50 keep-alive connections on
 * PGlite, next to a bare Hono route in the same app and run. Also the map SVG's size for all 357
 * kommuner (goal ≤ 400 KB) and the PNG render time of the country map with resvg (goal ≤ 300 ms).
 *
 * Run: node --import tsx bench/web.bench.ts   (or npm run bench web)
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { migrateDatabase } from '../adapters/db/migrate';
import { openPglite } from '../adapters/db/pglite';
import { renderMapPng } from '../adapters/node/map-png';
import { MODELS } from '../src/domain/scoring/models';
import { createApp } from '../src/http/app';
import { silentLogger } from '../src/lib/logger';
import { createSignInLink } from '../src/services/web-auth';
import { createWebApp } from '../src/web/app';
import { mapSpecSvg } from '../src/web/map/spec-map';
import { tierMapSvg } from '../src/web/map/tier-map';
import { prepareRuntime } from '../test/support/runtime';
import { loadGet } from './load';
import type { Figure } from './report';
import { formatTable, type BenchResult, type BenchRow } from './scoring.bench';
import type { LoadFigures } from './slack.bench';

const SECRET = 'bench-web-secret-0123456789abcdefghij';

export interface WebBenchOptions {
  connections?: number;
  seconds?: number;
  rounds?: number;
  warmupSeconds?: number;
  pngRuns?: number;
}

const medianRound = (rounds: LoadFigures[]): LoadFigures => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;

export async function runWebBench(opts: WebBenchOptions = {}): Promise<BenchResult> {
  const o = { connections: opts.connections ?? 50, seconds: opts.seconds ?? 3, warmupSeconds: opts.warmupSeconds ?? 1, rounds: opts.rounds ?? 3, pngRuns: opts.pngRuns ?? 15 };
  const handle = await openPglite({});
  try {
    await migrateDatabase(handle);
    const { readModel: rm } = await prepareRuntime(handle.db, MODELS);
    const bare = new Hono().get('/', (c) => c.json({ ok: true }));
    const web = createWebApp({ getReadModel: () => rm, defaultLang: 'nb', publicPages: false, secret: SECRET, logger: silentLogger, renderPng: (svg) => renderMapPng(svg) });
    const app = createApp({ logger: silentLogger, ready: () => true, version: 'bench', mounts: [{ path: '/bare', app: bare }, { path: '/', app: web }] });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    let figs: { bare: LoadFigures; home: LoadFigures; kommune: LoadFigures; homeBytes: number; kommuneBytes: number };
    try {
      await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
      const port = (server.address() as AddressInfo).port;
      // Signed in through a one-time link, as a user would be (the sign-in page's button: a POST of the token).
      const link = await createSignInLink(SECRET, { platform: 'slack', userId: 'U0BENCH01', workspace: 'T0BENCH01', label: 'bench' }, new Date());
      const res = await fetch(`http://127.0.0.1:${port}/logg-inn`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: link.token }).toString() });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const headers = { cookie };
      const sizeOf = async (path: string) => (await (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).arrayBuffer()).byteLength;
      const [homeBytes, kommuneBytes] = [await sizeOf('/'), await sizeOf('/kommuner/1804')];
      const cases = [
        { path: '/bare', headers: {} },
        { path: '/', headers },
        { path: '/kommuner/1804', headers },
      ];
      const seen: LoadFigures[][] = cases.map(() => []);
      for (let r = 0; r < o.rounds; r++) {
        for (const [i, c] of cases.entries()) seen[i]!.push(await loadGet({ port, ...c, connections: o.connections, seconds: o.seconds, warmupSeconds: o.warmupSeconds }));
      }
      const [b, h, k] = seen.map(medianRound) as [LoadFigures, LoadFigures, LoadFigures];
      figs = { bare: b, home: h, kommune: k, homeBytes, kommuneBytes };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    const svg = tierMapSvg({ rm, lang: 'nb', title: 'bench', links: true });
    const svgBytes = new TextEncoder().encode(svg).length;
    const country = mapSpecSvg(rm, {}, 'nb');
    renderMapPng(country);
    const times: number[] = [];
    let pngBytes = 0;
    for (let i = 0; i < o.pngRuns; i++) {
      const t0 = performance.now();
      pngBytes = renderMapPng(country).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, c) => a - c);
    const pngMs = times[Math.floor(times.length / 2)]!;

    const fig = (label: string, f: LoadFigures) => ({ case: label, 'req/s': Math.round(f.rps), 'p50 ms': f.p50Ms.toFixed(2), 'p99 ms': f.p99Ms.toFixed(2), 'max ms': f.maxMs.toFixed(1), requests: f.requests, errors: f.errors });
    const lines = [
      `${o.connections} keep-alive connections on 127.0.0.1, PGlite, signed in (the session cookie checked on every request; read from the database at most every 30 s); ${o.rounds} rounds of every case in turn, ${o.seconds} s measured after ${o.warmupSeconds} s warm-up each; figures of the median round.`,
      formatTable([fig('bare Hono route', figs.bare), fig(`GET / (${Math.round(figs.homeBytes / 1024)} KB)`, figs.home), fig(`GET /kommuner/1804 (${Math.round(figs.kommuneBytes / 1024)} KB)`, figs.kommune)]),
      `/ ÷ bare: ${(figs.home.rps / figs.bare.rps).toFixed(3)}   /kommuner/1804 ÷ bare: ${(figs.kommune.rps / figs.bare.rps).toFixed(3)}`,
      `Map SVG, 357 kommuner with links: ${Math.round(svgBytes / 1024)} KB (goal ≤ 400 KB). Country PNG 1000 px: median ${pngMs.toFixed(0)} ms of ${o.pngRuns} (goal ≤ 300 ms), ${Math.round(pngBytes / 1024)} KB.`,
    ];
    const bareRef = { label: 'bare Hono route', value: figs.bare.rps, unit: 'req/s' };
    const figures: Figure[] = [
      { id: 'web.home', label: `GET / (map + ranking, signed in), PGlite, ${o.connections} connections`, value: figs.home.rps, unit: 'req/s', comparison: bareRef, ratio: figs.home.rps / figs.bare.rps, ratioMeaning: '÷ bare Hono', decimals: 0 },
      { id: 'web.home-p99', label: 'GET /, p99 latency', value: figs.home.p99Ms, unit: 'ms', comparison: { label: 'bare Hono p99', value: figs.bare.p99Ms, unit: 'ms' } },
      { id: 'web.kommune', label: `GET /kommuner/1804 (profile, signed in), PGlite, ${o.connections} connections`, value: figs.kommune.rps, unit: 'req/s', comparison: bareRef, ratio: figs.kommune.rps / figs.bare.rps, ratioMeaning: '÷ bare Hono', decimals: 0 },
      { id: 'web.kommune-p99', label: 'GET /kommuner/1804, p99 latency', value: figs.kommune.p99Ms, unit: 'ms', comparison: { label: 'bare Hono p99', value: figs.bare.p99Ms, unit: 'ms' } },
      { id: 'web.errors', label: 'Page requests answered with another status than 200', value: figs.home.errors + figs.kommune.errors, unit: 'errors', decimals: 0 },
      { id: 'web.svg-kb', label: 'Map SVG for all 357 kommuner (with links)', value: svgBytes / 1024, unit: 'KB', goal: { text: '≤ 400 KB', issue: 19, on: 'value', op: '<=', target: 400 }, decimals: 0 },
      { id: 'web.png-ms', label: 'Country map PNG (1000 px) rendered with resvg', value: pngMs, unit: 'ms', goal: { text: '≤ 300 ms', issue: 19, on: 'value', op: '<=', target: 300 }, decimals: 0 },
    ];
    const row = (label: string, f: LoadFigures): BenchRow => ({ case: label, kommuner: 357, runs: f.requests, medianMs: f.p50Ms, usPerKommune: 1e6 / f.rps / 357 });
    return { name: 'web', rows: [row('bare', figs.bare), row('/', figs.home), row('/kommuner/1804', figs.kommune)], table: lines.join('\n'), figures };
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWebBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
