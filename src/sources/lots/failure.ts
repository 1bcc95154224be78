// Why a lot source failed, as a short code of ours: what is stored, logged and (translated) shown.
// Nothing of the upstream's response (body, status text, an ArcGIS error message) survives into it.
import { UpstreamError } from '../../lib/http';
import { blockedErrorIn } from '../../lib/outbound-policy';
import { LotSourceError } from './common';

/**
 * `http:<status>` (the source answered an error status), `too-large` (past the kind's byte limit),
 * `invalid` (not the format the kind expects), `blocked` (the outbound policy refused the address),
 * `credentials` (a user name or password in the URL), `timeout`, `network`, `redirect` (too many),
 * `config` (the stored configuration no longer passes validation), `failed` (anything else: a bug
 * of ours, logged with its stack).
 */
export type LotFailureCode = `http:${number}` | 'too-large' | 'invalid' | 'config' | 'blocked' | 'credentials' | 'timeout' | 'network' | 'redirect' | 'failed';

export function classifyLotFailure(err: unknown): LotFailureCode {
  const blocked = blockedErrorIn(err);
  if (blocked) return blocked.reason === 'credentials' ? 'credentials' : 'blocked';
  if (err instanceof UpstreamError) {
    switch (err.kind) {
      case 'http':
      case 'rate-limited':
      case 'unavailable':
        return err.status !== undefined ? `http:${err.status}` : 'network';
      case 'too-large':
        return 'too-large';
      case 'blocked':
        return 'blocked';
      case 'redirect':
        return 'redirect';
      case 'timeout':
        return 'timeout';
      case 'network':
        return 'network';
    }
  }
  if (err instanceof LotSourceError) return 'invalid';
  if (err instanceof Error && err.message.startsWith('lot source config:')) return 'config';
  return 'failed';
}

/** Fields for a log line about a failed source: the code, and of an error response only its size and hash. */
export function failureLogFields(err: unknown): Record<string, unknown> {
  const code = classifyLotFailure(err);
  const upstream = err instanceof UpstreamError ? err : null;
  return {
    reason: code,
    ...(upstream?.status !== undefined ? { status: upstream.status } : {}),
    ...(upstream?.bodyLength !== undefined ? { body_length: upstream.bodyLength, body_sha256: upstream.bodySha256 } : {}),
    ...(upstream ? { attempts: upstream.attempts } : {}),
    // Our own bugs keep their stack; an upstream's words do not reach the log.
    ...(code === 'failed' ? { error: err } : {}),
  };
}
