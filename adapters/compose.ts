/**
 * The one composition both runtimes build from: the scoring model chosen by TOMTE_MODEL, the
 * redaction list (every secret setting), the logger, the outbound policy (TOMTE_FETCH_ALLOW and the
 * runtime's resolver), the HTTP clients of the sources, the access settings (TOMTE_ADMINS, the
 * Slack workspaces and Teams tenants served) and the service dependencies. adapters/node and
 * adapters/workers differ only in what they bind: a resolver and a guarded fetch on Node, the
 * platform's fetch on Workers. Runtime-neutral: no node:* imports here.
 */
import { secretValues, teamsTenants, type Config } from '../src/config';
import type { ScoringModel } from '../src/domain/scoring/model';
import { MODELS, modelById } from '../src/domain/scoring/models';
import { createLogger, type Logger } from '../src/lib/logger';
import { parseAllowList, type OutboundPolicy } from '../src/lib/outbound-policy';
import type { ServiceDeps } from '../src/services/deps';
import type { MakeHttpClient } from '../src/services/refresh-sources';
import type { Db } from '../src/store/db';
import { createAddressSearch } from '../src/sources/kartverket/adresser';
import { createSourceHttp } from './node/http';
import type { Hono } from 'hono';
import type { ReadModel } from '../src/services/read-model';
import { createWebApp } from '../src/web/app';
import { mapSpecSvg } from '../src/web/map/spec-map';
import type { MapSpec } from '../src/domain/map-spec';
import type { Lang } from '../src/domain/localized';
import { createSignInLink, MAP_URL_TTL_MS, signMapSpec } from '../src/services/web-auth';
import type { SignInLinkMaker } from '../src/chat/web';

export { MODELS };

/** An unknown TOMTE_MODEL: start-up stops (Node) or the Worker answers 503 with this message. */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  constructor(id: string) {
    super(`Unknown scoring model "${id}" (TOMTE_MODEL). Known: ${MODELS.map((m) => m.id).join(', ')}`);
  }
}

/** What a runtime brings: how to resolve names (Node) and the fetch to make requests with. */
export interface RuntimeBindings {
  /** Every address of a host name; absent on Workers (no DNS API). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** The fetch for outside calls under `policy`: on Node connections go only to checked addresses. */
  fetchFor: (policy: OutboundPolicy) => typeof fetch;
  /** Where log lines go (stdout batched on Node, console on Workers). */
  write?: (line: string) => void;
  /** The bundled known cases (data/fasit/kjente-tilfeller.csv) where the runtime can read files; `modeller` shows their validation. */
  knownCases?: string;
  /** SVG to PNG (Node: resvg); absent on the Worker, which serves maps as SVG and links. */
  renderPng?: (svg: string) => Uint8Array;
}

/** Who is served and who administers: from configuration, checked by the chat adapters. */
export interface AccessSettings {
  admins: ReadonlySet<string>;
  /** Slack team or enterprise ids; empty: learn the bot token's workspace (auth.test). */
  slackWorkspaces: readonly string[];
  /** Teams tenant ids; empty with Teams configured is refused by parseConfig. */
  teamsTenants: readonly string[];
}

export interface Composition {
  config: Config;
  /** The deployment's default model (TOMTE_MODEL); every model in MODELS is scored. */
  model: ScoringModel;
  /** Every configured secret value; the logger replaces each with [redacted]. */
  secrets: string[];
  logger: Logger;
  outbound: OutboundPolicy;
  fetch: typeof fetch;
  makeHttp: MakeHttpClient;
  access: AccessSettings;
  serviceDeps(db: Db): ServiceDeps;
  /** The web pages (mounted at /): TOMTE_WEB_SECRET signs the chat's sign-in links, TOMTE_WEB_PUBLIC opens the read-only pages. */
  webApp(getReadModel: () => ReadModel | null): Hono;
  /** A reply's map as PNG where the runtime can draw one (Node), for Slack uploads. */
  mapPng?: (getReadModel: () => ReadModel | null) => (spec: MapSpec, lang: Lang) => Uint8Array | null;
  /** A signed, expiring https URL of a map picture; null unless TOMTE_PUBLIC_URL and TOMTE_WEB_SECRET are set. */
  mapUrl(spec: MapSpec): Promise<string | null>;
  /** `web`'s one-time sign-in link at TOMTE_PUBLIC_URL, signed with TOMTE_WEB_SECRET; null unless both are set. */
  signInLink: SignInLinkMaker;
}

export function compose(config: Config, runtime: RuntimeBindings): Composition {
  const model = modelById(config.TOMTE_MODEL);
  if (!model) throw new UnknownModelError(config.TOMTE_MODEL);
  const secrets = secretValues(config);
  const logger = createLogger({ level: config.TOMTE_LOG_LEVEL, secrets, ...(runtime.write ? { write: runtime.write } : {}) });
  const outbound: OutboundPolicy = { allow: parseAllowList(config.TOMTE_FETCH_ALLOW), ...(runtime.resolve ? { resolve: runtime.resolve } : {}) };
  const fetch = runtime.fetchFor(outbound);
  const makeHttp = createSourceHttp({ fetch, policy: outbound });
  const addressSearch = createAddressSearch(makeHttp('adresser', async () => {}));
  return {
    config,
    model,
    secrets,
    logger,
    outbound,
    fetch,
    makeHttp,
    access: { admins: new Set(config.TOMTE_ADMINS), slackWorkspaces: config.TOMTE_SLACK_WORKSPACES, teamsTenants: teamsTenants(config) },
    serviceDeps: (db) => ({
      db,
      models: MODELS,
      model,
      logger,
      now: () => new Date(),
      outbound,
      addressSearch,
      ...(runtime.knownCases !== undefined ? { knownCases: runtime.knownCases } : {}),
    }),
    webApp: (getReadModel) =>
      createWebApp({ getReadModel, defaultLang: config.TOMTE_LANG, publicPages: config.TOMTE_WEB_PUBLIC, secret: config.TOMTE_WEB_SECRET, logger, ...(runtime.renderPng ? { renderPng: runtime.renderPng } : {}) }),
    ...(runtime.renderPng
      ? {
          mapPng: (getReadModel: () => ReadModel | null) => (spec: MapSpec, lang: Lang) => {
            const rm = getReadModel();
            return rm ? runtime.renderPng!(mapSpecSvg(rm, spec, lang)) : null;
          },
        }
      : {}),
    signInLink: async (user) => {
      if (!config.TOMTE_PUBLIC_URL || !config.TOMTE_WEB_SECRET) return null;
      const made = await createSignInLink(config.TOMTE_WEB_SECRET, user, new Date());
      return { url: `${config.TOMTE_PUBLIC_URL}${made.path}`, expiresAt: made.expiresAt };
    },
    mapUrl: async (spec) => {
      const base = config.TOMTE_PUBLIC_URL;
      const secret = config.TOMTE_WEB_SECRET;
      if (!base || !secret) return null;
      return `${base}/kart.png?${await signMapSpec(secret, spec, new Date(Date.now() + MAP_URL_TTL_MS))}`;
    },
  };
}
