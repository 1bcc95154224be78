/**
 * The start template (issue 17): a new embedded data directory unpacks the tarball built at install
 * instead of initialising, loading and scoring; an existing one never does. The tarball here is the
 * test suite's own template of the snapshot scored by every model (same format: PGlite's dumpDataDir).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { openPglite } from '../../../adapters/db/pglite';
import { extractTarball } from '../../../adapters/db/tarball';
import { bundleKey, readStartTemplate, TEMPLATE_FILE, TEMPLATE_META } from '../../../adapters/node/bundle';
import { MODELS } from '../../../src/domain/scoring/models';
import { scores } from '../../../src/store/schema';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tomte-template-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const templateTar = () => readFileSync(inject('tomteTemplates').pglite.all);

describe('start template', () => {
  it('a new data directory starts from the template, scored; an existing one never asks for it', async () => {
    const dataDir = join(dir, 'data');
    const templateIfNew = vi.fn(() => new Uint8Array(templateTar()));
    const first = await openPglite({ dataDir, templateIfNew });
    try {
      expect(first.fromTemplate).toBe(true);
      expect(templateIfNew).toHaveBeenCalledTimes(1);
      expect(await first.db.$count(scores)).toBe(357 * MODELS.length);
    } finally {
      await first.close();
    }
    const again = await openPglite({ dataDir, templateIfNew });
    try {
      expect(again.fromTemplate).toBe(false);
      expect(templateIfNew).toHaveBeenCalledTimes(1);
      expect(await again.db.$count(scores)).toBe(357 * MODELS.length);
    } finally {
      await again.close();
    }
  });

  it('no template (null): an empty database is initialised as before', async () => {
    const handle = await openPglite({ dataDir: join(dir, 'data'), templateIfNew: () => null });
    try {
      expect(handle.fromTemplate).toBe(false);
      expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('is used only when built for these models, this bundled data and these migrations', () => {
    writeFileSync(join(dir, TEMPLATE_FILE), 'tarball');
    expect(readStartTemplate(bundleKey(MODELS), dir)).toBeNull();
    writeFileSync(join(dir, TEMPLATE_META), JSON.stringify({ key: `${bundleKey(MODELS)}|other` }));
    expect(readStartTemplate(bundleKey(MODELS), dir)).toBeNull();
    writeFileSync(join(dir, TEMPLATE_META), JSON.stringify({ key: bundleKey(MODELS) }));
    expect(Buffer.from(readStartTemplate(bundleKey(MODELS), dir)!).toString()).toBe('tarball');
    expect(bundleKey(MODELS)).not.toBe(bundleKey(MODELS.slice(0, 1)));
  });
});

/** A one-entry ustar archive. */
function tarWith(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header[156] = '0'.charCodeAt(0);
  header.write('ustar\0', 257);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

describe('extractTarball', () => {
  it('writes files under the directory (a leading slash is relative to it)', () => {
    const target = join(dir, 'out');
    mkdirSync(target);
    expect(extractTarball(tarWith('/global/a.txt', 'hei'), target)).toEqual({ files: 1, bytes: 3 });
    expect(readFileSync(join(target, 'global', 'a.txt'), 'utf8')).toBe('hei');
  });

  it('refuses an entry that climbs out of the directory, writing nothing there', () => {
    const target = join(dir, 'out');
    mkdirSync(target);
    expect(() => extractTarball(tarWith('../escaped.txt', 'x'), target)).toThrow(/outside the data directory/);
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
  });
});
