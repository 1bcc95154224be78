// A local HTTPS server on 127.0.0.1 with the test CA's certificate (test/fixtures/tls), for tests
// that go through the real outbound path: undici, the checked lookup, TLS, redirects, size caps.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
export const TEST_CA = readFileSync(new URL('ca.crt', TLS_DIR));

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TlsServer {
  port: number;
  /** Requests the server saw, as `<host header> <path>`. */
  seen: string[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startTlsServer(): Promise<TlsServer> {
  const routes = new Map<string, Handler>();
  const seen: string[] = [];
  const server: Server = createServer({ key: readFileSync(new URL('server.key', TLS_DIR)), cert: readFileSync(new URL('server.crt', TLS_DIR)) }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('no route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * test/support/big-response-server.mjs in a child process: `GET /?bytes=N` streams N bytes,
 * honouring backpressure. Its own process, so its buffers are not in the tests' RSS.
 */
export async function startBigResponseServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [new URL('./big-response-server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** RSS in bytes after a full garbage collection. */
export function rssAfterGc(): number {
  gc();
  return process.memoryUsage().rss;
}

/** Samples RSS every few milliseconds while `work` runs; resolves with the highest value seen. */
export async function peakRssDuring<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}
