/**
 * The read-model file a closed embedded database leaves (issue 17): it gives back exactly the parts
 * it was written from, and nothing once the database has been opened again, the key differs or
 * the file is damaged.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openPglite } from '../../../adapters/db/pglite';
import { READ_MODEL_FILE, readReadModelFile, writeReadModelFile } from '../../../adapters/node/read-model-file';
import { MODELS } from '../../../src/domain/scoring/models';
import { ReadModel, type ReadModelParts } from '../../../src/services/read-model';
import { testDeps } from '../../support/runtime';

let dir: string;
let dataDir: string;
let parts: ReadModelParts;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tomte-rmfile-'));
  dataDir = join(dir, 'data');
  const handle = await openPglite({ dataDir, templateIfNew: () => new Uint8Array(readFileSync(inject('tomteTemplates').pglite.all)) });
  try {
    parts = await ReadModel.loadParts(testDeps(handle.db, MODELS));
  } finally {
    await handle.close();
  }
  writeReadModelFile(dataDir, 'key-1', parts);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('read-model file', () => {
  it('gives back the parts it was written from, dates as dates', () => {
    const read = readReadModelFile(dataDir, 'key-1');
    expect(read).toEqual(parts);
    expect(read!.views[0]!.run!.startedAt).toBeInstanceOf(Date);
    expect(read!.views.map((v) => v.scores.length)).toEqual(MODELS.map(() => 357));
    // The read model built from the file answers like the one built from the database.
    const deps = testDeps(null as never, MODELS);
    const fromFile = ReadModel.fromParts(deps, read!);
    const fromDb = ReadModel.fromParts(deps, parts);
    expect([...fromFile.scores.values()]).toEqual([...fromDb.scores.values()]);
  });

  it('read lazily, each score gives the same details when first used, from the details file', () => {
    const lazy = readReadModelFile(dataDir, 'key-1', { lazy: true });
    expect(lazy).toEqual(parts);
    const bodo = lazy!.views[0]!.scores.find((s) => s.kommuneCode === '1804')!;
    expect(bodo.rules).toEqual(parts.views[0]!.scores.find((s) => s.kommuneCode === '1804')!.rules);
    // The summary alone is small; the details (nine tenths) are in their own file.
    const details = readdirSync(dataDir).filter((f) => f.startsWith(`${READ_MODEL_FILE}.`) && f.endsWith('.details'));
    expect(details).toHaveLength(1);
    expect(statSync(join(dataDir, READ_MODEL_FILE)).size * 10).toBeLessThan(statSync(join(dataDir, details[0]!)).size);
  });

  it('writing again replaces the details file (no files pile up) and a missing one is no answer', () => {
    writeReadModelFile(dataDir, 'key-1', parts);
    const details = readdirSync(dataDir).filter((f) => f.endsWith('.details'));
    expect(details).toHaveLength(1);
    rmSync(join(dataDir, details[0]!));
    expect(readReadModelFile(dataDir, 'key-1')).toBeNull();
  });

  it('another key (models, bundled data, migrations) is not answered from it', () => {
    expect(readReadModelFile(dataDir, 'key-2')).toBeNull();
  });

  it('once the database has been opened again, the file is stale', async () => {
    const handle = await openPglite({ dataDir });
    await handle.close();
    expect(readReadModelFile(dataDir, 'key-1')).toBeNull();
  });

  it('a damaged or missing file is no answer, not an error', () => {
    writeFileSync(join(dataDir, READ_MODEL_FILE), '{"format":1,');
    expect(readReadModelFile(dataDir, 'key-1')).toBeNull();
    rmSync(join(dataDir, READ_MODEL_FILE));
    expect(readReadModelFile(dataDir, 'key-1')).toBeNull();
    expect(readReadModelFile(join(dir, 'nowhere'), 'key-1')).toBeNull();
  });
});
