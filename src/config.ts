import { z } from 'zod';

/**
 * Every setting of tomte, parsed once at a composition root (adapters/node/main.ts, the CLI,
 * later the Worker). Nothing below the roots reads the environment.
 */

const optionalSecret = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
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
    /** The scoring model to use (see `tomte modeller`). */
    TOMTE_MODEL: z.string().default('seed-2026'),
    SLACK_SIGNING_SECRET: optionalSecret,
    SLACK_BOT_TOKEN: optionalSecret,
    MICROSOFT_APP_ID: optionalSecret,
    MICROSOFT_APP_PASSWORD: optionalSecret,
    MICROSOFT_APP_TENANT_ID: optionalSecret,
  })
  .superRefine((c, ctx) => {
    if ((c.SLACK_SIGNING_SECRET === undefined) !== (c.SLACK_BOT_TOKEN === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'set both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or neither' });
    }
    if (c.SLACK_BOT_TOKEN !== undefined && !c.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'must be a bot token (xoxb-…)' });
    }
    if ((c.MICROSOFT_APP_ID === undefined) !== (c.MICROSOFT_APP_PASSWORD === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: 'set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or neither' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from a plain record (process.env on Node, the env binding on Workers). */
export function parseConfig(record: Record<string, string | undefined>): Config {
  const res = configSchema.safeParse(record);
  if (!res.success) {
    throw new ConfigError(res.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  return res.data;
}

/** The settings as documented in the README's configuration table (kept in sync by a test). */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];
