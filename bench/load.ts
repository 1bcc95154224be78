/**
 * A GET load generator for the HTTP benchmarks: `connections` keep-alive loops in a worker thread
 * of this process (node:http), so the server under test has the main thread to itself. Each loop
 * sends one request after another and records its latency; only requests sent after the warm-up
 * are measured. A response other than the expected status counts as an error.
 */
import { Worker } from 'node:worker_threads';
import type { LoadFigures } from './slack.bench';

export interface GetLoadOptions {
  port: number;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Default 200. */
  expectStatus?: number;
}

/**
 * The measuring loop every load worker shares. `requestSource` is plain JavaScript that defines
 * `once()`: send one request, resolve `{ ok, ms }`. It runs in a worker thread with `http`,
 * `workerData` and `bytes` (a counter `once` may add response sizes to) in scope.
 */
function workerSource(requestSource: string): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { connections, warmupMs, durationMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let bytes = 0;
// Counters a request source may add to (reported as \`counts\`).
const counts = {};
${requestSource}
(async () => {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + durationMs;
  const lat = [];
  let errors = 0;
  let okTotal = 0;
  async function loop() {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      const r = await once();
      if (r.ok) okTotal++;
      if (sentAt >= measureFrom) {
        if (r.ok) lat.push(r.ms); else errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(lat), errors, seconds: (performance.now() - measureFrom) / 1000, bytes, okTotal, counts });
})();
`;
}

const GET_REQUEST = `
const { port, path, headers, expectStatus } = workerData;
function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers }, (res) => {
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => resolve({ ok: res.statusCode === expectStatus, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
    req.end();
  });
}
`;

/**
 * One signed form-encoded slash command per call, for the shared load loop: a new trigger id and a
 * fresh signature every time, as Slack sends them. workerData: `secret`, `teamId` (the workspace the
 * service serves: another one is refused), `texts` (one is picked at
 * random per request), `responseUrlBase` and optionally `tags` (parallel to `texts`): the
 * response_url is responseUrlBase + [tag + '/'] + the request's sequence number.
 *
 * With `expects` (parallel to `texts`) the ack's body is checked: it must contain the expected
 * string (the card came back in the ack), or `deferredMarker` (the answer follows at the
 * response_url; counted in counts.deferred), else the request counts as an error
 * (counts.wrongAck).
 */
export const SIGNED_SLASH_COMMAND = `
const { createHmac } = require('node:crypto');
const { port, path, secret, teamId, texts, tags, responseUrlBase, expects, deferredMarker } = workerData;
counts.deferred = 0;
counts.wrongAck = 0;
let seq = 0;
let pick = 0;
function body() {
  seq++;
  pick = Math.floor(Math.random() * texts.length);
  const text = texts[pick];
  const f = {
    token: 'bench', team_id: teamId, team_domain: 'bench', channel_id: 'C0BENCH01', channel_name: 'bench',
    user_id: 'U0BENCH01', user_name: 'bench', command: '/tomte', text, api_app_id: 'A0BENCH01',
    is_enterprise_install: 'false', response_url: responseUrlBase + (tags ? tags[pick] + '/' : '') + seq,
    trigger_id: '1.' + process.hrtime.bigint() + '.' + seq,
  };
  return Object.entries(f).map(([k, v]) => k + '=' + encodeURIComponent(v)).join('&');
}
function once() {
  const b = body();
  const expected = expects ? expects[pick] : null;
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + b).digest('hex');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: {
      'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(b),
      'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts),
    } }, (res) => {
      const chunks = [];
      res.on('data', (c) => { bytes += c.length; if (expected !== null) chunks.push(c); });
      res.on('end', () => {
        const ms = performance.now() - t0;
        let ok = res.statusCode === 200;
        if (ok && expected !== null) {
          const text = Buffer.concat(chunks).toString('utf8');
          if (text.includes(expected)) {
            // the card is in the ack
          } else if (deferredMarker && text.includes(deferredMarker)) {
            counts.deferred++;
          } else {
            counts.wrongAck++;
            ok = false;
          }
        }
        resolve({ ok, ms });
      });
    });
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
    req.end(b);
  });
}
`;

/** Runs `connections` loops of `once()` (see workerSource) in a worker thread and summarises the latencies. */
export function runLoadWorker(requestSource: string, data: Record<string, unknown> & { connections: number; warmupSeconds: number; seconds: number }): Promise<LoadFigures & { bytes: number; okTotal: number; counts: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource(requestSource), {
      eval: true,
      workerData: { ...data, warmupMs: data.warmupSeconds * 1000, durationMs: data.seconds * 1000 },
    });
    worker.once('message', (m: { latencies: Float64Array; errors: number; seconds: number; bytes: number; okTotal: number; counts: Record<string, number> }) => {
      const sorted = m.latencies.sort();
      resolve({
        requests: sorted.length,
        errors: m.errors,
        seconds: m.seconds,
        rps: sorted.length / m.seconds,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
        bytes: m.bytes,
        okTotal: m.okTotal,
        counts: m.counts,
      });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function loadGet(o: GetLoadOptions): Promise<LoadFigures & { bytes: number }> {
  return runLoadWorker(GET_REQUEST, {
    port: o.port,
    path: o.path,
    headers: o.headers ?? {},
    connections: o.connections,
    warmupSeconds: o.warmupSeconds,
    seconds: o.seconds,
    expectStatus: o.expectStatus ?? 200,
  });
}
