/**
 * Smoke test of the Worker in wrangler's local runtime (workerd), against a throw-away PostgreSQL
 * database reached through wrangler's local Hyperdrive: health, readiness, one REST API call and one
 * scheduled run. Run by .ci/run after the bundle check; needs the local PostgreSQL.
 *
 *   node --import tsx adapters/workers/smoke.ts   (npm run worker:smoke)
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { parseConfig } from '../../src/config';
import { nodeComposition, startRuntime } from '../node/bootstrap';
import { signMapSpec } from '../../src/services/web-auth';

const BASE = process.env.TOMTE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = 'smoke-test-api-token-0123456789abcdef';
const WEB_SECRET = 'smoke-web-secret-0123456789abcdefghijkl';
const CRON_SECRET = 'smoke-test-cron-secret-0123456789';
/** wrangler's CLI from this project's node_modules (not npx: its signal handling hides the tree). */
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  const name = `tomte_smoke_${Date.now().toString(36)}`;
  const admin = postgres(BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  let child: ReturnType<typeof spawn> | null = null;
  try {
    // Migrate, load the snapshot and score with the Node runtime, as a deployment would.
    const rt = await startRuntime(nodeComposition(parseConfig({ DATABASE_URL: url.toString(), TOMTE_LOG_LEVEL: 'error' }), () => {}));
    await rt.handle.close();

    const port = await freePort();
    const local = new URL(url.toString());
    local.password = 'smoke'; // wrangler insists on a password; trust auth ignores it
    // Its own process group, so the whole tree (wrangler, esbuild, workerd) can be stopped at the end.
    child = spawn(process.execPath, [WRANGLER, 'dev', '--local', '--port', String(port), '--test-scheduled', '--var', `TOMTE_API_TOKENS:${TOKEN}`, '--var', `TOMTE_CRON_SECRET:${CRON_SECRET}`, '--var', `TOMTE_WEB_SECRET:${WEB_SECRET}`, '--var', 'TOMTE_WEB_PUBLIC:true'], {
      env: { ...process.env, WRANGLER_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: local.toString(), WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(`${base}/healthz`, 90_000);
    } catch (err) {
      console.error(output);
      throw err;
    }
    check(true, 'GET /healthz → 200 on workerd');
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { status?: string };
    check(ready.status === 'ready', `GET /readyz → ${JSON.stringify(ready)}`);
    const api = await fetch(`${base}/api/v1/kommuner?tier=2`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await api.json()) as { total?: number };
    check(api.status === 200 && body.total === 16, `GET /api/v1/kommuner?tier=2 → ${api.status}, total ${body.total}`);
    // The web pages (issue 19): the public map and a profile; lots behind sign-in; map pictures as SVG (no PNG renderer here).
    const home = await fetch(`${base}/`);
    const homeHtml = await home.text();
    check(home.status === 200 && (homeHtml.match(/<a href="\/kommuner\/\d{4}" aria-label=/g) ?? []).length === 357, `GET / → ${home.status}, a map of 357 kommuner`);
    const profile = await fetch(`${base}/kommuner/1804`);
    check(profile.status === 200 && (await profile.text()).includes('Bodø (1804)'), `GET /kommuner/1804 → ${profile.status}`);
    const lots = await fetch(`${base}/tomter`, { redirect: 'manual' });
    check(lots.status === 303 && (lots.headers.get('location') ?? '').startsWith('/be-om-lenke'), `GET /tomter without a session → ${lots.status} ${lots.headers.get('location')}`);
    const query = await signMapSpec(WEB_SECRET, { county: '18' }, new Date(Date.now() + 600_000));
    const svg = await fetch(`${base}/kart.svg?${query}`);
    check(svg.status === 200 && (svg.headers.get('content-type') ?? '').startsWith('image/svg+xml') && (await svg.text()).includes('© Kartverket'), `GET /kart.svg (signed) → ${svg.status}`);
    const png = await fetch(`${base}/kart.png?${query}`);
    check(png.status === 501, `GET /kart.png → ${png.status} (PNG is drawn on Node only)`);
    const sched = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('* * * * *')}`);
    check(sched.ok, `scheduled "* * * * *" → ${sched.status}`);
    await new Promise((r) => setTimeout(r, 2000));
    const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const runs = await db`select job, status from job_runs where job = 'dispatch'`;
    await db.end();
    check(runs.length === 1 && runs[0]!.status === 'ok', `the scheduled dispatch run is recorded: ${JSON.stringify(runs)}`);
  } finally {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // Whatever handle is left (a pipe of a dying child), the smoke test is over.
  .finally(() => process.exit(process.exitCode ?? 0));
