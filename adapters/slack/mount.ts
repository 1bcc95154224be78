import type { Hono } from 'hono';
import type { Lang } from '../../src/domain/localized';
import type { Logger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import { createSlackApp, type SlackApp, type SlackAppOptions } from './app';
import { createSlackRoute, SLACK_MAX_BODY_BYTES, SLACK_MOUNT, unconfiguredSlackMount } from './route';

export interface SlackMountOptions {
  signingSecret: string | undefined;
  botToken: string | undefined;
  logger: Logger;
  defaultLang: Lang;
  /** Null until the runtime is ready; Slack gets 503 NOT_READY meanwhile. */
  getReadModel: () => ReadModel | null;
  /** Names of the scheduled jobs, for `/tomte jobber`. */
  jobNames?: readonly string[];
  /** Who administers and which workspaces are served (adapters/compose.ts). */
  access?: { admins: ReadonlySet<string>; slackWorkspaces: readonly string[] };
  /** Starts a job for `/tomte kjør <jobb>`. */
  runJob?: SlackAppOptions['runJob'];
  /** `web`'s sign-in links and `kart`'s PNG (adapters/compose.ts). */
  web?: Pick<SlackAppOptions, 'signInLink' | 'mapPng' | 'publicUrl'>;
  /** Extra settings for tests and the bench. */
  extra?: Partial<Pick<SlackAppOptions, 'clientOptions' | 'ackBudgetMs' | 'receiver' | 'admins' | 'workspaces'>>;
}

/**
 * The Slack route for createApp's `mounts`: the Bolt App on its Web-standard receiver when both
 * secrets are set, else a route that answers 503 NOT_CONFIGURED (the service still starts).
 */
export { SLACK_MAX_BODY_BYTES };

export function slackMount(opts: SlackMountOptions): { mount: { path: string; app: Hono; maxBodyBytes: number }; slack: SlackApp | null } {
  if (!opts.signingSecret || !opts.botToken) return unconfiguredSlackMount();
  const slack = createSlackApp({
    receiver: { maxBodyBytes: SLACK_MAX_BODY_BYTES },
    signingSecret: opts.signingSecret,
    botToken: opts.botToken,
    logger: opts.logger,
    defaultLang: opts.defaultLang,
    ...(opts.jobNames ? { jobNames: opts.jobNames } : {}),
    ...(opts.runJob ? { runJob: opts.runJob } : {}),
    ...(opts.access ? { admins: opts.access.admins, workspaces: opts.access.slackWorkspaces } : {}),
    ...opts.web,
    getReadModel: () => {
      const rm = opts.getReadModel();
      if (!rm) throw new Error('read model not ready');
      return rm;
    },
    ...opts.extra,
  });
  const route = createSlackRoute({ handle: slack.receiver.handle, ready: () => opts.getReadModel() !== null });
  return { mount: { path: SLACK_MOUNT, app: route, maxBodyBytes: SLACK_MAX_BODY_BYTES }, slack };
}
