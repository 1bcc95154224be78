/**
 * The Worker's bindings for the shared composition (adapters/compose.ts): the platform's fetch,
 * called unbound (workerd throws "Illegal invocation" otherwise), and no resolver (Workers have no
 * DNS API). Its own module: a Worker's main module may export only handlers.
 */
import { ConfigError, parseConfig } from '../../src/config';
import { compose, type Composition } from '../compose';

/** The Worker's bindings: Hyperdrive and the same settings as the Node environment (strings). */
export interface Env {
  HYPERDRIVE?: { connectionString: string };
  [setting: string]: unknown;
}

function settings(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  if (env.HYPERDRIVE?.connectionString) out.DATABASE_URL = env.HYPERDRIVE.connectionString;
  return out;
}

export function workerComposition(env: Env, write?: (line: string) => void): Composition {
  const config = parseConfig(settings(env));
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: the Worker needs PostgreSQL (a Hyperdrive binding named HYPERDRIVE, or DATABASE_URL)']);
  return compose(config, { fetchFor: () => (input, init) => fetch(input, init), ...(write ? { write } : {}) });
}
