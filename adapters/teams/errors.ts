// The Teams route's authentication failures, apart from framework.ts so the route (and the 503
// answered while Teams is not configured) loads without the Bot Framework SDK.

/**
 * Tokens cannot be checked right now (the OpenID metadata or its keys could not be fetched): answer
 * 503 with Retry-After. Not the caller's fault, and not a reason to ask Microsoft again at once.
 */
export class TeamsAuthUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super(`token validation unavailable; retry in ${retryAfterSeconds} s`, cause === undefined ? undefined : { cause });
    this.name = 'TeamsAuthUnavailableError';
  }
}

/** A rejected Authorization header: answer 401. */
export class TeamsAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsAuthError';
  }
}
