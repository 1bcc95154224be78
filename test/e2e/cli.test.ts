/**
 * The real `tomte` CLI as a user runs it: `node adapters/cli/bin.js …` in a fresh data directory,
 * without DATABASE_URL (embedded PGlite). The first call seeds the directory; later calls reuse it.
 * Every call must exit on its own: execFile resolving (not timing out) is the proof it does not hang.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../../adapters/db/pglite';
import { praksis2026 } from '../../src/domain/scoring/models/praksis-2026';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = CLI_TIMEOUT_MS + 10_000;

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

let tmpRoot: string;
let dataDir: string;

function runCli(args: string[], dir = dataDir): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['adapters/cli/bin.js', ...args],
      {
        cwd: ROOT,
        // Only what the CLI needs: no DATABASE_URL, so the embedded database is used.
        env: { PATH: process.env.PATH ?? '', TOMTE_DATA_DIR: dir },
        timeout: CLI_TIMEOUT_MS,
        maxBuffer: 32 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, signal: err?.signal ?? null, killed: err?.killed ?? false, stdout, stderr });
      },
    );
  });
}

/** The process ended by itself (no timeout kill) and released the database lock. */
function expectCleanExit(r: CliResult): void {
  expect(r.killed, `killed (timeout?); stderr: ${r.stderr}`).toBe(false);
  expect(r.signal).toBeNull();
  expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
}

beforeAll(() => {
  tmpRoot = mkdtempSync(join(tmpdir(), 'tomte-cli-e2e-'));
  dataDir = join(tmpRoot, 'data');
});
afterAll(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
});

describe('tomte CLI', () => {
  it(
    'kommune Bodø --json: exit 0 and Appendix B JSON on stdout (first call seeds the data directory)',
    async () => {
      expect(existsSync(dataDir)).toBe(false);
      const r = await runCli(['kommune', 'Bodø', '--json']);
      expectCleanExit(r);
      expect(r.code, r.stderr).toBe(0);
      const data = JSON.parse(r.stdout) as Record<string, unknown> & { model: { id: string } };
      expect(data.municipality_code).toBe('1804');
      expect(data.municipality_name).toBe('Bodø');
      // The default model (TOMTE_MODEL unset) is praksis-2026; its pillars add up to the total as shown.
      expect(data.model.id).toBe('praksis-2026');
      const sum = (data.categories as { points: number }[]).reduce((s, c) => s + c.points, 0);
      expect(sum).toBeCloseTo(data.total_score as number, 9);
      expect((data.other_models as { id: string }[]).map((m) => m.id)).toEqual(['seed-2026']);
      expect(existsSync(dataDir)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'kommune Bodø: the card as text',
    async () => {
      const r = await runCli(['kommune', 'Bodø']);
      expectCleanExit(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('1804 Bodø');
      expect(r.stdout).toContain('Tier');
      expect(r.stdout).toContain('SSB 07459');
      // Replies, not logs, on stdout; no colour codes.
      expect(r.stdout).not.toMatch(/^\{"time"/m);
      // eslint-disable-next-line no-control-regex -- asserting the absence of ANSI escapes
      expect(r.stdout).not.toMatch(/\u001b\[/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'hvorfor Oslo lists every indicator of praksis-2026; with "modell seed-2026" every rule of seed-2026',
    async () => {
      const r = await runCli(['hvorfor', 'Oslo']);
      expectCleanExit(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('0301 Oslo');
      for (const i of praksis2026.indicators) expect(r.stdout, i.id).toContain(i.label.nb);
      for (const p of praksis2026.pillars) expect(r.stdout, p.id).toContain(p.label.nb);
      const seed = await runCli(['hvorfor', 'Oslo', 'modell', 'seed-2026']);
      expect(seed.code, seed.stderr).toBe(0);
      for (const rule of seed2026.rules) expect(seed.stdout, rule.id).toContain(rule.label.nb);
      expect(seed.stdout).toContain('Modell seed-2026');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'valider data/fasit/kjente-tilfeller.csv prints both models and both baselines',
    async () => {
      const r = await runCli(['valider', 'data/fasit/kjente-tilfeller.csv']);
      expectCleanExit(r);
      expect(r.code, r.stderr).toBe(0);
      for (const row of ['Praksismodell 2026 (praksis-2026)', 'Startmodell 2026 (seed-2026)', 'Grunnlinje: sortert etter folketall', 'Grunnlinje: tilfeldig rekkefølge']) {
        expect(r.stdout).toContain(row);
      }
      expect(r.stdout).toContain('1108 Sandnes');
      const bad = await runCli(['valider', 'test/fixtures/validation/bad-cases.csv']);
      expect(bad.code).toBe(65);
      expect(bad.stderr).toContain('linje 3');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'kommune trondhiem: exit 1 and suggests Trondheim',
    async () => {
      const r = await runCli(['kommune', 'trondhiem']);
      expectCleanExit(r);
      expect(r.stdout).toContain('Trondheim');
      expect(r.stdout).toContain('tomte kommune 5001');
      expect(r.code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '--bogus: exit 64 with usage on stderr',
    async () => {
      const r = await runCli(['kommune', 'Bodø', '--bogus']);
      expectCleanExit(r);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain('--bogus');
      expect(r.stderr).toContain('tomte');
      expect(r.stdout).toBe('');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '--help: exit 0 with usage, without opening a database',
    async () => {
      const untouched = join(tmpRoot, 'never-created');
      const r = await runCli(['--help'], untouched);
      expect(r.killed).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('tomte kommune Bodø');
      expect(r.stdout).toContain('--json');
      expect(existsSync(untouched)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '-h: the short help flag prints the usage too',
    async () => {
      // The shared (already seeded) directory: if -h is not taken as help, the call is still quick.
      const r = await runCli(['-h']);
      expectCleanExit(r);
      expect(r.stdout).toContain('tomte kommune Bodø');
      expect(r.code).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
