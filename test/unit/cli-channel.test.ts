/**
 * The CLI's local channel to the service (issue 17): only a caller holding the token in the
 * service's 0600 file is answered, malformed and oversized requests are refused, and closing it
 * removes the file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_FILE, openCliChannel, type ChannelFile, type ChannelRequest, type CliChannel } from '../../adapters/node/cli-channel';
import { silentLogger } from '../../src/lib/logger';

let dir: string;
let channel: CliChannel;
let file: ChannelFile;
const asked: ChannelRequest[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tomte-channel-'));
  asked.length = 0;
  channel = await openCliChannel({
    dataDir: dir,
    logger: silentLogger,
    answer: async (req) => {
      asked.push(req);
      if (req.kind === 'command' && req.text === 'boom') throw new Error('handler failed');
      return { echoed: req.kind === 'command' ? req.text : req.format };
    },
  });
  file = JSON.parse(readFileSync(join(dir, CHANNEL_FILE), 'utf8')) as ChannelFile;
});
afterEach(async () => {
  await channel.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string, token: string | null = file.token, path = '/cli') =>
  fetch(`http://127.0.0.1:${file.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body,
  });

describe('CLI channel', () => {
  it('writes its port and a random token to a file only its user can read', () => {
    expect(statSync(join(dir, CHANNEL_FILE)).mode & 0o777).toBe(0o600);
    expect(file.pid).toBe(process.pid);
    expect(file.port).toBe(channel.port);
    expect(file.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a command with the token', async () => {
    const res = await post(JSON.stringify({ kind: 'command', text: 'kommune Bodø', lang: 'nb' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ echoed: 'kommune Bodø' });
    expect(asked).toEqual([{ kind: 'command', text: 'kommune Bodø', lang: 'nb' }]);
  });

  it('refuses a request without the token or with another, before reading it', async () => {
    const ok = JSON.stringify({ kind: 'command', text: 'kommune Bodø', lang: 'nb' });
    expect((await post(ok, null)).status).toBe(401);
    expect((await post(ok, 'f'.repeat(64))).status).toBe(401);
    expect((await post(ok, `${file.token}x`)).status).toBe(401);
    expect(asked).toEqual([]);
  });

  it('refuses malformed, unknown and oversized requests without calling the handler', async () => {
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ kind: 'shell', text: 'rm -rf /' }))).status).toBe(400);
    expect((await post(JSON.stringify({ kind: 'command', text: 'x', lang: 'de' }))).status).toBe(400);
    expect((await post(JSON.stringify({ kind: 'command', text: 'x'.repeat(2 * 1024 * 1024), lang: 'nb' }))).status).toBe(413);
    expect((await post('{}', file.token, '/other')).status).toBe(404);
    expect(asked).toEqual([]);
  });

  it('a failing handler is a 500 without its message', async () => {
    const res = await post(JSON.stringify({ kind: 'command', text: 'boom', lang: 'nb' }));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('handler failed');
  });

  it('closing removes the file and stops answering', async () => {
    await channel.close();
    expect(existsSync(join(dir, CHANNEL_FILE))).toBe(false);
    await expect(post(JSON.stringify({ kind: 'command', text: 'x', lang: 'nb' }))).rejects.toThrow();
  });
});
