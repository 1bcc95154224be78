// The read-model snapshot of an embedded database: what the read model is built from
// (src/services/read-model.ts, ReadModelParts), written next to the PGlite data after the process
// that held the database closed it. The CLI answers lookups from it without opening PGlite (issue
// 17). It is valid only while the data directory is exactly as it was when the file was written:
// every open of the database writes its control file and WAL, so a stamp of those (names, sizes,
// modification times) taken after closing tells whether anything could have changed since.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReadModelParts } from '../../src/services/read-model';
import type { StoredScore } from '../../src/store/repos/scores';

export const READ_MODEL_FILE = 'read-model.json';
const FORMAT = 3;

interface FileContent {
  format: number;
  stamp: string;
  /**
   * What else the parts depend on (the models and their versions, the bundled data files, the
   * migrations; see bundleKey in bundle.ts): a new version of tomte invalidates the file.
   */
  key: string;
  /** The details file beside this one (writePartsFile). */
  details: string;
  parts: PackedParts;
}

type View = ReadModelParts['views'][number];
/** The parts as the file holds them: each score's details packed as JSON text. */
type PackedParts = Omit<ReadModelParts, 'views'> & { views: (Omit<View, 'scores'> & { scores: PackedScore[] })[] };

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
  if (stamp !== null) writePartsFile(join(dataDir, READ_MODEL_FILE), stamp, key, parts);
}

/** Stamp of the start template's parts: valid for a data directory just unpacked from it. */
export const TEMPLATE_STAMP = 'start-template';

/**
 * Writes `parts` to `path` (atomically, readable only by this user) with their stamp and key. The
 * scores' details (categories, rules and key indicators: nine tenths of the bytes) go to a file of
 * their own beside it, named in `path`, so a reader parses only the few it needs (issue 17: `kommune
 * Bodø` reads Bodø's, a ranking none).
 */
export function writePartsFile(path: string, stamp: string, key: string, parts: ReadModelParts): void {
  const detailsName = `${basename(path)}.${randomBytes(6).toString('hex')}.details`;
  const chunks: Buffer[] = [];
  let offset = 0;
  const pack = ({ categories, rules, keyIndicators, ...summary }: StoredScore): PackedScore => {
    const bytes = Buffer.from(JSON.stringify({ categories, rules, keyIndicators }), 'utf8');
    chunks.push(bytes);
    const at: [number, number] = [offset, bytes.length];
    offset += bytes.length;
    return { ...summary, at };
  };
  const content: FileContent = { format: FORMAT, stamp, key, details: detailsName, parts: { ...parts, views: parts.views.map((v) => ({ ...v, scores: v.scores.map(pack) })) } };
  const dir = dirname(path);
  writeFileSync(join(dir, detailsName), Buffer.concat(chunks), { mode: 0o600 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
  renameSync(tmp, path);
  // Details files of earlier writes: no reader can start on them any more.
  for (const name of readdirSync(dir)) {
    if (name !== detailsName && name.startsWith(`${basename(path)}.`) && name.endsWith('.details')) rmSync(join(dir, name), { force: true });
  }
}

/**
 * The parts in `path` when its stamp and key are these; null when missing, damaged or another.
 * `lazy`: each score's details are read from the details file when first used (a short-lived CLI
 * call); otherwise all are read now (a service that keeps them).
 */
export function readPartsFile(path: string, stamp: string, key: string, opts: { lazy?: boolean } = {}): ReadModelParts | null {
  let content: FileContent;
  let fd: number;
  try {
    content = JSON.parse(readFileSync(path, 'utf8')) as FileContent;
    if (content.format !== FORMAT || content.stamp !== stamp || content.key !== key) return null;
    // Opened now: a later write replaces the files, and this descriptor still reads the one these offsets belong to.
    fd = openSync(join(dirname(path), content.details), 'r');
  } catch {
    return null;
  }
  const read = ([offset, length]: [number, number]): Details => {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, offset);
    return JSON.parse(buf.toString('utf8')) as Details;
  };
  const unpack = ({ at, ...summary }: PackedScore): StoredScore => {
    if (!opts.lazy) return { ...summary, ...read(at) };
    let details: Details | null = null;
    const get = () => (details ??= read(at));
    return {
      ...summary,
      get categories() {
        return get().categories;
      },
      get rules() {
        return get().rules;
      },
      get keyIndicators() {
        return get().keyIndicators;
      },
    };
  };
  const parts = reviveDates(content.parts);
  try {
    return { ...parts, views: parts.views.map((v) => ({ ...v, scores: v.scores.map(unpack) })) };
  } catch {
    return null;
  } finally {
    if (!opts.lazy) closeSync(fd);
  }
}

type Details = Pick<StoredScore, 'categories' | 'rules' | 'keyIndicators'>;

/** A score in the file: its summary, and where its details are in the details file (offset, length). */
type PackedScore = Omit<StoredScore, keyof Details> & { at: [number, number] };

const DATE_FIELDS = new Set(['startedAt', 'finishedAt', 'lastSuccessAt', 'lastFailureAt']);

/**
 * Turns the date fields back into Dates. The scores (nearly all of the file) are skipped: they are
 * stored as JSON in the database too and hold no Dates. A reviver on JSON.parse would visit every
 * value and cost four times the parse itself.
 */
function reviveDates<T>(parts: T): T {
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
export function readReadModelFile(dataDir: string, key: string, opts: { lazy?: boolean } = {}): ReadModelParts | null {
  const stamp = dataDirStamp(dataDir);
  return stamp === null ? null : readPartsFile(join(dataDir, READ_MODEL_FILE), stamp, key, opts);
}
