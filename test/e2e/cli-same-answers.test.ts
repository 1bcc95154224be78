/**
 * Faster does not mean different (issue 17): the CLI's text for a fixed list of commands is, byte
 * for byte, what the chat handler renders in-process — whether the CLI opened the database itself,
 * answered from the read-model file the database left, or asked the running service over its local
 * channel. While the service answers, the CLI says nothing on stderr.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../adapters/cli/render-text';
import { operator } from '../../adapters/cli/answers';
import { LOCK_FILE_NAME } from '../../adapters/db/lock';
import { closeRuntime, nodeComposition, startRuntime } from '../../adapters/node/bootstrap';
import { CHANNEL_FILE } from '../../adapters/node/cli-channel';
import { READ_MODEL_FILE } from '../../adapters/node/read-model-file';
import { handleCommand } from '../../src/chat/commands';
import { parseConfig } from '../../src/config';
import { JOBS } from '../../jobs/registry';
import type { Lang } from '../../src/domain/localized';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI's width when stdout is not a terminal (adapters/cli/main.ts). */
const WIDTH = 120;
const COMMANDS: { args: string[]; text: string; lang: Lang }[] = [
  { args: ['kommune', 'Bodø'], text: 'kommune Bodø', lang: 'nb' },
  { args: ['kommune', 'Bodø', '--en'], text: 'kommune Bodø', lang: 'en' },
  { args: ['hvorfor', 'Oslo'], text: 'hvorfor Oslo', lang: 'nb' },
  { args: ['topp', '10', 'fylke', 'Nordland'], text: 'topp 10 fylke Nordland', lang: 'nb' },
  { args: ['tier', '1'], text: 'tier 1', lang: 'nb' },
  { args: ['sammenlign', 'Bodø,', 'Tromsø'], text: 'sammenlign Bodø, Tromsø', lang: 'nb' },
  { args: ['topp', '5', 'modell', 'seed-2026'], text: 'topp 5 modell seed-2026', lang: 'nb' },
  { args: ['modeller'], text: 'modeller', lang: 'nb' },
  { args: ['kilder'], text: 'kilder', lang: 'nb' },
  { args: ['status'], text: 'status', lang: 'nb' },
  { args: ['kommune', 'trondhiem'], text: 'kommune trondhiem', lang: 'nb' },
  { args: ['hjelp'], text: 'hjelp', lang: 'nb' },
];

let tmp: string;
let dataDir: string;
const env = () => ({ PATH: process.env.PATH ?? '', TOMTE_DATA_DIR: dataDir });

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['adapters/cli/bin.js', ...args], { cwd: ROOT, env: env(), timeout: 120_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the in-process chat handler renders for each command, on the same database. */
async function inProcess(): Promise<string[]> {
  const comp = nodeComposition({ ...parseConfig({ TOMTE_DATA_DIR: dataDir }), TOMTE_LOG_LEVEL: 'error' });
  const runtime = await startRuntime(comp);
  try {
    const out: string[] = [];
    for (const c of COMMANDS) {
      const reply = await handleCommand({ rm: runtime.readModel, lang: c.lang, jobNames: JOBS.map((j) => j.name), actor: operator() }, c.text);
      out.push(renderText(reply, WIDTH));
    }
    return out;
  } finally {
    await closeRuntime(runtime, comp);
  }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tomte-cli-same-'));
  dataDir = join(tmp, 'data');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the CLI answers exactly as the chat handler does', () => {
  let expected: string[];

  it('opening the database itself, then from the read-model file it left', async () => {
    const first = await cli(COMMANDS[0]!.args);
    expect(first.code, first.stderr).toBe(0);
    expected = await inProcess();
    expect(existsSync(join(dataDir, READ_MODEL_FILE))).toBe(true);
    for (const [i, c] of COMMANDS.entries()) {
      const r = await cli(c.args);
      expect(r.stdout, c.args.join(' ')).toBe(expected[i]);
      expect(r.stderr, c.args.join(' ')).toBe('');
    }
    expect(first.stdout).toBe(expected[0]);
  }, 300_000);

  it('asking the running service over its channel', async () => {
    const port = await freePort();
    const service: ChildProcess = spawn(process.execPath, ['adapters/node/run.mjs', 'main'], {
      cwd: ROOT,
      env: { ...env(), PORT: String(port), TOMTE_HOST: '127.0.0.1', TOMTE_SCHEDULE: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      service.once('exit', (code) => {
        exitCode = code;
        resolve(code);
      }),
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!existsSync(join(dataDir, CHANNEL_FILE))) {
        if (exitCode !== undefined) throw new Error(`the service exited (${exitCode}) before opening its channel`);
        if (Date.now() > deadline) throw new Error('the service did not open its channel');
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const [i, c] of COMMANDS.entries()) {
        const r = await cli(c.args);
        expect(r.stdout, c.args.join(' ')).toBe(expected[i]);
        // Answered by the service: no note about a private copy.
        expect(r.stderr, c.args.join(' ')).toBe('');
      }
      // A change is made by the service too (the CLI holds no copy of its own to lose it in).
      const lots = await cli(['tomtekilder']);
      expect(lots.code, lots.stderr).toBe(0);
      expect(lots.stderr).toBe('');
    } finally {
      service.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // Stopped cleanly: the channel file and the lock are gone, the read-model file is fresh.
    expect(existsSync(join(dataDir, CHANNEL_FILE))).toBe(false);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    const after = await cli(COMMANDS[0]!.args);
    expect(after.stdout).toBe(expected[0]);
  }, 300_000);
});
