// A Hono app on a real loopback socket, for the tests that need one. `overrideGlobalObjects: false`:
// otherwise @hono/node-server replaces the global Request and Response with its own classes for the
// rest of the process, and test files share their worker's globals (vitest.config.ts), so msw's
// `Response.error()` would stop being a network error in whichever file runs next.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: ServerType;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function listenLocal(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Listening> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
