// What ships with tomte besides its code: the bundled data (data/), and the start template built at
// install time (dist/template/, see template.ts). Also the key of both: a saved read model or a
// template is only used while the models, the bundled data and the migrations are the ones it was
// made from.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedMigrationCount } from '../db/migrate';
import type { ScoringModel } from '../../src/domain/scoring/model';
import { SNAPSHOT_FILE_NAMES } from '../../src/services/load-snapshot';

/** The bundled snapshot, next to the code so any working directory works. */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** The bundled known cases (data/fasit), for `modeller` and the API's validation figures. */
export const KNOWN_CASES_FILE = 'fasit/kjente-tilfeller.csv';

/** The start template: a PGlite data directory (tarball) with the snapshot loaded and scored. */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../dist/template/', import.meta.url));
export const TEMPLATE_FILE = 'pglite.tar.gz';
export const TEMPLATE_META = 'template.json';
/** The template's read model (read-model-file.ts format), used by the first start instead of reading every score back. */
export const TEMPLATE_PARTS = 'read-model.json';

export function readSnapshotTexts(dir = DATA_DIR): Map<string, string> {
  return new Map(SNAPSHOT_FILE_NAMES.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')]));
}

/**
 * What a saved read model or the start template depends on besides the database: the models (and
 * their versions), the bundled data files (size and time: a new snapshot is loaded at the next
 * start) and the shipped migrations. File metadata, not contents, so checking it costs no reading.
 */
export function bundleKey(models: readonly ScoringModel[]): string {
  const files = SNAPSHOT_FILE_NAMES.map((name) => {
    const st = statSync(`${DATA_DIR}${name}`, { throwIfNoEntry: false });
    return `${name}:${st?.size ?? '-'}:${st?.mtimeMs ?? '-'}`;
  });
  return [...models.map((m) => `${m.id}@${m.version}`), ...files, `migrations:${shippedMigrationCount()}`].join('|');
}

/** The start template as a (gzipped) tarball, when it was built for exactly this `key`; null otherwise. */
export function readStartTemplate(key: string, dir = TEMPLATE_DIR): Uint8Array | null {
  try {
    const meta = JSON.parse(readFileSync(join(dir, TEMPLATE_META), 'utf8')) as { key?: string };
    if (meta.key !== key) return null;
    return readFileSync(join(dir, TEMPLATE_FILE));
  } catch {
    return null;
  }
}
