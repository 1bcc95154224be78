import * as z from 'zod';
import { DEFAULT_MODEL_ID, MODEL_IDS } from './domain/scoring/models';
import { parseAllowList } from './lib/outbound-policy';

/**
 * Every setting of tomte, parsed once at a composition root (adapters/node/main.ts, the CLI,
 * later the Worker). Nothing below the roots reads the environment.
 */

/** RFC 6750 `b64token`: what may follow "Bearer " in an Authorization header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MIN_API_TOKEN_LENGTH = 24;

/**
 * Comma-separated bearer tokens; blanks around commas and empty entries are ignored. Problems
 * name the token by position and length, never by its text (it is a secret).
 */
const apiTokens = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const list = (s ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
    list.forEach((t, i) => {
      const which = `token ${i + 1} of ${list.length}`;
      if (t.length < MIN_API_TOKEN_LENGTH) {
        ctx.addIssue({ code: 'custom', message: `${which} has ${t.length} characters; each needs at least ${MIN_API_TOKEN_LENGTH}` });
      } else if (!B64TOKEN.test(t)) {
        ctx.addIssue({ code: 'custom', message: `${which} has characters a bearer token cannot carry (use letters, digits and - . _ ~ + /)` });
      }
    });
    return [...new Set(list)];
  });

/** A comma-separated list; blanks and empty entries are ignored, duplicates dropped. */
function idList(pattern: RegExp, what: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      const list = [...new Set((s ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''))];
      for (const id of list) if (!pattern.test(id)) ctx.addIssue({ code: 'custom', message: `"${id}" is not ${what}` });
      return list;
    });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const optionalSecret = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

export const configSchema = z
  .object({
    PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(1).max(65535).default(3000)),
    /** Bind address of the HTTP server. */
    TOMTE_HOST: z.string().min(1).default('0.0.0.0'),
    /** PostgreSQL URL; unset means the embedded PGlite database in TOMTE_DATA_DIR. */
    DATABASE_URL: z
      .string()
      .trim()
      .transform((s) => (s === '' ? undefined : s))
      .optional()
      .refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), 'must start with postgres:// or postgresql://'),
    TOMTE_DATA_DIR: z.string().min(1).default('./.tomte'),
    /** Language of replies when a user has not chosen one. */
    TOMTE_LANG: z.enum(['nb', 'en']).default('nb'),
    TOMTE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** The default scoring model of answers, subscriptions and the API (see `tomte modeller`); every model is scored. */
    TOMTE_MODEL: z.enum(MODEL_IDS).default(DEFAULT_MODEL_ID),
    /** Run the refresh jobs on their schedule (jobs/registry.ts); off for a read-only replica. */
    TOMTE_SCHEDULE: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    SLACK_SIGNING_SECRET: optionalSecret,
    SLACK_BOT_TOKEN: optionalSecret,
    MICROSOFT_APP_ID: optionalSecret,
    MICROSOFT_APP_PASSWORD: optionalSecret,
    /** Directory (tenant) id of a single-tenant Azure bot; unset means a multi-tenant app registration. */
    MICROSOFT_APP_TENANT_ID: optionalSecret,
    /** Bearer token for `POST /cron/:job` (run a job by hand, or from an external scheduler); unset disables the route. */
    TOMTE_CRON_SECRET: optionalSecret,
    /**
     * Bearer tokens for the REST API under /api/v1 (comma-separated, each at least 24 characters).
     * Unset: the API answers 503 NOT_CONFIGURED; it is never open without a token.
     */
    TOMTE_API_TOKENS: apiTokens,
    /**
     * The public https base URL of this service (e.g. https://tomte.example.no): the Teams app
     * package's valid domain and the messaging endpoint printed for the Azure bot.
     */
    TOMTE_PUBLIC_URL: z
      .string()
      .trim()
      .transform((s) => (s === '' ? undefined : s.replace(/\/+$/, '')))
      .optional()
      .refine((s) => s === undefined || /^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(s), 'must be an https:// URL'),
    /**
     * Private or local hosts tomte may fetch from after all (a deliberate internal lot source):
     * host names, `*.suffix`, addresses or ranges (`10.20.0.0/16`), comma-separated. https only still.
     */
    TOMTE_FETCH_ALLOW: z
      .string()
      .optional()
      .transform((s, ctx) => {
        const list = (s ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
        try {
          parseAllowList(list);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        }
        return list;
      }),
    /** Administrators besides the Slack workspace's admins and owners: Slack user ids (U…, W…) and Teams AAD object ids. */
    TOMTE_ADMINS: idList(/^([UW][A-Z0-9]{2,})$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a Slack user id (U…/W…) or a Teams AAD object id'),
    /** Slack workspaces (team ids T…) or Enterprise Grid organisations (E…) served; unset: the bot token's own workspace (auth.test). */
    TOMTE_SLACK_WORKSPACES: idList(/^[TE][A-Z0-9]{2,}$/, 'a Slack team id (T…) or enterprise id (E…)'),
    /**
     * Key of the web pages' one-time sign-in links (HMAC-SHA256), at least 32 characters; unset:
     * nobody can sign in to the pages (and only TOMTE_WEB_PUBLIC opens the public ones).
     */
    TOMTE_WEB_SECRET: optionalSecret.refine((s) => s === undefined || s.length >= 32, 'must have at least 32 characters'),
    /** Open the read-only web pages (map, ranking, kommune profiles without lots, models) without sign-in; lots stay behind it. */
    TOMTE_WEB_PUBLIC: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Microsoft Entra tenants whose Teams users are served; unset: MICROSOFT_APP_TENANT_ID. */
    TOMTE_TEAMS_TENANTS: idList(GUID, 'a tenant id (a GUID)'),
  });

/**
 * Checks across settings. They read the raw record so they are reported together with any
 * per-field problem (zod skips refinements of an object whose fields failed).
 */
function crossFieldProblems(r: Record<string, string | undefined>): string[] {
  const set = (k: string) => (r[k] ?? '').trim() !== '';
  const problems: string[] = [];
  if (set('SLACK_SIGNING_SECRET') !== set('SLACK_BOT_TOKEN')) {
    problems.push('SLACK_SIGNING_SECRET: set both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or neither');
  }
  if (set('SLACK_BOT_TOKEN') && !r.SLACK_BOT_TOKEN!.trim().startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN: must be a bot token (xoxb-…)');
  }
  if (set('MICROSOFT_APP_ID') !== set('MICROSOFT_APP_PASSWORD')) {
    problems.push('MICROSOFT_APP_ID: set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or neither');
  } else if (set('MICROSOFT_APP_ID') && !set('MICROSOFT_APP_TENANT_ID') && !set('TOMTE_TEAMS_TENANTS')) {
    // A multi-tenant registration would serve any organisation that installs the app.
    problems.push('TOMTE_TEAMS_TENANTS: a multi-tenant bot (no MICROSOFT_APP_TENANT_ID) must list the tenants it serves');
  }
  return problems;
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from a plain record (the Node environment, or the env binding on Workers). */
export function parseConfig(record: Record<string, string | undefined>): Config {
  const res = configSchema.safeParse(record);
  const problems = [
    ...(res.success ? [] : res.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)),
    ...crossFieldProblems(record),
  ];
  if (!res.success || problems.length > 0) throw new ConfigError(problems);
  return res.data;
}

/** Settings whose values are secrets: every one is redacted from every log line on every runtime. */
export const SECRET_SETTINGS = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'MICROSOFT_APP_PASSWORD', 'DATABASE_URL', 'TOMTE_CRON_SECRET', 'TOMTE_API_TOKENS', 'TOMTE_WEB_SECRET'] as const satisfies readonly (keyof Config)[];

/** The values to redact: each secret setting, and the password inside DATABASE_URL on its own. */
export function secretValues(config: Config): string[] {
  const out: string[] = [];
  for (const key of SECRET_SETTINGS) {
    const v = config[key];
    if (Array.isArray(v)) out.push(...v);
    else if (typeof v === 'string') out.push(v);
  }
  if (config.DATABASE_URL) {
    try {
      const password = decodeURIComponent(new URL(config.DATABASE_URL).password);
      if (password) out.push(password);
    } catch {
      // Validated as postgres://…; an unparsable one has no password to find.
    }
  }
  return out;
}

/** The allowed Teams tenants: TOMTE_TEAMS_TENANTS, else the single-tenant bot's own tenant. */
export function teamsTenants(config: Config): string[] {
  if (config.TOMTE_TEAMS_TENANTS.length > 0) return config.TOMTE_TEAMS_TENANTS;
  return config.MICROSOFT_APP_TENANT_ID ? [config.MICROSOFT_APP_TENANT_ID] : [];
}

/** The settings as documented in the README's configuration table (kept in sync by a test). */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];
