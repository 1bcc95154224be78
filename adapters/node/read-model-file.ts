// The read-model snapshot of an embedded database: what the read model is built from
// (src/services/read-model.ts, ReadModelParts), written next to the PGlite data after the process
// that held the database closed it. The CLI answers lookups from it without opening PGlite (issue
// 17). It is valid only while the data directory is exactly as it was when the file was written:
// every open of the database writes its control file and WAL, so a stamp of those (names, sizes,
// modification times) taken after closing tells whether anything could have changed since.
import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModelParts } from '../../src/services/read-model';

export const READ_MODEL_FILE = 'read-model.json';
const FORMAT = 1;

interface FileContent {
  format: number;
  stamp: string;
  /**
   * What else the parts depend on (the models and their versions, the bundled data files, the
   * migrations; see bundleKey in bundle.ts): a new version of tomte invalidates the file.
   */
  key: string;
  parts: ReadModelParts;
}

/** The state of a closed PGlite data directory, as cheap file metadata; null when it is not one. */
export function dataDirStamp(dataDir: string): string | null {
  try {
    const control = statSync(join(dataDir, 'global', 'pg_control'));
    const wal = readdirSync(join(dataDir, 'pg_wal'), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const st = statSync(join(dataDir, 'pg_wal', e.name));
        return `${e.name}:${st.size}:${st.mtimeMs}`;
      })
      .sort();
    return [`control:${control.size}:${control.mtimeMs}`, ...wal].join('|');
  } catch {
    return null;
  }
}

/** Writes the parts for the data directory as it is now (call after the database is closed). */
export function writeReadModelFile(dataDir: string, key: string, parts: ReadModelParts): void {
  const stamp = dataDirStamp(dataDir);
  if (stamp === null) return;
  const content: FileContent = { format: FORMAT, stamp, key, parts };
  const tmp = join(dataDir, `${READ_MODEL_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
  renameSync(tmp, join(dataDir, READ_MODEL_FILE));
}

const DATE_FIELDS = new Set(['startedAt', 'finishedAt', 'lastSuccessAt', 'lastFailureAt']);

/**
 * Turns the date fields back into Dates. The scores (nearly all of the file) are skipped: they are
 * stored as JSON in the database too and hold no Dates. A reviver on JSON.parse would visit every
 * value and cost four times the parse itself.
 */
function reviveDates(parts: ReadModelParts): ReadModelParts {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(record)) {
        if (k === 'scores') continue;
        if (DATE_FIELDS.has(k) && typeof v === 'string') record[k] = new Date(v);
        else walk(v);
      }
    }
  };
  walk(parts);
  return parts;
}

/** The parts, when the file exists and the data directory has not changed since it was written. */
export function readReadModelFile(dataDir: string, key: string): ReadModelParts | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, READ_MODEL_FILE), 'utf8');
  } catch {
    return null;
  }
  const stamp = dataDirStamp(dataDir);
  if (stamp === null) return null;
  let content: FileContent;
  try {
    content = JSON.parse(text) as FileContent;
  } catch {
    return null;
  }
  if (content.format !== FORMAT || content.stamp !== stamp || content.key !== key) return null;
  return reviveDates(content.parts);
}
