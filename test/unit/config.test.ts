import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, parseConfig, SECRET_SETTINGS, secretValues, teamsTenants } from '../../src/config';

function configError(record: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(record);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(record)}`);
}

describe('parseConfig', () => {
  it('defaults', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.TOMTE_DATA_DIR).toBe('./.tomte');
    expect(c.TOMTE_LANG).toBe('nb');
    expect(c.TOMTE_HOST).toBe('0.0.0.0');
    expect(c.TOMTE_LOG_LEVEL).toBe('info');
    expect(c.TOMTE_MODEL).toBe('praksis-2026');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SLACK_BOT_TOKEN).toBeUndefined();
    expect(c.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(c.MICROSOFT_APP_ID).toBeUndefined();
    expect(c.MICROSOFT_APP_PASSWORD).toBeUndefined();
  });

  it('reads given values and coerces PORT', () => {
    const c = parseConfig({
      PORT: '8080',
      TOMTE_HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://tomte@db:5432/tomte',
      TOMTE_DATA_DIR: '/var/lib/tomte',
      TOMTE_LANG: 'en',
      TOMTE_LOG_LEVEL: 'debug',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_BOT_TOKEN: 'xoxb-123-456',
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'app-password',
      MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      TOMTE_HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://tomte@db:5432/tomte',
      TOMTE_DATA_DIR: '/var/lib/tomte',
      TOMTE_LANG: 'en',
      TOMTE_LOG_LEVEL: 'debug',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_BOT_TOKEN: 'xoxb-123-456',
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'app-password',
    });
    expect(parseConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('ignores variables it does not know (the whole process environment is passed in)', () => {
    const c = parseConfig({ HOME: '/root', PATH: '/usr/bin', npm_package_version: '0.1.0' });
    expect(c).not.toHaveProperty('HOME');
    expect(c.PORT).toBe(3000);
  });

  it.each(['abc', '0', '65536', '-1', '80.5'])('PORT=%s is invalid', (port) => {
    const err = configError({ PORT: port });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^PORT: /);
  });

  it.each(['mysql://u@h/db', 'http://example.com', 'postgres:/missing-slash', 'sqlite.db'])('DATABASE_URL=%s is invalid', (url) => {
    const err = configError({ DATABASE_URL: url });
    expect(err.problems).toEqual(['DATABASE_URL: must start with postgres:// or postgresql://']);
  });

  it('TOMTE_LANG and TOMTE_LOG_LEVEL accept only their values', () => {
    expect(configError({ TOMTE_LANG: 'nn' }).problems[0]).toMatch(/^TOMTE_LANG: /);
    expect(configError({ TOMTE_LOG_LEVEL: 'verbose' }).problems[0]).toMatch(/^TOMTE_LOG_LEVEL: /);
  });

  it('Slack needs both secrets, and a bot token', () => {
    expect(configError({ SLACK_BOT_TOKEN: 'xoxb-1' }).problems).toEqual([
      'SLACK_SIGNING_SECRET: set both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or neither',
    ]);
    expect(configError({ SLACK_SIGNING_SECRET: 'signing-secret' }).problems).toHaveLength(1);
    expect(configError({ SLACK_SIGNING_SECRET: 'signing-secret', SLACK_BOT_TOKEN: 'xoxp-user-token' }).problems).toEqual([
      'SLACK_BOT_TOKEN: must be a bot token (xoxb-…)',
    ]);
  });

  it('Teams needs both the app id and the password', () => {
    expect(configError({ MICROSOFT_APP_ID: 'id' }).problems).toEqual(['MICROSOFT_APP_ID: set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or neither']);
    expect(configError({ MICROSOFT_APP_PASSWORD: 'pw' }).problems).toHaveLength(1);
  });

  it('a multi-tenant Teams bot must name the tenants it serves', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(configError({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw' }).problems).toEqual([
      'TOMTE_TEAMS_TENANTS: a multi-tenant bot (no MICROSOFT_APP_TENANT_ID) must list the tenants it serves',
    ]);
    expect(teamsTenants(parseConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TENANT_ID: tenant }))).toEqual([tenant]);
    expect(teamsTenants(parseConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw', TOMTE_TEAMS_TENANTS: `${tenant}, ${tenant.toUpperCase()}` }))).toHaveLength(2);
    expect(configError({ TOMTE_TEAMS_TENANTS: 'contoso.onmicrosoft.com' }).problems[0]).toMatch(/^TOMTE_TEAMS_TENANTS: "contoso.onmicrosoft.com" is not a tenant id/);
  });

  it('TOMTE_ADMINS, TOMTE_SLACK_WORKSPACES and TOMTE_FETCH_ALLOW are comma-separated and checked', () => {
    const c = parseConfig({ TOMTE_ADMINS: 'U0ADMIN01, 6b7f3b7e-1f0a-4d6e-9c8a-1b2c3d4e5f60,,U0ADMIN01', TOMTE_SLACK_WORKSPACES: 'T0TOMTE01,E0GRID001', TOMTE_FETCH_ALLOW: 'gis.kommune.internal, 10.20.0.0/16' });
    expect(c.TOMTE_ADMINS).toEqual(['U0ADMIN01', '6b7f3b7e-1f0a-4d6e-9c8a-1b2c3d4e5f60']);
    expect(c.TOMTE_SLACK_WORKSPACES).toEqual(['T0TOMTE01', 'E0GRID001']);
    expect(c.TOMTE_FETCH_ALLOW).toEqual(['gis.kommune.internal', '10.20.0.0/16']);
    expect(parseConfig({}).TOMTE_ADMINS).toEqual([]);
    expect(configError({ TOMTE_ADMINS: 'kari@example.no' }).problems[0]).toMatch(/^TOMTE_ADMINS: "kari@example.no" is not a Slack user id/);
    expect(configError({ TOMTE_SLACK_WORKSPACES: 'boligsektor' }).problems[0]).toMatch(/^TOMTE_SLACK_WORKSPACES: /);
    expect(configError({ TOMTE_FETCH_ALLOW: '10.0.0.0/40' }).problems[0]).toMatch(/^TOMTE_FETCH_ALLOW: "10.0.0.0\/40" is not an address range/);
  });

  it('secretValues lists every secret setting, each API token and the database password', () => {
    const c = parseConfig({
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_BOT_TOKEN: 'xoxb-123-456',
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'app-password',
      MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      DATABASE_URL: 'postgres://tomte:s%40cret-pw@db:5432/tomte',
      TOMTE_CRON_SECRET: 'cron-secret-value',
      TOMTE_API_TOKENS: 'token-one-0123456789abcdefgh,token-two-0123456789abcdefgh',
    });
    expect(secretValues(c).sort()).toEqual(
      ['signing-secret-value', 'xoxb-123-456', 'app-password', 'postgres://tomte:s%40cret-pw@db:5432/tomte', 's@cret-pw', 'cron-secret-value', 'token-one-0123456789abcdefgh', 'token-two-0123456789abcdefgh'].sort(),
    );
    // Every setting whose name says it holds a secret is on the list.
    for (const key of CONFIG_KEYS.filter((k) => /SECRET|TOKEN|PASSWORD|DATABASE_URL/.test(k))) expect(SECRET_SETTINGS).toContain(key);
  });

  it('the error message lists several field problems at once', () => {
    const err = configError({ PORT: 'abc', DATABASE_URL: 'mysql://u@h/db', TOMTE_LANG: 'de' });
    expect(err.problems).toHaveLength(3);
    for (const key of ['PORT', 'DATABASE_URL', 'TOMTE_LANG']) expect(err.message).toContain(`  - ${key}: `);
    expect(err.message.startsWith('Invalid configuration:\n')).toBe(true);
    expect(err.name).toBe('ConfigError');
  });

  it('invalid PORT, a non-postgres DATABASE_URL and a Slack token without its secret: every problem is listed', () => {
    const err = configError({ PORT: 'abc', DATABASE_URL: 'mysql://u@h/db', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(err.message).toContain('PORT');
    expect(err.message).toContain('DATABASE_URL');
    // The Slack pairing rule must not be hidden by the unrelated field errors.
    expect(err.message).toContain('SLACK_SIGNING_SECRET');
    expect(err.problems).toHaveLength(3);
  });

  it('empty strings for optional secrets are treated as unset', () => {
    const c = parseConfig({
      DATABASE_URL: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_BOT_TOKEN: '',
      MICROSOFT_APP_ID: '',
      MICROSOFT_APP_PASSWORD: '',
      MICROSOFT_APP_TENANT_ID: '',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(c.SLACK_BOT_TOKEN).toBeUndefined();
    expect(c.MICROSOFT_APP_ID).toBeUndefined();
    expect(c.MICROSOFT_APP_PASSWORD).toBeUndefined();
    expect(c.MICROSOFT_APP_TENANT_ID).toBeUndefined();
    // Whitespace only counts as empty too, and an empty partner still triggers the pairing rule.
    expect(parseConfig({ SLACK_SIGNING_SECRET: '   ', SLACK_BOT_TOKEN: ' ' }).SLACK_BOT_TOKEN).toBeUndefined();
    expect(configError({ SLACK_SIGNING_SECRET: 'signing-secret', SLACK_BOT_TOKEN: '' }).problems).toHaveLength(1);
  });

  it('trims secrets', () => {
    const c = parseConfig({ SLACK_SIGNING_SECRET: ' signing-secret\n', SLACK_BOT_TOKEN: '  xoxb-1-2 ' });
    expect(c.SLACK_SIGNING_SECRET).toBe('signing-secret');
    expect(c.SLACK_BOT_TOKEN).toBe('xoxb-1-2');
  });

  it('TOMTE_PUBLIC_URL must be https and loses a trailing slash', () => {
    expect(parseConfig({ TOMTE_PUBLIC_URL: 'https://tomte.example.no/' }).TOMTE_PUBLIC_URL).toBe('https://tomte.example.no');
    expect(parseConfig({}).TOMTE_PUBLIC_URL).toBeUndefined();
    expect(configError({ TOMTE_PUBLIC_URL: 'http://tomte.example.no' }).problems[0]).toMatch(/^TOMTE_PUBLIC_URL: must be an https:\/\/ URL/);
  });

  it('TOMTE_API_TOKENS: comma-separated, trimmed, deduplicated; empty means none', () => {
    const a = 'a'.repeat(24);
    const b = 'Zm9vYmFyLWJhei0xMjM0NTY3ODkw==';
    expect(parseConfig({}).TOMTE_API_TOKENS).toEqual([]);
    expect(parseConfig({ TOMTE_API_TOKENS: '  , ' }).TOMTE_API_TOKENS).toEqual([]);
    expect(parseConfig({ TOMTE_API_TOKENS: ` ${a} ,${b},${a},` }).TOMTE_API_TOKENS).toEqual([a, b]);
  });

  it('TOMTE_API_TOKENS: a short token or one with spaces is refused without printing it', () => {
    const short = 'short-secret-123';
    const err = configError({ TOMTE_API_TOKENS: `${'x'.repeat(30)},${short},has spaces in it but long enough` });
    expect(err.problems).toEqual([
      'TOMTE_API_TOKENS: token 2 of 3 has 16 characters; each needs at least 24',
      'TOMTE_API_TOKENS: token 3 of 3 has characters a bearer token cannot carry (use letters, digits and - . _ ~ + /)',
    ]);
    expect(err.message).not.toContain(short);
  });

  it('the README configuration table documents exactly the settings of the schema', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    const documented = [...section.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((x) => x[1]!));
    expect(documented.sort()).toEqual([...CONFIG_KEYS].sort());
  });
});
