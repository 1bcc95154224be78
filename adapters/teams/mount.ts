import type { Hono } from 'hono';
import type { Lang } from '../../src/domain/localized';
import type { Logger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import type { Db } from '../../src/store/db';
import { markTeamsConversation, upsertTeamsConversation } from '../../src/store/repos/teams-conversations';
import { createTeamsBot, type ConversationStore, type TeamsBot, type TeamsBotOptions } from './bot';
import { createBotFramework, type BotFramework } from './framework';
import { createTeamsRoute, TEAMS_MAX_BODY_BYTES, TEAMS_MOUNT, unconfiguredTeamsMount, type TeamsRoute, type TeamsRouteOptions } from './route';

export interface TeamsMountOptions {
  appId: string | undefined;
  password: string | undefined;
  tenantId: string | undefined;
  logger: Logger;
  defaultLang: Lang;
  /** Null until the runtime is ready; Teams gets 503 NOT_READY meanwhile. */
  getRuntime: () => { readModel: ReadModel; db: Db } | null;
  /** Names of the scheduled jobs, for `jobber`. */
  jobNames?: readonly string[];
  /** Tenants served and administrators (adapters/compose.ts); default: only `tenantId`, no administrators. */
  access?: { admins: ReadonlySet<string>; teamsTenants: readonly string[] };
  /** Starts a job for `kjør <jobb>`. */
  runJob?: TeamsBotOptions['runJob'];
  /** `web`'s sign-in links and `kart`'s signed map URL (adapters/compose.ts). */
  web?: Pick<TeamsBotOptions, 'signInLink' | 'mapUrl' | 'publicUrl'>;
  /** Route timings for tests. Authentication is always the SDK's: there is no way to swap it out. */
  extra?: { route?: Pick<TeamsRouteOptions, 'responseBudgetMs' | 'dedupeTtlMs' | 'now'>; now?: () => number };
}

export interface TeamsSurface {
  framework: BotFramework;
  bot: TeamsBot;
  route: TeamsRoute;
}

/** Conversation references in the database, through the store's repo. */
export function dbConversationStore(getDb: () => Db): ConversationStore {
  return {
    seen: (ref) => upsertTeamsConversation(getDb(), ref),
    removed: async (id, reason, at) => {
      await markTeamsConversation(getDb(), id, 'uninstalled', reason, at);
    },
  };
}

/**
 * The Teams route for createApp's `mounts` (`POST /api/messages`): the bot on the Bot Framework when
 * the app id and password are set, else a route that answers 503 NOT_CONFIGURED (the service still
 * starts).
 */
export { TEAMS_MAX_BODY_BYTES };

export function teamsMount(opts: TeamsMountOptions): { mount: { path: string; app: Hono; maxBodyBytes: number }; teams: TeamsSurface | null } {
  if (!opts.appId || !opts.password) return unconfiguredTeamsMount(opts.logger);
  const runtime = () => {
    const rt = opts.getRuntime();
    if (!rt) throw new Error('runtime not ready');
    return rt;
  };
  const framework = createBotFramework({ appId: opts.appId, password: opts.password, tenantId: opts.tenantId, ...(opts.extra?.now ? { now: opts.extra.now } : {}) });
  const bot = createTeamsBot({
    getReadModel: () => runtime().readModel,
    conversations: dbConversationStore(() => runtime().db),
    logger: opts.logger,
    defaultLang: opts.defaultLang,
    ...(opts.jobNames ? { jobNames: opts.jobNames } : {}),
    ...(opts.runJob ? { runJob: opts.runJob } : {}),
    tenants: opts.access?.teamsTenants ?? (opts.tenantId ? [opts.tenantId] : []),
    ...(opts.access ? { admins: opts.access.admins } : {}),
    ...opts.web,
  });
  const route = createTeamsRoute({ framework, bot, logger: opts.logger, ready: () => opts.getRuntime() !== null, maxBodyBytes: TEAMS_MAX_BODY_BYTES, ...opts.extra?.route });
  return { mount: { path: TEAMS_MOUNT, app: route.app, maxBodyBytes: TEAMS_MAX_BODY_BYTES }, teams: { framework, bot, route } };
}
