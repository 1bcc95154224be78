/**
 * The one file that imports the Bot Framework SDK (botbuilder 4.23). The SDK is end-of-life
 * (support ended 31 Dec 2025); everything else in adapters/teams talks to the small
 * `BotFramework` interface below, so moving to the Teams SDK replaces this file only.
 *
 * Inbound: `authenticate` runs the SDK's channel validation on the raw Authorization header —
 * issuer https://api.botframework.com, audience = our app id, expiry (5 min skew), an RS256
 * signature by a key from the OpenID metadata at login.botframework.com (cached by the SDK), and
 * the token's `serviceurl` claim equal to the activity's serviceUrl. There is no switch to turn
 * it off: without an app id and password the route answers 503 and never gets here.
 *
 * Outbound: replies go through CloudAdapter's turn context (POST {serviceUrl}v3/conversations/…/
 * activities/{replyToId}); proactive sends take `connectorToken()`, a client-credentials token
 * for https://api.botframework.com from login.microsoftonline.com (MSAL, cached by the SDK).
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type TurnContext,
} from 'botbuilder';
import type { InboundActivity, OutboundActivity } from './activity';
import { TeamsAuthError, TeamsAuthUnavailableError } from './errors';

export { TeamsAuthError, TeamsAuthUnavailableError };

/** Bot Connector audience and login for the public Azure cloud. */
const CONNECTOR_SCOPE = 'https://api.botframework.com';
const LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';

export interface BotFrameworkCredentials {
  appId: string;
  password: string;
  /** Single-tenant bot when set (the only kind Azure creates since 31 Jul 2025). */
  tenantId?: string | undefined;
  /** Milliseconds since the epoch, for the metadata back-off. */
  now?: () => number;
}

/** First wait after the metadata could not be fetched; doubles on each failure, at most MAX. */
const METADATA_BACKOFF_MS = 5_000;
const METADATA_BACKOFF_MAX_MS = 5 * 60_000;

/** Proof that an activity was authenticated; only `authenticate` makes one. */
export interface Authenticated {
  readonly __authenticated: unique symbol;
}

export interface Turn {
  activity: InboundActivity;
  /** Sends a reply into the activity's conversation (as a reply to it); resolves with the new id. */
  send(activity: OutboundActivity): Promise<{ id?: string }>;
}

export interface BotFramework {
  /** Validates the header for this activity; throws TeamsAuthError when it is not valid. */
  authenticate(authorization: string, activity: InboundActivity): Promise<Authenticated>;
  /** Runs one turn of an authenticated activity. */
  runTurn(auth: Authenticated, activity: InboundActivity, logic: (turn: Turn) => Promise<void>): Promise<void>;
  /** A bearer token for the Bot Connector, for proactive sends; `force` skips the SDK's cache. */
  connectorToken(force?: boolean): Promise<string>;
}

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

interface RealAuthenticated extends Authenticated {
  result: AuthenticateRequestResult;
}

function isAuthFailure(err: unknown): boolean {
  // The SDK's AuthenticationError (not exported by botbuilder) carries statusCode 401; a missing
  // or untrusted key and a bad signature surface as jsonwebtoken errors.
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { statusCode?: unknown; name?: unknown };
  return e.statusCode === 401 || e.name === 'JsonWebTokenError' || e.name === 'TokenExpiredError' || e.name === 'NotBeforeError';
}

/** `Bearer` and a compact JWS: the only shape the SDK can accept. */
const BEARER_JWS = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

/**
 * Whether the header is `Bearer <jws>` with a JSON object as header and payload. The SDK refuses
 * everything else too, but not always as an authentication error: jsonwebtoken's decode throws a
 * plain SyntaxError when the header says `typ: JWT` and the payload segment is not JSON.
 */
function wellFormedBearer(authorization: string): boolean {
  const m = BEARER_JWS.exec(authorization);
  if (!m) return false;
  return [m[1]!, m[2]!].every((segment) => {
    try {
      const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  });
}

export function createBotFramework(creds: BotFrameworkCredentials): BotFramework {
  const config = {
    MicrosoftAppId: creds.appId,
    MicrosoftAppPassword: creds.password,
    MicrosoftAppType: creds.tenantId ? 'SingleTenant' : 'MultiTenant',
    MicrosoftAppTenantId: creds.tenantId ?? '',
  };
  const credentialsFactory = new ConfigurationServiceClientCredentialFactory(config);
  const auth = new ConfigurationBotFrameworkAuthentication(config, credentialsFactory);
  const adapter = new CloudAdapter(auth);
  let credentials: Promise<{ getToken(forceRefresh?: boolean): Promise<string> }> | null = null;
  const now = creds.now ?? Date.now;
  // The SDK caches the metadata once it has it (24 h), but after a failed fetch it fetches again
  // for every request: a stream of well-formed forged tokens would become a stream of requests to
  // Microsoft. After a failure, requests are answered 503 without asking until the back-off ends;
  // then one request at a time tries again.
  let unavailableUntil = 0;
  let backoffMs = METADATA_BACKOFF_MS;
  let probing = false;

  return {
    async authenticate(authorization, activity) {
      if (!wellFormedBearer(authorization)) throw new TeamsAuthError('Malformed Authorization header: expected Bearer and a JWT');
      const t = now();
      const recovering = unavailableUntil > 0;
      if (t < unavailableUntil || (recovering && probing)) throw new TeamsAuthUnavailableError(Math.max(1, Math.ceil((Math.max(unavailableUntil, t + 1000) - t) / 1000)));
      if (recovering) probing = true;
      try {
        const result = await auth.authenticateRequest(activity as unknown as Activity, authorization);
        unavailableUntil = 0;
        backoffMs = METADATA_BACKOFF_MS;
        return { result } as unknown as RealAuthenticated;
      } catch (err) {
        if (isAuthFailure(err)) {
          // The metadata was there (the token was judged): the service is reachable again.
          unavailableUntil = 0;
          backoffMs = METADATA_BACKOFF_MS;
          throw new TeamsAuthError(err instanceof Error ? err.message : String(err));
        }
        unavailableUntil = now() + backoffMs;
        const retry = Math.ceil(backoffMs / 1000);
        backoffMs = Math.min(backoffMs * 2, METADATA_BACKOFF_MAX_MS);
        throw new TeamsAuthUnavailableError(retry, err);
      } finally {
        if (recovering) probing = false;
      }
    },
    async runTurn(authenticated, activity, logic) {
      const { result } = authenticated as RealAuthenticated;
      await adapter.processActivityDirect(result, activity as unknown as Activity, async (context: TurnContext) => {
        await logic({
          activity: context.activity as unknown as InboundActivity,
          send: async (a) => (await context.sendActivity(a as Partial<Activity>)) ?? {},
        });
      });
    },
    async connectorToken(force = false) {
      credentials ??= credentialsFactory.createCredentials(creds.appId, CONNECTOR_SCOPE, LOGIN_URL, true) as unknown as Promise<{ getToken(forceRefresh?: boolean): Promise<string> }>;
      try {
        return await (await credentials).getToken(force);
      } catch (err) {
        credentials = null;
        throw err;
      }
    },
  };
}
