import type { Hono } from 'hono';
import type { Lang } from '../../src/domain/localized';
import type { Logger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import { createSlackApp, type SlackApp, type SlackAppOptions } from './app';
import { createSlackRoute, SLACK_MOUNT } from './route';

export interface SlackMountOptions {
  signingSecret: string | undefined;
  botToken: string | undefined;
  logger: Logger;
  defaultLang: Lang;
  /** Null until the runtime is ready; Slack gets 503 NOT_READY meanwhile. */
  getReadModel: () => ReadModel | null;
  /** Names of the scheduled jobs, for `/tomte jobber`. */
  jobNames?: readonly string[];
  /** Extra settings for tests and the bench. */
  extra?: Partial<Pick<SlackAppOptions, 'clientOptions' | 'ackBudgetMs' | 'receiver'>>;
}

/**
 * The Slack route for createApp's `mounts`: the Bolt App on its Web-standard receiver when both
 * secrets are set, else a route that answers 503 NOT_CONFIGURED (the service still starts).
 */
export function slackMount(opts: SlackMountOptions): { mount: { path: string; app: Hono }; slack: SlackApp | null } {
  if (!opts.signingSecret || !opts.botToken) {
    return { mount: { path: SLACK_MOUNT, app: createSlackRoute({ handle: null }) }, slack: null };
  }
  const slack = createSlackApp({
    signingSecret: opts.signingSecret,
    botToken: opts.botToken,
    logger: opts.logger,
    defaultLang: opts.defaultLang,
    ...(opts.jobNames ? { jobNames: opts.jobNames } : {}),
    getReadModel: () => {
      const rm = opts.getReadModel();
      if (!rm) throw new Error('read model not ready');
      return rm;
    },
    ...opts.extra,
  });
  const route = createSlackRoute({ handle: slack.receiver.handle, ready: () => opts.getReadModel() !== null });
  return { mount: { path: SLACK_MOUNT, app: route }, slack };
}
