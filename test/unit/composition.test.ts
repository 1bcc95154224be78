// Node and the Worker build their dependencies through one function (adapters/compose.ts): the
// same model for the same TOMTE_MODEL, the same access settings, and every configured secret
// redacted from every log line on both. Before issue 15 the Worker logged TOMTE_API_TOKENS and
// ignored TOMTE_MODEL.
import { describe, expect, it } from 'vitest';
import { MODELS, type Composition } from '../../adapters/compose';
import { modelById } from '../../src/domain/scoring/models';
import type { Db } from '../../src/store/db';
import { nodeComposition } from '../../adapters/node/bootstrap';
import { workerComposition } from '../../adapters/workers/composition';
import { ConfigError, parseConfig, SECRET_SETTINGS } from '../../src/config';

/** A value for every secret setting, each easy to find in a log line. */
const SECRETS: Record<(typeof SECRET_SETTINGS)[number], string> = {
  SLACK_SIGNING_SECRET: 'slack-signing-secret-0a1b2c3d',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-slackbottokenvalue',
  MICROSOFT_APP_PASSWORD: 'teams~client~secret~4e5f6a7b',
  DATABASE_URL: 'postgres://tomte:db-password-8c9d0e1f@db.internal:5432/tomte',
  TOMTE_CRON_SECRET: 'cron-secret-value-2a3b4c5d6e',
  TOMTE_API_TOKENS: 'api-token-one-0123456789abcdef,api-token-two-0123456789abcdef',
  TOMTE_WEB_SECRET: 'web-secret-value-0123456789abcdef-xyz',
};
const ENV: Record<string, string> = {
  ...SECRETS,
  MICROSOFT_APP_ID: '5f4d3c2b-1a09-4e8f-9d7c-6b5a4f3e2d1c',
  MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  TOMTE_ADMINS: 'U0ADMIN01',
  TOMTE_SLACK_WORKSPACES: 'T0TOMTE01',
  TOMTE_FETCH_ALLOW: '10.20.0.0/16',
};

const runtimes: [string, (write: (l: string) => void, env?: Record<string, string>) => Composition][] = [
  ['Node', (write, env = ENV) => nodeComposition(parseConfig(env), write)],
  ['Worker', (write, env = ENV) => workerComposition(env, write)],
];

describe.each(runtimes)('%s composition', (_name, build) => {
  it.each(SECRET_SETTINGS)('%s is redacted from every log line', (key) => {
    const lines: string[] = [];
    const { logger } = build((l) => lines.push(l));
    const values = key === 'TOMTE_API_TOKENS' ? SECRETS[key].split(',') : key === 'DATABASE_URL' ? [SECRETS[key], 'db-password-8c9d0e1f'] : [SECRETS[key]];
    for (const v of values) {
      logger.error(`start-up failed near ${v}`, { value: v, nested: { deeper: [`x${v}y`] }, error: new Error(`connect with ${v}`, { cause: new Error(`inner ${v}`) }), [v]: 1 });
    }
    expect(lines).toHaveLength(values.length);
    for (const v of values) expect(lines.join('\n')).not.toContain(v);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('chooses the model TOMTE_MODEL names (default praksis-2026), scores every model, and refuses one it does not know', () => {
    expect(build(() => {}).model).toBe(modelById('praksis-2026'));
    expect(build(() => {}, { ...ENV, TOMTE_MODEL: 'seed-2026' }).model).toBe(modelById('seed-2026'));
    expect(build(() => {}).serviceDeps({} as Db).models).toBe(MODELS);
    expect(() => build(() => {}, { ...ENV, TOMTE_MODEL: 'no-such-model' })).toThrow(ConfigError);
  });

  it('carries the same access settings and outbound allow list', () => {
    const c = build(() => {});
    expect([...c.access.admins]).toEqual(['U0ADMIN01']);
    expect(c.access.slackWorkspaces).toEqual(['T0TOMTE01']);
    expect(c.access.teamsTenants).toEqual(['72f988bf-86f1-41af-91ab-2d7cd011db47']);
    expect(c.outbound.allow.ranges).toHaveLength(1);
    expect(c.serviceDeps(undefined as never).outbound).toBe(c.outbound);
  });
});

it('only Node resolves names for the outbound policy (Workers have no DNS API)', () => {
  expect(runtimes[0]![1](() => {}).outbound.resolve).toBeTypeOf('function');
  expect(runtimes[1]![1](() => {}).outbound.resolve).toBeUndefined();
});
