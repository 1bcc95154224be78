/**
 * Operations: /metrics is valid Prometheus text exposition with request, command, job and outbox
 * series; /readyz checks the database, the migrations and reports data age; logs never contain a
 * configured secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedMigrationCount } from '../../adapters/db/migrate';
import { handleCommand } from '../../src/chat/commands';
import { createApp } from '../../src/http/app';
import { createCronRoute } from '../../src/http/cron';
import { createLogger, silentLogger } from '../../src/lib/logger';
import { operationalGauges, readiness } from '../../src/services/operations';
import type { PreparedRuntime } from '../support/runtime';
import { prepareRuntime } from '../support/runtime';
import { backends, type TestDb } from '../support/db';

/** A strict reader of the text exposition format 0.0.4: throws on anything malformed. */
function parseExposition(text: string): Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }> {
  const families = new Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }>();
  let current: string | null = null;
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (families.has(type[1]!)) throw new Error(`duplicate TYPE for ${type[1]}`);
      families.set(type[1]!, { type: type[2]!, samples: [] });
      current = type[1]!;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/.exec(line);
    if (!sample) throw new Error(`malformed line: ${line}`);
    const name = sample[1]!;
    if (!current || !(name === current || name.startsWith(`${current}_`))) throw new Error(`sample ${name} outside its family`);
    const labels: Record<string, string> = {};
    for (const m of (sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    const value = sample[4] === '+Inf' ? Infinity : sample[4] === '-Inf' ? -Infinity : Number(sample[4]);
    if (Number.isNaN(value) && sample[4] !== 'NaN') throw new Error(`bad value in ${line}`);
    families.get(current)!.samples.push({ name, labels, value });
  }
  return families;
}

describe('operations', () => {
  let t: TestDb;
  let rt: PreparedRuntime;
  beforeAll(async () => {
    t = await backends.find((b) => b.name === 'pglite')!.open();
    rt = await prepareRuntime(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const app = (expected = shippedMigrationCount()) =>
    createApp({ logger: silentLogger, ready: () => true, version: 'test', readiness: () => readiness(rt.deps, expected), gauges: () => operationalGauges(rt.deps) });

  it('/metrics is valid Prometheus text with requests by route and status, command latency and the outbox', async () => {
    const a = app();
    await a.request('/healthz');
    await a.request('/nope');
    await handleCommand({ rm: rt.readModel, lang: 'nb' }, 'kommune Bodø');
    const res = await a.request('/metrics');
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const fam = parseExposition(await res.text());
    expect(fam.get('tomte_http_requests_total')!.samples).toEqual(
      expect.arrayContaining([
        { name: 'tomte_http_requests_total', labels: { method: 'GET', route: '/healthz', status: '200' }, value: expect.any(Number) },
        { name: 'tomte_http_requests_total', labels: { method: 'GET', route: expect.any(String), status: '404' }, value: expect.any(Number) },
      ]),
    );
    const latency = fam.get('tomte_command_duration_seconds')!;
    expect(latency.type).toBe('histogram');
    const buckets = latency.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.command === 'kommune');
    expect(buckets.map((b) => b.value)).toEqual([...buckets.map((b) => b.value)].sort((x, y) => x - y));
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    expect(fam.get('tomte_outbox_pending')!.samples[0]!.value).toBe(0);
    expect(fam.get('tomte_score_run_age_seconds')!.type).toBe('gauge');
  });

  it('/readyz: database and migrations ok, data age per dataset; a missing migration makes it 503', async () => {
    const res = await app().request('/readyz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.status).toBe('ready');
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.migrations).toEqual({ ok: true, detail: `${shippedMigrationCount()} of ${shippedMigrationCount()} applied` });
    const behind = await app(shippedMigrationCount() + 1).request('/readyz');
    expect(behind.status).toBe(503);
    expect(await behind.json()).toMatchObject({ status: 'not ready', checks: { migrations: { ok: false } } });
  });

  it('logs never contain a configured secret, even when a request carries it', async () => {
    const lines: string[] = [];
    const secret = 'cron-secret-9f8e7d6c5b4a';
    const logger = createLogger({ level: 'debug', secrets: [secret, 'xoxb-1-2-secret-token'], write: (l) => void lines.push(l) });
    const a = createApp({ logger, ready: () => true, version: 'test', mounts: [{ path: '/cron', app: createCronRoute({ secret, jobs: ['dispatch'], run: async () => 'ran' as const }) }] });
    await a.request('/cron/dispatch', { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
    await a.request(`/cron/${secret}`, { method: 'POST', headers: { authorization: 'Bearer xoxb-1-2-secret-token' } });
    logger.error('boom', { error: new Error(`failed with ${secret}`), nested: { token: 'xoxb-1-2-secret-token' } });
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      expect(l).not.toContain(secret);
      expect(l).not.toContain('xoxb-1-2-secret-token');
    }
    expect(lines.join('\n')).toContain('[redacted]');
  });
});
