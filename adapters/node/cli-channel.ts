// The local channel the CLI uses while the service holds the embedded database (issue 17): an HTTP
// server on 127.0.0.1 (an ephemeral port, never the public one), and a file next to the data with
// its port and a random token, readable only by the user that runs the service. The CLI on the
// same machine, as the same user, sends a command and gets the neutral Reply back, so it answers
// from the service's live read model instead of building a private copy. Commands run as the
// machine's operator (an administrator), as they would in the CLI itself.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { Logger } from '../../src/lib/logger';

export const CHANNEL_FILE = 'service.json';
/** The largest request the channel reads (a case list for `valider` is the largest). */
const MAX_BODY = 1024 * 1024;

export interface ChannelFile {
  pid: number;
  port: number;
  token: string;
}

/** What the channel answers: `command` is any chat command; `validate` a case list for `valider`. */
const LANG = z.enum(['nb', 'en']);
const REQUEST = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), text: z.string().max(4000), lang: LANG }),
  z.object({ kind: z.literal('validate'), text: z.string(), format: z.enum(['csv', 'json']), models: z.array(z.string().max(100)).max(20).optional(), lang: LANG }),
]);
export type ChannelRequest = z.infer<typeof REQUEST>;

export interface CliChannel {
  port: number;
  close(): Promise<void>;
}

/**
 * Opens the channel and writes its file into `dataDir` (mode 0600); `answer` runs a request against
 * the service's current read model. Closing removes the file.
 */
export async function openCliChannel(opts: { dataDir: string; logger: Logger; answer: (req: ChannelRequest) => Promise<unknown> }): Promise<CliChannel> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return send(401, { error: 'unauthorized' });
    if (req.method !== 'POST' || req.url !== '/cli') return send(404, { error: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) return send(413, { error: 'too large' });
      chunks.push(chunk);
    }
    let request: ChannelRequest;
    try {
      const parsed = REQUEST.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!parsed.success) return send(400, { error: 'not a channel request' });
      request = parsed.data;
    } catch {
      return send(400, { error: 'invalid JSON' });
    }
    try {
      send(200, await opts.answer(request));
    } catch (err) {
      opts.logger.error('cli channel request failed', { kind: request.kind, error: err });
      send(500, { error: 'internal' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const file = join(opts.dataDir, CHANNEL_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const content: ChannelFile = { pid: process.pid, port, token };
  writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return {
    port,
    close: async () => {
      rmSync(file, { force: true });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
